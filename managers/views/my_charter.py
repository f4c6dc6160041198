"""A role holder's own charter: read it, see what changed, acknowledge it, record metric readings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from enablement.accounts import policy as org_policy
from enablement.models import Person
from enablement.web.errors import add_service_errors
from managers.charter_diff import compare_versions
from managers.forms.charters import AcknowledgeForm, ReadingForm
from managers.forms.support import SupportRatingsForm
from managers.models import Acknowledgement
from managers.periods import period_label
from managers.selectors import charters as selectors
from managers.selectors import support as support_selectors
from managers.services import charters as services
from managers.services import readings
from managers.services import support as support_services


def _person(request: HttpRequest) -> Person:
    person = org_policy.person_for(request.user)
    if person is None:
        raise Http404(_("Your account is not linked to anyone in the org."))
    return person


def _page(
    request: HttpRequest, person: Person, *, ack_form=None, reading_form=None, support_form=None, status=200
) -> HttpResponse:
    role, version = selectors.current_charter_of(person=person)
    context = {"person": person, "role": role, "version": version}
    if version is not None:
        acknowledgement = selectors.acknowledgement_for(person=person, version=version)
        previous = selectors.last_acknowledged_version(person=person, role=role)
        reading_form = reading_form or ReadingForm(metrics=version.metrics.all())
        # Posted to this page itself: a refused reading comes back at the same address, at the form.
        reading_form.helper.form_action = reverse("managers:my-charter") + "#record-reading"
        pending = acknowledgement is not None and acknowledgement.is_pending
        items = list(version.support_items.all())
        context |= {
            "acknowledgement": acknowledgement,
            "ack_form": ack_form or (AcknowledgeForm(support_items=items) if pending else None),
            **_support_context(person, items, support_form, pending),
            "diff": compare_versions(previous, version) if previous and previous.pk != version.pk else None,
            "metric_statuses": selectors.metric_statuses_for(person=person, version=version),
            "reading_form": reading_form,
            "questions": selectors.questions_of(person=person),
        }
        if context["ack_form"] is not None:
            context["ack_form"].helper.form_action = (
                reverse("managers:my-charter-acknowledge", args=[acknowledgement.pk]) + "#acknowledge"
            )
        context["failed_form"] = _failed_form(reading_form, ack_form, support_form)
    return render(request, "managers/my_charter.html", context, status=status)


def _failed_form(reading_form, ack_form, support_form) -> dict | None:
    """The one form of this long page that was just refused, summarised at the top with a link down to it."""
    for form, title, anchor in (
        (reading_form, _("Your reading was not recorded:"), "record-reading"),
        (ack_form, _("Your acknowledgement was not saved:"), "acknowledge"),
        (support_form, _("Your support ratings were not saved:"), "support"),
    ):
        if form is not None and form.is_bound and form.errors:
            messages_ = [
                f"{form.fields[name].label}: {message}" if name in form.fields else message
                for name, errors in form.errors.items()
                for message in errors
            ]
            return {"title": title, "messages": messages_, "anchor": anchor}
    return None


def _support_context(person: Person, items: list, form: SupportRatingsForm | None, pending: bool) -> dict:
    """My support ratings and, once the charter is acknowledged (which asks for them), the form to rate again."""
    rated, due = support_selectors.my_support_ratings(person=person)
    if pending or not items:
        return {"support_rated": rated, "support_due": False, "support_form": None}
    initial = {entry.item.pk: (entry.ratings[0].score, entry.ratings[0].note) for entry in rated if entry.ratings}
    form = form or SupportRatingsForm(items=items, initial_ratings=initial)
    form.helper.form_action = reverse("managers:support-rate")
    return {"support_rated": rated, "support_due": due, "support_form": form}


@require_http_methods(["GET", "POST"])
@login_required
def my_charter(request: HttpRequest) -> HttpResponse:
    """The page; a POST records a metric reading (the page's own form, so a refused one stays here)."""
    if request.method == "POST":
        return reading_record(request)
    return _page(request, _person(request))


@require_POST
@login_required
def my_charter_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    acknowledgement = get_object_or_404(Acknowledgement.objects.filter(person=person), pk=pk)
    form = AcknowledgeForm(request.POST, support_items=list(acknowledgement.version.support_items.all()))
    if form.is_valid():
        try:
            data = form.acknowledgement_data()
            services.charter_acknowledge(acknowledgement=acknowledgement, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Thank you: your charter is acknowledged."))
            return redirect("managers:my-charter")
    return _page(request, person, ack_form=form, status=400)


@require_POST
@login_required
def reading_record(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    _role, version = selectors.current_charter_of(person=person)
    if version is None:
        raise Http404(_("You have no published charter to record readings against."))
    form = ReadingForm(request.POST, metrics=version.metrics.all())
    if form.is_valid():
        try:
            reading = readings.metric_reading_record(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            metric = form.cleaned_data["metric"]
            messages.success(
                request,
                _("Reading recorded: %(metric)s, %(period)s.")
                % {"metric": metric.name, "period": period_label(reading.period, metric.cadence)},
            )
            return redirect(reverse("managers:my-charter") + "#record-reading")
    return _page(request, person, reading_form=form, status=400)


@require_POST
@login_required
def support_rate(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    _role, version = selectors.current_charter_of(person=person)
    if version is None:
        raise Http404(_("You have no published charter whose support to rate."))
    form = SupportRatingsForm(request.POST, items=list(version.support_items.all()))
    if form.is_valid():
        try:
            support_services.support_ratings_record(person=person, ratings=form.ratings(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Thank you: your support ratings are saved."))
            return redirect(reverse("managers:my-charter") + "#support")
    return _page(request, person, support_form=form, status=400)
