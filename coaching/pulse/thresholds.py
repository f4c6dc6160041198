"""The confidentiality thresholds of team pulses (README, "Team pulse and recognition"): how many must answer
before anything is shown, how many before comments are, and the response rate as a band."""

from django.conf import settings
from django.utils.translation import gettext as _

MIN_THRESHOLD, MAX_THRESHOLD = 3, 10


def min_respondents() -> int:
    """T: never below 3 whatever the setting says, never above 10."""
    return min(max(int(settings.PULSE_MIN_RESPONDENTS), MIN_THRESHOLD), MAX_THRESHOLD)


def min_commenters() -> int:
    return max(int(settings.PULSE_MIN_COMMENTERS), min_respondents())


def pool_days() -> int:
    return max(int(settings.PULSE_POOL_DAYS), 1)


def response_band(*, invited: int, responded: int) -> str | None:
    """The response rate as a band, or None when fewer than T were invited."""
    if invited < min_respondents() or invited == 0:
        return None
    rate = responded / invited
    for floor, label in ((0.8, "80-100%"), (0.6, "60-79%"), (0.4, "40-59%")):
        if rate >= floor:
            return label
    return _("under 40%")
