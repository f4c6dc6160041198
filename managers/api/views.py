"""The charter API. Every queryset is scoped by `managers.policy`, so what a user may not see is a 404;
every change goes through a service, whose ValidationError becomes a 400."""

from collections.abc import Mapping

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from enablement.accounts import policy as org_policy
from enablement.api.base import ServiceViewSet
from enablement.api.parsers import JSONParser
from enablement.api.query_params import id_param
from managers import policy
from managers.api import readings_bulk, serializers
from managers.api.hiring_serializers.competencies import RoleRequirementsSerializer
from managers.models import Acknowledgement, CharterVersion, MetricReading, Role, SuccessMetric
from managers.selectors.charters import version_with_items
from managers.services.charters import (
    acknowledgement_answer,
    charter_acknowledge,
    charter_draft_save,
    charter_publish,
)
from managers.services.competencies import role_requirements_save
from managers.services.readings import metric_reading_record
from managers.services.readings_bulk import metric_readings_bulk_record

CHARTER_SCOPES = {"read": "charters:read", "write": "charters:write"}
# Role requirements belong to the competency framework, so a role's `requirements/` asks for its scopes.
COMPETENCY_SCOPES = {"read": "competencies:read", "write": "competencies:write"}
# A CRM or BI system pushing readings needs no other write: its own scope.
READINGS_BULK_SCOPES = {"read": "charters:read", "write": "readings:write"}
# For the schema: path ids are integers (drf-spectacular cannot always tell from a caller-scoped queryset).
ID_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH)
CHARTER_DRAFT_EXAMPLE = OpenApiExample(
    "A draft with one item in each section",
    request_only=True,
    value={
        "purpose": "Grow mid-market revenue through a team that forecasts within 10%.",
        "focus_areas": [
            {"title": "Pipeline reviews", "description": "Weekly, deal by deal.", "time_share": 40},
        ],
        "deprioritized": [
            {"activity": "Quoting", "reason": "Deal desk owns it.", "hand_off_to": "Deal desk"},
        ],
        "metrics": [
            {
                "key": None,
                "name": "Forecast accuracy",
                "unit": "%",
                "target": "90.00",
                "direction": "higher",
                "cadence": "monthly",
            },
        ],
        "support_items": [
            {"kind": "tool", "name": "CRM dashboards", "function": "RevOps", "detail": "Pipeline by stage."},
        ],
    },
)


class CharterViewSet(ServiceViewSet):
    required_scopes = CHARTER_SCOPES


def _published_version(field: str) -> Subquery:
    published = CharterVersion.objects.filter(role=OuterRef("pk"), status=CharterVersion.Status.PUBLISHED)
    return Subquery(published.values(field)[:1])


class RoleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CharterViewSet):
    output_serializer_class = serializers.RoleSerializer
    input_serializer_classes = {"requirements": RoleRequirementsSerializer}

    def get_queryset(self) -> QuerySet[Role]:
        return policy.roles_visible_to(self.request.user).annotate(
            published_id=_published_version("pk"), published_number=_published_version("number")
        )

    @extend_schema(methods=["GET"], responses=RoleRequirementsSerializer)
    @extend_schema(
        methods=["PUT"],
        request=RoleRequirementsSerializer,
        responses=RoleRequirementsSerializer,
        examples=[
            OpenApiExample(
                "Two required competencies",
                request_only=True,
                value={
                    "requirements": [
                        {"competency": "data-driven-decisions", "required_level": 3, "weight": 2},
                        {"competency": "coaching", "required_level": 2, "weight": 1},
                    ]
                },
            )
        ],
    )
    @action(detail=True, methods=["get", "put"], required_scopes=COMPETENCY_SCOPES, parser_classes=[JSONParser])
    def requirements(self, request: Request, pk: str | None = None) -> Response:
        """What the role requires, read and written as `{"requirements": [{"competency": <key>, "required_level":
        1-4, "weight": 1-5}]}`. PUT (sales leaders) replaces the whole list, so a competency left out is no
        longer required; a bad row is a 400 that names it, and then nothing changes."""
        role = self.get_object()
        if request.method == "PUT":
            body = self.get_serializer(data=request.data)
            body.is_valid(raise_exception=True)
            role_requirements_save(role=role, requirements=body.validated_data["requirements"], by=request.user)
        requirements = role.requirements.select_related("competency")
        return Response(self.get_serializer({"role": role, "requirements": requirements}).data)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("role", int, description=_("Only the versions of this role."))]),
    update=extend_schema(examples=[CHARTER_DRAFT_EXAMPLE]),
    partial_update=extend_schema(
        examples=[
            OpenApiExample(
                "Only the purpose changes",
                request_only=True,
                value={"purpose": "Grow mid-market revenue through a team that forecasts within 10%."},
            )
        ]
    ),
)
class CharterVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CharterViewSet):
    """Versions with their items (`?role=<id>` narrows the list). PUT replaces a draft; PATCH replaces
    only the sections it sends. Published and retired versions are frozen: the service refuses them."""

    output_serializer_class = serializers.CharterVersionSerializer
    input_serializer_classes = {
        "update": serializers.CharterDraftInputSerializer,
        "partial_update": serializers.CharterDraftInputSerializer,
    }
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[CharterVersion]:
        versions = version_with_items(policy.versions_visible_to(self.request.user))
        if self.action == "list" and (role := id_param(self.request, "role")) is not None:
            versions = versions.filter(role_id=role)
        return versions

    def update(self, request: Request, pk: str | None = None, partial: bool = False) -> Response:
        version = self.get_object()
        data = request.data
        if partial and isinstance(data, Mapping):
            # The service replaces every section, so the ones left out are sent back as they are.
            current = self.output(version)
            data = {**{name: current[name] for name in self.get_serializer().fields}, **data}
        draft = self.get_serializer(data=data)
        draft.is_valid(raise_exception=True)
        charter_draft_save(version=version, by=request.user, **draft.validated_data)
        return Response(self.output(self.get_queryset().get(pk=version.pk)))

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(request=None, responses=serializers.CharterVersionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        version = charter_publish(version=self.get_object(), by=request.user)
        return Response(self.output(self.get_queryset().get(pk=version.pk)))


class AcknowledgementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CharterViewSet):
    """A person's own acknowledgement requests; a leader's list also holds their sub-tree's."""

    output_serializer_class = serializers.AcknowledgementSerializer
    input_serializer_classes = {
        "acknowledge": serializers.AcknowledgeInputSerializer,
        "answer": serializers.AnswerInputSerializer,
    }

    def get_queryset(self) -> QuerySet[Acknowledgement]:
        acknowledgements = policy.acknowledgements_visible_to(self.request.user).select_related(
            "person", "version__role", "answered_by"
        )
        if self.action == "acknowledge":
            # Only the person asked may acknowledge: for anyone else, even their leader, it does not exist.
            acknowledgements = acknowledgements.filter(person__user=self.request.user)
        return acknowledgements

    @extend_schema(
        summary=_("Acknowledge a charter version, with clarity ratings (its holder)"),
        parameters=[ID_PARAMETER],
        request=serializers.AcknowledgeInputSerializer,
        responses=serializers.AcknowledgementSerializer,
        examples=[
            OpenApiExample(
                "Clear, with a question",
                request_only=True,
                value={
                    "clarity_focus": 5,
                    "clarity_deprioritize": 4,
                    "clarity_success": 4,
                    "question": "Does the forecast target include renewals?",
                },
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        acknowledgement = self.get_object()
        ratings = self.get_serializer(data=request.data)
        ratings.is_valid(raise_exception=True)
        acknowledgement = charter_acknowledge(
            acknowledgement=acknowledgement, by=request.user, **ratings.validated_data
        )
        return Response(self.output(acknowledgement))

    @extend_schema(
        summary=_("Answer a holder's question (a leader above them)"),
        request=serializers.AnswerInputSerializer,
        responses=serializers.AcknowledgementSerializer,
        examples=[
            OpenApiExample("An answer", request_only=True, value={"answer": "No: renewals have their own target."})
        ],
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        acknowledgement = self.get_object()
        answer = self.get_serializer(data=request.data)
        answer.is_valid(raise_exception=True)
        acknowledgement = acknowledgement_answer(
            acknowledgement=acknowledgement, by=request.user, **answer.validated_data
        )
        return Response(self.output(acknowledgement))


class MetricReadingViewSet(mixins.ListModelMixin, CharterViewSet):
    """Readings the user may see; creating one always records it for the user's own person."""

    output_serializer_class = serializers.MetricReadingSerializer
    input_serializer_classes = {"create": serializers.MetricReadingInputSerializer}

    def get_queryset(self) -> QuerySet[MetricReading]:
        return policy.readings_visible_to(self.request.user).select_related("person", "metric")

    def get_serializer(self, *args, **kwargs) -> BaseSerializer:
        if self.action == "create":
            # Only metrics of versions the user may see can be named; any other id does not exist for them.
            visible = policy.versions_visible_to(self.request.user)
            kwargs["metrics"] = SuccessMetric.objects.filter(version__in=visible).select_related("version")
        return super().get_serializer(*args, **kwargs)

    @extend_schema(
        summary="Record metric readings in bulk",
        description=(
            "Up to 1,000 readings keyed by the person's external id, the metric's key and any day of the period "
            "(from a CRM or BI export), each row answered on its own: `created`, `updated`, `unchanged` (equal to "
            "what is stored, not written) or `error` with field messages (an unknown person, a metric that is not "
            "in the charter of the role the person holds now, a period in the future or before they took the "
            "role, the same person, metric and period twice in the batch). Valid rows are written together; with "
            "`dry_run` nothing is. For HR admins and the systems acting as them, with the `readings:write` scope."
        ),
        request=readings_bulk.ReadingsBulkSchemaSerializer,
        responses={200: readings_bulk.ReadingsBulkResultSerializer},
        examples=[readings_bulk.BULK_EXAMPLE, readings_bulk.BULK_RESULT_EXAMPLE],
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk",
        required_scopes=READINGS_BULK_SCOPES,
        parser_classes=[JSONParser],
    )
    def bulk(self, request: Request) -> Response:
        if not org_policy.is_hr_admin(request.user):
            raise PermissionDenied(_("Readings in bulk come from HR admins and the systems acting as them."))
        envelope = readings_bulk.ReadingsBulkSerializer(data=request.data)
        envelope.is_valid(raise_exception=True)
        outcome = metric_readings_bulk_record(
            rows=readings_bulk.reading_rows(envelope.validated_data["readings"]),
            by=request.user,
            dry_run=envelope.validated_data["dry_run"],
        )
        return Response(readings_bulk.ReadingsBulkResultSerializer(outcome).data)

    @extend_schema(
        summary=_("Record your own metric reading"),
        examples=[
            OpenApiExample(
                "A monthly reading",
                request_only=True,
                value={"metric": 12, "day": "2026-03-31", "value": "87.50", "note": "Two deals slipped."},
            )
        ],
    )
    def create(self, request: Request) -> Response:
        person = org_policy.person_for(request.user)
        if person is None:
            raise PermissionDenied(_("Your account is not linked to anyone in the org, so it has no readings."))
        reading = self.get_serializer(data=request.data)
        reading.is_valid(raise_exception=True)
        recorded = metric_reading_record(person=person, by=request.user, **reading.validated_data)
        return Response(self.output(recorded), status=status.HTTP_201_CREATED)
