"""Small helpers the page and API tests of every app share (personas are fixtures in conftest.py)."""

from django.contrib.messages import get_messages
from rest_framework.test import APIClient


def login_as(client, person_or_user):
    """The test client signed in as a persona (a Person with a login) or a user."""
    client.force_login(getattr(person_or_user, "user", person_or_user))
    return client


def messages_of(response) -> list[str]:
    """The messages a page queued for the next one."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def api_client(user=None, token=None) -> APIClient:
    """An API client authenticated as `user` (with `token` as request.auth), or anonymous."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user, token=token)
    return client


def submit_scorecard(scorecard, by, ratings: dict, recommendation: str = "yes", summary: str = "Solid."):
    """Submits `scorecard` as its interviewer `by` (a persona or a user) with `ratings`, a competency mapped to
    (rating, evidence)."""
    from managers.services.hiring import RatingInput, scorecard_submit

    return scorecard_submit(
        scorecard=scorecard,
        by=getattr(by, "user", by),
        ratings={competency.pk: RatingInput(*value) for competency, value in ratings.items()},
        recommendation=recommendation,
        summary=summary,
    )
