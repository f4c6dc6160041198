"""The demo managers' metric readings: each manager's form at the latest period, and the history of the
periods before it, recorded through the service. Values are fixed per manager, so every run, and every
test, sees the same demo."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from enablement.models import Person
from managers.demo.charter_specs import COACHING, QUOTA, RAMP, RETENTION, CharterSpec
from managers.models import MetricReading, Role, SuccessMetric
from managers.periods import period_start
from managers.selectors.charters import current_role_of, published_charter_of
from managers.services.readings import metric_reading_record

SELLERS_PER_TEAM = 7  # as in enablement.org.demo: retention is a share of seven sellers
HISTORY = {SuccessMetric.Cadence.MONTHLY: 6, SuccessMetric.Cadence.QUARTERLY: 2}


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
    "manager3": Form(
        "0.84",
        "0.88",
        6,
        "0.70",
        -1,
        {QUOTA: "Two late-stage deals slipped to next quarter after a procurement freeze at the customer."},
    ),
    "manager4": Form(
        "1.12",
        "0.95",
        7,
        "0.80",
        +1,
        {COACHING: "Spent most of the month on the two largest renewals myself; weekly 1:1s restart now."},
    ),
    "manager5": Form("1.01", "1.10", 6, "1.05", 0),
    "manager6": Form("0.93", "0.97", 6, "1.00", +1, {RETENTION: "One seller left last quarter; backfill in process."}),
    "manager7": Form("1.09", "1.04", 7, "1.08", +1),
    "manager8": Form("0.95", "0.92", 6, "1.02", 0),
    "manager9": Form("1.03", "1.06", 7, "1.20", +1),
    "manager10": Form(
        "0.78",
        "0.93",
        5,
        "0.88",
        -1,
        {
            QUOTA: "One AE resigned mid-month; her pipeline is being reassigned.",
            RETENTION: "Lost two sellers this year, both to competitors on compensation.",
        },
    ),
    "manager11": Form("1.00", "1.00", 7, "0.75", 0),
    "manager12": Form("0.91", "0.85", 6, "0.92", -1, {RAMP: "Three new starters in one quarter; the cohort ran late."}),
}
# Month-to-month noise on the earlier readings (the latest one is exactly the manager's form).
WIGGLE = tuple(Decimal(value) for value in ("0.03", "-0.02", "0.01", "-0.035", "0.02", "-0.01"))
DRIFT = {SuccessMetric.Cadence.MONTHLY: Decimal("0.025"), SuccessMetric.Cadence.QUARTERLY: Decimal("0.04")}


def reading_periods(cadence: str, today: datetime.date) -> list[datetime.date]:
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


def seed_readings(spec: CharterSpec, people: Mapping[str, Person], today: datetime.date) -> None:
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
            periods = reading_periods(metric.cadence, today)
            for back, period in zip(range(len(periods) - 1, -1, -1), periods, strict=True):
                if (metric.key, period) in recorded:
                    continue
                note = form.notes.get(metric.name, "") if back == 0 else ""
                metric_reading_record(
                    person=person,
                    metric=metric,
                    day=period,
                    value=_value(metric, form, back, phase),
                    note=note,
                    by=person.user,
                )
