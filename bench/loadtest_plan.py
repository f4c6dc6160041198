"""Writes the load test's plan (bench/loadtest.py runs it): seeds the large organization when the database
holds no people, creates a session for each user the test signs in as and an API token for the HR system,
and picks what each opens (their own pulse, a heatmap cell and a plan in a leader's tree, a recruiter's
requisitions and candidates). `python -m bench.loadtest_plan plan.json`, with the test's environment."""

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402

from coaching.models import CoachingPlan, Pulse  # noqa: E402
from enablement.api.clients.services import api_client_create  # noqa: E402
from enablement.models import Person  # noqa: E402
from enablement.org.selectors import people_under  # noqa: E402
from managers.models import Application, Requisition, RoleCompetency  # noqa: E402

MANAGERS = 64  # distinct managers signed in, round-robin over the users
DIRECTORS = 16
BULK_ROWS = 100


def session_for(username: str) -> str:
    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "enablement.accounts.sign_in.PasswordBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def manager_entries() -> list[dict]:
    managers = Person.objects.filter(user__username__startswith="manager").order_by("pk")[:: 500 // MANAGERS or 1]
    entries = []
    for manager in managers[:MANAGERS]:
        pulse = Pulse.objects.filter(series__subject=manager, state="closed").order_by("-closes_on").first()
        entries.append({"session": session_for(manager.user.username), "pulse": pulse.pk if pulse else None})
    return entries


def leader_entry(leader: Person) -> dict:
    below = people_under(leader=leader).filter(role_assignments__isnull=False)  # the managers below
    manager = below.order_by("pk").first()
    competency = RoleCompetency.objects.filter(role__assignments__person=manager).order_by("pk").first()
    plan = CoachingPlan.objects.filter(coachee=manager, state="active").first()
    return {
        "session": session_for(leader.user.username),
        "cell": [manager.team_id, competency.competency_id],
        "plan": plan.pk,
        "cso": leader.manager_id is None,
    }


def recruiter_entries() -> list[dict]:
    entries = []
    for user in get_user_model().objects.filter(username__startswith="recruiter").order_by("pk"):
        requisitions = list(Requisition.objects.filter(recruiter=user).order_by("pk").values_list("pk", flat=True))
        applications = Application.objects.filter(requisition__in=requisitions, stage__in=["interviews", "decision"])
        entries.append(
            {
                "session": session_for(user.username),
                "requisitions": requisitions,
                "applications": list(applications.order_by("pk").values_list("pk", flat=True)[:40]),
            }
        )
    return entries


def main(path: str) -> None:
    if not Person.objects.exists():
        call_command("seed_large")
    cso = Person.objects.get(user__username="cso")
    directors = list(Person.objects.filter(manager=cso, user__username__startswith="leader").order_by("pk"))
    _client, token = api_client_create(
        name="Load test HR system", scopes=["people:read", "people:write"], by=None, hr_admin=True
    )
    sellers = Person.objects.filter(user__username__startswith="seller").order_by("pk")[:BULK_ROWS]
    plan = {
        "managers": manager_entries(),
        "leaders": [leader_entry(cso)] + [leader_entry(director) for director in directors[:DIRECTORS]],
        "recruiters": recruiter_entries(),
        "hr": {"token": token, "bulk": [person.external_id for person in sellers]},
        "session_cookie": settings.SESSION_COOKIE_NAME,
    }
    Path(path).write_text(json.dumps(plan, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
