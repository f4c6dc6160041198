"""Competencies and role requirements."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enablement.api.base import KeyRelatedField
from managers.api.hiring_serializers.refs import RoleRefSerializer
from managers.models import LEVELS, Competency


class AnchorSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=LEVELS)
    description = serializers.CharField()


class CompetencySerializer(serializers.ModelSerializer):
    anchors = serializers.SerializerMethodField()
    interview_questions = serializers.ListField(source="question_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Competency
        fields = [
            "id",
            "key",
            "name",
            "kind",
            "description",
            "anchors",
            "interview_questions",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(AnchorSerializer(many=True))
    def get_anchors(self, competency: Competency) -> list[dict]:
        return [{"level": level, "description": description} for level, description in competency.anchors]


class CompetencyInputSerializer(serializers.Serializer):
    """A new competency: every level's anchor, as `anchors: [{level, description}]`, and the suggested
    questions as a list of one-line strings (the shapes the output uses)."""

    key = serializers.SlugField(max_length=60)
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=Competency.Kind.choices)
    description = serializers.CharField()
    anchors = AnchorSerializer(many=True)
    interview_questions = serializers.ListField(child=serializers.CharField(max_length=500), required=False)
    is_active = serializers.BooleanField(required=False)

    def validate_anchors(self, anchors: list[dict]) -> list[dict]:
        levels = [anchor["level"] for anchor in anchors]
        if len(set(levels)) != len(levels):
            raise serializers.ValidationError(_("Describe each level once."))
        if not self.partial and set(levels) != set(LEVELS):
            raise serializers.ValidationError(_("Describe every level, 1 to 4."))
        return anchors

    def validate_interview_questions(self, questions: list[str]) -> list[str]:
        if any("\n" in question for question in questions):
            raise serializers.ValidationError(_("Give each question as its own item, on one line."))
        return questions

    def service_values(self) -> dict:
        """The validated data as the competency services take it: `anchor_<level>` and one question a line."""
        values = dict(self.validated_data)
        for anchor in values.pop("anchors", []):
            values[f"anchor_{anchor['level']}"] = anchor["description"]
        if "interview_questions" in values:
            values["interview_questions"] = "\n".join(values["interview_questions"])
        return values


class CompetencyUpdateInputSerializer(CompetencyInputSerializer):
    """Any of a competency's fields but its key (ratings and other systems refer to it); `anchors` may
    name only the levels that change. Used with `partial=True`."""

    key = None

    def validate(self, attrs: dict) -> dict:
        if "key" in self.initial_data:
            raise serializers.ValidationError({"key": [_("A competency's key does not change.")]})
        return attrs


class RequirementSerializer(serializers.Serializer):
    """One competency a role requires, named by its key."""

    competency = KeyRelatedField(slug_field="key", queryset=Competency.objects.all())
    name = serializers.CharField(source="competency.name", read_only=True)
    required_level = serializers.ChoiceField(choices=LEVELS)
    weight = serializers.IntegerField(min_value=1, max_value=5, default=1)


class RoleRequirementsSerializer(serializers.Serializer):
    """What a role requires, read and written in the same shape: `{"requirements": [{competency, required_level,
    weight}]}`. Writing replaces the whole list; a competency left out is no longer required."""

    role = RoleRefSerializer(read_only=True)
    requirements = RequirementSerializer(many=True)
