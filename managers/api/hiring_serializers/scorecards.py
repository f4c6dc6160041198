"""Scorecards, with their ratings and amendments."""

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from managers.api.hiring_serializers.refs import UserRefSerializer
from managers.api.serializers import PersonRefSerializer
from managers.models import Scorecard, ScorecardAmendment, ScorecardRating


class ScorecardRatingSerializer(serializers.ModelSerializer):
    competency = serializers.CharField(source="competency.key", read_only=True)
    name = serializers.CharField(source="competency.name", read_only=True)

    class Meta:
        model = ScorecardRating
        fields = ["competency", "name", "rating", "evidence"]
        read_only_fields = fields


class ScorecardAmendmentSerializer(serializers.ModelSerializer):
    author = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ScorecardAmendment
        fields = ["id", "author", "reason", "note", "created_at"]
        read_only_fields = fields


SCORECARD_INTERVIEW_SHAPE = inline_serializer(
    "ScorecardInterview",
    {
        "id": serializers.IntegerField(),
        "stage": inline_serializer(
            "ScorecardInterviewStage", {"id": serializers.IntegerField(), "name": serializers.CharField()}
        ),
        "interviewer": PersonRefSerializer(),
        "scheduled_at": serializers.DateTimeField(),
    },
)


class ScorecardSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="interview.application_id", read_only=True)
    interview = serializers.SerializerMethodField()
    ratings = ScorecardRatingSerializer(many=True, read_only=True)
    amendments = ScorecardAmendmentSerializer(many=True, read_only=True)
    # Declared so the schema shows "" (none given yet): a generated read-only field drops allow_blank.
    recommendation = serializers.ChoiceField(choices=Scorecard.Recommendation.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "application",
            "interview",
            "status",
            "recommendation",
            "summary",
            "submitted_at",
            "created_at",
            "updated_at",
            "ratings",
            "amendments",
        ]
        read_only_fields = fields

    @extend_schema_field(SCORECARD_INTERVIEW_SHAPE)
    def get_interview(self, scorecard: Scorecard) -> dict:
        interview = scorecard.interview
        return {
            "id": interview.pk,
            "stage": {"id": interview.stage_id, "name": interview.stage.name},
            "interviewer": PersonRefSerializer(interview.interviewer).data,
            "scheduled_at": serializers.DateTimeField().to_representation(interview.scheduled_at),
        }
