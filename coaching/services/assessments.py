"""Assessments: recorded directly (a leader's, a peer's, an HR or learning system's), requested from a
person and submitted by them (self-assessment), or made from a hire's interview evidence."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching import policy
from coaching.models import Assessment, AssessmentRating
from enablement.accounts.policy import require
from enablement.models import Person
from managers.models import Application, Competency
from managers.selectors.hiring import HiringEvidence


@dataclass(frozen=True)
class LevelInput:
    level: Decimal
    evidence: str = ""


def _save_ratings(assessment: Assessment, ratings: Mapping[Competency, LevelInput]) -> None:
    if not ratings:
        raise ValidationError({"ratings": _("Rate at least one competency.")})
    rows = []
    for competency, value in ratings.items():
        row = AssessmentRating(
            assessment=assessment, competency=competency, level=value.level, evidence=value.evidence.strip()
        )
        try:
            row.full_clean(exclude=["assessment"], validate_unique=False)
        except ValidationError as error:
            raise ValidationError({"ratings": [f"{competency}: {message}" for message in error.messages]}) from error
        rows.append(row)
    AssessmentRating.objects.bulk_create(rows)


@transaction.atomic
def assessment_record(
    *,
    person: Person,
    source: str,
    ratings: Mapping[Competency, LevelInput],
    by: AbstractBaseUser | None,
    assessed_on: datetime.date | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    summary: str = "",
    assessor: AbstractBaseUser | None = None,
) -> Assessment:
    """Records a submitted assessment of `person` by `source` with a level (1-4, fractions allowed) per
    competency, as `by`'s view (`policy.can_assess`, else PermissionDenied) from a source they may record
    (`policy.assessment_sources_for`). Hiring assessments come only from hiring decisions. Raises
    ValidationError with field messages and writes nothing then. Only the platform (`by=None`, the demo)
    names the `assessor` whose view it records."""
    require(by, policy.can_assess, person, message=policy.ASSESS_DENIED)
    if source == Assessment.Source.HIRING:
        raise ValidationError({"source": _("Hiring assessments come from hiring decisions.")})
    if by is not None and source not in policy.assessment_sources_for(by):
        raise ValidationError(
            {
                "source": _(
                    "You record your own view, as leader or peer; self-assessments are "
                    "asked for, and filled in by the person."
                )
            }
        )
    if assessed_on is not None and assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("An assessment is recorded once it was made.")})
    assessment = Assessment(
        person=person,
        source=source,
        assessor=by if by is not None else assessor,
        assessed_on=assessed_on or timezone.localdate(),
        period_start=period_start,
        period_end=period_end,
        summary=summary.strip(),
    )
    assessment.full_clean()
    assessment.save()
    _save_ratings(assessment, ratings)
    return assessment


@transaction.atomic
def assessment_request(
    *, person: Person, by: AbstractBaseUser, due_on: datetime.date | None = None, note: str = ""
) -> Assessment:
    """Asks `person` for a self-assessment against their role's competencies, by someone who may assess
    them (PermissionDenied otherwise). One open request at a time: asking again returns the open one."""
    require(by, policy.can_assess, person, message=policy.ASSESS_DENIED)
    if person.user_id is None or person.is_terminated:
        raise ValidationError(_("%(person)s cannot sign in to assess themselves.") % {"person": person})
    open_request = Assessment.objects.filter(
        person=person, source=Assessment.Source.SELF, status=Assessment.Status.REQUESTED
    ).first()
    if open_request is not None:
        return open_request
    assessment = Assessment(
        person=person,
        source=Assessment.Source.SELF,
        status=Assessment.Status.REQUESTED,
        requested_by=by,
        due_on=due_on,
        summary=note.strip(),
    )
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, by: AbstractBaseUser, ratings: Mapping[Competency, LevelInput], summary: str = ""
) -> Assessment:
    """The person asked submits their self-assessment. PermissionDenied for anyone else; ValidationError
    when it was submitted already or has no rating."""
    assessment = Assessment.objects.select_for_update().select_related("person").get(pk=assessment.pk)
    require(by, policy.is_assessed_person, assessment, message=policy.SELF_ASSESSMENT_DENIED)
    if assessment.is_submitted:
        raise ValidationError(_("This self-assessment was submitted already."))
    _save_ratings(assessment, ratings)
    assessment.status, assessment.assessor = Assessment.Status.SUBMITTED, by
    assessment.assessed_on = timezone.localdate()
    if summary.strip():
        assessment.summary = summary.strip()
    assessment.save(update_fields=["status", "assessor", "assessed_on", "summary", "updated_at"])
    return assessment


@transaction.atomic
def assessment_record_from_hiring(
    *, application: Application, person: Person, evidence: Mapping[int, HiringEvidence], by: AbstractBaseUser | None
) -> Assessment:
    """Records a hire's interview evidence as a "hiring" assessment: per competency, the mean of the
    submitted ratings and what the interviewers wrote. One per application: a second call returns the
    first."""
    assessment, created = Assessment.objects.get_or_create(
        application=application,
        defaults={
            "person": person,
            "source": Assessment.Source.HIRING,
            "assessor": by,
            "assessed_on": timezone.localdate(),
            "summary": application.decision_rationale,
        },
    )
    if created:
        AssessmentRating.objects.bulk_create(
            AssessmentRating(
                assessment=assessment, competency_id=competency_id, level=item.level, evidence="\n".join(item.evidence)
            )
            for competency_id, item in evidence.items()
        )
    return assessment
