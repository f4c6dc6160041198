"""The competency framework pages: everyone signed in reads it (interviewers and coaches work from the
anchors); sales leaders add and edit competencies and set what each role requires."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enablement.accounts.policy import require
from enablement.web.errors import report_errors
from managers import policy
from managers.forms.competencies import CompetencyForm, RoleRequirementsForm
from managers.models import Competency
from managers.services import competencies as services


def _require_framework_editor(request: HttpRequest) -> None:
    """The forms that change the framework are shown to sales leaders only (the services refuse anyone else)."""
    require(request.user, policy.can_manage_competencies, message=policy.COMPETENCIES_DENIED)


@require_GET
@login_required
def competency_list(request: HttpRequest) -> HttpResponse:
    competencies = Competency.objects.all()
    if not policy.can_manage_competencies(request.user):
        competencies = competencies.filter(is_active=True)
    context = {
        "competencies": competencies,
        "roles": policy.roles_visible_to(request.user).prefetch_related("requirements__competency"),
        "can_edit": policy.can_manage_competencies(request.user),
    }
    return render(request, "managers/competency_list.html", context)


@require_GET
@login_required
def competency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competency = get_object_or_404(Competency, pk=pk)
    context = {"competency": competency, "can_edit": policy.can_manage_competencies(request.user)}
    return render(request, "managers/competency_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def competency_create(request: HttpRequest) -> HttpResponse:
    _require_framework_editor(request)
    form = CompetencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            competency = services.competency_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Competency added."))
            return redirect("managers:competency-detail", pk=competency.pk)
    return render(request, "managers/competency_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def competency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_framework_editor(request)
    competency = get_object_or_404(Competency, pk=pk)
    # A copy for the form: a bound ModelForm writes onto its instance, and the service compares with the stored.
    form = CompetencyForm(request.POST or None, instance=Competency.objects.get(pk=competency.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.competency_update(competency=competency, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Competency saved."))
            return redirect("managers:competency-detail", pk=competency.pk)
    return render(request, "managers/competency_form.html", {"form": form, "competency": competency})


@require_http_methods(["GET", "POST"])
@login_required
def role_requirements(request: HttpRequest, pk: int) -> HttpResponse:
    _require_framework_editor(request)
    role = get_object_or_404(policy.roles_visible_to(request.user), pk=pk)
    form = RoleRequirementsForm(
        competencies=Competency.objects.all(), requirements=role.requirements.all(), data=request.POST or None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.role_requirements_save(role=role, requirements=form.cleaned_rows(), by=request.user)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Requirements of %(role)s saved.") % {"role": role})
            return redirect("managers:role-detail", pk=role.pk)
    return render(request, "managers/role_requirements.html", {"role": role, "form": form})
