"""Every write to hiring, one module per concept: requisitions and their interview plan
(`requisitions`), candidates and applications with their stage moves (`applications`), interviews
(`interviews`), scorecards: draft, submit, amend (`scorecards`), and decisions (`decisions`). Each runs
in one transaction and validates first; stage moves and decisions are recorded as ApplicationEvents.

Callers import from here (`from managers.services import hiring as services`)."""

from managers.services.hiring.applications import (
    DECIDED_STAGES,
    MOVABLE_STAGES,
    application_create,
    application_move,
    candidate_apply,
    candidate_upsert,
)
from managers.services.hiring.decisions import (
    CLOSE_OUT_NOT_FILLED,
    CloseOutResult,
    application_decide,
    application_decision_errors,
    requisition_close_out,
)
from managers.services.hiring.interviews import interview_cancel, interview_schedule
from managers.services.hiring.requisitions import (
    REQUISITION_FIELDS,
    interview_focus_questions_save,
    interview_stage_add,
    interview_stage_remove,
    interview_stage_update,
    requisition_create,
    requisition_update,
)
from managers.services.hiring.scorecards import (
    RatingInput,
    scorecard_amend,
    scorecard_save_draft,
    scorecard_submit,
    scorecard_submit_errors,
)

__all__ = [
    "DECIDED_STAGES",
    "CLOSE_OUT_NOT_FILLED",
    "CloseOutResult",
    "MOVABLE_STAGES",
    "REQUISITION_FIELDS",
    "RatingInput",
    "application_create",
    "application_decide",
    "application_decision_errors",
    "application_move",
    "candidate_apply",
    "candidate_upsert",
    "interview_cancel",
    "interview_focus_questions_save",
    "interview_schedule",
    "interview_stage_add",
    "interview_stage_remove",
    "interview_stage_update",
    "requisition_close_out",
    "requisition_create",
    "requisition_update",
    "scorecard_amend",
    "scorecard_save_draft",
    "scorecard_submit",
    "scorecard_submit_errors",
]
