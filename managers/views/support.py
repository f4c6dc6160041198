"""Support pages: leaders' view of how the charters' support is rated, and support requests: raising one,
its page (thread, the owner's moves, the raiser's "did this fix it?"), and the list of requests a user owns,
raised, or oversees across their sub-tree by function, state and age.

What a user may see is scoped here (`selectors.support_request_for`: someone else's request is a 404); what they
may do is asked by the services (`managers.policy` through `require`), whose PermissionDenied is the 403 page
with the rule's message, the same the API answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enablement.accounts import policy as org_policy
from enablement.web.input_checks import parse_id
from managers import policy
from managers.forms.support import (
    SupportCommentForm,
    SupportConfirmForm,
    SupportFilterForm,
    SupportRequestForm,
    SupportTransitionForm,
)
from managers.models import SupportItem, SupportRequest
from managers.selectors import support as selectors
from managers.services import support as services

REQUESTS_PER_PAGE = 25


@require_GET
@login_required
def support_ratings(request: HttpRequest) -> HttpResponse:
    """Per role and per support item: how the holders below the leader rate it now."""
    if not policy.can_manage_charters(request.user):
        raise PermissionDenied(_("Support ratings per role are for sales leaders."))
    context = {"roles": selectors.support_ratings_by_role(user=request.user), "low_score": selectors.LOW_SCORE}
    return render(request, "managers/support/support_ratings.html", context)


def _scopes(user) -> list[tuple[str, str]]:
    scopes = [(selectors.SCOPE_ASSIGNED, _("Assigned to me")), (selectors.SCOPE_RAISED, _("Raised by me"))]
    if policy.sees_support_across_tree(user):
        label = _("Everyone's") if org_policy.is_hr_admin(user) else _("Across my organization")
        scopes.insert(0, (selectors.SCOPE_TREE, label))
    return scopes


def _default_scope(user) -> str:
    person = org_policy.person_for(user)
    if person is not None and SupportRequest.objects.filter(owner=person).exists():
        return selectors.SCOPE_ASSIGNED
    return selectors.SCOPE_TREE if policy.sees_support_across_tree(user) else selectors.SCOPE_RAISED


@require_GET
@login_required
def support_list(request: HttpRequest) -> HttpResponse:
    if not policy.has_support_page(request.user):
        raise PermissionDenied(_("Support requests are for managers, leaders and the people who own requests."))
    scopes = _scopes(request.user)
    data = request.GET.copy()
    data.setdefault("scope", _default_scope(request.user))
    form = SupportFilterForm(data, scopes=scopes, functions=selectors.support_functions())
    filters = form.cleaned_data if form.is_valid() else {"scope": data["scope"]}
    requests = selectors.support_requests_for(
        user=request.user,
        scope=filters.get("scope") or scopes[0][0],
        function=filters.get("function"),
        state=filters.get("state"),
        age=filters.get("age"),
        overdue=filters.get("overdue", False),
    )
    page = Paginator(requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "now": timezone.now(),
        "can_raise": policy.can_raise_support_requests(request.user),
    }
    return render(request, "managers/support/support_list.html", context)


def _raise_form(request: HttpRequest) -> SupportRequestForm:
    person = org_policy.person_for(request.user)
    items = SupportItem.objects.filter(pk__in=[item.pk for item in services.current_support_items(person)])
    initial = {}
    if (item := parse_id(request.GET.get("item", ""))) is not None and items.filter(pk=item).exists():
        initial["support_item"] = item
    return SupportRequestForm(
        request.POST or None, items=items, functions=selectors.support_functions(), initial=initial
    )


@require_http_methods(["GET", "POST"])
@login_required
def support_create(request: HttpRequest) -> HttpResponse:
    # The form is offered to those the service lets raise one, with its refusal otherwise.
    if not policy.can_raise_support_requests(request.user):
        raise PermissionDenied(policy.RAISE_SUPPORT_DENIED)
    form = _raise_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.support_request_raise(by=request.user, **form.request_data())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Raised with %(owner)s, who is asked to respond.") % {"owner": created.owner})
            return redirect("managers:support-detail", created.pk)
    return render(request, "managers/support/support_form.html", {"form": form}, status=400 if form.errors else 200)


def _add_errors(form, error: ValidationError) -> None:
    """A service's field errors on the form's fields where it has them, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, [message for e in errors for message in e])
    else:
        form.add_error(None, error.messages)


def _detail(request: HttpRequest, pk: int, *, status: int = 200, **forms) -> HttpResponse:
    support_request = selectors.support_request_for(user=request.user, pk=pk)
    is_owner = policy.owns_support_request(request.user, support_request)
    is_raiser = policy.raised_support_request(request.user, support_request)
    states = services.TRANSITIONS[support_request.state]
    context = {
        "request_obj": support_request,
        "is_owner": is_owner,
        "is_raiser": is_raiser,
        "age": selectors.age_in_days(support_request),
        "now": timezone.now(),
        "transition_form": forms.get("transition_form")
        or (SupportTransitionForm(states=states) if is_owner and states else None),
        "confirm_form": forms.get("confirm_form")
        or (SupportConfirmForm() if is_raiser and support_request.awaits_confirmation else None),
        "comment_form": forms.get("comment_form")
        or (SupportCommentForm() if policy.can_comment_on_support_request(request.user, support_request) else None),
    }
    return render(request, "managers/support/support_detail.html", context, status=status)


@require_GET
@login_required
def support_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@require_POST
@login_required
def support_transition(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = selectors.support_request_for(user=request.user, pk=pk)
    form = SupportTransitionForm(request.POST, states=services.TRANSITIONS[support_request.state])
    if form.is_valid():
        try:
            services.support_request_transition(request=support_request, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The request is now %(state)s.")
                % {"state": SupportRequest.State(form.cleaned_data["state"]).label.lower()},
            )
            return redirect("managers:support-detail", pk)
    return _detail(request, pk, status=400, transition_form=form)


@require_POST
@login_required
def support_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = selectors.support_request_for(user=request.user, pk=pk)
    form = SupportConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.support_request_confirm(request=support_request, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            fixed = form.cleaned_data["fixed"]
            messages.success(request, _("Closed: glad it is fixed.") if fixed else _("Reopened: the owner is told."))
            return redirect("managers:support-detail", pk)
    return _detail(request, pk, status=400, confirm_form=form)


@require_POST
@login_required
def support_comment(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = selectors.support_request_for(user=request.user, pk=pk)
    form = SupportCommentForm(request.POST)
    if form.is_valid():
        try:
            services.support_request_comment(request=support_request, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("managers:support-detail", pk)
    return _detail(request, pk, status=400, comment_form=form)
