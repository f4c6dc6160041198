from django.http import HttpRequest

from enablement.accounts import policy
from enablement.notifications.selectors import inbox_for


def inbox(request: HttpRequest) -> dict:
    """`inbox_unread`: the signed-in person's unread reminders, for the navigation bar (one query)."""
    person = policy.person_for(request.user)
    if person is None:
        return {"inbox_unread": None}
    return {"inbox_unread": inbox_for(person).filter(read_at__isnull=True).count()}
