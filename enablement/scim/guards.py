"""Text the platform cannot store, refused before a request reaches the models.

PostgreSQL refuses a NUL character in text outright (psycopg raises before the query is sent), and a lone
UTF-16 surrogate cannot be encoded as UTF-8 by either database's driver. Both are valid in JSON, so
scim2-server's validation lets them through; left alone they end in a 500 halfway through a write. Here
they are a 400: `invalidFilter` in a search's filter, `invalidValue` anywhere else (RFC 7644 §3.12). What
does not parse as JSON at all (bad UTF-8, nesting past the parser's limit, a number out of range) is left
to scim2-server, whose answer is `invalidSyntax`.
"""

import re
from typing import Any

from pydantic_core import from_json
from scim2_models import InvalidFilterException, InvalidValueException

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> bool:
    """Whether `text` holds a NUL or a lone surrogate: what no database here can store or compare."""
    return UNSTORABLE.search(text) is not None


def check_body(body: bytes, *, search: bool) -> None:
    """Raises InvalidValueException if any string in the JSON `body` (a member name or a value) is
    unstorable; InvalidFilterException if it is the `filter` of a search (`search`)."""
    if not body:
        return
    try:
        document = from_json(body)
    except ValueError:
        return  # scim2-server parses it again and answers invalidSyntax with the parser's message
    scim_filter = document.get("filter") if search and isinstance(document, dict) else None
    if isinstance(scim_filter, str) and unstorable(scim_filter):
        raise InvalidFilterException(detail="A filter cannot contain a NUL character or a lone surrogate.")
    for text in _strings(document):
        if unstorable(text):
            raise InvalidValueException(detail="A value cannot contain a NUL character or a lone surrogate.")


def _strings(document: Any):
    """Every string in a parsed JSON document, member names included. Iterative: depth is bounded by the
    parser already, but a walk need not rely on it."""
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
