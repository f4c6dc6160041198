"""Shapes of the charter API. Output serializers describe what is read; input serializers validate what a
command accepts before the view hands it to a service (which owns every cross-field and cross-model rule)."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from managers.models import (
    Acknowledgement,
    CharterVersion,
    DeprioritizedActivity,
    FocusArea,
    MetricReading,
    Role,
    SuccessMetric,
    SupportItem,
)
from managers.services.support import RatingInput

# Output


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="full_name", read_only=True)


# The shapes of the references the method fields below build (for the schema).
_ROLE_NAME = {"id": serializers.IntegerField(), "name": serializers.CharField()}
VERSION_NUMBER_SHAPE = inline_serializer(
    "VersionNumberRef", {"id": serializers.IntegerField(), "number": serializers.IntegerField()}, allow_null=True
)
ROLE_REF_SHAPE = inline_serializer("CharterRoleRef", {**_ROLE_NAME, "code": serializers.CharField()})
VERSION_REF_SHAPE = inline_serializer(
    "AcknowledgedVersionRef",
    {
        "id": serializers.IntegerField(),
        "number": serializers.IntegerField(),
        "role": inline_serializer("AcknowledgedRoleRef", _ROLE_NAME),
    },
)
METRIC_REF_SHAPE = inline_serializer(
    "MetricRef", {"id": serializers.IntegerField(), "name": serializers.CharField(), "unit": serializers.CharField()}
)


class RoleSerializer(serializers.ModelSerializer):
    # Annotated by the viewset's queryset, so a page of roles costs one query.
    published_version = serializers.SerializerMethodField()

    class Meta:
        model = Role
        fields = [
            "id",
            "code",
            "name",
            "description",
            "review_cadence_months",
            "last_reviewed_on",
            "next_review_on",
            "published_version",
        ]
        read_only_fields = fields

    @extend_schema_field(VERSION_NUMBER_SHAPE)
    def get_published_version(self, role: Role) -> dict | None:
        if role.published_id is None:
            return None
        return {"id": role.published_id, "number": role.published_number}


class FocusAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["id", "position", "title", "description", "time_share"]
        read_only_fields = fields


class DeprioritizedActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = DeprioritizedActivity
        fields = ["id", "position", "activity", "reason", "hand_off_to"]
        read_only_fields = fields


class SuccessMetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuccessMetric
        fields = ["id", "position", "key", "name", "unit", "target", "direction", "cadence"]
        read_only_fields = fields


class SupportItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportItem
        fields = ["id", "position", "kind", "name", "function", "detail"]
        read_only_fields = fields


class CharterVersionSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()
    focus_areas = FocusAreaSerializer(many=True, read_only=True)
    deprioritized = DeprioritizedActivitySerializer(many=True, read_only=True)
    metrics = SuccessMetricSerializer(many=True, read_only=True)
    support_items = SupportItemSerializer(many=True, read_only=True)

    class Meta:
        model = CharterVersion
        fields = [
            "id",
            "role",
            "number",
            "status",
            "purpose",
            "created_at",
            "updated_at",
            "published_at",
            "focus_areas",
            "deprioritized",
            "metrics",
            "support_items",
        ]
        read_only_fields = fields

    @extend_schema_field(ROLE_REF_SHAPE)
    def get_role(self, version: CharterVersion) -> dict:
        return {"id": version.role_id, "code": version.role.code, "name": version.role.name}


class AcknowledgementSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    version = serializers.SerializerMethodField()
    answered_by = serializers.SerializerMethodField()

    class Meta:
        model = Acknowledgement
        fields = [
            "id",
            "person",
            "version",
            "requested_at",
            "acknowledged_at",
            "clarity_focus",
            "clarity_deprioritize",
            "clarity_success",
            "question",
            "answer",
            "answered_by",
            "answered_at",
        ]
        read_only_fields = fields

    @extend_schema_field(VERSION_REF_SHAPE)
    def get_version(self, acknowledgement: Acknowledgement) -> dict:
        version = acknowledgement.version
        return {"id": version.pk, "number": version.number, "role": {"id": version.role_id, "name": version.role.name}}

    def get_answered_by(self, acknowledgement: Acknowledgement) -> str | None:
        user = acknowledgement.answered_by
        return None if user is None else (user.get_full_name() or user.get_username())


class MetricReadingSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    metric = serializers.SerializerMethodField()

    class Meta:
        model = MetricReading
        fields = ["id", "person", "metric", "metric_key", "period", "value", "note", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(METRIC_REF_SHAPE)
    def get_metric(self, reading: MetricReading) -> dict:
        return {"id": reading.metric_id, "name": reading.metric.name, "unit": reading.metric.unit}


# Input


class FocusAreaInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["title", "description", "time_share"]


class DeprioritizedActivityInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeprioritizedActivity
        fields = ["activity", "reason", "hand_off_to"]


class SuccessMetricInputSerializer(serializers.ModelSerializer):
    # A row that names the key of a metric already in the draft stays that metric; without one it is new.
    key = serializers.UUIDField(required=False, allow_null=True)

    class Meta:
        model = SuccessMetric
        fields = ["key", "name", "unit", "target", "direction", "cadence"]


class SupportItemInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportItem
        fields = ["kind", "name", "function", "detail"]


class CharterDraftInputSerializer(serializers.Serializer):
    """The whole draft: every section replaces the draft's items, in the order given."""

    purpose = serializers.CharField(allow_blank=True, trim_whitespace=True)
    focus_areas = FocusAreaInputSerializer(many=True)
    deprioritized = DeprioritizedActivityInputSerializer(many=True)
    metrics = SuccessMetricInputSerializer(many=True)
    support_items = SupportItemInputSerializer(many=True)


class SupportRatingInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, help_text="The id of a support item of the charter.")
    score = serializers.IntegerField(min_value=1, max_value=5, help_text="This works for me: 1 not at all, 5 fully.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


def support_ratings_input(rows: list[dict]) -> dict[int, RatingInput]:
    return {row["item"]: RatingInput(row["score"], row["note"]) for row in rows}


class AcknowledgeInputSerializer(serializers.Serializer):
    clarity_focus = serializers.IntegerField(min_value=1, max_value=5)
    clarity_deprioritize = serializers.IntegerField(min_value=1, max_value=5)
    clarity_success = serializers.IntegerField(min_value=1, max_value=5)
    question = serializers.CharField(required=False, allow_blank=True, default="")
    support_ratings = SupportRatingInputSerializer(
        many=True,
        required=False,
        default=list,
        max_length=100,
        help_text="Optional: a rating of every support item of the charter (all of them, or none).",
    )

    def validate_support_ratings(self, rows: list[dict]) -> dict[int, RatingInput]:
        return support_ratings_input(rows)


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField()


class MetricReadingInputSerializer(serializers.Serializer):
    """A reading for the requesting user's own person: there is deliberately no field naming anyone else."""

    metric = serializers.PrimaryKeyRelatedField(queryset=SuccessMetric.objects.none())
    day = serializers.DateField()
    value = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    def __init__(self, *args, metrics: QuerySet[SuccessMetric], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].queryset = metrics  # the metrics the requesting user may name
