"""Pulse pages: Team pulse (what to answer, what the user may see), answering, a series' results, one
pulse's results and actions, a leader's roll-up, scheduling and acting on feedback. What a user may not
see does not exist for them (404); every figure comes from `coaching.pulse.selectors.PulseResults`."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching.models import CoachingPlan, FeedbackAction, Pulse, PulseSeries
from coaching.pulse import selectors, services, thresholds
from coaching.pulse.forms import FeedbackActionForm, PulseAnswerForm, PulseScheduleForm
from enablement.accounts import policy
from enablement.models import Person
from enablement.web.errors import add_service_errors
from managers.charts import sparkline_svg


def has_pulse_page(user) -> bool:
    """The navigation item: everyone with a place in the org, and HR admins (org roll-ups)."""
    return policy.person_for(user) is not None or policy.is_hr_admin(user)


@login_required
@require_GET
def pulse_home(request: HttpRequest) -> HttpResponse:
    me = policy.person_for(request.user)
    results = selectors.PulseResults()
    series = list(selectors.series_visible_to(request.user).order_by("subject__last_name", "subject__first_name"))
    my_team_pulses = list(selectors.pulses_of_my_team(me)[:3])
    actions = selectors.actions_for(my_team_pulses)
    context = {
        "to_answer": list(selectors.pulses_to_answer(me)),
        # pairs, not the mapping: a template reading a defaultdict's .items gets the key "items"
        "my_team_pulses": [(pulse, actions.get(pulse.pk, [])) for pulse in my_team_pulses],
        "series": [(s, results.window(s)) for s in series],
        "rollups": [(leader, results.rollup(leader)) for leader in selectors.rollup_owners_for(request.user)],
        "can_schedule": selectors.series_subjects_for(request.user).exists(),
        "threshold": thresholds.min_respondents(),
        "comment_threshold": thresholds.min_commenters(),
    }
    return render(request, "coaching/pulse/pulse_home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pulse_answer(request: HttpRequest, pk: int) -> HttpResponse:
    me = policy.person_for(request.user)
    pulse = get_object_or_404(
        Pulse.objects.filter(state=Pulse.State.OPEN, invitations__person=me).select_related(
            "series__subject", "check_back"
        ),
        pk=pk,
    )
    if pulse.invitations.filter(person=me, has_answered=True).exists():
        return render(request, "coaching/pulse/pulse_answered.html", {"pulse": pulse})
    form = PulseAnswerForm(request.POST or None, pulse=pulse)
    if request.method == "POST" and form.is_valid():
        try:
            services.pulse_answer(pulse=pulse, person=me, answers=form.answers(), comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your answers are in, with nothing that names you."))
            return redirect("coaching:pulse-home")
    context = {"pulse": pulse, "form": form, "threshold": thresholds.min_respondents()}
    return render(request, "coaching/pulse/pulse_answer.html", context)


def _trend_svgs(results: selectors.PulseResults, series: PulseSeries, pulses: list[Pulse]) -> dict[int, str]:
    svgs = {}
    for question_id, points in results.trend(series, pulses).items():
        if len(points) > 1:
            values = [Decimal(str(round(mean, 2))) for _date, mean in points]
            svgs[question_id] = sparkline_svg(values, Decimal(3), label=_("Trend across pulses"))
    return svgs


@login_required
@require_GET
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(selectors.series_visible_to(request.user), pk=pk)
    results = selectors.PulseResults()
    pulses = list(series.pulses.prefetch_related("items").order_by("-closes_on", "-pk"))
    closed = [pulse for pulse in pulses if pulse.state == Pulse.State.CLOSED]
    context = {
        "series": series,
        "window": results.window(series),
        "pulses": [(pulse, results.pulse(pulse)) for pulse in pulses],
        "trends": _trend_svgs(results, series, closed),
        "can_stop": series.cadence == PulseSeries.Cadence.MONTHLY
        and selectors.can_schedule_for(request.user, series.subject),
        "threshold": thresholds.min_respondents(),
    }
    return render(request, "coaching/pulse/series_detail.html", context)


def _pulse_for(user, pk: int) -> tuple[Pulse, bool]:
    """The pulse and whether the user sees its results (its subject and the leaders above), or only
    its actions (the subject's current team). Anyone else: 404."""
    pulse = get_object_or_404(Pulse.objects.select_related("series__subject", "check_back"), pk=pk)
    if selectors.series_visible_to(user).filter(pk=pulse.series_id).exists():
        return pulse, True
    me = policy.person_for(user)
    if me is not None and me.manager_id == pulse.series.subject_id:
        return pulse, False
    raise Http404


def _action_form(request: HttpRequest, pulse: Pulse, data=None) -> FeedbackActionForm:
    me = policy.person_for(request.user)
    owners = Person.objects.current().filter(
        pk__in=[me.pk, *pulse.series.subject.direct_reports.values_list("pk", flat=True)]
    )
    plans = CoachingPlan.objects.filter(coachee=me, state__in=[CoachingPlan.State.DRAFT, CoachingPlan.State.ACTIVE])
    return FeedbackActionForm(data, pulse=pulse, owners=owners, plans=plans, initial={"owner": me})


@login_required
@require_GET
def pulse_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pulse, sees_results = _pulse_for(request.user, pk)
    results = selectors.PulseResults() if sees_results else None
    result = results.pulse(pulse) if results else None
    actions = list(FeedbackAction.objects.filter(pulse=pulse).select_related("owner", "question"))
    can_act = selectors.can_act_on(request.user, pulse) and len(actions) < services.MAX_FOCUS_ITEMS
    checking = list(Pulse.objects.filter(check_back__pulse=pulse, state=Pulse.State.CLOSED).order_by("closes_on"))
    check_backs = [(p, (results or selectors.PulseResults()).pulse(p)) for p in checking]
    context = {
        "pulse": pulse,
        "sees_results": sees_results,
        "result": result,
        "comments": results.comments(pulse, result) if results else None,
        "band": thresholds.response_band(invited=pulse.invited_count, responded=pulse.respondent_count),
        "actions": actions,
        "check_backs": check_backs,
        "action_form": _action_form(request, pulse) if can_act else None,
        "threshold": thresholds.min_respondents(),
        "comment_threshold": thresholds.min_commenters(),
    }
    return render(request, "coaching/pulse/pulse_detail.html", context)


@login_required
@require_GET
def rollup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    owners = {leader.pk: leader for leader in selectors.rollup_owners_for(request.user)}
    if pk not in owners:
        raise Http404
    leader = owners[pk]
    results = selectors.PulseResults()
    below = list(selectors.team_series_below(request.user, leader))
    context = {
        "leader": leader,
        "rollup": results.rollup(leader),
        "teams": [(s, results.window(s)) for s in below],
        "threshold": thresholds.min_respondents(),
    }
    return render(request, "coaching/pulse/rollup_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pulse_schedule(request: HttpRequest) -> HttpResponse:
    subjects = selectors.series_subjects_for(request.user).order_by("last_name", "first_name")
    if not subjects.exists():
        raise Http404
    form = PulseScheduleForm(request.POST or None, subjects=subjects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "opens_on": data["opens_on"],
            "closes_on": data["closes_on"],
            "questions": list(data["questions"]),
            "cadence": data["cadence"],
            "by": request.user,
        }
        try:
            if data["every_team"]:
                pulses = services.pulses_schedule_under(leader=data["subject"], **common)
            else:
                pulses = [services.pulse_schedule(subject=data["subject"], kind=data["kind"], **common)]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(n)s pulse(s) scheduled.") % {"n": len(pulses)})
            return redirect("coaching:pulse-home")
    return render(request, "coaching/pulse/pulse_schedule.html", {"form": form})


@login_required
@require_POST
def series_stop(request: HttpRequest, pk: int) -> HttpResponse:
    """Stops a monthly series: for whoever may schedule pulses about its subject."""
    series = get_object_or_404(selectors.series_visible_to(request.user), pk=pk)
    if not selectors.can_schedule_for(request.user, series.subject):
        raise Http404
    services.pulse_series_stop(series=series, by=request.user)
    messages.success(request, _("No more monthly pulses for %(series)s.") % {"series": series})
    return redirect("coaching:pulse-series", pk=series.pk)


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    pulse, _sees = _pulse_for(request.user, pk)
    if not selectors.can_act_on(request.user, pulse):
        raise Http404
    form = _action_form(request, pulse, request.POST)
    if form.is_valid():
        try:
            services.feedback_action_add(pulse=pulse, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your team sees this on the pulse page."))
            return redirect("coaching:pulse-detail", pk=pulse.pk)
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, f"{field}: {error}" if field != "__all__" else error)
    return redirect("coaching:pulse-detail", pk=pulse.pk)


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    me = policy.person_for(request.user)
    action = get_object_or_404(FeedbackAction.objects.filter(pulse__series__subject=me), pk=pk)
    services.feedback_action_done(action=action, by=request.user)
    return redirect("coaching:pulse-detail", pk=action.pulse_id)
