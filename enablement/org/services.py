"""Writes to people and teams. Every one validates, runs in a transaction and saves only what changed."""

import datetime
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypedDict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.models import Person, Team, WorkerHeartbeat
from enablement.org import rules
from enablement.org.events import person_events_emit
from enablement.org.rules import StatusChange
from enablement.org.selectors import teams_under
from enablement.org.signals import person_terminated
from enablement.org.tree import ancestor_links


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
    """Raises ValidationError on `manager` if the rules refuse them as the person's new manager
    (`rules.manager_error`: themselves, a leaver; `rules.reporting_cycles`), naming people by name (the
    people API names them by external id): one query up the manager's line, one more to name a cycle."""
    if manager is None:
        return
    error = rules.manager_error(
        person=person.pk, manager=manager.pk, manager_label=manager.full_name, manager_has_left=manager.is_terminated
    )
    if error:
        raise ValidationError({"manager": error})
    if person.pk is None:
        return  # nobody reports to a new person yet
    lines = {**ancestor_links(Person, "manager", [manager.pk]), person.pk: manager.pk}
    cycle = rules.reporting_cycles([person.pk], lines.get).get(person.pk)
    if cycle:
        names = {
            other.pk: other.full_name for other in Person.objects.filter(pk__in=cycle).only("first_name", "last_name")
        }
        raise ValidationError({"manager": rules.cycle_message([names[pk] for pk in cycle])})


def person_employment(*, person: Person | None, data: Mapping[str, Any]) -> rules.Employment:
    """The employment status and dates `data` would leave `person` with (None, or an unsaved person: a new
    one), as of today, by `rules.employment_after`. Raises ValidationError on `end_date`."""
    before = rules.Employment.of(person) if person is not None and person.pk is not None else None
    return rules.employment_after(before=before, sent=data, today=timezone.localdate())


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
    """Creates a person. Raises ValidationError with field messages (the rules of `enablement.org.rules`:
    an end date only for a leaver, today when left out, never ahead). A person created as terminated has
    their login switched off and `person_terminated` sent (`people_status_follow_up`)."""
    sent = {"employment_status": employment_status, "start_date": start_date}
    if end_date is not None:
        sent["end_date"] = end_date
    employment = person_employment(person=None, data=sent)
    person = Person(
        external_id=external_id,
        first_name=first_name,
        last_name=last_name,
        email=normalized_email(email),
        title=title,
        team=team,
        manager=manager,
        employment_status=employment.status,
        start_date=employment.start_date,
        end_date=employment.end_date,
        user=user,
    )
    person_validate_manager(person=person, manager=manager)
    person_validate_login(user)
    person.full_clean()
    person.save()
    if rules.status_change(before=None, after=employment) is StatusChange.LEAVES:
        people_status_follow_up(leavers=[person])
    person_events_emit(created=[person])
    return person


@transaction.atomic
def person_update(*, person: Person, data: PersonData) -> list[str]:
    """Applies the fields of `data` that differ from what is stored and returns their names.

    An unchanged person is not written at all (its `updated_at` stays). The end date follows the rules of
    `enablement.org.rules` (today for a leaver who is sent none, cleared for a returner); a leaver's login
    ends and `person_terminated` is sent, a returner's login comes back (`people_status_follow_up`). A
    ValidationError (with field messages) leaves `person` as it was; after any other error the
    transaction is rolled back and the instance should be fetched again.
    """
    if "email" in data:
        data = {**data, "email": normalized_email(data["email"])}
    changes = changed_fields(person, data, PERSON_FIELDS)
    before = rules.Employment.of(person)
    employment = person_employment(person=person, data=data)
    if employment.end_date != person.end_date:
        changes["end_date"] = employment.end_date
    if not changes:
        return []

    if "manager" in changes:
        reporting_lines_lock()

    def validate() -> None:
        if "manager" in changes:
            person_validate_manager(person=person, manager=person.manager)
        if "user" in changes:
            person_validate_login(person.user)

    apply_validated(person, changes, validate)
    person.save(update_fields=[*changes, "updated_at"])
    change = rules.status_change(before=before, after=employment)
    people_status_follow_up(
        leavers=[person] if change is StatusChange.LEAVES else [],
        returners=[person] if change is StatusChange.RETURNS else [],
    )
    leaving = change is StatusChange.LEAVES
    person_events_emit(updated=[] if leaving else [(person, list(changes))], terminated=[person] if leaving else [])
    return list(changes)


def person_terminate(*, person: Person, on: datetime.date | None = None) -> Person:
    """Terminates `person` as of `on` (today by default); a no-op for someone already terminated. Raises
    ValidationError for a date ahead (terminations are not scheduled: `rules.employment_after`)."""
    if not person.is_terminated:
        person_update(
            person=person,
            data={"employment_status": Person.EmploymentStatus.TERMINATED, "end_date": on or timezone.localdate()},
        )
    return person


def people_status_follow_up(*, leavers: Sequence[Person] = (), returners: Sequence[Person] = ()) -> None:
    """What follows a change of employment status (`rules.StatusChange`), for people already saved: the
    leavers' logins are switched off and `person_terminated` is sent for each, with their manager's
    manager to escalate to (`rules.leaver_escalation_target`); the returners' logins are switched on. Their
    direct reports stay where they are until HR moves them. Three queries for any number of people, plus
    what the signal's receivers run per leaver; in the caller's transaction."""
    _logins_set_active(leavers, False)
    _logins_set_active(returners, True)
    if not leavers:
        return
    managers = Person.objects.select_related("manager").in_bulk({p.manager_id for p in leavers if p.manager_id})
    for leaver in leavers:
        leaver.manager = managers.get(leaver.manager_id)
        person_terminated.send(sender=Person, person=leaver, escalate_to=rules.leaver_escalation_target(leaver))


def _logins_set_active(people: Sequence[Person], active: bool) -> None:
    with_login = [person for person in people if person.user_id is not None]
    if not with_login:
        return
    logins = get_user_model().objects.filter(pk__in=[person.user_id for person in with_login])
    logins.exclude(is_active=active).update(is_active=active)
    for person in with_login:
        if Person.user.is_cached(person):
            person.user.is_active = active


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
