"""The competency framework: read by everyone signed in, written by sales leaders."""

from django.db.models import QuerySet
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from managers.api import hiring_schema as schema
from managers.api import hiring_serializers as serializers
from managers.api.hiring_views.base import HiringViewSet
from managers.api.views import COMPETENCY_SCOPES
from managers.models import Competency
from managers.services.competencies import competency_create, competency_update


@schema.competencies
class CompetencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, HiringViewSet):
    """The framework, retired competencies included (`is_active`). POST adds one; PATCH changes any field
    but the key. Competencies are never deleted: retire one with `{"is_active": false}`."""

    required_scopes = COMPETENCY_SCOPES
    output_serializer_class = serializers.CompetencySerializer
    input_serializer_classes = {
        "create": serializers.CompetencyInputSerializer,
        "partial_update": serializers.CompetencyUpdateInputSerializer,
    }

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
