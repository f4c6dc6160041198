"""Scorecards, read only: a submitted scorecard changes by no route, only amendments add to it."""

from django.db.models import Prefetch, QuerySet
from rest_framework import mixins

from enablement.api.query_params import id_param
from managers import policy
from managers.api import hiring_schema as schema
from managers.api import hiring_serializers as serializers
from managers.api.hiring_views.base import HiringViewSet
from managers.models import Scorecard, ScorecardAmendment, ScorecardRating


@schema.scorecards
class ScorecardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, HiringViewSet):
    """The caller's own scorecards, drafts included, and the submitted scorecards of the applications whose
    feedback they may read, with ratings (null: not assessed) and amendments; `?application=<id>` narrows
    the list. There is no write here: a submitted scorecard changes by no route, only amendments add to it."""

    output_serializer_class = serializers.ScorecardSerializer

    def get_queryset(self) -> QuerySet[Scorecard]:
        scorecards = (
            policy.scorecards_visible_to(self.request.user)
            .select_related("interview__interviewer", "interview__stage")
            .prefetch_related(
                Prefetch("ratings", queryset=ScorecardRating.objects.select_related("competency")),
                Prefetch("amendments", queryset=ScorecardAmendment.objects.select_related("author")),
            )
        )
        if self.action == "list" and (application := id_param(self.request, "application")) is not None:
            scorecards = scorecards.filter(interview__application_id=application)
        return scorecards
