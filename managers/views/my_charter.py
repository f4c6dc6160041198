"""A role holder's own charter: read it, see what changed, acknowledge it, record metric readings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from enablement.accounts import policy as org_policy
from enablement.models import Person
from managers.charter_diff import compare_versions
from managers.forms.charters import AcknowledgeForm, ReadingForm
from managers.models import Acknowledgement
from managers.selectors import charters as selectors
from managers.services import charters as services


def _person(request: HttpRequest) -> Person:
    person = org_policy.person_for(request.user)
    if person is None:
        raise Http404(_("Your account is not linked to anyone in the org."))
    return person


def _page(request: HttpRequest, person: Person, *, ack_form=None, reading_form=None, status=200) -> HttpResponse:
    role, version = selectors.current_charter_of(person=person)
    context = {"person": person, "role": role, "version": version}
    if version is not None:
        acknowledgement = selectors.acknowledgement_for(person=person, version=version)
        previous = selectors.last_acknowledged_version(person=person, role=role)
        reading_form = reading_form or ReadingForm(metrics=version.metrics.all())
        reading_form.helper.form_action = reverse("managers:reading-record")
        context |= {
            "acknowledgement": acknowledgement,
            "ack_form": ack_form or (AcknowledgeForm() if acknowledgement and acknowledgement.is_pending else None),
            "diff": compare_versions(previous, version) if previous and previous.pk != version.pk else None,
            "metric_statuses": selectors.metric_statuses_for(person=person, version=version),
            "reading_form": reading_form,
            "questions": selectors.questions_of(person=person),
        }
        if context["ack_form"] is not None:
            context["ack_form"].helper.form_action = reverse(
                "managers:my-charter-acknowledge", args=[acknowledgement.pk]
            )
    return render(request, "managers/my_charter.html", context, status=status)


@require_GET
@login_required
def my_charter(request: HttpRequest) -> HttpResponse:
    return _page(request, _person(request))


@require_POST
@login_required
def my_charter_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    acknowledgement = get_object_or_404(Acknowledgement.objects.filter(person=person), pk=pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.charter_acknowledge(acknowledgement=acknowledgement, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
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
            services.metric_reading_record(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reading recorded."))
            return redirect("managers:my-charter")
    return _page(request, person, reading_form=form, status=400)
