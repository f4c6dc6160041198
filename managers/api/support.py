"""The support requests API (`support:read`, `support:write`): what the pages show, scoped by
`managers.policy.support_requests_visible_to` (a request's raiser, its owner and the leaders above either;
HR admins and the systems acting as them read all), so what a caller may not see is a 404. The list syncs
with `changed_since` (a request changes when it moves on, is confirmed or reopened, or its thread grows).
Writes go through `managers.services.support`, which ask `managers.policy`: raising is for managers and leaders,
moving a request on for its owner, confirming the fix for its raiser, commenting for them and the leaders above
either. A refusal is a 403 with the rule's message (the pages give the same); invalid input a 400."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enablement.api.base import KeyRelatedField, ServiceViewSet
from enablement.api.parsers import JSONParser
from enablement.api.query_params import choice_param, id_param
from enablement.models import Person
from managers import policy
from managers.models import OPEN_REQUEST_STATES, SupportFunction, SupportItem, SupportRequest, SupportRequestEntry
from managers.services import support as services

SUPPORT_SCOPES = {"read": "support:read", "write": "support:write"}
ID_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH)
STATE_FILTERS = ["open", *SupportRequest.State.values]
STATE_EXAMPLE = OpenApiExample("Resolved", request_only=True, value={"state": "resolved", "note": "Auto-approved."})
CONFIRM_EXAMPLE = OpenApiExample("Not fixed", request_only=True, value={"fixed": False, "note": "Still two days."})
COMMENT_EXAMPLE = OpenApiExample("A comment", request_only=True, value={"body": "On it this week."})


class SupportPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    name = serializers.CharField(source="full_name")


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EntrySerializer(serializers.ModelSerializer):
    author = SupportPersonSerializer()

    class Meta:
        model = SupportRequestEntry
        fields = ["id", "author", "event", "body", "created_at"]
        read_only_fields = fields


class SupportRequestSerializer(serializers.ModelSerializer):
    raised_by = SupportPersonSerializer()
    owner = SupportPersonSerializer()
    function = NamedRefSerializer(allow_null=True)
    support_item = NamedRefSerializer(allow_null=True)
    is_closed = serializers.BooleanField(help_text=_("Declined, or resolved and confirmed fixed by the raiser."))
    entries = EntrySerializer(many=True, help_text=_("The thread: comments and what happened, oldest first."))

    class Meta:
        model = SupportRequest
        fields = [
            "id",
            "title",
            "kind",
            "description",
            "state",
            "is_closed",
            "raised_by",
            "owner",
            "function",
            "support_item",
            "first_response_due_at",
            "first_response_at",
            "resolved_at",
            "resolution",
            "confirmed_fixed_at",
            "reopen_count",
            "entries",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SupportRequestInputSerializer(serializers.Serializer):
    """Who owns it: a function (its named owner answers) or a person by external id; exactly one."""

    title = serializers.CharField(max_length=200, help_text=_("What is blocked, in one line."))
    kind = serializers.ChoiceField(choices=SupportRequest.Kind.choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    function = serializers.PrimaryKeyRelatedField(
        queryset=SupportFunction.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    owner = KeyRelatedField(
        slug_field="external_id",
        queryset=Person.objects.current(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The owner's external id, when it is not raised to a function."),
    )
    support_item = serializers.PrimaryKeyRelatedField(
        queryset=SupportItem.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A support item of the raiser's current charter."),
    )


class StateInputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=[state for state in SupportRequest.State.values if state != SupportRequest.State.OPEN]
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        default="",
        help_text=_("What was done; required to decline (the reason)."),
    )


class ConfirmInputSerializer(serializers.Serializer):
    fixed = serializers.BooleanField(help_text=_("Did the resolution fix the problem? false reopens it."))
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=4000)


@extend_schema_view(
    list=extend_schema(
        summary="List support requests",
        parameters=[
            OpenApiParameter("state", str, enum=STATE_FILTERS, description=_("open: every state still open.")),
            OpenApiParameter("function", int, description=_("Only those raised to this function.")),
        ],
    ),
    retrieve=extend_schema(summary="Read a support request", parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary="Raise a support request",
        request=SupportRequestInputSerializer,
        responses={201: SupportRequestSerializer},
        examples=[
            OpenApiExample(
                "Raised to Revenue Operations",
                request_only=True,
                value={
                    "title": "CPQ approvals take five days",
                    "kind": "tool",
                    "description": "Quotes wait for a VP.",
                    "function": 3,
                    "owner": None,
                    "support_item": 41,
                },
            )
        ],
    ),
)
class SupportRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Support requests the caller may see, open ones and closed ones, with their thread."""

    required_scopes = SUPPORT_SCOPES
    parser_classes = [JSONParser]
    output_serializer_class = SupportRequestSerializer
    input_serializer_classes = {
        "create": SupportRequestInputSerializer,
        "state": StateInputSerializer,
        "confirm": ConfirmInputSerializer,
        "comments": CommentInputSerializer,
    }

    def get_queryset(self) -> QuerySet[SupportRequest]:
        requests = (
            policy.support_requests_visible_to(self.request.user)
            .select_related("raised_by", "owner", "function", "support_item")
            .prefetch_related(Prefetch("entries", SupportRequestEntry.objects.select_related("author")))
            .order_by("-created_at", "-pk")
        )
        if self.action == "list":
            if (state := choice_param(self.request, "state", STATE_FILTERS)) == "open":
                requests = requests.filter(state__in=OPEN_REQUEST_STATES)
            elif state:
                requests = requests.filter(state=state)
            if (function := id_param(self.request, "function")) is not None:
                requests = requests.filter(function_id=function)
        return requests

    def _answer(self, support_request: SupportRequest, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(self.output(self.get_queryset().get(pk=support_request.pk)), status=status_code)

    def create(self, request: Request) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.support_request_raise(by=request.user, **body.validated_data), 201)

    @extend_schema(summary="Move a support request on (its owner)", parameters=[ID_PARAMETER], examples=[STATE_EXAMPLE])
    @action(detail=True, methods=["post"])
    def state(self, request: Request, pk: str | None = None) -> Response:
        """acknowledged, in_progress, resolved or declined (with the reason in `note`), by the request's owner."""
        support_request = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.support_request_transition(request=support_request, by=request.user, **body.validated_data)
        return self._answer(support_request)

    @extend_schema(
        summary="Say whether the resolution fixed it (its raiser)",
        parameters=[ID_PARAMETER],
        examples=[CONFIRM_EXAMPLE],
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """For a resolved request: `fixed` true closes it, false reopens it for its owner."""
        support_request = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.support_request_confirm(request=support_request, by=request.user, **body.validated_data)
        return self._answer(support_request)

    @extend_schema(
        summary="Comment on a support request",
        parameters=[ID_PARAMETER],
        responses={201: SupportRequestSerializer},
        examples=[COMMENT_EXAMPLE],
    )
    @action(detail=True, methods=["post"])
    def comments(self, request: Request, pk: str | None = None) -> Response:
        """By the raiser, the owner or a leader above either (an HR admin only reads)."""
        support_request = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.support_request_comment(request=support_request, by=request.user, **body.validated_data)
        return self._answer(support_request, status.HTTP_201_CREATED)
