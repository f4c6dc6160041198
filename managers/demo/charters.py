"""The demo role charters step, on top of the demo org (`enablement.org.demo`): the two frontline sales
manager roles with their charters (`charter_specs`), the managers who hold them, their acknowledgements
and metric readings (`readings`).

Built only through the charter services, and keyed by what a second run can find again (role code,
version number, an existing acknowledgement or reading), so running it twice changes nothing. A demo
whose history has moved on (a manager moved to another role, a newer version published in the app) is
left as it is. Metric values are fixed per manager, so every run, and every test, sees the same demo.
"""

import datetime
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from enablement.models import Person
from managers.demo.charter_specs import CHARTERS, Ack, CharterSpec, Revision
from managers.demo.readings import HISTORY, reading_periods, seed_readings
from managers.models import Acknowledgement, CharterVersion, MetricReading, Role
from managers.periods import period_label
from managers.selectors.charters import (
    AT_RISK,
    OFF_TRACK,
    ON_TRACK,
    current_role_of,
    metric_statuses_for,
    published_charter_of,
)
from managers.services.charters import (
    ITEM_FIELDS,
    acknowledgement_answer,
    charter_acknowledge,
    charter_draft_save,
    charter_draft_start,
    charter_publish,
    charter_remind,
    role_assign,
    role_create,
)

ROLE_START = datetime.date(2026, 1, 1)


@transaction.atomic
def seed_charters_demo() -> list[str]:
    """Builds the demo charters on the demo org (which must exist) and returns a summary to print."""
    people = _people()
    for spec in CHARTERS:
        _seed_charter(spec, people)
    today = timezone.localdate()
    for spec in CHARTERS:
        seed_readings(spec, people, today)
    _seed_reminder_occasions(people)
    return _summary(people, today)


# Pending requests made to look this many days old, so the reminder sweeps have something real to chase:
# manager11's is past CHARTER_ACK_REMIND_AFTER_DAYS (3), manager12's past CHARTER_ACK_ESCALATE_AFTER_DAYS (7),
# which tells director2.
AGED_REQUESTS = {"manager11": 4, "manager12": 8}
# A leader's Remind: director1 nudges manager1 about the Enterprise v2 they have not acknowledged.
LEADER_REMINDS = {"manager1": "director1"}


def _seed_reminder_occasions(people: Mapping[str, Person]) -> None:
    now = timezone.now()
    pending = Acknowledgement.objects.filter(
        acknowledged_at__isnull=True, version__status=CharterVersion.Status.PUBLISHED
    )
    for username, days in AGED_REQUESTS.items():
        asked = now - datetime.timedelta(days=days)
        pending.filter(person__user__username=username, requested_at__gt=asked).update(requested_at=asked)
    for username, leader in LEADER_REMINDS.items():
        acknowledgement = pending.filter(person__user__username=username, remind_count=0).first()
        if acknowledgement is not None and leader in people:
            charter_remind(acknowledgement=acknowledgement, by=people[leader].user)


def _people() -> dict[str, Person]:
    usernames = [spec.director for spec in CHARTERS] + [name for spec in CHARTERS for name in spec.managers]
    people = Person.objects.filter(user__username__in=usernames).select_related("user")
    return {person.user.username: person for person in people}


def _seed_charter(spec: CharterSpec, people: Mapping[str, Person]) -> None:
    leader = people[spec.director].user
    role = Role.objects.filter(code=spec.code).first()
    if role is None:
        role = role_create(code=spec.code, name=spec.name, description=spec.description, by=leader)
    for username in spec.managers:
        person = people.get(username)
        # A manager someone moved to another role in the app keeps it.
        if person is not None and not person.is_terminated and current_role_of(person=person) is None:
            role_assign(person=person, role=role, on=max(ROLE_START, person.start_date or ROLE_START), by=leader)
    first = {"purpose": spec.purpose, **{section: getattr(spec, section) for section in ITEM_FIELDS}}
    _publish(role, 1, by=leader, rows_for=lambda _draft: first)
    _acknowledge(role, 1, spec.acknowledgements.get(1, []), people)
    if spec.revision is not None:
        revision = spec.revision
        _publish(role, 2, by=leader, rows_for=lambda draft: _revised_rows(draft, revision))
        _acknowledge(role, 2, spec.acknowledgements.get(2, []), people)
    for answer in spec.answers:
        unanswered = Acknowledgement.objects.filter(
            person__user__username=answer.username, version__role=role, version__number=answer.version, answer=""
        ).exclude(question="")
        for acknowledgement in unanswered:
            acknowledgement_answer(acknowledgement=acknowledgement, answer=answer.text, by=leader)


def _publish(
    role: Role, number: int, *, by: AbstractBaseUser, rows_for: Callable[[CharterVersion], dict[str, Any]]
) -> None:
    """Writes and publishes version `number` unless it is already published (or was, and is retired)."""
    version = role.versions.filter(number=number).first()
    if version is None:
        published = role.versions.filter(status=CharterVersion.Status.PUBLISHED).first()
        if published is None or published.number != number - 1:
            return
        version = charter_draft_start(role=role, by=by)
    if not version.is_draft:
        return
    charter_draft_save(version=version, by=by, **rows_for(version))
    charter_publish(version=version, by=by)


def _revised_rows(draft: CharterVersion, revision: Revision) -> dict[str, Any]:
    """The draft's items (copied from the published version, metric keys kept) with the revision applied."""
    rows = {
        section: [
            {name: getattr(item, name) for name in ITEM_FIELDS[section]} for item in getattr(draft, section).all()
        ]
        for section in ITEM_FIELDS
    }
    for row in rows["focus_areas"]:
        row["time_share"] = revision.time_shares.get(row["title"], row["time_share"])
        row["description"] = revision.descriptions.get(row["title"], row["description"])
    rows["deprioritized"] += revision.deprioritized_added
    return {"purpose": draft.purpose, **rows}


def _acknowledge(role: Role, number: int, acks: list[Ack], people: Mapping[str, Person]) -> None:
    version = role.versions.filter(number=number, status=CharterVersion.Status.PUBLISHED).first()
    if version is None:
        return
    for ack in acks:
        person = people.get(ack.username)
        pending = Acknowledgement.objects.filter(person=person, version=version, acknowledged_at__isnull=True).first()
        if person is None or pending is None:
            continue
        focus, deprioritize, success = ack.ratings
        charter_acknowledge(
            acknowledgement=pending,
            by=person.user,
            clarity_focus=focus,
            clarity_deprioritize=deprioritize,
            clarity_success=success,
            question=ack.question,
        )


def _summary(people: Mapping[str, Person], today: datetime.date) -> list[str]:
    lines = ["", "Role charters (directors manage them; managers acknowledge them and record readings):"]
    statuses: Counter[str] = Counter()
    for spec in CHARTERS:
        role = Role.objects.filter(code=spec.code).first()
        version = published_charter_of(role=role) if role else None
        if version is None:
            continue
        requests = version.acknowledgements.all()
        acknowledged = requests.filter(acknowledged_at__isnull=False).count()
        open_questions = requests.exclude(question="").filter(answer="").count()
        leader = version.published_by.get_full_name() if version.published_by else "?"
        lines.append(
            f"  {role.name} ({role.code}): v{version.number} published by {leader}; "
            f"{acknowledged} of {requests.count()} acknowledged, "
            f"{open_questions} question{'' if open_questions == 1 else 's'} waiting for an answer"
        )
        for username in spec.managers:
            if username in people and current_role_of(person=people[username]) == role:
                statuses.update(
                    status.status for status in metric_statuses_for(person=people[username], version=version)
                )
    spans = {cadence: reading_periods(cadence, today) for cadence in HISTORY}
    spans_text = ", ".join(
        f"{period_label(periods[0], cadence)} to {period_label(periods[-1], cadence)} {cadence}"
        for cadence, periods in spans.items()
    )
    lines.append(
        f"  Metric readings: {MetricReading.objects.filter(person__in=people.values()).count()} ({spans_text}); "
        f"latest: {statuses[ON_TRACK]} on track, {statuses[AT_RISK]} at risk, {statuses[OFF_TRACK]} off track"
    )
    return lines
