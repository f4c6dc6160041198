"""Incremental sync for every API collection: `?changed_since=<cursor>` answers the rows created or changed
after the cursor, oldest change first, a page at a time, each page with the cursor to continue from.

How a client syncs: start with `changed_since=` (empty) to read everything; follow `next` while it is not
null; keep the last page's `cursor` and send it as `changed_since` next time to get only what changed
since. A change is any write that moves the row's `updated_at` (every service writes it, terminations
included: people are never deleted). Each collection syncs its own rows; a row embedding another (a plan
with its coach's name) moves when the row itself is written.

Why it is stable under concurrent writes: the cursor is the position (`updated_at`, `id`) of the last row
answered, and rows are answered in that order. A transaction stamps `updated_at` when it writes, but other
readers only see the row when it commits, which may be later than rows stamped after it. So a page only
answers rows stamped at least `API_SYNC_SETTLE_SECONDS` ago: a write transaction shorter than that (every
one here runs in well under a second; a 1,000-row sync in about one) is committed before its rows can be
passed over. The price is that a change shows up in sync that many seconds after it commits. Server
clocks must agree to within the same margin. Pages never skip a row that changed, whatever is written
between them (a row that changes again after it was read comes again, later).

What it does not see: rows entering or leaving a scoped caller's view because someone else changed (a
person moved under a manager's tree keeps their `updated_at`), and rows deleted rather than changed
(unanswered acknowledgement requests, draft scorecards of a cancelled interview). Complete for callers
who see the whole collection; a periodic full read reconciles the rest.

Without `changed_since`, lists page by page number as before (`count`, `next`, `previous`).
"""

import base64
import binascii
import datetime
import json

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from enablement.web.input_checks import text_problem

SYNC_PARAM = "changed_since"
SYNC_FIELD = "updated_at"
MAX_PAGE_SIZE = 1000
# The cursors this server writes are about 100 characters; anything much longer was not written here.
MAX_CURSOR_LENGTH = 300


class SyncCursor:
    """A position in a collection's change order: (`updated_at`, `id`) of the last row answered, tied to
    the collection it came from. Opaque to clients: URL-safe base64 of a small JSON object."""

    def __init__(self, collection: str, changed_at: datetime.datetime | None = None, pk: int = 0):
        self.collection = collection
        self.changed_at = changed_at
        self.pk = pk

    def encode(self) -> str:
        state = {"c": self.collection, "t": self.changed_at.isoformat() if self.changed_at else None, "id": self.pk}
        return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str, collection: str) -> "SyncCursor":
        """The cursor `value` stands for; a ValidationError (400) for anything this server did not give out."""
        if value == "":
            return cls(collection)
        if problem := text_problem(value):
            raise ValidationError({SYNC_PARAM: [problem]})
        invalid = ValidationError({SYNC_PARAM: [_("This is not a cursor this collection gave out.")]})
        if len(value) > MAX_CURSOR_LENGTH:
            raise invalid
        try:
            state = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
            if not isinstance(state, dict) or state.get("c") != collection or not isinstance(state.get("id"), int):
                raise invalid
            changed_at = None
            if state.get("t") is not None:
                changed_at = parse_datetime(state["t"]) if isinstance(state["t"], str) else None
                if changed_at is None or timezone.is_naive(changed_at):
                    raise invalid
                changed_at = changed_at.astimezone(datetime.UTC)
        except (ValueError, OverflowError, RecursionError, binascii.Error):
            raise invalid from None
        return cls(collection, changed_at, state["id"])

    def after(self) -> Q:
        """Rows after this position in change order."""
        if self.changed_at is None:
            return Q()
        return Q(**{f"{SYNC_FIELD}__gt": self.changed_at}) | Q(**{SYNC_FIELD: self.changed_at, "pk__gt": self.pk})


def sync_horizon() -> datetime.datetime:
    """Rows stamped after this may belong to a transaction that has not committed yet."""
    return timezone.now() - datetime.timedelta(seconds=settings.API_SYNC_SETTLE_SECONDS)


class SyncPagination(PageNumberPagination):
    """Page numbers for browsing (`page`, `page_size` up to 1,000); keyset pages in change order with
    `changed_since` (see the module docstring). The project's default pagination class."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor: SyncCursor | None = None

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None):
        value = request.query_params.get(SYNC_PARAM)
        if value is None:
            self.cursor = None
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        collection = getattr(view, "basename", None) or queryset.model._meta.label_lower
        cursor = SyncCursor.decode(value, collection)
        size = self.get_page_size(request)
        rows = list(
            queryset.filter(cursor.after(), **{f"{SYNC_FIELD}__lte": sync_horizon()}).order_by(SYNC_FIELD, "pk")[
                : size + 1
            ]
        )
        self.has_more = len(rows) > size
        rows = rows[:size]
        if rows:
            last = rows[-1]
            cursor = SyncCursor(collection, getattr(last, SYNC_FIELD), last.pk)
        self.cursor = cursor
        return rows

    def get_paginated_response(self, data) -> Response:
        if self.cursor is None:
            return super().get_paginated_response(data)
        token = self.cursor.encode()
        url = self.request.build_absolute_uri()
        next_url = replace_query_param(url, SYNC_PARAM, token) if self.has_more else None
        return Response({"next": next_url, "cursor": token, "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        page = super().get_paginated_response_schema(schema)
        page["required"] = ["next", "results"]
        page["properties"]["count"]["description"] = "Rows in the whole list (page-number mode only)."
        page["properties"]["cursor"] = {
            "type": "string",
            "description": (
                f"With `{SYNC_PARAM}` only: send it back as `{SYNC_PARAM}` to get what changed after this page."
            ),
        }
        return page

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": SYNC_PARAM,
                "required": False,
                "in": "query",
                "description": (
                    "Incremental sync: an empty value reads everything in change order (oldest first); a "
                    "page's `cursor` reads what changed after it. Pages follow `next` until it is null. "
                    f"Changes appear {settings.API_SYNC_SETTLE_SECONDS} s after they commit."
                ),
                "schema": {"type": "string"},
            },
        ]
