"""Requisitions with their interview plan: the ones the caller works on or oversees."""

from django.db.models import Count, Prefetch, Q, QuerySet
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from managers import policy
from managers.api import hiring_schema as schema
from managers.api import hiring_serializers as serializers
from managers.api.hiring_views.base import HiringViewSet
from managers.models import CLOSED_STAGES, InterviewFocus, InterviewStage, Requisition
from managers.services.hiring import requisition_create, requisition_update


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


@schema.requisitions
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
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        requisition = requisition_create(by=request.user, **values.validated_data)
        return Response(self._written(requisition), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        requisition = self.get_object()
        values = self.get_serializer(data=request.data, partial=True)
        values.is_valid(raise_exception=True)
        requisition = requisition_update(requisition=requisition, by=request.user, **values.validated_data)
        return Response(self._written(requisition))

    def _written(self, requisition: Requisition) -> dict:
        # Read back without the caller's scope: they just wrote it, and may have handed it to others.
        return self.output(_requisitions(Requisition.objects.filter(pk=requisition.pk)).get())
