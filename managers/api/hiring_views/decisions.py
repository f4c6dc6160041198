"""Hire and reject decisions, newest first: what an HR system pulls."""

from django.db.models import QuerySet
from rest_framework import mixins

from enablement.api.query_params import time_param
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
        if (after := time_param(self.request, "decided_after")) is not None:
            decisions = decisions.filter(decided_at__gt=after)
        return decisions
