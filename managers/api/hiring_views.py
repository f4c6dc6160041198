"""The competency and hiring API. Every queryset is scoped by `managers.policy`, so what a user may not see
is a 404; every change goes through a service, whose ValidationError becomes a 400. Scorecards are read
here and never written: drafts are filled in and submitted on the scorecard page, by their interviewer."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from enablement.api.base import ServiceViewSet
from enablement.api.parsers import JSONParser
from enablement.api.query_params import choice_param, id_param, time_param
from managers import policy
from managers.api import hiring_serializers as serializers
from managers.api.views import COMPETENCY_SCOPES
from managers.models import (
    CLOSED_STAGES,
    Application,
    Candidate,
    Competency,
    InterviewFocus,
    InterviewStage,
    Requisition,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
)
from managers.selectors.hiring import application_list, candidate_profiles
from managers.services.competencies import competency_create, competency_update
from managers.services.hiring import (
    application_create,
    application_decide,
    application_move,
    candidate_upsert,
    requisition_create,
    requisition_update,
)

HIRING_SCOPES = {"read": "hiring:read", "write": "hiring:write"}
INDEPENDENCE_MESSAGE = _(
    "Submit your own scorecard first: until then the others' feedback stays hidden, so that yours is independent."
)


class HiringViewSet(ServiceViewSet):
    required_scopes = HIRING_SCOPES
    parser_classes = [JSONParser]


# Competencies


class WrittenBySalesLeaders(BasePermission):
    """Everyone signed in reads the framework; only sales leaders change it."""

    message = _("The competency framework is written by sales leaders.")

    def has_permission(self, request: Request, view) -> bool:
        return request.method in SAFE_METHODS or policy.can_manage_competencies(request.user)


@extend_schema_view(
    create=extend_schema(
        examples=[
            OpenApiExample(
                "A new skill",
                request_only=True,
                value={
                    "key": "negotiation",
                    "name": "Negotiation",
                    "kind": "skill",
                    "description": "Trading value for value, and walking away from a deal that does not fit.",
                    "anchors": [
                        {"level": 1, "description": "Discounts when a buyer pushes back."},
                        {"level": 2, "description": "Prepares give-gets before each negotiation."},
                        {"level": 3, "description": "Holds price under pressure and trades scope instead."},
                        {"level": 4, "description": "Builds the team's negotiation playbook."},
                    ],
                    "interview_questions": ["Tell me about a deal where you held your price."],
                },
            )
        ]
    ),
    partial_update=extend_schema(
        examples=[OpenApiExample("Retire a competency", request_only=True, value={"is_active": False})]
    ),
)
class CompetencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, HiringViewSet):
    """The framework, retired competencies included (`is_active`). POST adds one; PATCH changes any field
    but the key. Competencies are never deleted: retire one with `{"is_active": false}`."""

    required_scopes = COMPETENCY_SCOPES
    output_serializer_class = serializers.CompetencySerializer
    input_serializer_classes = {
        "create": serializers.CompetencyInputSerializer,
        "partial_update": serializers.CompetencyUpdateInputSerializer,
    }
    permission_classes = [*HiringViewSet.permission_classes, WrittenBySalesLeaders]

    def get_queryset(self) -> QuerySet[Competency]:
        return Competency.objects.all()

    def create(self, request: Request) -> Response:
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        competency = competency_create(by=request.user, **values.service_values())
        return Response(self.output(competency), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        competency = self.get_object()
        values = self.get_serializer(data=request.data, partial=True)
        values.is_valid(raise_exception=True)
        competency = competency_update(competency=competency, by=request.user, **values.service_values())
        return Response(self.output(competency))


# Requisitions


def _requisitions(queryset: QuerySet[Requisition]) -> QuerySet[Requisition]:
    """With their people, their interview plan and how many applications are still active."""
    focus = Prefetch("focus", queryset=InterviewFocus.objects.select_related("competency"))
    plan = Prefetch("stages", queryset=InterviewStage.objects.prefetch_related(focus))
    return (
        queryset.select_related("role", "hiring_manager", "recruiter", "team")
        .annotate(active_count=Count("applications", filter=~Q(applications__stage__in=CLOSED_STAGES)))
        .prefetch_related(plan)
        .order_by(*Requisition._meta.ordering)  # a query with GROUP BY drops the default ordering
    )


@extend_schema_view(
    create=extend_schema(
        examples=[
            OpenApiExample(
                "A requisition",
                request_only=True,
                value={
                    "role": 1,
                    "title": "Sales Manager, Mid-Market East",
                    "hiring_manager": 4,
                    "recruiter": 7,
                    "team": 2,
                    "target_start": "2026-09-01",
                    "external_id": "REQ-1042",
                },
            )
        ]
    ),
    partial_update=extend_schema(
        examples=[OpenApiExample("Put on hold", request_only=True, value={"status": "on_hold"})]
    ),
)
class RequisitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, HiringViewSet):
    """The requisitions the caller works on or oversees, with the interview plan. Recruiters and sales
    leaders open them (POST); their recruiter and hiring manager change them (PATCH)."""

    output_serializer_class = serializers.RequisitionSerializer
    input_serializer_classes = {
        "create": serializers.RequisitionInputSerializer,
        "partial_update": serializers.RequisitionUpdateInputSerializer,
    }

    def get_queryset(self) -> QuerySet[Requisition]:
        return _requisitions(policy.requisitions_visible_to(self.request.user))

    def get_serializer(self, *args, **kwargs) -> BaseSerializer:
        if self.action in self.input_serializer_classes:
            kwargs["hiring_managers"] = policy.hiring_managers_for(self.request.user)
            kwargs["recruiters"] = policy.recruiters()
        return super().get_serializer(*args, **kwargs)

    def create(self, request: Request) -> Response:
        if not policy.can_open_requisitions(request.user):
            raise PermissionDenied(_("Requisitions are opened by recruiters and sales leaders."))
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        requisition = requisition_create(by=request.user, **values.validated_data)
        return Response(self._written(requisition), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        requisition = self.get_object()
        if not policy.can_manage_requisition(request.user, requisition):
            raise PermissionDenied(_("A requisition is changed by its recruiter or its hiring manager."))
        values = self.get_serializer(data=request.data, partial=True)
        values.is_valid(raise_exception=True)
        requisition = requisition_update(requisition=requisition, by=request.user, **values.validated_data)
        return Response(self._written(requisition))

    def _written(self, requisition: Requisition) -> dict:
        # Read back without the caller's scope: they just wrote it, and may have handed it to others.
        return self.output(_requisitions(Requisition.objects.filter(pk=requisition.pk)).get())


# Candidates


class CandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, HiringViewSet):
    """Candidates of the applications the caller may see, each with those applications. POST (recruiters
    and sales leaders) finds the candidate by email, case-insensitive, or ATS id: 201 when it created
    one, 200 with the one found (which gets the fields it was missing)."""

    output_serializer_class = serializers.CandidateSerializer
    input_serializer_classes = {"create": serializers.CandidateInputSerializer}

    def get_queryset(self) -> QuerySet[Candidate]:
        return self._with_applications(policy.candidates_visible_to(self.request.user))

    def _with_applications(self, candidates: QuerySet[Candidate]) -> QuerySet[Candidate]:
        user = self.request.user
        visible = policy.applications_visible_to(user).select_related("requisition")
        contact = policy.candidates_with_contact_for(user).filter(pk=OuterRef("pk"))
        return candidates.annotate(contact_visible=Exists(contact)).prefetch_related(
            Prefetch("applications", queryset=visible, to_attr="visible_applications")
        )

    @extend_schema(
        responses={
            201: serializers.CandidateSerializer,
            200: OpenApiResponse(
                response={
                    "anyOf": [
                        {"$ref": "#/components/schemas/Candidate"},
                        {
                            "type": "object",
                            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                            "required": ["id", "name"],
                            "additionalProperties": False,
                        },
                    ]
                },
                description=_(
                    "Found by email or ATS id: the candidate, or only their id and name when the caller may not "
                    "see them yet."
                ),
            ),
        },
        examples=[
            OpenApiExample(
                "A candidate from the ATS",
                request_only=True,
                value={
                    "email": "dana.reyes@example.com",
                    "first_name": "Dana",
                    "last_name": "Reyes",
                    "phone": "+1 555 0100",
                    "external_id": "ATS-88213",
                    "profile_url": "https://www.linkedin.com/in/dana-reyes",
                },
            )
        ],
    )
    def create(self, request: Request) -> Response:
        """Someone the caller may not see yet is answered with their id and name only, and nothing the
        caller typed is written onto them."""
        user = request.user
        if not policy.can_add_candidates(user):
            raise PermissionDenied(_("Candidates are added by recruiters, sales leaders and hiring managers."))
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        visible = policy.candidates_visible_to(user)
        known = (
            policy.keeps_candidate_records(user)
            or visible.filter(email__iexact=values.validated_data["email"]).exists()
        )
        candidate, created = candidate_upsert(fill_missing=known, **values.validated_data)
        if not created and not visible.filter(pk=candidate.pk).exists():
            return Response({"id": candidate.pk, "name": candidate.full_name}, status=status.HTTP_200_OK)
        candidate = self._with_applications(Candidate.objects.filter(pk=candidate.pk)).get()
        return Response(self.output(candidate), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# Applications


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("requisition", int, description=_("Only the applications to this requisition.")),
            OpenApiParameter("stage", str, enum=Application.Stage.values, description=_("Only those at this stage.")),
        ]
    ),
    create=extend_schema(
        examples=[
            OpenApiExample(
                "Put a candidate on a requisition",
                request_only=True,
                value={"candidate": 31, "requisition": 5, "source": "referral"},
            )
        ]
    ),
)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, HiringViewSet):
    """Applications of the requisitions the caller works on or oversees, and those they interview on;
    `?requisition=<id>` and `?stage=<stage>` narrow the list. Their recruiter and hiring manager put
    candidates on a requisition (POST), move them (`move/`) and decide (`decide/`). `profile/` is the
    aggregate of the submitted scorecards, which an interviewer reads once their own is submitted."""

    output_serializer_class = serializers.ApplicationSerializer
    input_serializer_classes = {
        "create": serializers.ApplicationInputSerializer,
        "move": serializers.MoveInputSerializer,
        "decide": serializers.DecideInputSerializer,
    }

    def get_queryset(self) -> QuerySet[Application]:
        applications = application_list(policy.applications_visible_to(self.request.user))
        if self.action == "list":
            applications = self._filtered(applications)
        return applications

    def _filtered(self, applications: QuerySet[Application]) -> QuerySet[Application]:
        if (requisition := id_param(self.request, "requisition")) is not None:
            applications = applications.filter(requisition_id=requisition)
        if stage := choice_param(self.request, "stage", Application.Stage.values):
            applications = applications.filter(stage=stage)
        return applications

    def get_serializer(self, *args, **kwargs) -> BaseSerializer:
        if self.action == "create":
            user = self.request.user
            # Recruiters add candidates, so they may name any; everyone else, the candidates they see.
            kwargs["candidates"] = (
                Candidate.objects.all() if policy.keeps_candidate_records(user) else policy.candidates_visible_to(user)
            )
            kwargs["requisitions"] = policy.requisitions_managed_by(user)
        return super().get_serializer(*args, **kwargs)

    def create(self, request: Request) -> Response:
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        application = application_create(by=request.user, **values.validated_data)
        return Response(self.output(self.get_queryset().get(pk=application.pk)), status=status.HTTP_201_CREATED)

    def _managed_object(self) -> Application:
        application = self.get_object()
        if not policy.can_manage_requisition(self.request.user, application.requisition):
            raise PermissionDenied(_("Candidates are moved and decided on by the recruiter or the hiring manager."))
        return application

    @extend_schema(
        request=serializers.MoveInputSerializer,
        responses=serializers.ApplicationSerializer,
        examples=[
            OpenApiExample(
                "To the interviews",
                request_only=True,
                value={"stage": "interviews", "note": "Strong screen with the recruiter."},
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        application = self._managed_object()
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        move = values.validated_data
        application_move(application=application, to_stage=move["stage"], note=move.get("note", ""), by=request.user)
        return Response(self.output(self.get_queryset().get(pk=application.pk)))

    @extend_schema(
        request=serializers.DecideInputSerializer,
        responses=serializers.DecisionSerializer,
        examples=[
            OpenApiExample(
                "Hire",
                request_only=True,
                value={
                    "decision": "hire",
                    "rationale": "Met or beat the bar on every required competency; strongest on coaching.",
                    "external_id": "EMP-20417",
                    "start_date": "2026-09-01",
                },
            ),
            OpenApiExample(
                "Reject",
                request_only=True,
                value={"decision": "reject", "rationale": "Below the bar on data-driven decisions (1.5 for 3)."},
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """Hire or reject, with the rationale; answers the decision as `decisions/` lists it."""
        application = self._managed_object()
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        application_decide(application=application, by=request.user, **values.validated_data)
        decided = _decisions(Application.objects.filter(pk=application.pk)).get()
        return Response(serializers.DecisionSerializer(decided, context=self.get_serializer_context()).data)

    @extend_schema(responses=serializers.CandidateProfileSerializer)
    @action(detail=True, methods=["get"])
    def profile(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        if not policy.can_see_feedback(request.user, application):
            raise PermissionDenied(INDEPENDENCE_MESSAGE)
        profile = candidate_profiles([application])[application.pk]
        return Response(serializers.CandidateProfileSerializer(profile, context=self.get_serializer_context()).data)


# Scorecards and decisions: read only


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("application", int, description=_("Only the scorecards of this application."))]
    )
)
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


def _decisions(applications: QuerySet[Application]) -> QuerySet[Application]:
    return (
        applications.filter(decided_at__isnull=False)
        .select_related("candidate", "requisition__role", "decided_by")
        .order_by("-decided_at", "-pk")
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "decided_after",
                OpenApiTypes.DATETIME,
                description=_("Only decisions after this time (ISO 8601, with its offset)."),
            )
        ]
    )
)
class DecisionViewSet(mixins.ListModelMixin, HiringViewSet):
    """Hire and reject decisions, newest first, with the employee a hire became: what an HR system pulls.
    `?decided_after=<ISO 8601 time>` lists only later ones. A decision rests on the feedback, so it is
    listed to whoever may read that feedback (an interviewer, once their own scorecard is submitted)."""

    output_serializer_class = serializers.DecisionSerializer

    def get_queryset(self) -> QuerySet[Application]:
        decisions = _decisions(policy.applications_with_feedback_for(self.request.user))
        if (after := time_param(self.request, "decided_after")) is not None:
            decisions = decisions.filter(decided_at__gt=after)
        return decisions
