"""Demo role charters on top of the demo org (`enablement.org.demo`): the two frontline sales manager roles
with their charters, the managers who hold them, their acknowledgements and metric readings.

Built only through the charter services, and keyed by what a second run can find again (role code,
version number, an existing acknowledgement or reading), so running it twice changes nothing. A demo
whose history has moved on (a manager moved to another role, a newer version published in the app) is
left as it is. Metric values are fixed per manager, so every run, and every test, sees the same demo.
"""

import datetime
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from enablement.models import Person
from managers.models import Acknowledgement, CharterVersion, MetricReading, Role, SuccessMetric, SupportItem
from managers.periods import period_label, period_start
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
    metric_reading_record,
    role_assign,
    role_create,
)

ROLE_START = datetime.date(2026, 1, 1)
SELLERS_PER_TEAM = 7  # as in enablement.org.demo: retention is a share of seven sellers
HISTORY = {SuccessMetric.Cadence.MONTHLY: 6, SuccessMetric.Cadence.QUARTERLY: 2}

QUOTA = "Team quota attainment"
RAMP = "New-seller ramp time"
RETENTION = "Seller retention (trailing 12 months)"
COACHING = "Coaching hours per seller per month"

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Ack:
    username: str
    ratings: tuple[int, int, int]  # focus, deprioritize, success
    question: str = ""


@dataclass(frozen=True)
class Answer:
    version: int
    username: str
    text: str


@dataclass(frozen=True)
class Revision:
    """What version 2 changes in the copy of version 1."""

    time_shares: dict[str, int]
    descriptions: dict[str, str]
    deprioritized_added: Rows


@dataclass(frozen=True)
class CharterSpec:
    code: str
    name: str
    description: str
    director: str
    managers: tuple[str, ...]
    purpose: str
    focus_areas: Rows
    deprioritized: Rows
    metrics: Rows
    support_items: Rows
    acknowledgements: dict[int, list[Ack]]
    answers: list[Answer] = field(default_factory=list)
    revision: Revision | None = None


def _metrics(ramp_days: int) -> Rows:
    higher, lower = SuccessMetric.Direction.HIGHER, SuccessMetric.Direction.LOWER
    monthly, quarterly = SuccessMetric.Cadence.MONTHLY, SuccessMetric.Cadence.QUARTERLY
    return [
        {"name": QUOTA, "unit": "%", "target": Decimal(100), "direction": higher, "cadence": monthly},
        {"name": RAMP, "unit": "days", "target": Decimal(ramp_days), "direction": lower, "cadence": quarterly},
        {"name": RETENTION, "unit": "%", "target": Decimal(90), "direction": higher, "cadence": quarterly},
        {"name": COACHING, "unit": "hours", "target": Decimal(4), "direction": higher, "cadence": monthly},
    ]


def _focus(title: str, time_share: int, description: str) -> dict[str, Any]:
    return {"title": title, "time_share": time_share, "description": description}


def _stop(activity: str, hand_off_to: str, reason: str) -> dict[str, str]:
    return {"activity": activity, "hand_off_to": hand_off_to, "reason": reason}


def _tool(name: str, detail: str) -> dict[str, str]:
    return {"kind": SupportItem.Kind.TOOL, "name": name, "function": "", "detail": detail}


def _partner(name: str, function: str, detail: str) -> dict[str, str]:
    return {"kind": SupportItem.Kind.PARTNER, "name": name, "function": function, "detail": detail}


def _resource(name: str, detail: str) -> dict[str, str]:
    return {"kind": SupportItem.Kind.RESOURCE, "name": name, "function": "", "detail": detail}


CLOSING = (
    "When you take over a deal the seller learns nothing, the customer learns to wait for you, and the "
    "team's capacity stays capped at one manager. Coach the seller through the close; join a call only "
    "in a role the seller asked you to play."
)
REPORTING = (
    "Pipeline, activity and attainment reports already exist and are the single source of truth. A "
    "manager's own version is a second number to argue about, and it costs hours every week."
)
SPREADSHEETS = (
    "The forecast lives in Salesforce. A side spreadsheet hides the deal-level evidence, drifts from the "
    "CRM within a week and cannot be inspected in a deal review."
)
PLAYBOOK = _resource("Frontline Manager Coaching Playbook", "One-skill 1:1 format, call review rubric, feedback notes")

ENTERPRISE = CharterSpec(
    code="fsm-enterprise",
    name="Frontline Sales Manager, Enterprise",
    description="Leads a team of seven enterprise sellers on six- to nine-month, multi-stakeholder deals.",
    director="director1",
    managers=tuple(f"manager{number}" for number in range(1, 7)),
    purpose=(
        "Build an enterprise team that forecasts accurately and hits its number quarter after quarter "
        "because every seller is coached, not because the manager closes the deals. You are measured by "
        "the team's results and by the sellers you develop: your time goes to your people and their "
        "pipeline, not to a deal list of your own."
    ),
    focus_areas=[
        _focus(
            "Coach every seller",
            40,
            "A weekly 1:1 with each seller built around one skill, not a status update. Listen to at least "
            "two recorded calls per seller a week and give written feedback within 48 hours. Join key "
            "meetings as a coach: debrief afterwards, do not take over the call.",
        ),
        _focus(
            "Run rigorous pipeline and deal reviews",
            25,
            "A weekly pipeline review with each seller in Salesforce: MEDDPICC gaps, next steps with dates, "
            "close dates that match the buyer's process. Call the forecast on Monday with evidence; a deal "
            "without a confirmed economic buyer is not commit.",
        ),
        _focus(
            "Hire and onboard",
            15,
            "Keep two qualified candidates in process for every open or at-risk seat. Interview with the "
            "structured scorecard, and own each new seller's 90-day ramp plan, checked every week.",
        ),
        _focus(
            "Cross-functional deal strategy",
            10,
            "For deals above $250k, bring solution engineering, legal and an executive sponsor in early "
            "with a written deal plan, so no deal stalls in procurement for want of one.",
        ),
    ],
    deprioritized=[
        _stop("Closing deals personally", "The account executive who owns the deal", CLOSING),
        _stop("Building internal reports RevOps already owns", "RevOps dashboards in Salesforce", REPORTING),
        _stop("Ad-hoc forecasting spreadsheets", "Salesforce forecast categories, kept by each seller", SPREADSHEETS),
    ],
    metrics=_metrics(ramp_days=120),
    support_items=[
        _tool("Salesforce", "CRM of record: pipeline, forecast categories and every deal review run from it"),
        _tool("Gong", "Call recording: review two calls per seller a week and share clips as coaching examples"),
        _partner("Rachel Kim", "Revenue Operations partner", "Territories, quota questions, dashboard changes"),
        _partner("Tomás Aguilar", "Sales Enablement partner", "New-seller onboarding curriculum, skill workshops"),
        _partner("Lena Hoffmann", "Solutions Engineering lead", "SE coverage and deal plans above $250k"),
        PLAYBOOK,
        _resource("Enterprise 90-day ramp plan", "Week-by-week plan for a new enterprise seller, with checkpoints"),
    ],
    revision=Revision(
        time_shares={"Coach every seller": 45, "Hire and onboard": 10},
        descriptions={
            "Hire and onboard": "New headcount is frozen until the FY27 plan; backfills go ahead. Keep one "
            "qualified candidate in process for every at-risk seat, interview with the structured scorecard, "
            "and own each new seller's 90-day ramp plan, checked every week."
        },
        deprioritized_added=[
            _stop(
                "Approving discounts inside the published bands",
                "Deal desk (RevOps), within the published discount bands",
                "Discounts up to 15% within the price book need no manager's judgement; routing them through "
                "you delays deals by days and costs you hours a week.",
            )
        ],
    ),
    acknowledgements={
        1: [
            Ack("manager1", (4, 4, 5)),
            Ack("manager2", (4, 3, 4)),
            Ack("manager3", (3, 3, 4)),
            Ack("manager4", (5, 4, 5)),
            Ack("manager5", (4, 4, 4)),
        ],
        2: [
            Ack("manager2", (5, 4, 5)),
            Ack(
                "manager3",
                (4, 4, 3),
                "With hiring down to 10%, do I still run the final interview for the open Public Sector "
                "seat, or does that move to you?",
            ),
            Ack("manager4", (5, 5, 5)),
            Ack(
                "manager5",
                (4, 3, 4),
                "If deal desk approves discounts inside the bands, do I still see those deals before the "
                "quote goes to the customer?",
            ),
            Ack("manager6", (3, 4, 4)),
        ],
    },
    answers=[
        Answer(
            2,
            "manager3",
            "Keep running it: that seat is a backfill, and backfills go ahead. The 10% reflects the freeze on "
            "new headcount. If the loop needs more of your time this month, take it from deal strategy and "
            "tell me in our 1:1.",
        )
    ],
)

COMMERCIAL = CharterSpec(
    code="fsm-commercial",
    name="Frontline Sales Manager, Commercial",
    description="Leads a team of seven mid-market and SMB sellers on 30- to 60-day sales cycles.",
    director="director2",
    managers=tuple(f"manager{number}" for number in range(7, 13)),
    purpose=(
        "Run a high-velocity commercial team in which every seller builds and converts enough pipeline to "
        "hit quota every month. Your leverage is coaching at scale (consistent discovery, tight "
        "qualification, fast follow-up) and a bench that keeps every seat filled and ramping."
    ),
    focus_areas=[
        _focus(
            "Coach discovery and qualification",
            40,
            "A weekly 1:1 with each seller and a 30-minute team call review. Review three calls per seller a "
            "week against the discovery scorecard; pick one behaviour to change and check it the next week.",
        ),
        _focus(
            "Pipeline reviews and pipeline generation",
            30,
            "Twice-weekly pipeline stand-up: coverage of three times the monthly quota, every deal that "
            "slipped twice inspected, and enough first meetings booked with the SDRs for next month.",
        ),
        _focus(
            "Hire and onboard",
            20,
            "Commercial seats turn over faster: keep candidates in process for every seat likely to open next "
            "quarter, and run the first two weeks of each new seller's onboarding yourself.",
        ),
    ],
    deprioritized=[
        _stop("Taking over deals to close them", "The account executive who owns the deal", CLOSING),
        _stop("Internal reporting RevOps already owns", "RevOps dashboards in Salesforce", REPORTING),
        _stop(
            "Ad-hoc forecasting spreadsheets", "Salesforce forecast, submitted by each seller on Monday", SPREADSHEETS
        ),
        _stop(
            "Custom pricing on deals under $25k",
            "Standard price book; exceptions to the deal desk",
            "Small deals should close on list price; custom quotes lengthen the cycle more than they raise "
            "the win rate.",
        ),
    ],
    metrics=_metrics(ramp_days=90),
    support_items=[
        _tool("Salesforce", "CRM of record: pipeline coverage, forecast and activity"),
        _tool("Gong", "Call recording: the weekly team call review picks its calls here"),
        _tool("Outreach", "Sequences for follow-up; templates owned by enablement"),
        _partner("Daniel Reyes", "Revenue Operations partner", "Territories, routing rules, dashboard changes"),
        _partner("Sofia Lindgren", "Sales Enablement partner", "Onboarding bootcamp, discovery certification"),
        _partner("Kofi Asante", "SDR team lead", "First-meeting volume and hand-off quality from the SDRs"),
        PLAYBOOK,
        _resource("Commercial discovery scorecard", "The seven discovery behaviours the call reviews score"),
    ],
    acknowledgements={
        1: [
            Ack("manager7", (5, 4, 4)),
            Ack("manager8", (4, 4, 5)),
            Ack(
                "manager9",
                (3, 4, 4),
                "Does the weekly team call review count towards coaching hours per seller, or only 1:1 time?",
            ),
            Ack("manager10", (4, 3, 3)),
        ],
    },
)

CHARTERS = (ENTERPRISE, COMMERCIAL)


@dataclass(frozen=True)
class Form:
    """How a manager stands at the latest period: a multiple of target (1.00 is on target; for
    lower-is-better metrics the value is target / form), sellers retained of seven, and the trend
    of the months before (+1 improving, -1 slipping, 0 flat). Notes go with the latest reading."""

    quota: str
    ramp: str
    retained: int
    coaching: str
    trend: int
    notes: dict[str, str] = field(default_factory=dict)


FORMS = {
    "manager1": Form("1.06", "1.05", 7, "1.10", +1, {COACHING: "Added a weekly team call-review hour."}),
    "manager2": Form("0.97", "1.02", 7, "0.95", 0),
    "manager3": Form("0.84", "0.88", 6, "0.70", -1, {
        QUOTA: "Two late-stage deals slipped to next quarter after a procurement freeze at the customer."}),
    "manager4": Form("1.12", "0.95", 7, "0.80", +1, {
        COACHING: "Spent most of the month on the two largest renewals myself; weekly 1:1s restart now."}),
    "manager5": Form("1.01", "1.10", 6, "1.05", 0),
    "manager6": Form("0.93", "0.97", 6, "1.00", +1, {RETENTION: "One seller left last quarter; backfill in process."}),
    "manager7": Form("1.09", "1.04", 7, "1.08", +1),
    "manager8": Form("0.95", "0.92", 6, "1.02", 0),
    "manager9": Form("1.03", "1.06", 7, "1.20", +1),
    "manager10": Form("0.78", "0.93", 5, "0.88", -1, {
        QUOTA: "One AE resigned mid-month; her pipeline is being reassigned.",
        RETENTION: "Lost two sellers this year, both to competitors on compensation."}),
    "manager11": Form("1.00", "1.00", 7, "0.75", 0),
    "manager12": Form("0.91", "0.85", 6, "0.92", -1, {RAMP: "Three new starters in one quarter; the cohort ran late."}),
}  # fmt: skip
# Month-to-month noise on the earlier readings (the latest one is exactly the manager's form).
WIGGLE = tuple(Decimal(value) for value in ("0.03", "-0.02", "0.01", "-0.035", "0.02", "-0.01"))
DRIFT = {SuccessMetric.Cadence.MONTHLY: Decimal("0.025"), SuccessMetric.Cadence.QUARTERLY: Decimal("0.04")}


@transaction.atomic
def seed_charters_demo() -> list[str]:
    """Builds the demo charters on the demo org (which must exist) and returns a summary to print."""
    people = _people()
    for spec in CHARTERS:
        _seed_charter(spec, people)
    today = timezone.localdate()
    for spec in CHARTERS:
        _seed_readings(spec, people, today)
    return _summary(people, today)


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
        charter_acknowledge(acknowledgement=pending, by=person.user, clarity_focus=focus,
                            clarity_deprioritize=deprioritize, clarity_success=success,
                            question=ack.question)  # fmt: skip


def _periods(cadence: str, today: datetime.date) -> list[datetime.date]:
    """The last complete periods before the one `today` is in, oldest first."""
    step = relativedelta(months=3 if cadence == SuccessMetric.Cadence.QUARTERLY else 1)
    current = period_start(today, cadence)
    return [current - step * back for back in range(HISTORY[cadence], 0, -1)]


def _value(metric: SuccessMetric, form: Form, back: int, phase: int) -> Decimal:
    """The manager's value `back` periods before the latest one."""
    if metric.name == RETENTION:
        retained = min(SELLERS_PER_TEAM, form.retained + (1 if back and form.trend < 0 else 0))
        return (Decimal(100 * retained) / SELLERS_PER_TEAM).quantize(Decimal("0.1"))
    level = Decimal({QUOTA: form.quota, RAMP: form.ramp, COACHING: form.coaching}[metric.name])
    if back:
        level += -form.trend * DRIFT[metric.cadence] * back + WIGGLE[(phase + back) % len(WIGGLE)]
    if metric.direction == SuccessMetric.Direction.LOWER:
        return (metric.target / level).quantize(Decimal("1"))
    return (metric.target * level).quantize(Decimal("0.1"))


def _seed_readings(spec: CharterSpec, people: Mapping[str, Person], today: datetime.date) -> None:
    role = Role.objects.filter(code=spec.code).first()
    version = published_charter_of(role=role) if role else None
    if version is None:
        return
    metrics = [metric for metric in version.metrics.all() if metric.name in (QUOTA, RAMP, RETENTION, COACHING)]
    for phase, username in enumerate(spec.managers):
        person = people.get(username)
        if person is None or current_role_of(person=person) != role:
            continue
        form = FORMS[username]
        recorded = set(MetricReading.objects.filter(person=person).values_list("metric_key", "period"))
        for metric in metrics:
            periods = _periods(metric.cadence, today)
            for back, period in zip(range(len(periods) - 1, -1, -1), periods, strict=True):
                if (metric.key, period) in recorded:
                    continue
                note = form.notes.get(metric.name, "") if back == 0 else ""
                metric_reading_record(person=person, metric=metric, day=period, value=_value(metric, form, back, phase),
                                      note=note, by=person.user)  # fmt: skip


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
    spans = {cadence: _periods(cadence, today) for cadence in HISTORY}
    spans_text = ", ".join(
        f"{period_label(periods[0], cadence)} to {period_label(periods[-1], cadence)} {cadence}"
        for cadence, periods in spans.items()
    )
    lines.append(
        f"  Metric readings: {MetricReading.objects.filter(person__in=people.values()).count()} ({spans_text}); "
        f"latest: {statuses[ON_TRACK]} on track, {statuses[AT_RISK]} at risk, {statuses[OFF_TRACK]} off track"
    )
    return lines
