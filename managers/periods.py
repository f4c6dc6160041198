"""Metric periods: a reading belongs to the period that contains its date, stored as the period's first day."""

import datetime

from managers.models import SuccessMetric


def period_start(day: datetime.date, cadence: str) -> datetime.date:
    if cadence == SuccessMetric.Cadence.WEEKLY:
        return day - datetime.timedelta(days=day.weekday())
    if cadence == SuccessMetric.Cadence.QUARTERLY:
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def period_label(day: datetime.date, cadence: str) -> str:
    if cadence == SuccessMetric.Cadence.WEEKLY:
        return f"Week of {day:%d %b %Y}"
    if cadence == SuccessMetric.Cadence.QUARTERLY:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    return f"{day:%b %Y}"
