"""The competency and hiring API, one module per resource. Every queryset is scoped by `managers.policy`,
so what a user may not see is a 404; every change goes through a service, whose ValidationError becomes a
400. Scorecards are read here and never written: drafts are filled in and submitted on the scorecard page,
by their interviewer. The OpenAPI examples and filters are in `managers.api.hiring_schema`."""

from managers.api.hiring_views.applications import ApplicationViewSet
from managers.api.hiring_views.base import HIRING_SCOPES, HiringViewSet
from managers.api.hiring_views.candidates import CandidateViewSet
from managers.api.hiring_views.competencies import CompetencyViewSet
from managers.api.hiring_views.decisions import DecisionViewSet
from managers.api.hiring_views.requisitions import RequisitionViewSet
from managers.api.hiring_views.scorecards import ScorecardViewSet

__all__ = [
    "HIRING_SCOPES",
    "ApplicationViewSet",
    "CandidateViewSet",
    "CompetencyViewSet",
    "DecisionViewSet",
    "HiringViewSet",
    "RequisitionViewSet",
    "ScorecardViewSet",
]
