"""The OpenAPI description of the hiring API beyond what its serializers say: list filters, a response
with two shapes, and request examples. The viewsets in `managers.api.hiring_views` wear these decorators;
nothing here runs during a request."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)

from managers.api import hiring_serializers as serializers
from managers.models import Application

competencies = extend_schema_view(
    create=extend_schema(
        examples=[
            OpenApiExample(
                "A new skill",
                request_only=True,
                value={
                    "key": "negotiation",
                    "name": "Negotiation",
                    "kind": "skill",
                    "description": "Trading value for value, and walking away from a deal that does not fit.",
                    "anchors": [
                        {"level": 1, "description": "Discounts when a buyer pushes back."},
                        {"level": 2, "description": "Prepares give-gets before each negotiation."},
                        {"level": 3, "description": "Holds price under pressure and trades scope instead."},
                        {"level": 4, "description": "Builds the team's negotiation playbook."},
                    ],
                    "interview_questions": ["Tell me about a deal where you held your price."],
                },
            )
        ]
    ),
    partial_update=extend_schema(
        examples=[OpenApiExample("Retire a competency", request_only=True, value={"is_active": False})]
    ),
)
requisitions = extend_schema_view(
    create=extend_schema(
        examples=[
            OpenApiExample(
                "A requisition",
                request_only=True,
                value={
                    "role": 1,
                    "title": "Sales Manager, Mid-Market East",
                    "hiring_manager": 4,
                    "recruiter": 7,
                    "team": 2,
                    "target_start": "2026-09-01",
                    "external_id": "REQ-1042",
                },
            )
        ]
    ),
    partial_update=extend_schema(
        examples=[OpenApiExample("Put on hold", request_only=True, value={"status": "on_hold"})]
    ),
)
candidate_create = extend_schema(
    summary=_("Find or add a candidate"),
    responses={
        201: serializers.CandidateSerializer,
        200: OpenApiResponse(
            response={
                "anyOf": [
                    {"$ref": "#/components/schemas/Candidate"},
                    {
                        "type": "object",
                        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                        "required": ["id", "name"],
                        "additionalProperties": False,
                    },
                ]
            },
            description=_(
                "Found by email or ATS id: the candidate, or only their id and name when the caller may not "
                "see them yet."
            ),
        ),
    },
    examples=[
        OpenApiExample(
            "A candidate from the ATS",
            request_only=True,
            value={
                "email": "dana.reyes@example.com",
                "first_name": "Dana",
                "last_name": "Reyes",
                "phone": "+1 555 0100",
                "external_id": "ATS-88213",
                "profile_url": "https://www.linkedin.com/in/dana-reyes",
            },
        )
    ],
)
applications = extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("requisition", int, description=_("Only the applications to this requisition.")),
            OpenApiParameter("stage", str, enum=Application.Stage.values, description=_("Only those at this stage.")),
        ]
    ),
    create=extend_schema(
        examples=[
            OpenApiExample(
                "Put a candidate on a requisition",
                request_only=True,
                value={"candidate": 31, "requisition": 5, "source": "referral"},
            )
        ]
    ),
)
application_move = extend_schema(
    summary=_("Move an application to another stage"),
    request=serializers.MoveInputSerializer,
    responses=serializers.ApplicationSerializer,
    examples=[
        OpenApiExample(
            "To the interviews",
            request_only=True,
            value={"stage": "interviews", "note": "Strong screen with the recruiter."},
        )
    ],
)
application_decide = extend_schema(
    summary=_("Hire or reject a candidate"),
    request=serializers.DecideInputSerializer,
    responses=serializers.DecisionSerializer,
    examples=[
        OpenApiExample(
            "Hire",
            request_only=True,
            value={
                "decision": "hire",
                "rationale": "Met or beat the bar on every required competency; strongest on coaching.",
                "external_id": "EMP-20417",
                "start_date": "2026-09-01",
            },
        ),
        OpenApiExample(
            "Reject",
            request_only=True,
            value={"decision": "reject", "rationale": "Below the bar on data-driven decisions (1.5 for 3)."},
        ),
    ],
)
application_profile = extend_schema(
    summary=_("Read a candidate's competency profile"), responses=serializers.CandidateProfileSerializer
)
scorecards = extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("application", int, description=_("Only the scorecards of this application."))]
    )
)
decisions = extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "decided_after",
                OpenApiTypes.DATETIME,
                description=_("Only decisions after this time (ISO 8601, with its offset)."),
            )
        ]
    )
)
