"""Who sees which recognition, and the manager's private coverage figure. There is no ranking of
receivers anywhere: no selector counts recognitions per person across a group.

- A `team` recognition is seen by the recipient, the giver, the recipient's teammates (same manager) and
  everyone in the recipient's manager chain; a `private` one by the recipient, the giver and the
  recipient's manager (and the chain above, who see everything below them).
- HR admins see none by default (recognition is not an HR record); superusers all. An HR system's API
  client lists every one without its reason, as the webhook announces them.
"""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from coaching.models import Recognition
from enablement.accounts import policy
from enablement.accounts.policy import User
from enablement.models import Person
from enablement.org.tree import descendant_ids


def recognitions_visible_to(user: User) -> QuerySet[Recognition]:
    base = Recognition.objects.select_related("giver", "recipient", "competency")
    if not user.is_authenticated:
        return base.none()
    if user.is_superuser:
        return base
    me = policy.person_for(user)
    if me is None:
        return base.none()
    below = Q(recipient__in=descendant_ids(Person, "manager", me.pk))
    mine = Q(recipient=me) | Q(giver=me)
    teammates = Q(visibility=Recognition.Visibility.TEAM, recipient__manager=me.manager_id) if me.manager_id else Q()
    condition = mine | below
    if me.manager_id:
        condition |= teammates
    return base.filter(condition)


def recognitions_listed_to(user: User) -> QuerySet[Recognition]:
    """What the recognition API lists: what the user sees on the pages; to an HR system (an API client
    with HR admin access) every recognition, as the `recognition.given` webhook announces them, and like
    the webhook without the reason (`reason_shown_to`)."""
    if policy.is_api_client(user) and policy.is_hr_admin(user):
        return Recognition.objects.select_related("giver", "recipient", "competency")
    return recognitions_visible_to(user)


def reason_shown_to(user: User) -> bool:
    """The reason stays in the platform: people read it on the pages and through the API, machines never."""
    return not policy.is_api_client(user)


def gives_on_behalf(user: User) -> bool:
    """An integration (an API client with `recognition:write`, a chat command say) names who gives; a
    person always gives as themselves."""
    return policy.is_api_client(user)


def team_feed(user: User) -> QuerySet[Recognition]:
    """Everything the user may see, newest first: the only order there is (never by recipient)."""
    return recognitions_visible_to(user).order_by("-created_at", "-pk")


def received_by(user: User, person: Person) -> QuerySet[Recognition]:
    return team_feed(user).filter(recipient=person)


def recipients_visible_to(user: User) -> QuerySet[Person]:
    """Whose "Recognition received" page the user may open: themselves, everyone below them and their
    teammates (who see each other's team recognition in the feed). Anyone else: 404."""
    me = policy.person_for(user)
    if me is None:
        return Person.objects.none()
    condition = Q(pk=me.pk) | Q(pk__in=descendant_ids(Person, "manager", me.pk))
    if me.manager_id:
        condition |= Q(manager=me.manager_id)
    return Person.objects.filter(condition)


def coverage_for(manager: Person, *, now: datetime.datetime | None = None) -> dict:
    """For the manager only: the share of their current team recognised (counted recognitions) in the
    last RECOGNITION_COVERAGE_DAYS, and who has not been. Two queries."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=settings.RECOGNITION_COVERAGE_DAYS)
    team = list(Person.objects.current().filter(manager=manager).order_by("last_name", "first_name"))
    recognised = set(
        Recognition.objects.filter(recipient__in=team, counts=True, created_at__gte=since).values_list(
            "recipient", flat=True
        )
    )
    return {
        "team_size": len(team),
        "share": len(recognised) / len(team) if team else None,
        "recognised": len(recognised),
        "not_recognised": [person for person in team if person.pk not in recognised],
        "days": settings.RECOGNITION_COVERAGE_DAYS,
    }
