"""The pulse results API under /api/v1/: exactly what the pulse pages show, through the same
`coaching.pulse.selectors` (who may open which series, pulse and roll-up; which figure shows under the
thresholds and the remainder rule). Read-only, and no route takes a filter, a date range or a
comparison: the only choice is which series, pulse or roll-up, each cut by the rules. What a caller may
not see is a 404; an API client sees what its account sees (with HR admin access, the org roll-ups).

- `pulse-series/`: the series the caller may open, each with its rolling result; one adds its pulses
  (with whether each one's result shows) and the trend.
- `pulses/`: the pulses of those series, syncable with `changed_since` (a pulse changes when it opens and
  when its result is released); one adds its result, response band, comments and actions.
- `pulse-rollups/`: the roll-ups the caller may see (by the leader's person id); one adds the teams below
  whose results the caller may open."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.pagination import PageNumberPagination
from rest_framework.serializers import BaseSerializer

from coaching.models import Pulse, PulseSeries
from coaching.pulse import selectors
from coaching.pulse.api import serializers
from enablement.api.base import ServiceViewSet
from enablement.api.sync import MAX_PAGE_SIZE
from enablement.models import Person

# Read-only: no route here writes, so the write scope is never asked for.
PULSE_SCOPES = {"read": "pulse:read", "write": "pulse:read"}


class ResultsPagination(PageNumberPagination):
    """Results are computed when asked for, not stored rows that change: they page by number only (read them
    again for what changed; the `pulses/` collection syncs)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class PulseApiViewSet(ServiceViewSet):
    required_scopes = PULSE_SCOPES
    detail_serializer_class: type[BaseSerializer]

    def get_serializer_class(self) -> type[BaseSerializer]:
        return self.detail_serializer_class if self.action == "retrieve" else self.output_serializer_class

    def get_serializer_context(self) -> dict:
        # One PulseResults per request: the org's windows load once, and every figure is cut alike.
        if not hasattr(self, "_results"):
            self._results = selectors.PulseResults()
        return {**super().get_serializer_context(), "results": self._results}


@extend_schema_view(retrieve=extend_schema(responses=serializers.PulseSeriesDetailSerializer))
class PulseSeriesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PulseApiViewSet):
    """Series whose results the caller may open: about themselves (a manager's team pulse, a leader's
    upward pulse) and about anyone below them; none for an HR admin. Each with its rolling result."""

    output_serializer_class = serializers.PulseSeriesSerializer
    detail_serializer_class = serializers.PulseSeriesDetailSerializer
    pagination_class = ResultsPagination

    def get_queryset(self) -> QuerySet[PulseSeries]:
        return selectors.series_visible_to(self.request.user).order_by(
            "subject__last_name", "subject__first_name", "kind", "pk"
        )


@extend_schema_view(retrieve=extend_schema(responses=serializers.PulseDetailSerializer))
class PulseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PulseApiViewSet):
    """Pulses of the series the caller may open, newest first (in change order with `changed_since`). One
    pulse carries its result: released when it closes, never live, each figure under the thresholds."""

    output_serializer_class = serializers.PulseSerializer
    detail_serializer_class = serializers.PulseDetailSerializer

    def get_queryset(self) -> QuerySet[Pulse]:
        visible = selectors.series_visible_to(self.request.user).values("pk")
        return Pulse.objects.filter(series__in=visible).select_related("series__subject")


@extend_schema_view(retrieve=extend_schema(responses=serializers.RollupDetailSerializer))
class PulseRollupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PulseApiViewSet):
    """Roll-ups the caller may see, by the leader's person id: their own and every leader's below them; for
    an HR admin the top of each org tree."""

    output_serializer_class = serializers.RollupSerializer
    detail_serializer_class = serializers.RollupDetailSerializer
    pagination_class = ResultsPagination

    def get_queryset(self) -> QuerySet[Person]:
        leaders = [leader.pk for leader in selectors.rollup_owners_for(self.request.user)]
        return Person.objects.filter(pk__in=leaders).order_by("last_name", "first_name", "pk")
