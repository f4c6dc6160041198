"""Why a manager needs attention: each flag names its lever and says why, in words a leader can act on
("charter not acknowledged for 12 days", "support request open 23 days", "no 1:1 with 3 of 7 sellers in
180 days"). Flags are never counted into a score or used to rank managers; the page can only show the
flagged ones."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coaching.impact.bands import Band
from coaching.impact.selectors import ONE_ON_ONE_DAYS, Flag, ManagerImpact

LOW_RATING = 2  # a clarity or support rating at or below this (1-5) is a flag
HIGH_GAP_INDEX = Decimal("1.00")  # a weighted gap index (levels) at or above this
GAP_RISE = Decimal("0.25")  # a rise of the gap index since last quarter at or above this
REQUEST_OPEN_DAYS = 14  # a support request open longer than this
LOW_FAVOURABLE = 0.5  # a team pulse lever with fewer favourable answers than this
QUESTION_WAIT_DAYS = 3  # a question to the leader unanswered this long (as long as a holder gets to acknowledge)
CLARITY_DIMENSIONS = (
    gettext_lazy("what to focus on"),
    gettext_lazy("what to deprioritize"),
    gettext_lazy("what success looks like"),
)

CLARITY, SKILLS, SUPPORT, PERFORMANCE = "clarity", "skills", "support", "performance"


def _days(since: datetime.datetime, now: datetime.datetime) -> int:
    return (now - since).days


def _pulse_flag(band: Band, lever: str, what: str) -> list[Flag]:
    if band.status == "shown" and band.favourable < LOW_FAVOURABLE:
        return [Flag(lever, _("team pulse: %(what)s favourable %(band)s") % {"what": what, "band": band.label})]
    return []


def _clarity(impact: ManagerImpact, now: datetime.datetime) -> list[Flag]:
    clarity, flags = impact.clarity, []
    if clarity.version is None:
        flags.append(Flag(CLARITY, _("no published charter for their role")))
    elif clarity.pending_since and _days(clarity.pending_since, now) >= settings.CHARTER_ACK_ESCALATE_AFTER_DAYS:
        days = _days(clarity.pending_since, now)
        flags.append(Flag(CLARITY, _("charter not acknowledged for %(days)s days") % {"days": days}))
    for dimension, rating in zip(CLARITY_DIMENSIONS, clarity.ratings or (), strict=False):
        if rating <= LOW_RATING:
            flags.append(Flag(CLARITY, _("rates “%(what)s” %(rating)s of 5") % {"what": dimension, "rating": rating}))
    if clarity.unanswered and _days(clarity.oldest_unanswered_at, now) >= QUESTION_WAIT_DAYS:
        flags.append(
            Flag(
                CLARITY,
                ngettext(
                    "%(count)s question to their leader unanswered for %(days)s days",
                    "%(count)s questions to their leader unanswered, the oldest %(days)s days",
                    clarity.unanswered,
                )
                % {"count": clarity.unanswered, "days": _days(clarity.oldest_unanswered_at, now)},
            )
        )
    return flags + _pulse_flag(clarity.pulse, CLARITY, _("clarity"))


def _skills(impact: ManagerImpact) -> list[Flag]:
    skills, flags = impact.skills, []
    if skills.gap_index is not None and skills.gap_index >= HIGH_GAP_INDEX:
        flags.append(Flag(SKILLS, _("weighted gap index %(index)s levels") % {"index": skills.gap_index}))
    if skills.gap_change is not None and skills.gap_change >= GAP_RISE:
        flags.append(Flag(SKILLS, _("gap index up %(change)s since last quarter") % {"change": skills.gap_change}))
    if skills.plan is None:
        flags.append(Flag(SKILLS, _("no active coaching plan")))
    elif skills.overdue_tasks:
        flags.append(
            Flag(
                SKILLS,
                ngettext("%(count)s coaching task overdue", "%(count)s coaching tasks overdue", skills.overdue_tasks)
                % {"count": skills.overdue_tasks},
            )
        )
    missing = len(skills.team_without_conversation)
    if missing:
        flags.append(
            Flag(
                SKILLS,
                _("no 1:1 with %(missing)s of %(team)s sellers in %(days)s days")
                % {"missing": missing, "team": skills.team, "days": ONE_ON_ONE_DAYS},
            )
        )
    return flags


def _support(impact: ManagerImpact, now: datetime.datetime) -> list[Flag]:
    support, flags = impact.support, []
    oldest = support.oldest_open
    if oldest is not None:
        unanswered = oldest.first_response_at is None and oldest.first_response_due_at <= now
        if unanswered or _days(oldest.created_at, now) > REQUEST_OPEN_DAYS:
            text = _("support request open %(days)s days") % {"days": _days(oldest.created_at, now)}
            if unanswered:
                text += _(", no response yet")
            flags.append(Flag(SUPPORT, text))
    lowest = support.lowest
    if lowest is not None and lowest.ratings[0].score <= LOW_RATING:
        flags.append(
            Flag(
                SUPPORT,
                _("rates “%(item)s” %(rating)s of 5") % {"item": lowest.item.name, "rating": lowest.ratings[0].score},
            )
        )
    return flags + _pulse_flag(support.pulse, SUPPORT, _("support"))


def _performance(impact: ManagerImpact) -> list[Flag]:
    performance, flags = impact.performance, []
    if performance.total and not performance.with_readings:
        flags.append(Flag(PERFORMANCE, _("no metric readings yet")))
    elif performance.off_track:
        flags.append(
            Flag(
                PERFORMANCE,
                _("%(off)s of %(total)s metrics off track")
                % {"off": performance.off_track, "total": performance.total},
            )
        )
    if performance.trend == "down":
        flags.append(Flag(PERFORMANCE, _("fewer metrics on track than the period before")))
    return flags + _pulse_flag(performance.engagement, PERFORMANCE, _("engagement"))


def flags_for(impact: ManagerImpact, *, now: datetime.datetime | None = None) -> list[Flag]:
    now = now or timezone.now()
    return [*_clarity(impact, now), *_skills(impact), *_support(impact, now), *_performance(impact)]
