"""Hire and reject decisions, newest first: what an HR system pulls."""

import datetime

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins
from rest_framework.exceptions import ValidationError

from managers import policy
from managers.api import hiring_schema as schema
from managers.api import hiring_serializers as serializers
from managers.api.hiring_views.base import HiringViewSet
from managers.models import Application


def _decisions(applications: QuerySet[Application]) -> QuerySet[Application]:
    return (
        applications.filter(decided_at__isnull=False)
        .select_related("candidate", "requisition__role", "decided_by")
        .order_by("-decided_at", "-pk")
    )


@schema.decisions
class DecisionViewSet(mixins.ListModelMixin, HiringViewSet):
    """Hire and reject decisions, newest first, with the employee a hire became: what an HR system pulls.
    `?decided_after=<ISO 8601 time>` lists only later ones. A decision rests on the feedback, so it is
    listed to whoever may read that feedback (an interviewer, once their own scorecard is submitted)."""

    output_serializer_class = serializers.DecisionSerializer

    def get_queryset(self) -> QuerySet[Application]:
        decisions = _decisions(policy.applications_with_feedback_for(self.request.user))
        after = self.request.query_params.get("decided_after")
        if after is not None:
            decisions = decisions.filter(decided_at__gt=self._time(after))
        return decisions

    def _time(self, value: str) -> datetime.datetime:
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise ValidationError({"decided_after": [_("Give a time with its offset, e.g. 2026-01-31T09:00:00Z.")]})
        try:
            # In UTC: PostgreSQL refuses an offset beyond ±15:59 that Python parses (a 500 otherwise).
            return parsed.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError({"decided_after": [_("Give a time between the years 1 and 9999.")]}) from None
