"""The people and teams API (`people:read`, `people:write`): what HR systems sync. Reads are scoped by
`enablement.accounts.policy` like the directory; only HR admins (people, or API clients acting with HR-admin
rights) write. Writes to people run the rules of `enablement.org.people_sync`, one row or a thousand."""

from django.db import IntegrityError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from enablement.accounts import policy
from enablement.api.base import ServiceViewSet
from enablement.api.people.serializers import (
    PeopleBulkResultSerializer,
    PeopleBulkSchemaSerializer,
    PeopleBulkSerializer,
    PersonRowSerializer,
    PersonSerializer,
    PersonUpdateSerializer,
    TeamSerializer,
    TeamWriteSerializer,
)
from enablement.api.query_params import choice_param, text_param
from enablement.models import Person, Team
from enablement.org.extensions import with_extensions
from enablement.org.people_sync import BulkOutcome, SyncRow, people_bulk_upsert
from enablement.org.services import team_create, team_update

PEOPLE_SCOPES = {"read": "people:read", "write": "people:write"}
ID_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH)
BULK_EXAMPLE = OpenApiExample(
    "A manager and her report, the report first",
    request_only=True,
    value={
        "dry_run": False,
        "people": [
            {
                "external_id": "E-1002",
                "first_name": "Ravi",
                "last_name": "Shah",
                "email": "ravi.shah@example.com",
                "title": "Account Executive",
                "team": "T-EMEA-MM",
                "manager": "E-1001",
            },
            {
                "external_id": "E-1001",
                "first_name": "Dana",
                "last_name": "Okafor",
                "email": "dana.okafor@example.com",
                "title": "Sales Manager",
                "team": "T-EMEA-MM",
                "manager": None,
                "role": "fsm-mid-market",
            },
        ],
    },
)
BULK_RESULT_EXAMPLE = OpenApiExample(
    "One row created, one refused",
    response_only=True,
    value={
        "dry_run": False,
        "summary": {"created": 1, "updated": 0, "unchanged": 0, "error": 1},
        "results": [
            {
                "index": 0,
                "external_id": "E-1002",
                "status": "error",
                "id": None,
                "changed_fields": [],
                "errors": {"manager": ["No person has external id E-9999, stored or in this batch."]},
            },
            {
                "index": 1,
                "external_id": "E-1001",
                "status": "created",
                "id": 412,
                "changed_fields": ["first_name", "last_name", "email", "title", "team", "manager", "role"],
                "errors": {},
            },
        ],
    },
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A concurrent change got there first; send the request again.")
    default_code = "conflict"


class ChangedByHrAdmins(BasePermission):
    message = _("Only HR admins change people and teams.")

    def has_permission(self, request: Request, view) -> bool:
        return request.method in SAFE_METHODS or policy.can_change_person(request.user)


class PeopleViewSetBase(ServiceViewSet):
    required_scopes = PEOPLE_SCOPES
    permission_classes = [*ServiceViewSet.permission_classes, ChangedByHrAdmins]


def _rows_from(data: list, serializer: PersonRowSerializer, **extra) -> list[SyncRow]:
    """Each row checked on its own, by one serializer (building its fields once per row costs more than the
    rest of a 1,000-row sync), so every row gets its own field messages."""
    rows = []
    for index, row in enumerate(data):
        if not isinstance(row, dict):
            rows.append(SyncRow(index, {}, {"non_field_errors": [str(_("Each row must be an object."))]}))
            continue
        try:
            rows.append(SyncRow(index, {**serializer.run_validation(row), **extra}))
        except exceptions.ValidationError as error:
            external_id = row.get("external_id") if isinstance(row.get("external_id"), str) else None
            rows.append(SyncRow(index, {"external_id": external_id, **extra}, _messages(error.detail)))
    return rows


def _messages(errors: dict) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in errors.items()}


def _upsert(rows: list[SyncRow], by, dry_run: bool = False) -> BulkOutcome:
    try:
        return people_bulk_upsert(rows=rows, by=by, dry_run=dry_run)
    except IntegrityError:
        raise Conflict() from None


@extend_schema_view(
    list=extend_schema(
        summary="List people",
        parameters=[
            OpenApiParameter("employment_status", str, enum=Person.EmploymentStatus.values),
            OpenApiParameter("external_id", str, description="Only the person with this external id."),
        ],
    ),
    retrieve=extend_schema(summary="Read a person", parameters=[ID_PARAMETER]),
    create=extend_schema(summary="Create a person", request=PersonRowSerializer, responses={201: PersonSerializer}),
    partial_update=extend_schema(summary="Change a person", parameters=[ID_PARAMETER], request=PersonUpdateSerializer),
)
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PeopleViewSetBase):
    """People as the HR system knows them, with their team, manager and role by external id."""

    output_serializer_class = PersonSerializer
    input_serializer_classes = {
        "create": PersonRowSerializer,
        "partial_update": PersonUpdateSerializer,
        "bulk": PeopleBulkSerializer,
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Person]:
        people = with_extensions(policy.people_visible_to(self.request.user).select_related("team", "manager"))
        if self.action == "list":
            if employment_status := choice_param(self.request, "employment_status", Person.EmploymentStatus.values):
                people = people.filter(employment_status=employment_status)
            if external_id := text_param(self.request, "external_id"):
                people = people.filter(external_id=external_id)
        return people

    def create(self, request: Request) -> Response:
        row = _rows_from([request.data], PersonRowSerializer())[0]
        if not row.errors and Person.objects.filter(external_id=row.external_id).exists():
            row.refuse("external_id", str(_("A person with this external id exists: change them with PATCH.")))
        if row.errors:
            raise exceptions.ValidationError(row.errors)
        result = self._one(row)
        return Response(self.output(self.get_queryset().get(pk=result.id)), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        person = self.get_object()
        row = _rows_from([request.data], PersonUpdateSerializer(), external_id=person.external_id)[0]
        if row.errors:
            raise exceptions.ValidationError(row.errors)
        self._one(row)
        return Response(self.output(self.get_object()))

    def _one(self, row: SyncRow):
        result = _upsert([row], self.request.user).results[0]
        if result.status == "error":
            raise exceptions.ValidationError(result.errors)
        return result

    @extend_schema(
        summary="Create and update people in bulk",
        description=(
            "Upserts up to 1,000 people by external id, each row on its own: valid rows are written (in one "
            "transaction), invalid ones are answered with their field messages and not written, and a row "
            "whose manager is a refused new row is refused too. Managers may be rows of the same batch, in "
            "any order. A row identical to what is stored is `unchanged` and not written. With "
            '`dry_run` nothing is written. The README\'s "Syncing people" has every rule.'
        ),
        request=PeopleBulkSchemaSerializer,
        responses={200: PeopleBulkResultSerializer},
        examples=[BULK_EXAMPLE, BULK_RESULT_EXAMPLE],
    )
    @action(detail=False, methods=["post"], url_path="bulk")
    def bulk(self, request: Request) -> Response:
        envelope = PeopleBulkSerializer(data=request.data)
        envelope.is_valid(raise_exception=True)
        rows = _rows_from(envelope.validated_data["people"], PersonRowSerializer())
        outcome = _upsert(rows, request.user, dry_run=envelope.validated_data["dry_run"])
        return Response(PeopleBulkResultSerializer(outcome).data)


@extend_schema_view(
    list=extend_schema(summary="List teams"),
    retrieve=extend_schema(summary="Read a team", parameters=[ID_PARAMETER]),
    create=extend_schema(summary="Create a team", request=TeamWriteSerializer, responses={201: TeamSerializer}),
    partial_update=extend_schema(summary="Change a team", parameters=[ID_PARAMETER], request=TeamWriteSerializer),
)
class TeamViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PeopleViewSetBase):
    """Teams, with their parent team and lead by external id."""

    output_serializer_class = TeamSerializer
    input_serializer_classes = {"create": TeamWriteSerializer, "partial_update": TeamWriteSerializer}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Team]:
        return policy.teams_visible_to(self.request.user).select_related("parent", "lead")

    def create(self, request: Request) -> Response:
        serializer = TeamWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        team = team_create(**serializer.validated_data)
        return Response(self.output(self.get_queryset().get(pk=team.pk)), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        team = self.get_object()
        serializer = TeamWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        team_update(team=team, data=serializer.validated_data)
        return Response(self.output(self.get_object()))
