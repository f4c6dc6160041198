"""Applications: listed, put on a requisition, moved, decided, and their candidate profile."""

from django.db.models import QuerySet
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from enablement.api.query_params import choice_param, id_param
from managers import policy
from managers.api import hiring_schema as schema
from managers.api import hiring_serializers as serializers
from managers.api.hiring_views.base import INDEPENDENCE_MESSAGE, HiringViewSet
from managers.api.hiring_views.decisions import _decisions
from managers.models import Application, Candidate
from managers.selectors.hiring import application_list, candidate_profiles
from managers.services.hiring import application_create, application_decide, application_move


@schema.applications
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

    @schema.application_move
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        move = values.validated_data
        application_move(application=application, to_stage=move["stage"], note=move.get("note", ""), by=request.user)
        return Response(self.output(self.get_queryset().get(pk=application.pk)))

    @schema.application_decide
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """Hire or reject, with the rationale; answers the decision as `decisions/` lists it."""
        application = self.get_object()
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        application_decide(application=application, by=request.user, **values.validated_data)
        decided = _decisions(Application.objects.filter(pk=application.pk)).get()
        return Response(serializers.DecisionSerializer(decided, context=self.get_serializer_context()).data)

    @schema.application_profile
    @action(detail=True, methods=["get"])
    def profile(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        if not policy.can_see_feedback(request.user, application):
            raise PermissionDenied(INDEPENDENCE_MESSAGE)
        profile = candidate_profiles([application])[application.pk]
        return Response(serializers.CandidateProfileSerializer(profile, context=self.get_serializer_context()).data)
