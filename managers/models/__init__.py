from managers.models.charters import (
    Acknowledgement,
    CharterEvent,
    CharterVersion,
    DeprioritizedActivity,
    FocusArea,
    MetricReading,
    Role,
    RoleAssignment,
    SuccessMetric,
    SupportItem,
)

__all__ = [
    "Acknowledgement",
    "CharterEvent",
    "CharterVersion",
    "DeprioritizedActivity",
    "FocusArea",
    "MetricReading",
    "Role",
    "RoleAssignment",
    "SuccessMetric",
    "SupportItem",
]
