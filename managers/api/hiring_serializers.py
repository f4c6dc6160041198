"""Shapes of the competency and hiring API. Output serializers describe what is read; input serializers
validate the shape of what a command accepts before the view hands it to a service, which owns every
cross-field and cross-model rule. Querysets a field may name are passed in by the view, scoped to the
caller, so an id the caller may not use is answered like one that does not exist."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from enablement.api.base import KeyRelatedField
from enablement.models import Person, Team
from managers.api.serializers import PersonRefSerializer
from managers.models import (
    LEVELS,
    Application,
    Candidate,
    Competency,
    InterviewFocus,
    InterviewStage,
    Requisition,
    Role,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
)
from managers.selectors.hiring import CandidateProfile

# References to related objects, as every output shows them.


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class RoleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class CandidateRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="full_name", read_only=True)
    email = serializers.EmailField(read_only=True)


class RequisitionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)


# Competencies and role requirements


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


# Requisitions and their interview plan


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


# Candidates and applications


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
        fields = ["application", "candidate", "requisition", "decision", "rationale", "decided_by", "decided_at",
                  "person"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(DECIDED_CANDIDATE_SHAPE)
    def get_candidate(self, application: Application) -> dict:
        candidate = application.candidate
        return {"id": candidate.pk, "name": candidate.full_name, "email": candidate.email,
                "external_id": candidate.external_id}  # fmt: skip

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


# The aggregate of an application's submitted scorecards


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
    disagreement = serializers.BooleanField()
    not_covered = serializers.BooleanField()


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class CandidateProfileSerializer(serializers.Serializer):
    """`fit` and `coverage` are percentages (see `CandidateProfile`); `recommendations` counts the submitted
    scorecards' recommendations, every value present."""

    application = serializers.IntegerField(source="application.pk")
    candidate = CandidateRefSerializer(source="application.candidate")
    requisition = RequisitionRefSerializer(source="application.requisition")
    fit = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    coverage = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    submitted = serializers.IntegerField()
    expected = serializers.IntegerField()
    recommendations = serializers.SerializerMethodField()
    flags = FlagSerializer(many=True)
    competencies = CompetencyScoreSerializer(source="scores", many=True)

    def get_recommendations(self, profile: CandidateProfile) -> dict[str, int]:
        return {value: profile.recommendations[value] for value in Scorecard.Recommendation.values}


# Scorecards


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
