"""The demo's two open requisitions, one per role, with their interview plans."""

from dataclasses import dataclass

from managers.demo.charter_specs import COMMERCIAL, ENTERPRISE, CharterSpec
from managers.demo.requirements import (
    BUSINESS,
    CHANGE,
    COACHING,
    CROSS_FUNCTIONAL,
    CUSTOMER,
    DATA,
    DIALOGUE,
    PIPELINE,
    RESILIENCE,
    STORYTELLING,
    TALENT,
)


@dataclass(frozen=True)
class PlanStage:
    name: str
    minutes: int
    competencies: tuple[str, ...]


@dataclass(frozen=True)
class RequisitionSpec:
    external_id: str
    charter: CharterSpec  # its role, and its director as the hiring manager
    title: str
    plan: tuple[PlanStage, ...]


ENTERPRISE_REQ, COMMERCIAL_REQ = "REQ-1187", "REQ-1192"
HM, ROLE_PLAY, CROSS_PANEL = "Hiring manager interview", "Coaching role play", "Cross-functional panel"
FORECAST_CASE, PIPELINE_CASE = "Forecast review case", "Pipeline review case"
REQUISITIONS = (
    RequisitionSpec(
        ENTERPRISE_REQ,
        ENTERPRISE,
        "Frontline Sales Manager, Enterprise Financial Services (New York)",
        (
            PlanStage(HM, 60, (BUSINESS, CUSTOMER, STORYTELLING)),
            PlanStage(ROLE_PLAY, 45, (COACHING, STORYTELLING)),
            PlanStage(FORECAST_CASE, 60, (PIPELINE, BUSINESS)),
            PlanStage(CROSS_PANEL, 45, (CROSS_FUNCTIONAL, CUSTOMER)),
        ),
    ),
    RequisitionSpec(
        COMMERCIAL_REQ,
        COMMERCIAL,
        "Frontline Sales Manager, Mid-Market (Austin)",
        (
            PlanStage(HM, 45, (TALENT, RESILIENCE, CHANGE)),
            PlanStage(ROLE_PLAY, 45, (COACHING, DIALOGUE)),
            PlanStage(PIPELINE_CASE, 60, (PIPELINE, DATA, COACHING)),
        ),
    ),
)
