"""The one way every API list reads its filters (`?plan=`, `?state=`, `?external_id=`...): each value is checked
before it reaches a query, and a value that is not one is a 400 naming the parameter, in the API's error shape:

    {"status": 400, "code": "invalid", "detail": "...", "errors": {"requisition": ["Give the id of a requisition."]}}

An empty value is the same as leaving the filter out. Text never has a NUL or an unpaired surrogate, ids are
ASCII digits within 64 bits, choices are one of theirs (`enablement.web.input_checks` has why). The messages never
repeat the value sent, which may not be printable.
"""

import datetime

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from enablement.web.input_checks import MAX_ID, parse_id, text_problem

__all__ = ["choice_param", "date_param", "id_param", "text_param", "time_param"]


def _invalid(name: str, message: str) -> ValidationError:
    return ValidationError({name: [message]})


def text_param(request: Request, name: str) -> str | None:
    """The filter's text; None when it is left out or empty."""
    value = request.query_params.get(name)
    if not value:
        return None
    if problem := text_problem(value):
        raise _invalid(name, problem)
    return value


def id_param(request: Request, name: str) -> int | None:
    value = text_param(request, name)
    if value is None:
        return None
    if (pk := parse_id(value)) is None:
        raise _invalid(name, _("Give an id: digits 0-9, at most %(max)d.") % {"max": MAX_ID})
    return pk


def choice_param(request: Request, name: str, choices: list[str]) -> str | None:
    value = text_param(request, name)
    if value is not None and value not in choices:
        raise _invalid(name, _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)})
    return value


def date_param(request: Request, name: str) -> datetime.date | None:
    value = text_param(request, name)
    if value is None:
        return None
    try:
        parsed = parse_date(value)
    except ValueError:  # well formed, but no such day
        parsed = None
    if parsed is None:
        raise _invalid(name, _("Give a date as YYYY-MM-DD."))
    return parsed


def time_param(request: Request, name: str) -> datetime.datetime | None:
    """The filter's time, which must carry its offset; in UTC (PostgreSQL refuses an offset beyond ±15:59
    that Python parses)."""
    value = text_param(request, name)
    if value is None:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise _invalid(name, _("Give a time with its offset, e.g. 2026-01-31T09:00:00Z."))
    try:
        return parsed.astimezone(datetime.UTC)
    except OverflowError:
        raise _invalid(name, _("Give a time between the years 1 and 9999.")) from None
