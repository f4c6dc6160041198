"""The coaching demo step, on top of the demo org (`enablement.org.demo`), the roles the charter demo gives
the twelve frontline managers (`managers.demo.charters`) and what each role requires
(`managers.demo.requirements`): the library of development activities, assessments of the managers from
their director, themselves and a peer (some with large gaps, one with none), two self-assessments asked
for and not yet filled in (`assessments`), an active plan for most managers with their director as coach
(goals from their gaps, tasks done, in progress, to do, overdue and cancelled, a few 1:1s with next
steps), one manager with no plan and one with a draft, and a manager coaching one of their sellers
towards a team-lead role (`plans`); the sellers' roles with their competency profiles, and a few sellers
assessed by their manager (`sellers`).

Built only through the services, keyed by what a second run can find again (an assessment's person,
source and assessor; a request's person and who asked; a plan's coachee and title), so running it twice
changes nothing. A plan found again is left as it is, however people worked it in the app since. Dates
are relative to the day the demo first runs: plans started weeks ago, so some tasks are overdue.
"""

import datetime
from collections import Counter
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from coaching.activity_library import activities_seed
from coaching.demo.assessments import ASSESSMENTS, LEADER, PEER, REQUESTS, SELF, seed_assessment, seed_request
from coaching.demo.plans import DONE, PLANS, seed_plan
from coaching.demo.sellers import seed_seller_roles
from coaching.models import OPEN_TASK_STATES, Assessment, CoachingPlan, CoachingTask, DevelopmentActivity
from enablement.models import Person
from managers.demo.requirements import REQUIREMENTS
from managers.models import Competency, Role
from managers.services.competencies import competencies_seed, role_requirements_save

DIRECTORS = ("director1", "director2")


@transaction.atomic
def seed_coaching_demo() -> list[str]:
    """Builds the demo coaching on the demo org, its roles and their requirements, and returns a summary to
    print. Idempotent."""
    competencies_seed()
    activities_seed()
    competencies = Competency.objects.in_bulk(field_name="key")
    people = _people()
    _ensure_requirements(competencies)
    today = timezone.localdate()
    sellers_with_a_role = seed_seller_roles(competencies, today)
    for spec in ASSESSMENTS:
        seed_assessment(spec, people, competencies, today)
    for username, asked_by, due, note in REQUESTS:
        seed_request(people.get(username), people.get(asked_by), today + datetime.timedelta(days=due), note)
    for spec in PLANS:
        seed_plan(spec, people, competencies, today)
    return [*_summary(people), _sellers_line(sellers_with_a_role)]


def _people() -> dict[str, Person]:
    usernames = set(DIRECTORS) | {spec.person for spec in ASSESSMENTS} | {spec.assessor for spec in ASSESSMENTS}
    usernames |= {spec.coachee for spec in PLANS} | {spec.coach for spec in PLANS}
    found = Person.objects.filter(user__username__in=usernames).select_related("user", "manager")
    return {person.user.username: person for person in found if not person.is_terminated}


def _ensure_requirements(competencies: Mapping[str, Competency]) -> None:
    """What each role requires comes from the hiring demo; a role left without any (the hiring step did not
    run) gets the same, so the gaps exist. A role with requirements keeps them."""
    for role in Role.objects.filter(code__in=REQUIREMENTS, requirements__isnull=True).distinct():
        rows = [
            {"competency": competencies[key], "required_level": level, "weight": weight}
            for key, level, weight in REQUIREMENTS[role.code]
            if key in competencies
        ]
        role_requirements_save(role=role, requirements=rows, by=None)


def _summary(people: Mapping[str, Person]) -> list[str]:
    today = timezone.localdate()
    managers = [person for username, person in people.items() if username.startswith("manager")]
    assessments = Assessment.objects.filter(person__in=managers)
    sources = Counter(assessments.filter(status=Assessment.Status.SUBMITTED).values_list("source", flat=True))
    requested = assessments.filter(status=Assessment.Status.REQUESTED).count()
    lines = [
        "",
        f"Coaching: {DevelopmentActivity.objects.count()} development activities in the library; "
        f"{sum(sources.values())} assessments of the managers ({sources[LEADER]} by their director, "
        f"{sources[SELF]} self, {sources[PEER]} peer), {requested} self-assessments asked for; "
        f"sign in as {' or '.join(DIRECTORS)} for the team's plans and the gaps heatmap:",
    ]
    for username in DIRECTORS:
        director = people.get(username)
        if director is None:
            continue
        plans = CoachingPlan.objects.filter(coach=director, state=CoachingPlan.State.ACTIVE)
        tasks = CoachingTask.objects.filter(plan__in=plans)
        overdue = tasks.filter(state__in=OPEN_TASK_STATES, due_on__lt=today).count()
        reports = [person for person in managers if person.manager_id == director.pk]
        without = [person.full_name for person in reports if not plans.filter(coachee=person).exists()]
        lines.append(
            f"  {director} ({username}) coaches {_count(plans.count(), 'manager')}: {_count(tasks.count(), 'task')} "
            f"({tasks.filter(state=DONE).count()} done, {overdue} overdue), "
            f"{_count(sum(plan.sessions.count() for plan in plans), '1:1 session')} recorded; "
            f"without an active plan: {', '.join(without) or 'nobody'}"
        )
    coached_by_managers = CoachingPlan.objects.filter(coach__in=managers, state=CoachingPlan.State.ACTIVE)
    for plan in coached_by_managers.select_related("coachee", "coach__user").order_by("pk"):
        lines.append(
            f"  {plan.coach} ({plan.coach.user.username}) coaches {plan.coachee}, one of their sellers: {plan.title}"
        )
    lines.append("  My development: manager3 has overdue tasks; manager12 has a self-assessment to fill in.")
    return lines


def _sellers_line(count: int) -> str:
    return (
        f"  Sellers: {count} hold the Account Executive or SDR role (with a competency profile); manager1 and manager7 "
        f"assessed a few, so My team › a seller › Start a plan from the gaps has goals to propose. A seller signs in "
        f"to My development."
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
