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
from coaching.models.pulse import (
    FeedbackAction,
    Lever,
    Pulse,
    PulseAnswer,
    PulseBallotBox,
    PulseComment,
    PulseInvitation,
    PulseItem,
    PulseQuestion,
    PulseSeries,
)
from coaching.models.recognition import Recognition, RecognitionTag

__all__ = [
    "OPEN_TASK_STATES",
    "ActivityKind",
    "Assessment",
    "AssessmentRating",
    "CoachingPlan",
    "CoachingSession",
    "CoachingTask",
    "DevelopmentActivity",
    "FeedbackAction",
    "Goal",
    "LeaverHandover",
    "Lever",
    "Pulse",
    "PulseAnswer",
    "PulseBallotBox",
    "PulseComment",
    "PulseInvitation",
    "PulseItem",
    "PulseQuestion",
    "PulseSeries",
    "Recognition",
    "RecognitionTag",
]
