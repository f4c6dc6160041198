"""Role assignments in bulk, for the HR sync: the same outcome as `charters.role_assign` row by row (the
current assignment ends and stays as history, unacknowledged requests for the old role's charter go, the
new holder is asked to acknowledge the published charter, the audit trail says who did it), in a fixed
number of queries for the whole batch."""

import datetime
from collections import defaultdict
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from enablement.models import Person
from managers.models import Acknowledgement, CharterEvent, CharterVersion, Role, RoleAssignment


@transaction.atomic
def roles_assign_bulk(
    *, changes: Sequence[tuple[Person, str | None]], on: datetime.date, by: AbstractBaseUser | None
) -> None:
    """Makes each person hold the role with the given code from `on` (None: no role any more). A person
    already holding that role is left as they are. A current assignment that starts after `on` ends the
    day it starts."""
    roles = Role.objects.in_bulk({code for _person, code in changes if code}, field_name="code")
    current = {
        assignment.person_id: assignment
        for assignment in RoleAssignment.objects.select_for_update().filter(
            person__in=[person for person, _code in changes], ended_on__isnull=True
        )
    }
    ending, starting, leaving_role = [], [], defaultdict(list)
    for person, code in changes:
        assignment = current.get(person.pk)
        if assignment is not None and code is not None and assignment.role_id == roles[code].pk:
            continue
        if assignment is not None:
            assignment.ended_on = max(on, assignment.started_on)
            assignment.updated_at = timezone.now()
            ending.append(assignment)
            leaving_role[assignment.role_id].append(person.pk)
        if code is not None:
            starting.append(RoleAssignment(person=person, role=roles[code], started_on=on))
    RoleAssignment.objects.bulk_update(ending, ["ended_on", "updated_at"], batch_size=500)
    if leaving_role:
        unanswered = Q()
        for role_id, person_ids in leaving_role.items():
            unanswered |= Q(version__role_id=role_id, person_id__in=person_ids)
        Acknowledgement.objects.filter(unanswered, acknowledged_at__isnull=True).delete()
    RoleAssignment.objects.bulk_create(starting, batch_size=500)
    published = {
        version.role_id: version
        for version in CharterVersion.objects.filter(
            role__in={assignment.role_id for assignment in starting}, status=CharterVersion.Status.PUBLISHED
        )
    }
    now = timezone.now()
    Acknowledgement.objects.bulk_create(
        [
            Acknowledgement(person=assignment.person, version=published[assignment.role_id], requested_at=now)
            for assignment in starting
            if assignment.role_id in published
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    CharterEvent.objects.bulk_create(
        [
            CharterEvent(
                role=assignment.role, actor=by, action=CharterEvent.Action.ASSIGNED, detail=str(assignment.person)[:300]
            )
            for assignment in starting
        ],  # fmt: skip
        batch_size=500,
    )
