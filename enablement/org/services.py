"""Writes to people and teams. Every one validates, runs in a transaction and saves only what changed."""

import datetime
from collections.abc import Callable, Mapping
from typing import Any, TypedDict

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.models import Person, Team, WorkerHeartbeat
from enablement.org.events import person_events_emit
from enablement.org.selectors import people_under, teams_under
from enablement.org.signals import person_terminated


class PersonData(TypedDict, total=False):
    external_id: str
    first_name: str
    last_name: str
    email: str
    title: str
    team: Team | None
    manager: Person | None
    employment_status: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    user: AbstractBaseUser | None


class TeamData(TypedDict, total=False):
    name: str
    external_id: str
    parent: Team | None
    lead: Person | None


PERSON_FIELDS = tuple(PersonData.__annotations__)
TEAM_FIELDS = tuple(TeamData.__annotations__)


def person_validate_login(user: AbstractBaseUser | None) -> None:
    """A person's login is a person's: the account an API client acts as is refused."""
    if user is not None and hasattr(user, "api_client"):
        raise ValidationError({"user": _("This is an API client's account, not a person's login.")})


# Any constant: the key of PostgreSQL's advisory lock for changes to reporting lines.
REPORTING_LINES_LOCK_KEY = 7_340_001


def reporting_lines_lock() -> None:
    """Serialises changes to who reports to whom until the transaction ends (PostgreSQL; SQLite has one
    writer at a time anyway). Without it two transactions could each check for a cycle against data the
    other has not committed, and together close one (a → b in one, b → a in the other)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REPORTING_LINES_LOCK_KEY])


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


def changed_fields(instance, data: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The items of `data` that differ from `instance`; refuses names outside `fields`. Shared by every
    app's update services, so an unchanged record is never rewritten."""
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"Unknown {type(instance).__name__} fields: {sorted(unknown)}")
    return {name: value for name, value in data.items() if getattr(instance, name) != value}


def apply_validated(instance, changes: dict[str, Any], validate: Callable[[], None] = lambda: None) -> None:
    """Sets `changes` on `instance` and validates; on ValidationError puts the old values back."""
    originals = {name: getattr(instance, name) for name in changes}
    for name, value in changes.items():
        setattr(instance, name, value)
    try:
        validate()
        instance.full_clean()
    except ValidationError:
        for name, value in originals.items():
            setattr(instance, name, value)
        raise


def normalized_email(email: str) -> str:
    """Emails are compared and stored lower-case and trimmed (people, candidates)."""
    return email.strip().lower()


@transaction.atomic
def person_create(
    *,
    external_id: str,
    first_name: str,
    last_name: str,
    email: str,
    title: str = "",
    team: Team | None = None,
    manager: Person | None = None,
    employment_status: str = Person.EmploymentStatus.ACTIVE,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    user: AbstractBaseUser | None = None,
) -> Person:
    """Creates a person. Raises ValidationError with field messages; a terminated person's login ends."""
    person = Person(
        external_id=external_id,
        first_name=first_name,
        last_name=last_name,
        email=normalized_email(email),
        title=title,
        team=team,
        manager=manager,
        employment_status=employment_status,
        start_date=start_date,
        end_date=end_date,
        user=user,
    )
    if person.is_terminated and person.end_date is None:
        person.end_date = timezone.localdate()
    person_validate_manager(person=person, manager=manager)
    person_validate_login(user)
    person.full_clean()
    person.save()
    if person.is_terminated:
        _person_on_terminated(person)
    person_events_emit(created=[person])
    return person


@transaction.atomic
def person_update(*, person: Person, data: PersonData) -> list[str]:
    """Applies the fields of `data` that differ from what is stored and returns their names.

    An unchanged person is not written at all (its `updated_at` stays). Becoming terminated ends the
    person's login and sends `person_terminated`; becoming active again restores the login. A
    ValidationError (with field messages) leaves `person` as it was; after any other error the
    transaction is rolled back and the instance should be fetched again.
    """
    if "email" in data:
        data = {**data, "email": normalized_email(data["email"])}
    changes = changed_fields(person, data, PERSON_FIELDS)
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

    if "manager" in changes:
        reporting_lines_lock()

    def validate() -> None:
        if "manager" in changes:
            person_validate_manager(person=person, manager=person.manager)
        if "user" in changes:
            person_validate_login(person.user)

    apply_validated(person, changes, validate)
    person.save(update_fields=[*changes, "updated_at"])
    if will_be_terminated and not was_terminated:
        _person_on_terminated(person)
    if was_terminated and not will_be_terminated:
        _set_login_active(person, True)
    leaving = will_be_terminated and not was_terminated
    person_events_emit(updated=[] if leaving else [(person, list(changes))], terminated=[person] if leaving else [])
    return list(changes)


def person_terminate(*, person: Person, on: datetime.date | None = None) -> Person:
    """Terminates `person` as of `on` (today by default); a no-op for someone already terminated."""
    if not person.is_terminated:
        person_update(
            person=person,
            data={"employment_status": Person.EmploymentStatus.TERMINATED, "end_date": on or timezone.localdate()},
        )
    return person


def _set_login_active(person: Person, active: bool) -> None:
    user = person.user
    if user is not None and user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])


def _person_on_terminated(person: Person) -> None:
    """Ends the login and announces who inherits the person's open work. Their direct reports stay
    where they are until HR moves them: the next sync, or an HR admin, says who they report to now."""
    _set_login_active(person, False)
    escalate_to = person.manager.manager if person.manager_id and person.manager.manager_id else None
    person_terminated.send(sender=Person, person=person, escalate_to=escalate_to)


@transaction.atomic
def team_create(*, name: str, external_id: str = "", parent: Team | None = None, lead: Person | None = None) -> Team:
    team = Team(name=name, external_id=external_id, parent=parent, lead=lead)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def team_update(*, team: Team, data: TeamData) -> list[str]:
    """Applies the fields of `data` that differ and returns their names; refuses a parent cycle."""
    changes = changed_fields(team, data, TEAM_FIELDS)
    if not changes:
        return []

    def validate() -> None:
        if "parent" in changes:
            team_validate_parent(team=team, parent=team.parent)

    apply_validated(team, changes, validate)
    team.save(update_fields=[*changes, "updated_at"])
    return list(changes)


def worker_heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    """Counts one beat for `hostname` with an atomic increment, so concurrent beats are all counted.

    Deliberately not idempotent: it is a liveness counter, and a redelivered beat is still a beat.
    """
    now = timezone.now()
    heartbeat, created = WorkerHeartbeat.objects.get_or_create(
        hostname=hostname, defaults={"beats": 1, "last_seen_at": now}
    )
    if not created:
        WorkerHeartbeat.objects.filter(pk=heartbeat.pk).update(beats=F("beats") + 1, last_seen_at=now, updated_at=now)
    return heartbeat
