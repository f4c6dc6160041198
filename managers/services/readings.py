"""Metric readings, one at a time: the rule every path records a reading by (`reading_error`, also asked by
the bulk API in `managers.services.readings_bulk`) and the page's and API's write."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.accounts.policy import require
from enablement.models import Person
from managers import policy
from managers.models import CharterVersion, MetricReading, RoleAssignment, SuccessMetric
from managers.periods import period_start


def reading_error(
    *, assignment: RoleAssignment | None, metric: SuccessMetric, day: datetime.date, today: datetime.date, holder=None
) -> dict[str, str] | None:
    """Why a reading of `metric` for the period containing `day` cannot be recorded for the holder of
    `assignment` (their current role), as {field: message} with the field `metric` or `day`; None when it
    can. The rule every path records readings by: the page and API (`metric_reading_record`) and the bulk
    API (`managers.services.readings_bulk`). `holder` names the person in the messages (else "you")."""
    version = metric.version
    whose = _("the charter %(person)s holds now") % {"person": holder} if holder else _("your current charter")
    if assignment is None or version.status != CharterVersion.Status.PUBLISHED or version.role_id != assignment.role_id:
        return {"metric": _("%(metric)s is not a metric of %(whose)s.") % {"metric": metric.name, "whose": whose}}
    period = period_start(day, metric.cadence)
    if period > today:
        return {"day": _("A reading cannot be for a future period.")}
    if period < period_start(assignment.started_on, metric.cadence):
        if holder:
            return {"day": _("A reading cannot be for a period before %(person)s took the role.") % {"person": holder}}
        return {"day": _("A reading cannot be for a period before you took the role.")}
    return None


@transaction.atomic
def metric_reading_record(
    *, person: Person, metric: SuccessMetric, day: datetime.date, value: Decimal, note: str, by: AbstractBaseUser
) -> MetricReading:
    """Records (or corrects) the person's value for the period containing `day`; the same value and
    note again changes nothing.

    The metric must belong to the published charter of the role the person holds now, and the period
    must be neither in the future nor before they took the role. Raises ValidationError otherwise. The
    person records their own (PermissionDenied otherwise).
    """
    require(by, policy.records_own_readings, person, message=policy.READINGS_DENIED)
    assignment = RoleAssignment.objects.current().filter(person=person).first()
    error = reading_error(assignment=assignment, metric=metric, day=day, today=timezone.localdate())
    if error:
        raise ValidationError(error)
    period = period_start(day, metric.cadence)
    reading = MetricReading.objects.filter(person=person, metric_key=metric.key, period=period).first()
    if reading is None:
        reading = MetricReading(person=person, metric_key=metric.key, period=period)
    elif (reading.value, reading.note, reading.metric_id) == (value, note.strip(), metric.pk):
        return reading
    reading.metric, reading.value, reading.note, reading.recorded_by = metric, value, note.strip(), by
    reading.full_clean()
    reading.save()
    return reading
