"""Candidates, each with the applications the caller may see."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from managers.api.hiring_serializers.refs import RequisitionRefSerializer
from managers.models import Application, Candidate


class CandidateApplicationSerializer(serializers.ModelSerializer):
    requisition = RequisitionRefSerializer(read_only=True)

    class Meta:
        model = Application
        fields = ["id", "requisition", "stage"]
        read_only_fields = fields


@extend_schema_field(
    {"anyOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}, {"type": "null"}]}
)
class OptionalURLField(serializers.URLField):
    """A URL, or "" when there is none (a blank `URLField`); the schema says so, where `format: uri` alone
    would make every blank one a mismatch."""


class CandidateSerializer(serializers.ModelSerializer):
    """`applications` are those the caller may see (prefetched as `visible_applications`)."""

    name = serializers.CharField(source="full_name", read_only=True)
    applications = CandidateApplicationSerializer(source="visible_applications", many=True, read_only=True)
    profile_url = OptionalURLField(read_only=True, allow_null=True, label=_("Profile link"))

    class Meta:
        model = Candidate
        fields = [
            "id",
            "first_name",
            "last_name",
            "name",
            "email",
            "phone",
            "external_id",
            "profile_url",
            "person",
            "created_at",
            "updated_at",
            "applications",
        ]
        read_only_fields = fields
        # For the schema: to_representation nulls the contact fields for those who may not see them.
        extra_kwargs = {field: {"allow_null": True} for field in ("email", "phone", "external_id", "profile_url")}

    CONTACT_FIELDS = ("email", "phone", "external_id", "profile_url")

    def to_representation(self, candidate: Candidate) -> dict:
        """Contact details go to those who work the candidate's requisition (`contact_visible`, annotated
        by the viewset); interviewers and overseeing leaders get them as null."""
        data = super().to_representation(candidate)
        if not getattr(candidate, "contact_visible", False):
            data.update(dict.fromkeys(self.CONTACT_FIELDS))
        return data


class CandidateInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    profile_url = serializers.URLField(required=False, allow_blank=True)
