from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from enablement.accounts import policy
from enablement.web.navigation import fallback_home_for, team_page_url, urgent_home_for, usual_home_for


def home_url_for(user) -> str | None:
    """Where a user starts: something waiting for them that an app registered, else what matters most
    for what they do here."""
    registered = urgent_home_for(user) or usual_home_for(user)
    if registered:
        return registered
    if policy.manages_anyone(user):
        return team_page_url() or reverse("enablement:my-team")
    if policy.is_recruiter(user) and not policy.is_hr_admin(user):
        return reverse("managers:hiring-home")  # the recruiter's work: requisitions, pending scorecards
    if policy.is_hr_admin(user) or policy.is_recruiter(user):
        return reverse("enablement:person-list")
    fallback = fallback_home_for(user)  # a seller: their development, pulse and recognition
    if fallback:
        return fallback
    person = policy.person_for(user)
    if person is not None:
        return reverse("enablement:person-detail", args=[person.pk])
    return None


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    destination = home_url_for(request.user)
    if destination:
        return redirect(destination)
    return render(request, "enablement/home_unlinked.html")
