"""Metric readings in bulk, from a CRM or BI system (`POST /api/v1/metric-readings/bulk/`): rows keyed by the
person's external id, the metric's key and the period, answered row by row.

- Each row is checked on its own and answered `created`, `updated`, `unchanged` or `error` with field
  messages; the valid rows are written together, in one transaction (if the database refuses anything,
  nothing is written), and the refused ones are not written at all.
- The rule is `managers.services.readings.reading_error`, the one the page and the single-reading API use:
  the metric must be in the published charter of the role the person holds now, and the period neither in
  the future nor before they took the role. This module only batches the reads (a fixed number of queries
  whatever the number of rows).
- Rows naming the same person, metric and period (after the day is moved to its period's first day) are
  all refused: which value is right cannot be told.
- A row equal to what is stored (value, note and the metric version it was recorded against) is `unchanged`
  and not written; `dry_run` runs every check and writes nothing.
"""

import datetime
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.models import Person
from managers.models import CharterVersion, MetricReading, RoleAssignment, SuccessMetric
from managers.periods import period_start
from managers.services.readings import reading_error

STATUSES = ("created", "updated", "unchanged", "error")


@dataclass
class ReadingRow:
    """One row as its serializer accepted it (`person`, `metric`, `period`, `value`, `note`), or its errors."""

    index: int
    data: dict
    errors: dict[str, list[str]] = field(default_factory=dict)

    def refuse(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(str(message))


@dataclass
class ReadingResult:
    index: int
    person: str | None
    metric: uuid.UUID | None
    period: datetime.date | None
    status: str
    id: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ReadingsOutcome:
    dry_run: bool
    results: list[ReadingResult]

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(result.status for result in self.results)
        return {status: counts.get(status, 0) for status in STATUSES}


@dataclass
class _Checked:
    row: ReadingRow
    person: Person | None = None
    metric: SuccessMetric | None = None
    period: datetime.date | None = None


def metric_readings_bulk_record(
    *, rows: Sequence[ReadingRow], by: AbstractBaseUser | None, dry_run: bool = False
) -> ReadingsOutcome:
    """Checks and records `rows` (see the module docstring); returns a result per row, in row order."""
    with transaction.atomic():
        checked = _check(rows)
        stored = _stored(checked, for_update=not dry_run)
        results, writes = _results(checked, stored, by)
        if not dry_run:
            _write(writes, results)
    return ReadingsOutcome(dry_run=dry_run, results=results)


def _check(rows: Sequence[ReadingRow]) -> list[_Checked]:
    """Resolves people and metrics (three queries), applies the reading rule, and refuses duplicates."""
    valid = [row for row in rows if not row.errors]
    people = Person.objects.in_bulk({row.data["person"] for row in valid}, field_name="external_id")
    assignments = {
        assignment.person_id: assignment
        for assignment in RoleAssignment.objects.filter(
            person__in=[person.pk for person in people.values()], ended_on__isnull=True
        )
    }
    metrics = {
        (metric.version.role_id, metric.key): metric
        for metric in SuccessMetric.objects.filter(
            version__status=CharterVersion.Status.PUBLISHED,
            version__role__in={assignment.role_id for assignment in assignments.values()},
        ).select_related("version")
    }
    today = timezone.localdate()
    checked = [_check_row(row, people, assignments, metrics, today) for row in rows]
    _refuse_duplicates(checked)
    return checked


def _check_row(row: ReadingRow, people: dict, assignments: dict, metrics: dict, today: datetime.date) -> _Checked:
    entry = _Checked(row)
    if row.errors:
        return entry
    person = people.get(row.data["person"])
    if person is None:
        row.refuse("person", _("No person has external id %(id)s.") % {"id": row.data["person"]})
        return entry
    assignment = assignments.get(person.pk)
    metric = metrics.get((assignment.role_id, row.data["metric"])) if assignment else None
    if metric is None:
        row.refuse(
            "metric",
            _("%(metric)s is not a metric of the charter %(person)s holds now.")
            % {"metric": row.data["metric"], "person": person.external_id},
        )
        return entry
    error = reading_error(
        assignment=assignment, metric=metric, day=row.data["period"], today=today, holder=person.external_id
    )
    for name, message in (error or {}).items():
        row.refuse("period" if name == "day" else name, message)
    if not row.errors:
        entry.person, entry.metric = person, metric
        entry.period = period_start(row.data["period"], metric.cadence)
    return entry


def _refuse_duplicates(checked: list[_Checked]) -> None:
    keys = Counter((entry.person.pk, entry.metric.key, entry.period) for entry in checked if entry.person)
    for entry in checked:
        if entry.person and keys[(entry.person.pk, entry.metric.key, entry.period)] > 1:
            others = [
                str(other.row.index)
                for other in checked
                if other is not entry
                and other.person
                and (other.person.pk, other.metric.key, other.period)
                == (entry.person.pk, entry.metric.key, entry.period)
            ]
            entry.row.refuse(
                "non_field_errors",
                _("The same person, metric and period are also in row(s) %(rows)s.") % {"rows": ", ".join(others)},
            )
            entry.person = None


def _stored(checked: list[_Checked], *, for_update: bool) -> dict[tuple, MetricReading]:
    """The stored readings the valid rows name, by (person, metric key, period): one query."""
    valid = [entry for entry in checked if entry.person]
    if not valid:
        return {}
    readings = MetricReading.objects.filter(
        person__in={entry.person.pk for entry in valid},
        metric_key__in={entry.metric.key for entry in valid},
        period__in={entry.period for entry in valid},
    )
    if for_update:
        readings = readings.select_for_update()
    return {(reading.person_id, reading.metric_key, reading.period): reading for reading in readings}


def _results(checked: list[_Checked], stored: dict, by) -> tuple[list[ReadingResult], list[MetricReading]]:
    results, writes = [], []
    for entry in checked:
        row = entry.row
        result = ReadingResult(
            row.index, row.data.get("person"), row.data.get("metric"), entry.period, "error", errors=row.errors
        )
        results.append(result)
        if entry.person is None:
            continue
        value, note = Decimal(row.data["value"]), row.data.get("note", "").strip()
        reading = stored.get((entry.person.pk, entry.metric.key, entry.period))
        if reading is not None and (reading.value, reading.note, reading.metric_id) == (value, note, entry.metric.pk):
            result.status, result.id = "unchanged", reading.pk
            continue
        result.status = "updated" if reading is not None else "created"
        if reading is None:
            reading = MetricReading(person=entry.person, metric_key=entry.metric.key, period=entry.period)
        reading.metric, reading.value, reading.note, reading.recorded_by = entry.metric, value, note, by
        result.id = reading.pk
        writes.append(reading)
    return results, writes


def _write(writes: list[MetricReading], results: list[ReadingResult]) -> None:
    """New readings in one insert, changed ones in one update; the results get the new ids."""
    now = timezone.now()
    new = [reading for reading in writes if reading.pk is None]
    changed = [reading for reading in writes if reading.pk is not None]
    for reading in changed:
        reading.updated_at = now
    MetricReading.objects.bulk_update(changed, ["metric", "value", "note", "recorded_by", "updated_at"])
    MetricReading.objects.bulk_create(new)
    created = iter(new)
    for result in results:
        if result.status == "created":
            result.id = next(created).pk
