"""What any text or number from outside must be before it goes further: the one place these rules live, used
by the API's parsers (`enablement.api.parsers`), its list filters (`enablement.api.query_params`), the URL converter
for ids (`enablement.web.converters`) and the pages' request check (`enablement.web.middleware.RequestTextMiddleware`).

- Text has no NUL: PostgreSQL refuses it in every text column and parameter (SQLite stores and compares it).
- Text has no unpaired surrogate (U+D800 to U+DFFF): it is not a character, cannot be encoded as UTF-8, so
  neither database takes it and no answer echoing it can be written. JSON's `"\\ud800"` escape makes one,
  and so does a body or query string sent in a charset such as UTF-7.
- Numbers fit a 64-bit integer (SQLite's INTEGER, PostgreSQL's bigint): a larger id overflows SQLite, and
  JSON's `1e400` is an infinite float.
- An id is ASCII digits only: `str.isdigit` also takes "²", which `int` refuses, and `int` reads "١" as 1
  and "1_0" as 10.
"""

import math
import re
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

__all__ = [
    "MAX_ID",
    "MAX_INTEGER",
    "MIN_INTEGER",
    "data_problems",
    "has_unpaired_surrogate",
    "parse_id",
    "text_problem",
]

MAX_INTEGER = 2**63 - 1
MIN_INTEGER = -(2**63)
MAX_ID = MAX_INTEGER
ID_PATTERN = re.compile(r"[0-9]{1,19}")
_UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")

NUL_MESSAGE = _("Null characters are not allowed.")
SURROGATE_MESSAGE = _("Unpaired surrogates (\\ud800 to \\udfff) are not characters: send valid Unicode text.")
OUT_OF_RANGE_MESSAGE = _("This number is out of range: keep it within ±9223372036854775807.")
FIELD_NAME_MESSAGE = _("A field name has a null character or an unpaired surrogate.")
NON_FIELD = "non_field_errors"


def parse_id(value: object) -> int | None:
    """`value` as a database id if it is one (1 to 19 ASCII digits, at most `MAX_ID`), else None."""
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def has_unpaired_surrogate(value: str) -> bool:
    return _UNPAIRED_SURROGATE.search(value) is not None


def text_problem(value: str) -> str | None:
    """Why `value` cannot be taken as text (a message for the caller), or None if it can."""
    if "\x00" in value:
        return str(NUL_MESSAGE)
    if has_unpaired_surrogate(value):
        return str(SURROGATE_MESSAGE)
    return None


def _value_problem(value: object) -> str | None:
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not MIN_INTEGER <= value <= MAX_INTEGER:
        return str(OUT_OF_RANGE_MESSAGE)
    if isinstance(value, float) and not math.isfinite(value):
        return str(OUT_OF_RANGE_MESSAGE)
    return None


def data_problems(data: object) -> dict:
    """The field errors of a parsed body (JSON, or a form's values): every string, number and key in it, at
    any depth, checked against the rules above. Answers `{}` when there is none, else messages nested as the
    body is (`{"people": {"3": {"external_id": [...]}}}`; a list's items keyed by their index, and what is
    wrong with the body as a whole, or with a key, under `non_field_errors` of the object holding it).

    Iterative, so a deep body costs no stack; the parser limits the depth anyway."""
    errors: dict = {}
    stack: list[tuple[tuple, object]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(key, str) and text_problem(key):
                    _put(errors, (*path, NON_FIELD), str(FIELD_NAME_MESSAGE))
                else:
                    stack.append(((*path, str(key)), item))
        elif isinstance(value, list | tuple):
            stack.extend(((*path, str(index)), item) for index, item in enumerate(value))
        elif (problem := _value_problem(value)) is not None:
            _put(errors, path or (NON_FIELD,), problem)
    return errors


def _put(errors: dict, path: tuple, message: str) -> None:
    """`message` at `path` in `errors`, once per place."""
    node: dict | list = errors
    for depth, key in enumerate(path, start=1):
        if isinstance(node, list):  # under a body key named "non_field_errors": said with that key's messages
            break
        node = node.setdefault(key, [] if depth == len(path) else {})
    if isinstance(node, list) and message not in node:
        node.append(message)
