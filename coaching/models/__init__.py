from coaching.models.assessments import Assessment, AssessmentRating
from coaching.models.leavers import LeaverHandover
from coaching.models.plans import (
    OPEN_TASK_STATES,
    ActivityKind,
    CoachingPlan,
    CoachingSession,
    CoachingTask,
    DevelopmentActivity,
    Goal,
)

__all__ = [
    "OPEN_TASK_STATES",
    "ActivityKind",
    "Assessment",
    "AssessmentRating",
    "CoachingPlan",
    "CoachingSession",
    "CoachingTask",
    "DevelopmentActivity",
    "Goal",
    "LeaverHandover",
]
