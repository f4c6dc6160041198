"""The rules of a change of role, and role assignments in bulk for the HR sync.

`role_unchanged` and `role_change_error` are the rules `charters.role_assign` (one person: the role page,
hires, the demo) and `roles_assign_bulk` (the people API's `role`) both apply. The bulk path has the
same outcome as `role_assign` row by row (the current assignment ends and stays as history,
unacknowledged requests for the old role's charter go, the new holder is asked to acknowledge the
published charter, the audit trail says who did it), in a fixed number of queries for the whole batch;
`roles_refused` runs the rules for a batch before it is written, so each refused row gets its error."""

import datetime
from collections import defaultdict
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.models import Person
from managers.models import Acknowledgement, CharterEvent, CharterVersion, Role, RoleAssignment


def role_unchanged(*, current: RoleAssignment | None, code: str | None) -> bool:
    """Whether making someone hold the role `code` (None: no role) changes nothing: they hold it already
    (or hold none and none is asked). Then nothing is written, whatever the date. Reads `current.role`."""
    return (current.role.code if current is not None else None) == code


def role_change_error(*, current: RoleAssignment | None, on: datetime.date) -> str | None:
    """Why someone's role cannot change (to another role, or to none) on `on`, or None. The current role
    ends when the next starts, so a change cannot take effect before the current role started: the
    history stays in order (never moved silently to another date)."""
    if current is not None and on < current.started_on:
        return _("The current role starts on %(date)s: a change of role cannot take effect before then.") % {
            "date": current.started_on.isoformat()
        }
    return None


def _current_assignments(people: Sequence[Person], *, for_update: bool = False) -> dict[int, RoleAssignment]:
    assignments = RoleAssignment.objects.filter(person__in=people, ended_on__isnull=True).select_related("role")
    if for_update:
        assignments = assignments.select_for_update(of=("self",))
    return {assignment.person_id: assignment for assignment in assignments}


def roles_refused(*, changes: Sequence[tuple[Person, str | None]], on: datetime.date) -> dict[int, str]:
    """The changes `roles_assign_bulk` would refuse (`role_change_error`), as {person id: why}. One query."""
    current = _current_assignments([person for person, _code in changes])
    refused = {}
    for person, code in changes:
        assignment = current.get(person.pk)
        if role_unchanged(current=assignment, code=code):
            continue
        error = role_change_error(current=assignment, on=on)
        if error:
            refused[person.pk] = error
    return refused


@transaction.atomic
def roles_assign_bulk(
    *, changes: Sequence[tuple[Person, str | None]], on: datetime.date, by: AbstractBaseUser | None
) -> None:
    """Makes each person hold the role with the given code from `on` (None: no role any more). A person
    already holding that role is left as they are. Raises ValidationError, writing nothing, if a change
    breaks `role_change_error` (`roles_refused` tells which before)."""
    roles = Role.objects.in_bulk({code for _person, code in changes if code}, field_name="code")
    current = _current_assignments([person for person, _code in changes], for_update=True)
    ending, starting, leaving_role = [], [], defaultdict(list)
    for person, code in changes:
        assignment = current.get(person.pk)
        if role_unchanged(current=assignment, code=code):
            continue
        error = role_change_error(current=assignment, on=on)
        if error:
            raise ValidationError({"role": f"{person.external_id}: {error}"})
        if assignment is not None:
            assignment.ended_on = on
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
        ],
        batch_size=500,
    )
