"""Writes to coaching: assessments for now; plans, goals, tasks and sessions join them."""

from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from coaching.models import Assessment, AssessmentRating
from enablement.models import Person
from managers.models import Application
from managers.selectors.hiring import HiringEvidence


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
