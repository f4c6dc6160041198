"""Reads for the hiring pages and API: candidate profiles (the competency aggregate, fit and flags),
the side-by-side comparison, the pipeline board and the recruiter's pending scorecards. Each runs a
fixed number of queries whatever the number of candidates, scorecards and competencies: the
aggregates are computed by the database, grouped by application and competency."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.accounts.policy import User
from managers import policy
from managers.models import (
    CLOSED_STAGES,
    Application,
    Competency,
    Interview,
    Requisition,
    RoleCompetency,
    Scorecard,
    ScorecardRating,
)

TWO_PLACES = Decimal("0.01")
# Ratings this far apart on one competency are a strong disagreement worth discussing before deciding.
DISAGREEMENT_SPREAD = 2
# The fit figure says something only once submitted scorecards rated at least this share (in percent) of the
# role's requirement weight; below it the pages lead with the evidence and show no fit (README, "Competencies
# and hiring"). Three quarters: of a typical role's 6-8 required competencies, the heaviest ones rated.
FIT_MIN_COVERAGE = Decimal(75)


def _decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CompetencyScore:
    """Submitted ratings of one competency for one application ("not assessed" excluded)."""

    competency: Competency
    required_level: int | None = None
    weight: int | None = None
    mean: Decimal | None = None
    lowest: int | None = None
    highest: int | None = None
    count: int = 0

    @property
    def is_required(self) -> bool:
        return self.required_level is not None

    @property
    def disagreement(self) -> bool:
        return self.count >= 2 and self.highest - self.lowest >= DISAGREEMENT_SPREAD

    @property
    def not_covered(self) -> bool:
        return self.is_required and self.count == 0

    @property
    def gap(self) -> Decimal | None:
        """Required level minus the mean rating; positive is short of the requirement."""
        if not self.is_required or self.mean is None:
            return None
        return _decimal(self.required_level - self.mean)

    @property
    def gap_state(self) -> str | None:
        """ "short" (the gap is positive), "meets" (the mean is the required level) or "exceeds"; None when
        nothing to compare. A mean above the requirement is no negative gap."""
        gap = self.gap
        if gap is None:
            return None
        return "short" if gap > 0 else "meets" if gap == 0 else "exceeds"

    @property
    def attainment(self) -> Decimal | None:
        """The share of the required level the mean reaches, capped at 1."""
        if not self.is_required or self.mean is None:
            return None
        return min(self.mean / self.required_level, Decimal(1))


@dataclass(frozen=True)
class Flag:
    code: str  # "disagreement", "not_covered", "missing_scorecard"
    message: str


@dataclass
class CandidateProfile:
    application: Application
    scores: list[CompetencyScore]
    recommendations: Counter = field(default_factory=Counter)
    submitted: int = 0
    expected: int = 0
    missing_scorecards: list[Interview] = field(default_factory=list)

    @property
    def recommendation_counts(self) -> list[tuple[Scorecard.Recommendation, int]]:
        """How many submitted scorecards recommended what, strongest yes first (none left out as zero)."""
        order = reversed(Scorecard.Recommendation)
        return [(choice, self.recommendations[choice.value]) for choice in order if self.recommendations[choice.value]]

    def score_for(self, competency_id: int) -> CompetencyScore | None:
        return next((score for score in self.scores if score.competency.pk == competency_id), None)

    @property
    def required_scores(self) -> list[CompetencyScore]:
        return [score for score in self.scores if score.is_required]

    @cached_property
    def fit(self) -> Decimal | None:
        """Weighted attainment of the required levels, in percent, over the required competencies that
        submitted scorecards covered; None when none was covered. `coverage` says how much that is."""
        covered = [score for score in self.required_scores if score.count]
        total = sum(score.weight for score in covered)
        if not total:
            return None
        return _decimal(sum(score.weight * score.attainment for score in covered) / total * 100)

    @cached_property
    def coverage(self) -> Decimal | None:
        """The share of the role's requirement weight that submitted scorecards covered, in percent."""
        required = self.required_scores
        total = sum(score.weight for score in required)
        if not total:
            return None
        return _decimal(Decimal(sum(score.weight for score in required if score.count)) / total * 100)

    @property
    def fit_is_conclusive(self) -> bool:
        """Whether the fit rests on enough evidence to be shown: coverage of at least FIT_MIN_COVERAGE."""
        return self.fit is not None and self.coverage is not None and self.coverage >= FIT_MIN_COVERAGE

    @property
    def pending(self) -> int:
        """Scheduled interviews whose scorecard is not in yet."""
        return self.expected - self.submitted

    @property
    def flags(self) -> list[Flag]:
        """Strong disagreements, required competencies the submitted scorecards left uncovered (once there
        is at least one: before any feedback, every requirement is uncovered and that says nothing), and
        scorecards missing SCORECARD_OVERDUE_AFTER_HOURS after their interview."""
        flags = [
            Flag(
                "disagreement",
                _("%(competency)s: ratings from %(lowest)s to %(highest)s")
                % {"competency": score.competency, "lowest": score.lowest, "highest": score.highest},
            )
            for score in self.scores
            if score.disagreement
        ]
        if self.submitted:
            flags += [
                Flag(
                    "not_covered",
                    _("%(competency)s: required, but no submitted scorecard rated it")
                    % {"competency": score.competency},
                )
                for score in self.scores
                if score.not_covered
            ]
        flags += [
            Flag(
                "missing_scorecard",
                _("%(interview)s with %(interviewer)s: scorecard missing")
                % {"interview": interview.stage, "interviewer": interview.interviewer},
            )
            for interview in self.missing_scorecards
        ]
        return flags

    @property
    def flag_lines(self) -> list[str]:
        """The flags in three lines at most, for the side-by-side comparison."""
        groups = [
            (
                _("Ratings 2+ apart"),
                [s for s in self.scores if s.disagreement],
                "{0.competency} ({0.lowest}–{0.highest})",
            ),
            (_("Not covered"), [s for s in self.scores if s.not_covered and self.submitted], "{0.competency}"),
            (_("Scorecard missing"), self.missing_scorecards, "{0.interviewer}"),
        ]
        return [
            f"{label}: {', '.join(template.format(item) for item in items)}"
            for label, items, template in groups
            if items
        ]


def scorecard_overdue_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Interviews that took place before this time should have a submitted scorecard by now."""
    return (now or timezone.now()) - datetime.timedelta(hours=settings.SCORECARD_OVERDUE_AFTER_HOURS)


def _requirements_by_role(role_ids: Iterable[int]) -> dict[int, list[RoleCompetency]]:
    by_role: dict[int, list[RoleCompetency]] = defaultdict(list)
    for requirement in RoleCompetency.objects.filter(role__in=set(role_ids)).select_related("competency"):
        by_role[requirement.role_id].append(requirement)
    return by_role


def _rating_aggregates(application_ids: Sequence[int]) -> dict[int, dict[int, dict]]:
    rows = (
        ScorecardRating.objects.filter(
            scorecard__status=Scorecard.Status.SUBMITTED,
            scorecard__interview__application__in=application_ids,
            rating__isnull=False,
        )
        .values("scorecard__interview__application", "competency")
        .annotate(mean=Avg("rating"), lowest=Min("rating"), highest=Max("rating"), count=Count("pk"))
        .order_by()
    )
    by_application: dict[int, dict[int, dict]] = defaultdict(dict)
    for row in rows:
        by_application[row["scorecard__interview__application"]][row["competency"]] = row
    return by_application


def _scores(requirements: list[RoleCompetency], aggregates: dict[int, dict], competencies: dict[int, Competency]):
    scores = []
    for requirement in requirements:
        row = aggregates.get(requirement.competency_id)
        scores.append(_score(requirement.competency, row, requirement))
    required_ids = {requirement.competency_id for requirement in requirements}
    extra = [_score(competencies[pk], row) for pk, row in aggregates.items() if pk not in required_ids]
    return scores + sorted(extra, key=lambda score: score.competency.name)


def _score(competency: Competency, row: dict | None, requirement: RoleCompetency | None = None) -> CompetencyScore:
    values = {}
    if requirement is not None:
        values = {"required_level": requirement.required_level, "weight": requirement.weight}
    if row is not None:
        values |= {
            "mean": _decimal(row["mean"]),
            "lowest": row["lowest"],
            "highest": row["highest"],
            "count": row["count"],
        }
    return CompetencyScore(competency=competency, **values)


def candidate_profiles(applications: Sequence[Application]) -> dict[int, CandidateProfile]:
    """The profile of each application, by id, in five queries however many there are. `applications`
    must come with `requisition` (as `application_list` loads them)."""
    ids = [application.pk for application in applications]
    if not ids:
        return {}
    requirements = _requirements_by_role(application.requisition.role_id for application in applications)
    aggregates = _rating_aggregates(ids)
    rated_ids = {pk for by_competency in aggregates.values() for pk in by_competency}
    competencies = Competency.objects.in_bulk(rated_ids)
    recommendations: dict[int, Counter] = defaultdict(Counter)
    submitted: Counter = Counter()
    expected: Counter = Counter()
    missing: dict[int, list[Interview]] = defaultdict(list)
    overdue_before = scorecard_overdue_before()
    active = {application.pk for application in applications if application.is_active}
    interviews = Interview.objects.filter(application__in=ids).select_related("scorecard", "stage", "interviewer")
    for interview in interviews:
        expected[interview.application_id] += 1
        if interview.scorecard.is_submitted:
            submitted[interview.application_id] += 1
            recommendations[interview.application_id][interview.scorecard.recommendation] += 1
        elif interview.scheduled_at < overdue_before and interview.application_id in active:
            missing[interview.application_id].append(interview)
    return {
        application.pk: CandidateProfile(
            application=application,
            scores=_scores(requirements[application.requisition.role_id], aggregates[application.pk], competencies),
            recommendations=recommendations[application.pk],
            submitted=submitted[application.pk],
            expected=expected[application.pk],
            missing_scorecards=missing[application.pk],
        )
        for application in applications
    }


def application_list(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("candidate", "requisition__role", "requisition__hiring_manager")


# The comparison puts the candidates furthest along first; closed ones last.
COMPARISON_ORDER = (
    Application.Stage.DECISION,
    Application.Stage.INTERVIEWS,
    Application.Stage.SCREEN,
    Application.Stage.APPLIED,
    Application.Stage.HIRED,
    Application.Stage.REJECTED,
    Application.Stage.WITHDRAWN,
)
# A board lane shows this many cards, and says how many more there are.
BOARD_LANE_LIMIT = 20


def comparison_order(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Applications in the comparison's order: furthest along first, then the longest in their stage."""
    rank = Case(
        *(When(stage=stage, then=Value(index)) for index, stage in enumerate(COMPARISON_ORDER)),
        default=Value(len(COMPARISON_ORDER)),
        output_field=IntegerField(),
    )
    return application_list(queryset).annotate(stage_rank=rank).order_by("stage_rank", "stage_changed_at", "pk")


def board_lanes(queryset: QuerySet[Application]) -> tuple[dict[str, list[Application]], dict[str, int]]:
    """The cards of each stage's lane, at most BOARD_LANE_LIMIT each (open stages: the longest waiting
    first; closed ones: the latest first), and how many each stage has: three queries whatever the
    number of applications."""
    counts = dict(queryset.order_by().values_list("stage").annotate(count=Count("pk")))
    lanes: dict[str, list[Application]] = defaultdict(list)
    for closed, order in ((False, F("stage_changed_at").asc()), (True, F("stage_changed_at").desc())):
        stages = queryset.filter(stage__in=CLOSED_STAGES) if closed else queryset.exclude(stage__in=CLOSED_STAGES)
        ranked = application_list(stages).annotate(
            lane_rank=Window(RowNumber(), partition_by=[F("stage")], order_by=[order, F("pk").asc()])
        )
        for application in ranked.filter(lane_rank__lte=BOARD_LANE_LIMIT).order_by("stage", "lane_rank"):
            lanes[application.stage].append(application)
    return lanes, counts


def requisition_overview_for(*, user: User) -> QuerySet[Requisition]:
    """The requisitions a user works on or oversees, with counts of active applications and of
    scorecards overdue."""
    active = Q(applications__isnull=False) & ~Q(applications__stage__in=CLOSED_STAGES)
    overdue = Q(
        applications__interviews__scorecard__status=Scorecard.Status.DRAFT,
        applications__interviews__scheduled_at__lt=scorecard_overdue_before(),
    ) & ~Q(applications__stage__in=CLOSED_STAGES)
    return (
        policy.requisitions_visible_to(user)
        .select_related("role", "hiring_manager", "recruiter")
        .annotate(
            active_count=Count("applications", filter=active, distinct=True),
            overdue_count=Count("applications__interviews", filter=overdue, distinct=True),
        )
        .order_by("-created_at", "pk")  # the GROUP BY drops Meta.ordering
    )


# The close-out lists at most this many candidates at once (what is left is offered again).
CLOSE_OUT_LIMIT = 100


def close_out_candidates(requisition: Requisition) -> QuerySet[Application]:
    """The requisition's applications still active (what a hire leaves to close out), longest waiting
    first, with their interviews still to come."""
    upcoming = Interview.objects.filter(
        scorecard__status=Scorecard.Status.DRAFT, scheduled_at__gte=timezone.now()
    ).select_related("stage", "interviewer")
    return (
        application_list(requisition.applications.exclude(stage__in=CLOSED_STAGES))
        .prefetch_related(Prefetch("interviews", queryset=upcoming, to_attr="upcoming_interviews"))
        .order_by("stage_changed_at", "pk")
    )


def interviews_for(*, user: User) -> QuerySet[Interview]:
    """The user's own interviews, with their scorecard status, soonest first."""
    return (
        policy.own_interviews(user)
        .select_related("scorecard", "stage", "application__candidate", "application__requisition")
        .order_by("scheduled_at")
    )


def pending_scorecards_for(*, user: User) -> QuerySet[Interview]:
    """Interviews that took place on the requisitions a user works, whose scorecard is still a draft,
    oldest first."""
    return (
        Interview.objects.filter(
            application__requisition__in=policy.requisitions_managed_by(user).values("pk"),
            scorecard__status=Scorecard.Status.DRAFT,
            scheduled_at__lt=timezone.now(),
        )
        .exclude(application__stage__in=CLOSED_STAGES)
        .select_related("interviewer", "stage", "application__candidate", "application__requisition")
        .order_by("scheduled_at")
    )


def scorecards_of(*, user: User, application: Application) -> QuerySet[Scorecard]:
    """The scorecards of an application `user` may read (policy.scorecards_visible_to), with ratings and
    amendments."""
    return (
        policy.scorecards_visible_to(user)
        .filter(interview__application=application)
        .select_related("interview__interviewer", "interview__stage")
        .prefetch_related(
            Prefetch("ratings", queryset=ScorecardRating.objects.select_related("competency")), "amendments"
        )
    )


def submitted_ratings_for_export(requisition: Requisition) -> QuerySet[ScorecardRating]:
    return (
        ScorecardRating.objects.filter(
            scorecard__status=Scorecard.Status.SUBMITTED, scorecard__interview__application__requisition=requisition
        )
        .select_related(
            "competency",
            "scorecard__interview__stage",
            "scorecard__interview__interviewer",
            "scorecard__interview__application__candidate",
        )
        .order_by(
            "scorecard__interview__application__candidate__last_name",
            "scorecard__interview__scheduled_at",
            "competency__name",
        )
    )


@dataclass(frozen=True)
class HiringEvidence:
    """What the interviews found about one competency of a hire: the mean of submitted ratings, how many
    there were, and the written evidence."""

    competency_id: int
    level: Decimal
    count: int
    evidence: tuple[str, ...]


def hiring_evidence(application: Application) -> dict[int, HiringEvidence]:
    """The evidence of an application's submitted scorecards by competency id (not-assessed excluded)."""
    ratings = ScorecardRating.objects.filter(
        scorecard__status=Scorecard.Status.SUBMITTED,
        scorecard__interview__application=application,
        rating__isnull=False,
    ).select_related("scorecard__interview__interviewer", "scorecard__interview__stage")
    by_competency: dict[int, list[ScorecardRating]] = defaultdict(list)
    for rating in ratings:
        by_competency[rating.competency_id].append(rating)
    return {
        competency_id: HiringEvidence(
            competency_id=competency_id,
            level=_decimal(Decimal(sum(r.rating for r in rows)) / len(rows)),
            count=len(rows),
            evidence=tuple(
                f"{r.scorecard.interview.stage} ({r.scorecard.interview.interviewer}), {r.rating}: {r.evidence}"
                for r in rows
            ),
        )
        for competency_id, rows in by_competency.items()
    }
