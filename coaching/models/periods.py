"""The rule of every period in coaching (a plan's, an assessment's): it does not end before it starts.
The models' `clean()` applies it, so every path that saves through `full_clean` (the services behind the
pages, the API and the admin) answers with this one message, on `period_end`."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PERIOD_ENDS_BEFORE_IT_STARTS = _("The period ends before it starts.")


def validate_period(start: datetime.date | None, end: datetime.date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError({"period_end": PERIOD_ENDS_BEFORE_IT_STARTS})
