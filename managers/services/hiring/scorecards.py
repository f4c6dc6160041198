"""Scorecards: the interviewer's draft, its submission (read-only from then on) and amendments beside a
submitted one."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.accounts.policy import require
from enablement.org.services import apply_validated, changed_fields
from managers import policy, signals
from managers.models import Scorecard, ScorecardAmendment, ScorecardRating


@dataclass(frozen=True)
class RatingInput:
    rating: int | None  # None: not assessed
    evidence: str = ""


def _require_own_draft(scorecard: Scorecard, by: AbstractBaseUser) -> Scorecard:
    scorecard = Scorecard.objects.select_for_update().select_related("interview").get(pk=scorecard.pk)
    require(by, policy.is_interviewer, scorecard, message=policy.SCORECARD_DENIED)
    if scorecard.is_submitted:
        raise ValidationError(_("This scorecard was submitted and can no longer be changed; add an amendment."))
    return scorecard


def _save_ratings(scorecard: Scorecard, ratings: Mapping[int, RatingInput]) -> list[ScorecardRating]:
    rows = {row.competency_id: row for row in scorecard.ratings.select_related("competency")}
    unknown = set(ratings) - set(rows)
    if unknown:
        raise ValidationError(
            {
                "ratings": _("This interview does not cover competency %(ids)s.")
                % {"ids": ", ".join(map(str, sorted(unknown)))}
            }
        )
    changed = []
    for competency_id, value in ratings.items():
        row = rows[competency_id]
        if value.rating is not None and value.rating not in (1, 2, 3, 4):
            raise ValidationError({"ratings": _("%(name)s: a rating is 1 to 4.") % {"name": row.competency}})
        evidence = value.evidence.strip()
        if (row.rating, row.evidence) != (value.rating, evidence):
            row.rating, row.evidence, row.updated_at = value.rating, evidence, timezone.now()
            changed.append(row)
    ScorecardRating.objects.bulk_update(changed, ["rating", "evidence", "updated_at"])
    return sorted(rows.values(), key=lambda row: row.competency.name)


@transaction.atomic
def scorecard_save_draft(
    *,
    scorecard: Scorecard,
    by: AbstractBaseUser,
    ratings: Mapping[int, RatingInput],
    recommendation: str = "",
    summary: str = "",
) -> Scorecard:
    """Saves the interviewer's work in progress: ratings by competency id, recommendation, summary.
    Anything may still be missing. Raises PermissionDenied for anyone but the interviewer and
    ValidationError once submitted."""
    scorecard = _require_own_draft(scorecard, by)
    _save_ratings(scorecard, ratings)
    if recommendation and recommendation not in Scorecard.Recommendation.values:
        raise ValidationError({"recommendation": _("Choose a recommendation from the list.")})
    changes = changed_fields(
        scorecard, {"recommendation": recommendation, "summary": summary.strip()}, ("recommendation", "summary")
    )
    if changes:
        apply_validated(scorecard, changes)
        scorecard.save(update_fields=[*changes, "updated_at"])
    return scorecard


def scorecard_submit_errors(scorecard: Scorecard, rows: Iterable[ScorecardRating]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    rows = list(rows)
    missing_evidence = [str(row.competency) for row in rows if row.rating is not None and not row.evidence]
    if missing_evidence:
        errors["ratings"] = [_("Give evidence for every rating: %(names)s.") % {"names": ", ".join(missing_evidence)}]
    if not any(row.rating is not None for row in rows):
        errors.setdefault("ratings", []).append(_("Rate at least one competency."))
    if not scorecard.recommendation:
        errors["recommendation"] = [_("Give an overall recommendation.")]
    if not scorecard.summary:
        errors["summary"] = [_("Write a summary.")]
    return errors


@transaction.atomic
def scorecard_submit(
    *,
    scorecard: Scorecard,
    by: AbstractBaseUser,
    ratings: Mapping[int, RatingInput],
    recommendation: str,
    summary: str,
) -> Scorecard:
    """Saves and submits the scorecard, which is read-only from then on. Every rating given needs
    evidence, at least one competency must be rated, and a recommendation and a summary are required;
    otherwise ValidationError, and nothing is saved. Sends `scorecard_submitted`."""
    scorecard = scorecard_save_draft(
        scorecard=scorecard, by=by, ratings=ratings, recommendation=recommendation, summary=summary
    )
    errors = scorecard_submit_errors(scorecard, scorecard.ratings.select_related("competency"))
    if errors:
        raise ValidationError(errors)
    scorecard.status, scorecard.submitted_at = Scorecard.Status.SUBMITTED, timezone.now()
    scorecard.save(update_fields=["status", "submitted_at", "updated_at"])
    signals.scorecard_submitted.send(sender=Scorecard, scorecard=scorecard, by=by)
    return scorecard


@transaction.atomic
def scorecard_amend(*, scorecard: Scorecard, by: AbstractBaseUser, reason: str, note: str) -> ScorecardAmendment:
    """Records an amendment beside a submitted scorecard, by its interviewer, with a reason; the
    scorecard itself is never changed."""
    scorecard = Scorecard.objects.select_related("interview").get(pk=scorecard.pk)
    require(by, policy.is_interviewer, scorecard, message=policy.SCORECARD_DENIED)
    if not scorecard.is_submitted:
        raise ValidationError(_("A draft is edited, not amended."))
    amendment = ScorecardAmendment(scorecard=scorecard, author=by, reason=reason.strip(), note=note.strip())
    amendment.full_clean()
    amendment.save()
    return amendment


# Decisions
