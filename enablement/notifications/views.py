from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enablement.accounts import policy
from enablement.models import NotificationPreference, Person
from enablement.notifications import selectors, services
from enablement.notifications.forms import NotificationPreferencesForm
from enablement.notifications.registry import all_kinds

REMINDERS_PER_PAGE = 30


def _person(request: HttpRequest) -> Person:
    person = policy.person_for(request.user)
    if person is None:
        raise Http404(_("Your account is not linked to anyone in the org."))
    return person


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    reminders = selectors.inbox_for(_person(request))
    page = Paginator(reminders, REMINDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
@login_required
def inbox_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    get_object_or_404(selectors.inbox_for(person), pk=pk)
    services.inbox_mark_read(person=person, reminder_ids=[pk])
    return redirect("enablement:inbox")


@require_POST
@login_required
def inbox_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.inbox_mark_read(person=_person(request))
    messages.success(request, _("Marked %(count)s reminders read.") % {"count": count})
    return redirect("enablement:inbox")


@require_http_methods(["GET", "POST"])
@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    settings_row, modes = selectors.preferences_of(person)
    initial = {"timezone": settings_row.timezone, "digest_hour": settings_row.digest_hour} | {
        NotificationPreferencesForm.field_name(kind.name): modes.get(kind.name, NotificationPreference.Mode.IMMEDIATE)
        for kind in all_kinds()
    }
    form = NotificationPreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_save(
            person=person,
            timezone_name=form.cleaned_data["timezone"],
            digest_hour=form.cleaned_data["digest_hour"],
            modes=form.modes(),
        )
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("enablement:notification-preferences")
    return render(request, "notifications/preferences.html", {"form": form})
