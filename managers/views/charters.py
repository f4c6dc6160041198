"""The sales leader's charter pages: roles, drafts, publishing, comparing versions, answering questions."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enablement.accounts.policy import require
from enablement.web.errors import report_errors
from managers import policy
from managers.charter_diff import compare_versions
from managers.forms.charters import (
    AnswerForm,
    CharterDraftForms,
    CompareForm,
    RoleAssignForm,
    RoleForm,
    move_row,
)
from managers.models import CharterVersion, Role
from managers.selectors import charters as selectors
from managers.services import charters as services

# A review this close is flagged "due soon" on the role list.
REVIEW_SOON = datetime.timedelta(days=30)


def _require_charter_manager(request: HttpRequest) -> None:
    """These pages are the sales leaders' area: nobody else is shown them (the services refuse their writes
    to anyone else too)."""
    require(request.user, policy.can_manage_charters, message=policy.CHARTERS_DENIED)


def _role_for_leader(request: HttpRequest, pk: int) -> Role:
    _require_charter_manager(request)
    return get_object_or_404(policy.roles_visible_to(request.user), pk=pk)


def _version_for_leader(request: HttpRequest, pk: int) -> CharterVersion:
    _require_charter_manager(request)
    return get_object_or_404(selectors.version_with_items(policy.versions_visible_to(request.user)), pk=pk)


@require_GET
@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    _require_charter_manager(request)
    roles = selectors.role_overview_for(user=request.user)
    today = timezone.localdate()
    context = {"roles": roles, "today": today, "review_soon": today + REVIEW_SOON}
    return render(request, "managers/role_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def role_create(request: HttpRequest) -> HttpResponse:
    _require_charter_manager(request)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.role_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Role created. Write its first charter below."))
            return redirect("managers:version-edit", pk=role.versions.get().pk)
    return render(request, "managers/role_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    role = _role_for_leader(request, pk)
    # The form gets its own copy: a bound ModelForm writes its data onto its instance while validating,
    # and the service must compare the submitted values with what is stored.
    form = RoleForm(request.POST or None, instance=Role.objects.get(pk=role.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.role_update(role=role, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Role saved."))
            return redirect("managers:role-detail", pk=role.pk)
    return render(request, "managers/role_form.html", {"form": form, "role": role})


@require_GET
@login_required
def role_detail(request: HttpRequest, pk: int) -> HttpResponse:
    role = _role_for_leader(request, pk)
    versions = selectors.versions_for_role(user=request.user, role=role)
    assign_form = RoleAssignForm(people=selectors.people_assignable_by(user=request.user))
    assign_form.helper.form_action = reverse("managers:role-assign", args=[role.pk])
    compare_form = CompareForm(versions=versions)
    compare_form.helper.form_action = reverse("managers:version-compare")
    context = {
        "role": role,
        "versions": versions,
        "holders": selectors.holder_statuses_of(user=request.user, role=role),
        "requirements": role.requirements.select_related("competency"),
        "events": selectors.events_of(role=role),
        "assign_form": assign_form,
        "compare_form": compare_form,
        "today": timezone.localdate(),
    }
    return render(request, "managers/role_detail.html", context)


@require_POST
@login_required
def role_assign(request: HttpRequest, pk: int) -> HttpResponse:
    role = _role_for_leader(request, pk)
    form = RoleAssignForm(request.POST, people=selectors.people_assignable_by(user=request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("managers:role-detail", pk=role.pk)
    try:
        services.role_assign(
            role=role, by=request.user, on=form.cleaned_data["started_on"], person=form.cleaned_data["person"]
        )
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("%(person)s now holds this role.") % {"person": form.cleaned_data["person"]})
    return redirect("managers:role-detail", pk=role.pk)


@require_POST
@login_required
def acknowledgement_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader's Remind for one holder who has not acknowledged (the service decides whether it may go)."""
    _require_charter_manager(request)
    acknowledgement = get_object_or_404(
        policy.acknowledgements_visible_to(request.user).select_related("person", "version"), pk=pk
    )
    try:
        services.charter_remind(acknowledgement=acknowledgement, by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(
            request,
            _("%(person)s will be reminded: in their inbox, and by email as their notification settings say.")
            % {"person": acknowledgement.person},
        )
    return redirect(reverse("managers:role-detail", args=[acknowledgement.version.role_id]) + "#holders")


@require_POST
@login_required
def role_mark_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    role = _role_for_leader(request, pk)
    try:
        services.charter_mark_reviewed(role=role, by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(
            request, _("Marked reviewed. Next review: %(date)s.") % {"date": date_format(role.next_review_on)}
        )
    return redirect("managers:role-detail", pk=role.pk)


@require_POST
@login_required
def draft_start(request: HttpRequest, pk: int) -> HttpResponse:
    role = _role_for_leader(request, pk)
    try:
        draft = services.charter_draft_start(role=role, by=request.user)
    except ValidationError as error:
        report_errors(request, error)
        return redirect("managers:role-detail", pk=role.pk)
    messages.success(
        request, _("Version %(number)s started as a copy of the published one.") % {"number": draft.number}
    )
    return redirect("managers:version-edit", pk=draft.pk)


@require_GET
@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(selectors.version_with_items(policy.versions_visible_to(request.user)), pk=pk)
    context = {"version": version, "can_manage": policy.can_manage_charters(request.user)}
    if context["can_manage"]:
        context["acknowledgements"] = selectors.acknowledgements_of(user=request.user, version=version)
        context["publish_errors"] = services.charter_publish_errors(version) if version.is_draft else []
    return render(request, "managers/version_detail.html", context)


def _edit_page(request: HttpRequest, version: CharterVersion, forms: CharterDraftForms, status: int = 200):
    context = {
        "version": version,
        "forms": forms,
        "error_summary": forms.error_summary(),
        "publish_errors": services.charter_publish_errors(version),
    }
    return render(request, "managers/version_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft editor. Posts save the draft ("Save draft"), save it and go on to publishing ("Save and
    publish…"), or, without JavaScript, move one row up or down (the page comes back with the rows moved,
    nothing saved yet)."""
    version = _version_for_leader(request, pk)
    if not version.is_draft:
        messages.error(
            request, _("Version %(number)s is published and can no longer be changed.") % {"number": version.number}
        )
        return redirect("managers:version-detail", pk=version.pk)
    if request.method == "POST" and "move" in request.POST:
        data = request.POST.copy()
        move_row(data, request.POST["move"])
        return _edit_page(request, version, CharterDraftForms(version, data, show_errors=False))
    forms = CharterDraftForms(version, request.POST if request.method == "POST" else None)
    if request.method == "POST" and forms.is_valid():
        try:
            services.charter_draft_save(version=version, by=request.user, **forms.cleaned_data())
        except ValidationError as error:
            forms.service_errors = error.messages
        else:
            messages.success(request, _("Draft saved."))
            if "publish" in request.POST:
                return redirect("managers:version-publish", pk=version.pk)
            return redirect("managers:version-detail", pk=version.pk)
    return _edit_page(request, version, forms, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@login_required
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publishing asks first: the page says what publishing does (freezes the version, asks every holder to
    acknowledge it) and why it cannot be done yet, if so; its POST publishes."""
    version = _version_for_leader(request, pk)
    if not version.is_draft:
        return redirect("managers:version-detail", pk=version.pk)
    errors, status = services.charter_publish_errors(version), 200
    if request.method == "POST":
        try:
            services.charter_publish(version=version, by=request.user)
        except ValidationError as error:
            errors, status = error.messages, 400
        else:
            messages.success(
                request,
                _("Version %(number)s is published; its holders are asked to acknowledge it.")
                % {"number": version.number},
            )
            return redirect("managers:version-detail", pk=version.pk)
    context = {"version": version, "publish_errors": errors, "holders": selectors.holders_of(role=version.role)}
    return render(request, "managers/version_publish.html", context, status=status)


@require_GET
@login_required
def version_compare(request: HttpRequest) -> HttpResponse:
    visible = selectors.version_with_items(policy.versions_visible_to(request.user))
    form = CompareForm(request.GET, versions=visible)
    if not form.is_valid():
        return render(request, "managers/version_compare.html", {"form": form, "diff": None}, status=400)
    old, new = sorted([form.cleaned_data["a"], form.cleaned_data["b"]], key=lambda version: version.number)
    if old.role_id != new.role_id:
        form.add_error(None, _("Pick two versions of the same role."))
        return render(request, "managers/version_compare.html", {"form": form, "diff": None}, status=400)
    return render(request, "managers/version_compare.html", {"form": form, "diff": compare_versions(old, new)})


@require_GET
@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    _require_charter_manager(request)
    questions = selectors.questions_for(user=request.user)
    return render(request, "managers/question_list.html", {"questions": questions, "answer_form": AnswerForm()})


@require_POST
@login_required
def acknowledgement_answer(request: HttpRequest, pk: int) -> HttpResponse:
    _require_charter_manager(request)
    acknowledgement = get_object_or_404(policy.acknowledgements_visible_to(request.user), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.acknowledgement_answer(acknowledgement=acknowledgement, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Answer sent to %(person)s.") % {"person": acknowledgement.person})
    else:
        messages.error(request, _("Write an answer before sending it."))
    return redirect("managers:question-list")
