"""Applications, the commands that move and decide them, and decisions as an HR system pulls them."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from managers.api.hiring_serializers.refs import (
    CandidateRefSerializer,
    RequisitionRefSerializer,
    RoleRefSerializer,
    UserRefSerializer,
)
from managers.models import Application, Candidate, Requisition


class ApplicationSerializer(serializers.ModelSerializer):
    candidate = CandidateRefSerializer(read_only=True)
    requisition = RequisitionRefSerializer(read_only=True)
    # Declared so the schema shows "" (not decided yet): a generated read-only field drops allow_blank.
    decision = serializers.ChoiceField(choices=Application.Decision.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "candidate",
            "requisition",
            "stage",
            "stage_changed_at",
            "source",
            "decision",
            "decided_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ApplicationInputSerializer(serializers.Serializer):
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.none())
    requisition = serializers.PrimaryKeyRelatedField(queryset=Requisition.objects.none())
    source = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def __init__(self, *args, candidates: QuerySet[Candidate], requisitions: QuerySet[Requisition], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = candidates
        self.fields["requisition"].queryset = requisitions


class MoveInputSerializer(serializers.Serializer):
    # Every stage is accepted here so that "hired" or "rejected" gets the service's explanation.
    stage = serializers.ChoiceField(choices=Application.Stage.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class DecideInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Application.Decision.choices)
    rationale = serializers.CharField()
    external_id = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text=_("The HR system's id for a new hire.")
    )
    start_date = serializers.DateField(required=False, allow_null=True)


DECIDED_CANDIDATE_SHAPE = inline_serializer(
    "DecidedCandidate",
    {
        "id": serializers.IntegerField(),
        "name": serializers.CharField(),
        "email": serializers.EmailField(),
        "external_id": serializers.CharField(),
    },
)
DECIDED_REQUISITION_SHAPE = inline_serializer(
    "DecidedRequisition",
    {
        "id": serializers.IntegerField(),
        "title": serializers.CharField(),
        "external_id": serializers.CharField(),
        "role": RoleRefSerializer(),
        "target_start": serializers.DateField(allow_null=True),
    },
)


class DecisionSerializer(serializers.ModelSerializer):
    """A decided application as an HR system pulls it; `person` is the employee a hire became."""

    application = serializers.IntegerField(source="pk", read_only=True)
    candidate = serializers.SerializerMethodField()
    requisition = serializers.SerializerMethodField()
    rationale = serializers.CharField(source="decision_rationale", read_only=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)
    person = serializers.IntegerField(source="candidate.person_id", read_only=True, allow_null=True)

    class Meta:
        model = Application
        fields = [
            "application",
            "candidate",
            "requisition",
            "decision",
            "rationale",
            "decided_by",
            "decided_at",
            "person",
        ]
        read_only_fields = fields

    @extend_schema_field(DECIDED_CANDIDATE_SHAPE)
    def get_candidate(self, application: Application) -> dict:
        candidate = application.candidate
        return {
            "id": candidate.pk,
            "name": candidate.full_name,
            "email": candidate.email,
            "external_id": candidate.external_id,
        }

    @extend_schema_field(DECIDED_REQUISITION_SHAPE)
    def get_requisition(self, application: Application) -> dict:
        requisition = application.requisition
        return {
            "id": requisition.pk,
            "title": requisition.title,
            "external_id": requisition.external_id,
            "role": RoleRefSerializer(requisition.role).data,
            "target_start": requisition.target_start,
        }
