"""Development pages: "My development" (my plan, my open tasks, my 1:1s, the self-assessments I am asked
for, my gaps with the evidence behind them), the plan page with the inline forms its reader may use, the
POST commands that change a plan, and filling in a requested self-assessment.

A plan a user may not see (`policy.plans_visible_to`) does not exist for them (404). The services decide
who may change it (PermissionDenied: a 403 with the policy's message) and what the data forbids (a
finished plan does not change); their ValidationErrors come back as messages, or as errors on the form
that was posted."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching import policy
from coaching.forms import (
    GoalForm,
    GoalUpdateForm,
    RescheduleForm,
    SelfAssessmentForm,
    SessionForm,
    TaskForm,
    TaskStateForm,
)
from coaching.models import OPEN_TASK_STATES, CoachingPlan, CoachingSession, CoachingTask, Goal
from coaching.pulse.selectors import pulses_to_answer
from coaching.selectors import plans as selectors
from coaching.selectors.gaps import gaps_for
from coaching.services import plans as services
from coaching.services.assessments import assessment_submit
from coaching.views.crumbs import person_crumbs
from enablement.accounts import policy as org_policy
from enablement.accounts.policy import require
from enablement.models import Person
from enablement.web.errors import add_service_errors, report_errors
from managers.models import RoleCompetency
from managers.selectors.charters import current_requirements_of

# Where a command posted from another page goes back to: a fixed set, never a URL taken from the request.
NEXT_PAGES = {"my-development": "coaching:my-development"}
RECENT_SESSIONS = 5
PLAN_STATE_ORDER = Case(
    When(state=CoachingPlan.State.ACTIVE, then=Value(0)),
    When(state=CoachingPlan.State.DRAFT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _back(request: HttpRequest, plan_id: int) -> HttpResponse:
    page = NEXT_PAGES.get(request.POST.get("next", ""))
    return redirect(page) if page else redirect("coaching:plan-detail", pk=plan_id)


def _plan(request: HttpRequest, pk: int) -> CoachingPlan:
    return get_object_or_404(policy.plans_visible_to(request.user).select_related("coachee", "coach"), pk=pk)


def _task(request: HttpRequest, pk: int) -> CoachingTask:
    tasks = CoachingTask.objects.filter(plan__in=policy.plans_visible_to(request.user)).select_related("plan")
    return get_object_or_404(tasks, pk=pk)


# -- My development ----------------------------------------------------------------------------------------


@require_GET
@login_required
def my_development(request: HttpRequest) -> HttpResponse:
    person = org_policy.person_for(request.user)
    if person is None:
        return render(request, "coaching/my_development.html", {"person": None})
    gaps, plan, tasks = gaps_for(person), _my_plan(request, person), selectors.open_tasks_of(person)
    context = {
        "person": person,
        "plan": plan,
        "progress": selectors.progress_percent(plan) if plan else None,
        "task_groups": _task_groups(tasks),
        # the assignee works their own tasks (policy.can_work_task)
        "workable": {task.pk for group in (tasks.overdue, tasks.due_soon, tasks.later) for task in group},
        "next_page": "my-development",
        "sessions": _my_sessions(request, person),
        "requests": selectors.pending_self_assessments(person),
        "pulses_to_answer": pulses_to_answer(person).count(),
        "gaps": gaps,
        "readable_assessments": _readable_assessments(request, gaps),
        "today": timezone.localdate(),
    }
    return render(request, "coaching/my_development.html", context)


def _task_groups(tasks: selectors.TaskBuckets) -> list[tuple[str, str, list[CoachingTask]]]:
    return [
        ("overdue", _("Overdue"), tasks.overdue),
        ("due-soon", _("Due within %(days)s days") % {"days": selectors.DUE_SOON_DAYS}, tasks.due_soon),
        ("later", _("Later"), tasks.later),
    ]


def _my_plan(request: HttpRequest, person: Person) -> CoachingPlan | None:
    """The active plan, else the latest draft or completed one."""
    plans = selectors.plans_for(user=request.user).filter(coachee=person).exclude(state=CoachingPlan.State.ARCHIVED)
    return plans.order_by(PLAN_STATE_ORDER, "-period_start", "-pk").prefetch_related("goals__competency").first()


def _my_sessions(request: HttpRequest, person: Person) -> list[CoachingSession]:
    steps = CoachingTask.objects.select_related("assignee")
    sessions = CoachingSession.objects.filter(
        plan__in=policy.plans_visible_to(request.user).filter(coachee=person)
    ).select_related("plan__coach")
    return list(sessions.prefetch_related(Prefetch("next_steps", queryset=steps))[:RECENT_SESSIONS])


def _readable_assessments(request: HttpRequest, gaps) -> set[int]:
    """The assessments behind the gaps whose evidence the person may read: not their hiring one, whose
    evidence names the interviewers."""
    ids = {gap.rating.assessment_id for gap in gaps if gap.rating is not None}
    if not ids:
        return set()
    return set(policy.assessments_visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True))


# -- The plan page -----------------------------------------------------------------------------------------


@require_GET
@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, pk)


def _plan_page(request: HttpRequest, pk: int, *, bound: dict | None = None, status: int = 200) -> HttpResponse:
    """The plan with its goals (each with its tasks), the tasks tied to no goal and the 1:1s (each with
    its next steps); `bound` carries a posted form back with its errors."""
    plan = get_object_or_404(selectors.plan_detail(policy.plans_visible_to(request.user)), pk=pk)
    person = org_policy.person_for(request.user)
    can_manage = policy.can_manage_plan(request.user, plan)
    # policy.can_work_task and can_update_goal, with can_manage_plan asked once rather than per row
    tasks = list(plan.tasks.all())
    workable = {task.pk for task in tasks if can_manage or (person is not None and task.assignee_id == person.pk)}
    can_update_goals = plan.is_open and (can_manage or (person is not None and person.pk == plan.coachee_id))
    context = {
        "plan": plan,
        "crumbs": person_crumbs(request.user, plan.coachee),
        "progress": selectors.progress_percent(plan),
        **_arranged(plan, tasks, goal_forms=can_update_goals),
        "can_manage": can_manage,
        "workable": workable if plan.is_open else set(),
        # Undo: done by whoever may work the task, cancelled by whoever manages the plan (services.task_reopen).
        "reopenable": {
            task.pk
            for task in tasks
            if (task.state == CoachingTask.State.DONE and task.pk in workable)
            or (task.state == CoachingTask.State.CANCELLED and can_manage)
        }
        if plan.is_open
        else set(),
        "today": timezone.localdate(),
        **(_plan_forms(plan, bound or {}, can_manage=can_manage) if plan.is_open else {}),
    }
    return render(request, "coaching/plan_detail.html", context, status=status)


def _arranged(plan: CoachingPlan, tasks: list[CoachingTask], *, goal_forms: bool) -> dict:
    """Goals each with its tasks (and its update form), the tasks on no goal, and 1:1s each with the tasks
    agreed there: grouped from the prefetched tasks, so the page's queries do not grow with the plan."""
    by_goal, by_session, loose = defaultdict(list), defaultdict(list), []
    for task in tasks:
        (by_goal[task.goal_id] if task.goal_id else loose).append(task)
        if task.session_id:
            by_session[task.session_id].append(task)
    return {
        "goals": [(goal, by_goal[goal.pk], _goal_form(goal) if goal_forms else None) for goal in plan.goals.all()],
        "loose_tasks": loose,
        "sessions": [(session, by_session[session.pk]) for session in plan.sessions.all()],
    }


def _goal_form(goal: Goal) -> GoalUpdateForm:
    return GoalUpdateForm(initial={"state": goal.state, "note": goal.note}, auto_id=f"id_goal_{goal.pk}_%s")


def _plan_forms(plan: CoachingPlan, bound: dict, *, can_manage: bool) -> dict:
    """The 1:1 form for both sides of the plan (`policy.can_record_session`: whoever sees the plan and is
    its coachee or manages it); the task and goal forms for those who manage it."""
    forms = {"session_form": SessionForm(plan=plan)}
    if can_manage:
        forms |= {"task_form": TaskForm(plan=plan), "goal_form": GoalForm()}
    forms |= {name: form for name, form in bound.items() if name in forms}
    for name, url_name in (("session_form", "session-add"), ("task_form", "task-add"), ("goal_form", "goal-add")):
        if name in forms:
            forms[name].helper.form_action = reverse(f"coaching:{url_name}", args=[plan.pk])
    return forms


# -- Commands on a plan ------------------------------------------------------------------------------------


def _plan_form_command(request: HttpRequest, plan: CoachingPlan, name: str, form, write, done: str) -> HttpResponse:
    """Posts one of the plan page's forms: on success back to the plan with `done`, otherwise the plan page
    again with the form and its errors (400). `write(form)` calls the service with the cleaned data."""
    if form.is_valid():
        try:
            write(form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("coaching:plan-detail", pk=plan.pk)
    return _plan_page(request, plan.pk, bound={name: form}, status=400)


@require_POST
@login_required
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)

    def write(form: SessionForm) -> None:
        services.session_record(
            plan=plan,
            held_on=form.cleaned_data["held_on"],
            notes=form.cleaned_data["notes"],
            next_steps=form.next_steps(),
            by=request.user,
        )

    return _plan_form_command(
        request, plan, "session_form", SessionForm(request.POST, plan=plan), write, _("1:1 recorded.")
    )


@require_POST
@login_required
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)

    def write(form: TaskForm) -> None:
        services.task_add(plan=plan, by=request.user, **form.cleaned_data)

    return _plan_form_command(request, plan, "task_form", TaskForm(request.POST, plan=plan), write, _("Task added."))


@require_POST
@login_required
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)

    def write(form: GoalForm) -> None:
        services.goal_add(plan=plan, by=request.user, **form.cleaned_data)

    return _plan_form_command(request, plan, "goal_form", GoalForm(request.POST), write, _("Goal added."))


def _plan_command(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        service(plan=plan, by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, done)
    return _back(request, plan.pk)


@require_POST
@login_required
def plan_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_command(request, pk, services.plan_activate, _("The plan is active."))


@require_http_methods(["GET", "POST"])
@login_required
def plan_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (completing cancels the open tasks and cannot be undone), POST completes."""
    if request.method == "POST":
        return _plan_command(
            request, pk, services.plan_complete, _("The plan is completed; its open tasks are cancelled.")
        )
    plan = _plan(request, pk)
    require(request.user, policy.can_manage_plan, plan, message=policy.PLAN_DENIED)
    if plan.state != CoachingPlan.State.ACTIVE:
        messages.info(request, _("Only an active plan can be completed."))
        return redirect("coaching:plan-detail", pk=plan.pk)
    context = {
        "plan": plan,
        "crumbs": person_crumbs(request.user, plan.coachee),
        "open_tasks": plan.tasks.filter(state__in=OPEN_TASK_STATES).select_related("assignee").order_by("due_on")[:50],
        "open_count": plan.tasks.filter(state__in=OPEN_TASK_STATES).count(),
    }
    return render(request, "coaching/plan_complete_confirm.html", context)


@require_POST
@login_required
def plan_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_command(request, pk, services.plan_archive, _("The plan is archived."))


# -- Commands on goals and tasks ---------------------------------------------------------------------------


@require_POST
@login_required
def goal_update(request: HttpRequest, pk: int) -> HttpResponse:
    goals = Goal.objects.filter(plan__in=policy.plans_visible_to(request.user)).select_related("plan")
    goal = get_object_or_404(goals, pk=pk)
    form = GoalUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the goal's state."))
        return _back(request, goal.plan_id)
    try:
        services.goal_update(goal=goal, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("Goal updated."))
    return _back(request, goal.plan_id)


@require_POST
@login_required
def task_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new due date."))
        return _back(request, task.plan_id)
    try:
        services.task_update(task=task, by=request.user, due_on=form.cleaned_data["due_on"])
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(
            request, _("“%(task)s” is now due %(date)s.") % {"task": task.title, "date": form.cleaned_data["due_on"]}
        )
    return _back(request, task.plan_id)


@require_POST
@login_required
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    try:
        services.task_complete(task=task, by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("“%(task)s” is done.") % {"task": task.title}, extra_tags=_undo_tag(task))
    return _back(request, task.plan_id)


def _undo_tag(task: CoachingTask) -> str:
    """Carried by the message to the next page, whose message offers an Undo button (see base.html)."""
    return f"undo:{reverse('coaching:task-reopen', args=[task.pk])}"


@require_POST
@login_required
def task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Undoes done or cancelled: the task is to do again."""
    task = _task(request, pk)
    try:
        services.task_reopen(task=task, by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("“%(task)s” is open again.") % {"task": task.title})
    return _back(request, task.plan_id)


@require_POST
@login_required
def task_state(request: HttpRequest, pk: int) -> HttpResponse:
    """To do or in progress: whoever may work the task; cancelled: only who manages the plan."""
    task = _task(request, pk)
    form = TaskStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the task's state."))
        return _back(request, task.plan_id)
    try:
        services.task_set_state(task=task, state=form.cleaned_data["state"], by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        if form.cleaned_data["state"] == CoachingTask.State.CANCELLED:
            messages.success(request, _("“%(task)s” is cancelled.") % {"task": task.title}, extra_tags=_undo_tag(task))
    return _back(request, task.plan_id)


# -- Self-assessment ---------------------------------------------------------------------------------------


def _requirements_of(person: Person) -> list[RoleCompetency]:
    """The competencies the person's current role requires."""
    return list(current_requirements_of(person=person).order_by("competency__name"))


@require_http_methods(["GET", "POST"])
@login_required
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """The person asked rates themselves on their role's competencies; anyone else, or a request already
    answered, is a 404."""
    person = org_policy.person_for(request.user)
    if person is None:
        raise Http404(_("Your account is not linked to anyone in the org."))
    assessment = get_object_or_404(selectors.pending_self_assessments(person), pk=pk)
    form = SelfAssessmentForm(request.POST or None, requirements=_requirements_of(person))
    if request.method == "POST" and form.is_valid():
        try:
            assessment_submit(
                assessment=assessment, by=request.user, ratings=form.ratings(), summary=form.cleaned_data["summary"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your self-assessment is submitted."))
            return redirect("coaching:my-development")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "coaching/self_assessment_form.html", {"assessment": assessment, "form": form}, status=status
    )
