"""Shapes of the competency and hiring API, one module per resource. Output serializers describe what is
read; input serializers validate the shape of what a command accepts before the view hands it to a
service, which owns every cross-field and cross-model rule. Querysets a field may name are passed in by
the view, scoped to the caller, so an id the caller may not use is answered like one that does not exist.

The viewsets read them from here, as `serializers.<Name>`; other code imports from the resource's module."""

from managers.api.hiring_serializers.applications import (
    ApplicationInputSerializer,
    ApplicationSerializer,
    DecideInputSerializer,
    DecisionSerializer,
    MoveInputSerializer,
)
from managers.api.hiring_serializers.candidates import CandidateInputSerializer, CandidateSerializer
from managers.api.hiring_serializers.competencies import (
    CompetencyInputSerializer,
    CompetencySerializer,
    CompetencyUpdateInputSerializer,
)
from managers.api.hiring_serializers.profiles import CandidateProfileSerializer
from managers.api.hiring_serializers.requisitions import (
    RequisitionInputSerializer,
    RequisitionSerializer,
    RequisitionUpdateInputSerializer,
)
from managers.api.hiring_serializers.scorecards import ScorecardSerializer

__all__ = [
    "ApplicationInputSerializer",
    "ApplicationSerializer",
    "CandidateInputSerializer",
    "CandidateProfileSerializer",
    "CandidateSerializer",
    "CompetencyInputSerializer",
    "CompetencySerializer",
    "CompetencyUpdateInputSerializer",
    "DecideInputSerializer",
    "DecisionSerializer",
    "MoveInputSerializer",
    "RequisitionInputSerializer",
    "RequisitionSerializer",
    "RequisitionUpdateInputSerializer",
    "ScorecardSerializer",
]
