"""Who may see and change coaching. Builds on `enablement.accounts.policy` (the org tree):

- a coaching plan is seen by its coachee, its coach and every leader above the coachee (a manager sees
  their own plan and those of the people they coach, not their peers'); it is changed (goals, tasks,
  state) by its coach and the leaders above the coachee, never by the coachee alone, who completes
  their own tasks, updates their goals' progress and records 1:1s (sessions) like their coach does;
- assessments are personal: a person sees their own (except the hiring one, whose evidence names the
  interviewers) and leaders those of everyone below them; a leader assesses and asks for
  self-assessments of the people below them;
- the gap heatmap is for sales leaders over their sub-tree; the activity library is written by sales
  leaders and read by everyone who plans.
Recruiters and HR admins see none of it (`scope_to_own_tree`).

What a user may do is asked by the services (`enablement.accounts.policy.require(by, rule, …, message=…)`)
with the rules below and the refusals under them, so a page, the API and the admin refuse alike.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from coaching.models import Assessment, CoachingPlan, CoachingTask, Goal
from enablement.accounts import policy
from enablement.accounts.policy import User
from enablement.models import Person
from enablement.org.tree import ancestors, descendant_ids
from managers import policy as managers_policy

# What a refused user is told: one message per rule, whichever path (page, API, admin) asked.
START_PLAN_DENIED = _("Plans are started by a coach or a leader, for the people below them.")
PLAN_DENIED = _("A plan is changed by its coach or a leader above the coachee.")
GOAL_DENIED = _("A goal is updated by the coachee, the coach and the leaders above the coachee.")
GOAL_FIELDS_DENIED = _("You update your goal's state and progress note; the rest is up to your coach.")
GOAL_DROP_DENIED = _("A goal is dropped by the coach or a leader above you.")
TASK_DENIED = _("A task is worked on by its assignee and whoever manages the plan; only the latter cancel it.")
SESSION_DENIED = _("1:1s are recorded by the coachee and whoever coaches them.")
SELF_ASSESSMENT_DENIED = _("Only the person asked fills in their self-assessment.")
ASSESS_DENIED = _("People are assessed, and asked for a self-assessment, by the leaders above them.")
ACTIVITIES_DENIED = _("The activity library is written by sales leaders.")
# What a coachee changes on their own goal: its progress. The rest belongs to whoever manages the plan.
GOAL_PROGRESS_FIELDS = frozenset({"state", "note"})


def _below(user: User) -> QuerySet[Person]:
    """Everyone strictly below the user in the org tree."""
    person = policy.person_for(user)
    if person is None:
        return Person.objects.none()
    return Person.objects.filter(pk__in=descendant_ids(Person, "manager", person.pk))


def plans_visible_to(user: User) -> QuerySet[CoachingPlan]:
    if not user.is_authenticated:
        return CoachingPlan.objects.none()
    person = policy.person_for(user)
    in_tree = policy.scope_to_own_tree(user, CoachingPlan.objects.all(), "coachee")
    if user.is_superuser or person is None:
        return in_tree
    return CoachingPlan.objects.filter(Q(pk__in=in_tree.values("pk")) | Q(coach=person))


def can_manage_plan(user: User, plan: CoachingPlan) -> bool:
    """The coach, a leader above the coachee, or a superuser; never the coachee on their own plan."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    person = policy.person_for(user)
    if person is None or person.pk == plan.coachee_id:
        return False
    return plan.coach_id == person.pk or _below(user).filter(pk=plan.coachee_id).exists()


def can_work_task(user: User, task: CoachingTask) -> bool:
    person = policy.person_for(user)
    return (person is not None and task.assignee_id == person.pk) or can_manage_plan(user, task.plan)


def can_set_task_state(user: User, task: CoachingTask, state: str) -> bool:
    """To do, in progress or done: whoever may work the task; cancelled: whoever manages the plan."""
    if state == CoachingTask.State.CANCELLED:
        return can_manage_plan(user, task.plan)
    return can_work_task(user, task)


def can_record_session(user: User, plan: CoachingPlan) -> bool:
    """A 1:1 is recorded by either side: the coachee or whoever manages the plan."""
    person = policy.person_for(user)
    return (person is not None and plan.coachee_id == person.pk) or can_manage_plan(user, plan)


def can_update_goal(user: User, goal: Goal) -> bool:
    person = policy.person_for(user)
    return (person is not None and goal.plan.coachee_id == person.pk) or can_manage_plan(user, goal.plan)


def coaches_for(user: User, coachee: Person) -> QuerySet[Person]:
    """Whom a user starting a plan may name as its coach: themselves, a manager above the coachee, or
    another manager below the user (a peer mentor); never the coachee or someone who reports to them.
    Only people still employed."""
    me = policy.person_for(user)
    if me is None:
        return Person.objects.none()
    chain = [manager.pk for manager in ancestors(Person, "manager", coachee.pk)]
    managers_below = _below(user).filter(direct_reports__isnull=False).values("pk")
    return (
        Person.objects.current()
        .filter(Q(pk=me.pk) | Q(pk__in=chain) | Q(pk__in=managers_below))
        .exclude(pk=coachee.pk)
        .exclude(pk__in=descendant_ids(Person, "manager", coachee.pk))
        .order_by("last_name", "first_name")
    )


def can_change_goal_fields(user: User, goal: Goal, fields: Iterable[str]) -> bool:
    """The coachee changes their goal's progress (GOAL_PROGRESS_FIELDS); the rest is for whoever manages
    the plan."""
    return set(fields) <= GOAL_PROGRESS_FIELDS or can_manage_plan(user, goal.plan)


def can_set_goal_state(user: User, goal: Goal, state: str) -> bool:
    """The coachee marks their goal achieved (or open again); dropping a goal, which takes it out of the
    progress, is for whoever manages the plan."""
    if can_manage_plan(user, goal.plan):
        return True
    return can_update_goal(user, goal) and state != Goal.State.DROPPED


def people_coachable_by(user: User) -> QuerySet[Person]:
    """Whom a user may start a plan for (and assess): current people below them with a login."""
    return _below(user).exclude(employment_status=Person.EmploymentStatus.TERMINATED)


def can_start_plan(user: User, coachee: Person) -> bool:
    """For someone below the user: nobody starts their own plan."""
    return user.is_authenticated and people_coachable_by(user).filter(pk=coachee.pk).exists()


def people_assessable_by(user: User) -> QuerySet[Person]:
    """Whom a user assesses and asks for a self-assessment: the people below them still employed; for a
    superuser (an HR or learning system's account, see `coaching.api.views`), anyone still employed but
    themselves. Nobody assesses themselves: self-assessments are asked for and filled in."""
    if user.is_authenticated and user.is_superuser:
        return Person.objects.current().exclude(user=user)
    return people_coachable_by(user)


def can_see_development_of(user: User, person: Person) -> bool:
    """Whether a person's development page (their gaps, plans and 1:1s) opens for the user: their own, and
    that of anyone they assess (below them, still employed)."""
    me = policy.person_for(user)
    if me is not None and me.pk == person.pk:
        return True
    return user.is_authenticated and people_assessable_by(user).filter(pk=person.pk).exists()


def can_assess(user: User, person: Person) -> bool:
    return user.is_authenticated and people_assessable_by(user).filter(pk=person.pk).exists()


def is_assessed_person(user: User, assessment: Assessment) -> bool:
    """Whether `user` is the person a (self-)assessment is about."""
    return user.is_authenticated and assessment.person.user_id == user.pk


def assessment_sources_for(user: User) -> tuple[str, ...]:
    """What a user may record about someone else: their own view as leader or peer. Self-assessments
    come from the person (`assessment_submit`); survey results from a service account."""
    if user.is_superuser:
        return (Assessment.Source.LEADER, Assessment.Source.PEER, Assessment.Source.SURVEY)
    return (Assessment.Source.LEADER, Assessment.Source.PEER)


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    if not user.is_authenticated:
        return Assessment.objects.none()
    if user.is_superuser:
        return Assessment.objects.all()
    person = policy.person_for(user)
    if person is None:
        return Assessment.objects.none()
    own = Q(person=person) & ~Q(source=Assessment.Source.HIRING)
    return Assessment.objects.filter(own | Q(person__in=_below(user).values("pk")))


def can_see_heatmap(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or policy.is_sales_leader(user)) and policy.manages_anyone(user)


def heatmap_people_for(user: User) -> QuerySet[Person]:
    return _below(user).exclude(employment_status=Person.EmploymentStatus.TERMINATED)


def can_manage_activities(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or policy.is_sales_leader(user))


def coaches_anyone(user: User) -> bool:
    """Whether the Coaching menu shows: for people who manage others or coach someone's plan."""
    person = policy.person_for(user)
    if person is None:
        return False
    if not hasattr(user, "_policy_coaches_anyone"):
        user._policy_coaches_anyone = policy.manages_anyone(user) or CoachingPlan.objects.filter(coach=person).exists()
    return user._policy_coaches_anyone


def has_development(user: User) -> bool:
    """Whether "My development" shows: for anyone in the org with a login."""
    return policy.person_for(user) is not None


def can_see_impact(user: User) -> bool:
    """The Manager impact page: sales leaders, over the managers below them (as the heatmap)."""
    return can_see_heatmap(user)


def has_impact_card(user: User) -> bool:
    """Whether "My impact" shows: for managers who hold a role (a seller holds one for their development,
    and has no team whose impact to show)."""
    return managers_policy.holds_a_role(user) and policy.manages_anyone(user)


def impact_people_for(user: User) -> QuerySet[Person]:
    """Whose impact card a leader sees: the managers still employed below them, people with someone reporting
    to them (the selector keeps the ones who hold a role; sellers hold one too, for their own development).
    Recruiters, HR admins and sellers see nobody's: it is how managers are doing."""
    if not can_see_impact(user):
        return Person.objects.none()
    return heatmap_people_for(user).filter(Exists(Person.objects.filter(manager=OuterRef("pk"))))


def impact_card_people_for(user: User) -> QuerySet[Person]:
    """Whose card a user may open: their own (a manager sees the figures their leader sees) and, for a leader,
    the managers below them."""
    person = policy.person_for(user)
    own = Person.objects.filter(pk=person.pk) if person is not None else Person.objects.none()
    return Person.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=impact_people_for(user).values("pk")))
