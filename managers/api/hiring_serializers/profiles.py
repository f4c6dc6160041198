"""The aggregate of an application's submitted scorecards."""

from rest_framework import serializers

from managers.api.hiring_serializers.refs import CandidateRefSerializer, RequisitionRefSerializer
from managers.models import Scorecard
from managers.selectors.hiring import CandidateProfile


class CompetencyScoreSerializer(serializers.Serializer):
    key = serializers.CharField(source="competency.key")
    name = serializers.CharField(source="competency.name")
    required_level = serializers.IntegerField(allow_null=True)
    weight = serializers.IntegerField(allow_null=True)
    mean = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    lowest = serializers.IntegerField(allow_null=True)
    highest = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()
    gap = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    gap_state = serializers.ChoiceField(choices=["short", "meets", "exceeds"], allow_null=True)
    disagreement = serializers.BooleanField()
    not_covered = serializers.BooleanField()


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class CandidateProfileSerializer(serializers.Serializer):
    """`fit` and `coverage` are percentages (see `CandidateProfile`); `fit` rests on the covered share
    only, so read it with `fit_is_conclusive`; `recommendations` counts the submitted scorecards'
    recommendations, every value present."""

    application = serializers.IntegerField(source="application.pk")
    candidate = CandidateRefSerializer(source="application.candidate")
    requisition = RequisitionRefSerializer(source="application.requisition")
    fit = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    coverage = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    fit_is_conclusive = serializers.BooleanField(
        help_text="Whether `coverage` reaches the threshold (75%) from which the pages show `fit`."
    )
    submitted = serializers.IntegerField()
    expected = serializers.IntegerField()
    recommendations = serializers.SerializerMethodField()
    flags = FlagSerializer(many=True)
    competencies = CompetencyScoreSerializer(source="scores", many=True)

    def get_recommendations(self, profile: CandidateProfile) -> dict[str, int]:
        return {value: profile.recommendations[value] for value in Scorecard.Recommendation.values}
