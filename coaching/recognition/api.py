"""The recognition API under /api/v1/recognitions/: the list (newest first, or in change order with
`changed_since` for incremental sync) of what the caller sees, and giving one, through
`coaching.recognition.services.recognition_give` and its rules (a refusal is a 400 naming the field).

A person gives as themselves. An integration's API client (a chat command, say) names the `giver`; an HR
system's client (HR admin access) lists every recognition, as the `recognition.given` webhook announces
them; machines never get the reason text. Nothing here counts recognitions per person: no ranking."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from coaching.models import Recognition, RecognitionTag
from coaching.recognition import selectors
from coaching.recognition.forms import REASON_MAX_CHARS
from coaching.recognition.services import recognition_give
from enablement.accounts import policy
from enablement.api.base import KeyRelatedField, ServiceViewSet
from enablement.api.parsers import JSONParser
from enablement.api.query_params import id_param
from enablement.models import Person
from enablement.web.input_checks import MAX_ID
from managers.api.serializers import PersonRefSerializer
from managers.models import Competency

RECOGNITION_SCOPES = {"read": "recognition:read", "write": "recognition:write"}


class RecognitionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    giver = PersonRefSerializer(read_only=True)
    recipient = PersonRefSerializer(read_only=True)
    reason = serializers.SerializerMethodField(help_text=_("Null for API clients: the reason stays in the platform."))
    tags = serializers.ListField(child=serializers.ChoiceField(choices=RecognitionTag.choices), read_only=True)
    competency = serializers.CharField(source="competency.key", read_only=True, allow_null=True)
    visibility = serializers.ChoiceField(choices=Recognition.Visibility.choices, read_only=True)
    counts = serializers.BooleanField(
        read_only=True, help_text=_("False when flagged: left out of figures (the manager's coverage).")
    )
    flag = serializers.ChoiceField(choices=Recognition.Flag.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reason(self, recognition: Recognition) -> str | None:
        return recognition.reason if selectors.reason_shown_to(self.context["request"].user) else None


class RecognitionInputSerializer(serializers.Serializer):
    giver = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text=_(
            "Who gives it: for an integration's API client only (required there); a person gives as themselves."
        ),
    )
    recipient = serializers.PrimaryKeyRelatedField(queryset=Person.objects.current())
    reason = serializers.CharField(max_length=REASON_MAX_CHARS)
    tags = serializers.ListField(
        child=serializers.ChoiceField(choices=RecognitionTag.choices),
        required=False,
        default=list,
        max_length=len(RecognitionTag.values),
        help_text=_("One or more behaviours, or a competency, or both."),
    )
    competency = KeyRelatedField(
        slug_field="key", queryset=Competency.objects.filter(is_active=True), required=False, allow_null=True
    )
    visibility = serializers.ChoiceField(choices=Recognition.Visibility.choices, default=Recognition.Visibility.TEAM)


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("recipient", int, description=_("Only what this person received."))]
    ),
    create=extend_schema(
        examples=[
            OpenApiExample(
                "A thank-you for prospecting",
                request_only=True,
                value={
                    "recipient": 14,
                    "reason": "Booked the Acme discovery call from a cold LinkedIn message.",
                    "tags": ["prospecting"],
                    "visibility": "team",
                },
            )
        ]
    ),
)
class RecognitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Recognition the caller sees (as on the feed), newest first; `?recipient=<person id>` lists what one
    person received. POST gives one: 400 for what the rules refuse (yourself, no reason, no behaviour nor
    competency, a recipient who left, over the daily cap); a returned thank-you is given but flagged and
    does not count."""

    required_scopes = RECOGNITION_SCOPES
    parser_classes = [JSONParser]
    output_serializer_class = RecognitionSerializer
    input_serializer_classes = {"create": RecognitionInputSerializer}

    def get_queryset(self) -> QuerySet[Recognition]:
        recognitions = selectors.recognitions_listed_to(self.request.user).order_by("-created_at", "-pk")
        if self.action == "list" and (recipient := id_param(self.request, "recipient")) is not None:
            recognitions = recognitions.filter(recipient_id=recipient)
        return recognitions

    def create(self, request: Request) -> Response:
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        data = dict(values.validated_data)
        recognition = recognition_give(giver=self._giver(data.pop("giver", None)), **data)
        return Response(self.output(recognition), status=status.HTTP_201_CREATED)

    def _giver(self, giver_id: int | None) -> Person:
        if selectors.gives_on_behalf(self.request.user):
            if giver_id is None:
                raise ValidationError({"giver": [_("Name who gives it.")]})
            giver = Person.objects.current().filter(pk=giver_id).first()
            if giver is None:
                raise ValidationError({"giver": [_("Nobody in the org has this id.")]})
            return giver
        me = policy.person_for(self.request.user)
        if me is None:
            raise PermissionDenied(_("Recognition is given by someone in the org."))
        if giver_id not in (None, me.pk):
            raise ValidationError({"giver": [_("You give recognition as yourself.")]})
        return me
