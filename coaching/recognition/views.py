"""Recognition pages: the team feed (with a manager's private coverage figure), giving, and what a person
received. Newest first is the only order: nothing here counts or ranks recognitions per person. Whose
page a user may open is `coaching.recognition.selectors`' rule; anyone else is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coaching.models import Recognition
from coaching.recognition import selectors, services
from coaching.recognition.forms import RecognitionForm
from enablement.accounts import policy
from enablement.models import Person
from enablement.web.errors import add_service_errors

PER_PAGE = 20


def can_recognise(user) -> bool:
    """The navigation item: everyone with a place in the org."""
    return policy.person_for(user) is not None


def _me(request: HttpRequest) -> Person:
    me = policy.person_for(request.user)
    if me is None:
        raise Http404("Your account is not linked to anyone in the org.")
    return me


def _page(request: HttpRequest, recognitions) -> tuple[Page, set[int]]:
    """A page of recognitions and which of their recipients' pages the user may open (one query)."""
    page = Paginator(recognitions, PER_PAGE).get_page(request.GET.get("page"))
    recipients = {recognition.recipient_id for recognition in page}
    openable = set(selectors.recipients_visible_to(request.user).filter(pk__in=recipients).values_list("pk", flat=True))
    return page, openable


@login_required
@require_GET
def recognition_feed(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    page, openable = _page(request, selectors.team_feed(request.user))
    coverage = selectors.coverage_for(me) if policy.manages_anyone(request.user) else None
    context = {"page": page, "openable": openable, "coverage": coverage, "me": me}
    return render(request, "coaching/recognition/recognition_feed.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recognition_give(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    recipients = Person.objects.current()
    to = request.GET.get("to", "")
    initial = {"recipient": int(to)} if to.isascii() and to.isdigit() else {}
    form = RecognitionForm(request.POST or None, recipients=recipients, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            recognition = services.recognition_give(giver=me, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you for saying thanks to %(who)s.") % {"who": recognition.recipient})
            return redirect("coaching:recognition-feed")
    return render(request, "coaching/recognition/recognition_give.html", {"form": form})


@login_required
@require_GET
def recognition_received(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    me = _me(request)
    person = me if pk is None else get_object_or_404(selectors.recipients_visible_to(request.user), pk=pk)
    page, openable = _page(request, selectors.received_by(request.user, person))
    context = {
        "person": person,
        "page": page,
        "openable": openable,
        "is_me": person.pk == me.pk,
        "private": Recognition.Visibility.PRIVATE,
    }
    return render(request, "coaching/recognition/recognition_received.html", context)
