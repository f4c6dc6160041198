"""Requisitions and their interview plan."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enablement.models import Person, Team
from managers.api.hiring_serializers.refs import RoleRefSerializer, TeamRefSerializer, UserRefSerializer
from managers.api.serializers import PersonRefSerializer
from managers.models import InterviewFocus, InterviewStage, Requisition, Role


class FocusSerializer(serializers.ModelSerializer):
    key = serializers.CharField(source="competency.key", read_only=True)
    name = serializers.CharField(source="competency.name", read_only=True)
    questions = serializers.SerializerMethodField()

    class Meta:
        model = InterviewFocus
        fields = ["key", "name", "questions"]
        read_only_fields = fields

    def get_questions(self, focus: InterviewFocus) -> list[str]:
        # The plan's own questions when it has some, else the ones the framework suggests.
        return focus.question_list or focus.competency.question_list


class InterviewStageSerializer(serializers.ModelSerializer):
    competencies = FocusSerializer(source="focus", many=True, read_only=True)

    class Meta:
        model = InterviewStage
        fields = ["id", "position", "name", "duration_minutes", "competencies"]
        read_only_fields = fields


class RequisitionSerializer(serializers.ModelSerializer):
    """Needs the queryset of `RequisitionViewSet` (people joined, plan prefetched, `active_count` annotated)."""

    role = RoleRefSerializer(read_only=True)
    hiring_manager = PersonRefSerializer(read_only=True)
    recruiter = UserRefSerializer(read_only=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    active_applications = serializers.IntegerField(source="active_count", read_only=True)
    interview_plan = InterviewStageSerializer(source="stages", many=True, read_only=True)

    class Meta:
        model = Requisition
        fields = [
            "id",
            "title",
            "status",
            "role",
            "hiring_manager",
            "recruiter",
            "team",
            "target_start",
            "external_id",
            "created_at",
            "updated_at",
            "active_applications",
            "interview_plan",
        ]
        read_only_fields = fields


class RequisitionInputSerializer(serializers.Serializer):
    """A new requisition. The hiring manager must be one the caller may name and the recruiter a recruiter:
    any other id is answered as one that does not exist."""

    role = serializers.PrimaryKeyRelatedField(queryset=Role.objects.all())
    title = serializers.CharField(max_length=200)
    hiring_manager = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    recruiter = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.none())
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)
    target_start = serializers.DateField(required=False, allow_null=True)
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def __init__(self, *args, hiring_managers: QuerySet[Person], recruiters: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hiring_manager"].queryset = hiring_managers
        self.fields["recruiter"].queryset = recruiters


class RequisitionUpdateInputSerializer(RequisitionInputSerializer):
    """Any field of a requisition but its role (candidates were assessed against it). Used with `partial=True`."""

    role = None
    status = serializers.ChoiceField(choices=Requisition.Status.choices)

    def validate(self, attrs: dict) -> dict:
        if "role" in self.initial_data:
            raise serializers.ValidationError({"role": [_("A requisition's role does not change.")]})
        return attrs
