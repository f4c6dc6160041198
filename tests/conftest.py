"""Personas shared by every app's tests.

The org they live in:

    leader (Sales leader)
    ├── owner (Sales manager) ── seller
    └── peer  (Sales manager) ── peer_seller
    outsider (Sales manager, in another branch, reports to nobody above)

plus `recruiter` and `hr_admin`, who are accounts without a place in the sales org.
"""

import datetime
import os

import pytest
import redis as redis_client
from django.db import transaction

from enablement.accounts import roles
from tests.enablement.factories import PersonFactory, TeamFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def service_missing(reason: str) -> None:
    """Skips a test whose service is down, or fails it when the run requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES is set, so this fails instead of skipping)")
    pytest.skip(reason)


def _person_with_login(username: str, *, role: str | None, manager=None, team=None, title: str):
    user = UserFactory(username=username, roles=[role] if role else [])
    return PersonFactory(user=user, manager=manager, team=team, title=title)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """One transaction around a whole module, for data that is costly to build (the demo) and that every
    test of the module reads: each test's own transaction is a savepoint inside it, so what a test changes
    is undone after that test, and what the module built is undone after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def org(db):
    enterprise = TeamFactory(name="Enterprise")
    leader = _person_with_login("leader", role=roles.SALES_LEADER, team=enterprise, title="Sales Director")
    owner = _person_with_login("owner", role=roles.SALES_MANAGER, manager=leader, team=enterprise, title="Manager")
    peer = _person_with_login("peer", role=roles.SALES_MANAGER, manager=leader, team=enterprise, title="Manager")
    seller = _person_with_login("seller", role=None, manager=owner, team=enterprise, title="Account Executive")
    peer_seller = _person_with_login("peer_seller", role=None, manager=peer, team=enterprise, title="SDR")
    outsider = _person_with_login("outsider", role=roles.SALES_MANAGER, title="Manager, Other Region")
    outsider_seller = _person_with_login("outsider_seller", role=None, manager=outsider, title="Account Executive")
    return {
        "team": enterprise,
        "leader": leader,
        "owner": owner,
        "peer": peer,
        "seller": seller,
        "peer_seller": peer_seller,
        "outsider": outsider,
        "outsider_seller": outsider_seller,
    }


@pytest.fixture
def leader(org):
    return org["leader"]


@pytest.fixture
def owner(org):
    return org["owner"]


@pytest.fixture
def peer(org):
    return org["peer"]


@pytest.fixture
def outsider(org):
    return org["outsider"]


@pytest.fixture
def recruiter(db):
    return UserFactory(username="recruiter", roles=[roles.RECRUITER])


@pytest.fixture
def hr_admin(db):
    return UserFactory(username="hr_admin", roles=[roles.HR_ADMIN], is_staff=True)


@pytest.fixture
def redis_url():
    """The Redis broker for tests that need one: CELERY_BROKER_URL when it is Redis, else the local one."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis_client.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis_client.exceptions.ConnectionError as error:
        service_missing(f"Redis is not reachable at {url}: {error}")
    return url


@pytest.fixture
def charter(org):
    """A published charter (v1) of the role `owner` and `peer` hold, plus another role `outsider` holds
    with a draft in progress. `owner` and `peer` are asked to acknowledge v1."""
    from managers.services.charters import charter_publish, role_assign
    from tests.managers.factories import RoleFactory, publishable_draft

    role = RoleFactory(code="fsm-enterprise", name="Frontline Sales Manager, Enterprise")
    for holder in (org["owner"], org["peer"]):
        role_assign(person=holder, role=role, on=datetime.date(2026, 1, 1), by=None)
    version = charter_publish(version=publishable_draft(role=role, number=1), by=org["leader"].user)
    other_role = RoleFactory(code="fsm-other", name="Frontline Sales Manager, Other Region")
    role_assign(person=org["outsider"], role=other_role, on=datetime.date(2026, 1, 1), by=None)
    other_draft = publishable_draft(role=other_role, number=1)
    return {"role": role, "version": version, "other_role": other_role, "other_draft": other_draft}


@pytest.fixture
def hiring(org, recruiter):
    """A requisition for the enterprise manager role, hiring manager `leader`, recruiter `recruiter`.

    The role requires coaching (level 3, weight 3), storytelling (2, weight 1) and resilience (3, weight 2).
    The plan has two interviews: "Hiring manager interview" (coaching, storytelling) and "Role play"
    (coaching, resilience). The candidate Casey Candidate is at the interviews stage with two interviews
    yesterday, both scorecards still drafts: `owner` is interviewer A (the first), `peer` interviewer B.
    `outsider` is a manager with nothing to do with it.
    """
    from django.utils import timezone

    from managers.services import hiring as services
    from tests.managers.factories import CandidateFactory, CompetencyFactory, RoleCompetencyFactory, RoleFactory

    role = RoleFactory(code="fsm-enterprise", name="Frontline Sales Manager, Enterprise")
    coaching, storytelling, resilience = (
        CompetencyFactory(key=key) for key in ("coaching", "storytelling", "resilience")
    )
    RoleCompetencyFactory(role=role, competency=coaching, required_level=3, weight=3)
    RoleCompetencyFactory(role=role, competency=storytelling, required_level=2, weight=1)
    RoleCompetencyFactory(role=role, competency=resilience, required_level=3, weight=2)
    requisition = services.requisition_create(
        role=role,
        title="FSM Enterprise, Berlin",
        hiring_manager=org["leader"],
        recruiter=recruiter,
        by=recruiter,
        target_start=datetime.date(2027, 1, 4),
    )
    first = services.interview_stage_add(
        requisition=requisition, name="Hiring manager interview", competencies=[coaching, storytelling], by=recruiter
    )
    second = services.interview_stage_add(
        requisition=requisition, name="Role play", competencies=[coaching, resilience], by=recruiter
    )
    candidate = CandidateFactory(first_name="Casey", last_name="Candidate", email="casey@mail.example")
    application = services.application_create(candidate=candidate, requisition=requisition, by=recruiter)
    yesterday = timezone.now() - datetime.timedelta(days=1, hours=2)
    interview_a = services.interview_schedule(
        application=application, stage=first, interviewer=org["owner"], scheduled_at=yesterday, by=recruiter
    )
    interview_b = services.interview_schedule(
        application=application, stage=second, interviewer=org["peer"], scheduled_at=yesterday, by=recruiter
    )
    return {
        "role": role,
        "competencies": {"coaching": coaching, "storytelling": storytelling, "resilience": resilience},
        "requisition": requisition,
        "stages": (first, second),
        "candidate": candidate,
        "application": application,
        "scorecard_a": interview_a.scorecard,
        "scorecard_b": interview_b.scorecard,
    }
