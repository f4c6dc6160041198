"""Writes to people and teams. Every one validates, runs in a transaction and saves only what changed."""

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.models import Person, Team, WorkerHeartbeat
from enablement.selectors import people_under, teams_under
from enablement.signals import person_terminated

PERSON_FIELDS = (
    "external_id",
    "first_name",
    "last_name",
    "email",
    "title",
    "team",
    "manager",
    "employment_status",
    "start_date",
    "end_date",
    "user",
)
TEAM_FIELDS = ("name", "external_id", "parent", "lead")


def person_validate_manager(*, person: Person, manager: Person | None) -> None:
    """Raises ValidationError on `manager` if the assignment would make a cycle or name a leaver."""
    if manager is None:
        return
    if manager.is_terminated:
        raise ValidationError({"manager": _("%(manager)s has left the company.") % {"manager": manager}})
    if person.pk is None:
        return
    if manager.pk == person.pk:
        raise ValidationError({"manager": _("A person cannot be their own manager.")})
    if people_under(leader=person).filter(pk=manager.pk).exists():
        raise ValidationError(
            {
                "manager": _(
                    "%(manager)s reports to %(person)s, directly or through others, "
                    "so cannot also be %(person)s's manager."
                )
                % {"manager": manager, "person": person}
            }
        )


def team_validate_parent(*, team: Team, parent: Team | None) -> None:
    """Raises ValidationError on `parent` if the team would end up inside itself."""
    if parent is None or team.pk is None:
        return
    if parent.pk == team.pk or teams_under(team=team).filter(pk=parent.pk).exists():
        raise ValidationError(
            {
                "parent": _("%(parent)s is inside %(team)s, so it cannot be its parent.")
                % {"parent": parent, "team": team}
            }
        )


def _normalize_person_data(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    normalized = dict(data)
    if "email" in normalized and normalized["email"]:
        normalized["email"] = normalized["email"].strip().lower()
    return normalized


@transaction.atomic
def person_create(**data: Any) -> Person:
    """Creates a person from PERSON_FIELDS. Raises ValidationError with field messages."""
    person = Person(**_normalize_person_data(data))
    person_validate_manager(person=person, manager=person.manager)
    person.full_clean()
    person.save()
    if person.is_terminated:
        _person_on_terminated(person)
    return person


@transaction.atomic
def person_update(*, person: Person, data: dict[str, Any]) -> list[str]:
    """Applies the fields of `data` that differ from what is stored and returns their names.

    An unchanged person is not written at all (its `updated_at` stays). Becoming terminated ends the
    person's login and sends `person_terminated`. Raises ValidationError with field messages and then
    leaves `person` as it was stored.
    """
    changes = {name: value for name, value in _normalize_person_data(data).items() if getattr(person, name) != value}
    if not changes:
        return []
    was_terminated = person.is_terminated
    will_be_terminated = (
        changes.get("employment_status", person.employment_status) == Person.EmploymentStatus.TERMINATED
    )
    if will_be_terminated and not was_terminated and person.end_date is None:
        changes.setdefault("end_date", timezone.localdate())
    if was_terminated and not will_be_terminated and person.end_date is not None:
        changes["end_date"] = None
    originals = {name: getattr(person, name) for name in changes}
    for name, value in changes.items():
        setattr(person, name, value)
    try:
        if "manager" in changes:
            person_validate_manager(person=person, manager=person.manager)
        person.full_clean()
    except ValidationError:
        for name, value in originals.items():
            setattr(person, name, value)
        raise
    person.save(update_fields=[*changes, "updated_at"])
    if will_be_terminated and not was_terminated:
        _person_on_terminated(person)
    return list(changes)


def person_terminate(*, person: Person, on: datetime.date | None = None) -> Person:
    """Terminates `person` as of `on` (today by default); a no-op for someone already terminated."""
    if not person.is_terminated:
        person_update(
            person=person,
            data={"employment_status": Person.EmploymentStatus.TERMINATED, "end_date": on or timezone.localdate()},
        )
    return person


def _person_on_terminated(person: Person) -> None:
    user: AbstractBaseUser | None = person.user
    if user is not None and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    escalate_to = person.manager.manager if person.manager_id and person.manager.manager_id else None
    person_terminated.send(sender=Person, person=person, escalate_to=escalate_to)


@transaction.atomic
def team_create(*, name: str, external_id: str = "", parent: Team | None = None, lead: Person | None = None) -> Team:
    team = Team(name=name, external_id=external_id, parent=parent, lead=lead)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def team_update(*, team: Team, data: dict[str, Any]) -> list[str]:
    """Applies the fields of `data` that differ and returns their names; refuses a parent cycle."""
    unknown = set(data) - set(TEAM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown team fields: {sorted(unknown)}")
    changed = [name for name, value in data.items() if getattr(team, name) != value]
    if not changed:
        return []
    if "parent" in changed:
        team_validate_parent(team=team, parent=data["parent"])
    originals = {name: getattr(team, name) for name in changed}
    for name in changed:
        setattr(team, name, data[name])
    try:
        team.full_clean()
    except ValidationError:
        for name, value in originals.items():
            setattr(team, name, value)
        raise
    team.save(update_fields=[*changed, "updated_at"])
    return changed


def worker_heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    """Counts one beat for `hostname` with an atomic increment, so concurrent beats are all counted."""
    now = timezone.now()
    heartbeat, created = WorkerHeartbeat.objects.get_or_create(
        hostname=hostname, defaults={"beats": 1, "last_seen_at": now}
    )
    if not created:
        WorkerHeartbeat.objects.filter(pk=heartbeat.pk).update(beats=F("beats") + 1, last_seen_at=now, updated_at=now)
    return heartbeat
