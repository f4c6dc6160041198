"""The coach's pages: "My team" (the people I coach), a person's development gaps with the evidence
behind them, starting a plan for them (from the gaps or from scratch), and asking for or recording an
assessment. A person not below the user (nor the user themselves) does not exist for them: 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching import policy
from coaching.forms_team import AssessmentRecordForm, AssessmentRequestForm, PlanStartForm
from coaching.models import OPEN_TASK_STATES, Assessment, CoachingPlan
from coaching.selectors.gaps import gaps_for, top_gaps
from coaching.selectors.plans import pending_self_assessments, progress_percent, with_progress
from coaching.services import assessments as assessment_services
from coaching.services import plans as plan_services
from coaching.views.crumbs import person_crumbs
from enablement.accounts import policy as org_policy
from enablement.accounts.policy import require
from enablement.models import Person
from enablement.org.selectors import headcount_by_status
from enablement.web.errors import add_service_errors, report_errors
from managers.models import RoleAssignment, RoleCompetency
from managers.selectors.charters import current_requirements_of, current_role_of

OPEN_PLAN_STATES = (CoachingPlan.State.DRAFT, CoachingPlan.State.ACTIVE)


def _current_roles() -> Prefetch:
    current = RoleAssignment.objects.current().select_related("role")
    return Prefetch("role_assignments", queryset=current, to_attr="current_roles")


def _team(request: HttpRequest, me: Person) -> QuerySet[Person]:
    """My direct reports and the coachees of the open plans I coach, each with their current role, their
    open plans I may see (with progress and open tasks), whether a self-assessment is pending and whether
    they are below me (so I may assess them and start plans). Three queries, whatever the team's size."""
    coached = CoachingPlan.objects.filter(coach=me, state__in=OPEN_PLAN_STATES).values("coachee")
    plans = (
        with_progress(policy.plans_visible_to(request.user).filter(state__in=OPEN_PLAN_STATES))
        .annotate(tasks_open=Count("tasks", filter=Q(tasks__state__in=OPEN_TASK_STATES), distinct=True))
        .select_related("coach")
        .order_by("state", "-period_start", "-pk")
    )
    pending = Assessment.objects.filter(
        person=OuterRef("pk"), source=Assessment.Source.SELF, status=Assessment.Status.REQUESTED
    )
    below = policy.people_coachable_by(request.user).filter(pk=OuterRef("pk"))
    return (
        Person.objects.current()
        .filter(Q(manager=me) | Q(pk__in=coached))
        .annotate(self_assessment_pending=Exists(pending), is_below=Exists(below))
        .select_related("team")
        .prefetch_related(_current_roles(), Prefetch("coaching_plans", queryset=plans, to_attr="open_plans"))
        .order_by("last_name", "first_name", "pk")
    )


def _team_row(person: Person) -> dict:
    active = next((plan for plan in person.open_plans if plan.state == CoachingPlan.State.ACTIVE), None)
    return {
        "person": person,
        "role": person.current_roles[0].role if person.current_roles else None,
        "active_plan": active,
        "progress": progress_percent(active) if active else None,
        "drafts": [plan for plan in person.open_plans if plan.state == CoachingPlan.State.DRAFT],
        "open_tasks": sum(plan.tasks_open for plan in person.open_plans),
        "overdue_tasks": sum(plan.tasks_overdue for plan in person.open_plans),
    }


@require_GET
@login_required
def team(request: HttpRequest) -> HttpResponse:
    if not policy.coaches_anyone(request.user):
        raise PermissionDenied(_("“My team” is for people who manage others or coach someone's plan."))
    me = org_policy.person_for(request.user)
    rows = [_team_row(person) for person in _team(request, me)]
    context = {
        "me": me,
        "rows": rows,
        "headcount": headcount_by_status(Person.objects.filter(manager=me)),  # who left too: the HR view
        "today": timezone.localdate(),
    }
    return render(request, "coaching/team.html", context)


def _person_for(request: HttpRequest, pk: int) -> Person:
    """Someone the user assesses (`policy.people_assessable_by`: below them, still employed) or the user
    themselves; anyone else is a 404. Whether the user may start their plan or assess them is the
    services' to say (a 403)."""
    me = org_policy.person_for(request.user)
    visible = Q(pk__in=policy.people_assessable_by(request.user).values("pk"))
    if me is not None:
        visible |= Q(pk=me.pk)
    return get_object_or_404(Person.objects.filter(visible).select_related("team", "manager"), pk=pk)


@require_GET
@login_required
def person_gaps(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request, pk)
    is_self = person.user_id == request.user.pk
    assessments = (
        policy.assessments_visible_to(request.user)
        .filter(person=person)
        .select_related("assessor", "requested_by")
        .prefetch_related("ratings__competency")
    )
    plans = list(with_progress(policy.plans_visible_to(request.user).filter(coachee=person)).select_related("coach"))
    context = {
        "person": person,
        "is_self": is_self,
        "crumbs": person_crumbs(request.user, person)[: None if is_self else -1],
        "active_plan": next((plan for plan in plans if plan.state == CoachingPlan.State.ACTIVE), None),
        "draft_plan": next((plan for plan in plans if plan.state == CoachingPlan.State.DRAFT), None),
        "role": current_role_of(person=person),
        "gaps": gaps_for(person),
        "assessments": assessments,
        "plans": [(plan, progress_percent(plan)) for plan in plans],
        "pending": None if is_self else pending_self_assessments(person).first(),
    }
    return render(request, "coaching/person_gaps.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    coachee = _person_for(request, pk)
    require(request.user, policy.can_start_plan, coachee, message=policy.START_PLAN_DENIED)
    me = org_policy.person_for(request.user)
    form = PlanStartForm(request.POST or None, coaches=policy.coaches_for(request.user, coachee), me=me)
    if request.method == "POST" and form.is_valid():
        values = {name: value for name, value in form.cleaned_data.items() if name != "start_from"}
        service = plan_services.plan_start_from_gaps if form.from_gaps else plan_services.plan_create
        try:
            plan = service(coachee=coachee, by=request.user, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft plan created. Review it, then activate it."))
            return redirect("coaching:plan-detail", plan.pk)
    context = {
        "person": coachee,
        "crumbs": person_crumbs(request.user, coachee),
        "form": form,
        "preview": top_gaps(coachee, limit=plan_services.GOALS_FROM_GAPS),
        # A plan started now stays a draft until this one is completed (one active plan per person).
        "active_plan": policy.plans_visible_to(request.user)
        .filter(coachee=coachee, state=CoachingPlan.State.ACTIVE)
        .first(),
    }
    return render(request, "coaching/plan_form.html", context)


def _next_or(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@require_POST
@login_required
def assessment_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks the person for a self-assessment; asking again while one is open changes nothing."""
    person = _person_for(request, pk)
    form = AssessmentRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        already_asked = pending_self_assessments(person).exists()
        try:
            assessment_services.assessment_request(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            report_errors(request, error)
        else:
            if already_asked:
                messages.info(request, _("%(person)s was already asked for a self-assessment.") % {"person": person})
            else:
                messages.success(request, _("%(person)s is asked for a self-assessment.") % {"person": person})
    return redirect(_next_or(request, reverse("coaching:person-gaps", args=[person.pk])))


def _requirements(person: Person) -> list[RoleCompetency]:
    return list(current_requirements_of(person=person).order_by("-weight", "competency__name"))


@require_http_methods(["GET", "POST"])
@login_required
def assessment_record(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader's (or a peer's, recorded by the leader) assessment of someone below them, against the
    anchors of each competency their role requires."""
    person = _person_for(request, pk)
    require(request.user, policy.can_assess, person, message=policy.ASSESS_DENIED)
    form = AssessmentRecordForm(request.POST or None, requirements=_requirements(person))
    if request.method == "POST" and form.rows and form.is_valid():
        try:
            assessment_services.assessment_record(
                person=person, ratings=form.ratings(), by=request.user, **form.assessment_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Assessment recorded; the gaps are updated."))
            return redirect("coaching:person-gaps", person.pk)
    context = {"person": person, "form": form, "crumbs": person_crumbs(request.user, person)}
    return render(request, "coaching/assessment_form.html", context)
