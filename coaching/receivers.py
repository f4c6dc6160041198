"""Coaching's answers to what other apps announce."""

from django.utils import timezone

from coaching.services.assessments import assessment_record_from_hiring
from coaching.services.leavers import leaver_work_hand_over
from coaching.services.plans import plan_start_from_gaps


def start_development_of_hire(sender, *, application, person, evidence, by, **kwargs) -> None:
    """A hire's interviews become their "hiring" assessment, and a draft plan from its gaps is started for
    them with the hiring manager (their new leader) as coach. In the decision's transaction. The platform
    starts the plan (`by=None`): whoever decided (a recruiter, say) does not start plans themselves."""
    assessment_record_from_hiring(application=application, person=person, evidence=evidence, by=by)
    coach = application.requisition.hiring_manager
    if coach.pk != person.pk and not coach.is_terminated:
        # The plan runs from when they take up the role (never in the past), so nothing is overdue at once.
        role = person.role_assignments.current().first()
        start = max(role.started_on if role else timezone.localdate(), timezone.localdate())
        plan_start_from_gaps(coachee=person, coach=coach, by=None, period_start=start)


def hand_over_leavers_plans(sender, *, person, escalate_to, **kwargs) -> None:
    """The leader who now looks after a leaver's reports takes over the plans the leaver coached: their
    own manager, or the manager's manager (`escalate_to`) when the manager is gone too; never someone who
    has left. What happened is recorded for `escalate_to` to be told. In the termination's transaction."""
    employed = [leader for leader in (person.manager, escalate_to) if leader is not None and not leader.is_terminated]
    successor = employed[0] if employed else None
    leaver_work_hand_over(person=person, successor=successor, escalate_to=escalate_to)
