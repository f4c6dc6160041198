"""Candidates of the applications the caller may see; recruiters, sales leaders and hiring managers add them."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from managers import policy
from managers.api import hiring_schema as schema
from managers.api import hiring_serializers as serializers
from managers.api.hiring_views.base import HiringViewSet
from managers.models import Candidate
from managers.services.hiring import candidate_upsert


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

    @schema.candidate_create
    def create(self, request: Request) -> Response:
        """Someone the caller may not see yet is answered with their id and name only, and nothing the
        caller typed is written onto them."""
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        candidate, created = candidate_upsert(by=request.user, **values.validated_data)
        if not created and not policy.candidates_visible_to(request.user).filter(pk=candidate.pk).exists():
            return Response({"id": candidate.pk, "name": candidate.full_name}, status=status.HTTP_200_OK)
        candidate = self._with_applications(Candidate.objects.filter(pk=candidate.pk)).get()
        return Response(self.output(candidate), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
