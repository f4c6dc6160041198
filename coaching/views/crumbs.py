"""Breadcrumbs that match the viewer: the coachee reads a plan under "My development", the coach or
manager under "My team › Name", a leader reaching someone deeper in their tree under "Development gaps ›
Name". A name links to that person's development page only when it opens for the viewer."""

from django.urls import reverse
from django.utils.translation import gettext as _

from coaching import policy
from coaching.models import CoachingPlan
from enablement.accounts import policy as org_policy
from enablement.models import Person

OPEN_PLAN_STATES = (CoachingPlan.State.DRAFT, CoachingPlan.State.ACTIVE)


def _on_my_team(me: Person, person: Person) -> bool:
    """Whether `person` is on the viewer's team page: a direct report, or the coachee of an open plan they coach."""
    if person.manager_id == me.pk:
        return True
    return CoachingPlan.objects.filter(coach=me, coachee=person, state__in=OPEN_PLAN_STATES).exists()


def person_crumbs(user, person: Person) -> list[dict]:
    """The trail down to `person`'s development page (included, as the last crumb)."""
    me = org_policy.person_for(user)
    if me is not None and me.pk == person.pk:
        return [{"label": _("My development"), "url": reverse("coaching:my-development")}]
    if me is not None and not _on_my_team(me, person) and policy.can_see_heatmap(user):
        start = {"label": _("Development gaps"), "url": reverse("coaching:heatmap")}
    else:
        start = {"label": _("My team"), "url": reverse("coaching:team")}
    url = reverse("coaching:person-gaps", args=[person.pk]) if policy.can_see_development_of(user, person) else None
    return [start, {"label": person.full_name, "url": url}]
