"""Personas shared by every app's tests.

The org they live in:

    leader (Sales leader)
    ├── owner (Sales manager) ── seller
    └── peer  (Sales manager) ── peer_seller
    outsider (Sales manager, in another branch, reports to nobody above)

plus `recruiter` and `hr_admin`, who are accounts without a place in the sales org.
"""

import copy
import datetime
import os

import pytest
import redis as redis_client
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction

from enablement.accounts import roles
from enablement.models import Person
from tests.enablement.factories import PersonFactory, TeamFactory, UserFactory

pytest_plugins = ["tests.databases", "tests.bytecode", "tests.demo_data"]

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


WAITING_MARKERS = {"integration", "e2e", "conformance", "sso", "scale"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files that wait on other processes (real workers, the browser, the OpenID provider, the outside
    conformance tools) or build large organizations run first, each file kept whole and in its order: under
    xdist their waits then overlap the rest of the suite instead of trailing at its end on one worker."""
    waiting = {item.path for item in items if WAITING_MARKERS & {marker.name for marker in item.iter_markers()}}
    items.sort(key=lambda item: item.path not in waiting)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what one test kept (the pulse decision of its org, keyed by ids
    that SQLite hands out again after a rollback) is not another test's."""
    cache.clear()


def service_missing(reason: str) -> None:
    """Skips a test whose service is down, or fails it when the run requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES is set, so this fails instead of skipping)")
    pytest.skip(reason)


# (name, role of their login, their manager's name, in the Enterprise team, title)
ORG = (
    ("leader", roles.SALES_LEADER, None, True, "Sales Director"),
    ("owner", roles.SALES_MANAGER, "leader", True, "Manager"),
    ("peer", roles.SALES_MANAGER, "leader", True, "Manager"),
    ("seller", None, "owner", True, "Account Executive"),
    ("peer_seller", None, "peer", True, "SDR"),
    ("outsider", roles.SALES_MANAGER, None, False, "Manager, Other Region"),
    ("outsider_seller", None, "outsider", False, "Account Executive"),
)


def build_org() -> dict:
    """The org's people and logins in a few bulk inserts, since most tests of the suite build it: the rows the
    factories would write one by one, in the same order."""
    enterprise = TeamFactory(name="Enterprise")
    users = {name: UserFactory.build(username=name) for name, *_ in ORG}
    get_user_model().objects.bulk_create(users.values())
    groups = {group.name: group for group in Group.objects.filter(name__in={role for _, role, *_ in ORG if role})}
    membership = get_user_model().groups.through
    membership.objects.bulk_create(
        membership(user_id=users[name].pk, group_id=groups[role].pk) for name, role, *_ in ORG if role
    )
    people = dict(
        zip(
            users,
            Person.objects.bulk_create(
                PersonFactory.build(user=users[name], team=enterprise if in_team else None, title=title)
                for name, _role, _manager, in_team, title in ORG
            ),
            strict=True,
        )
    )
    for name, _role, manager, *_ in ORG:
        people[name].manager = people.get(manager)
    Person.objects.bulk_update(people.values(), ["manager"])
    return {"team": enterprise, **people}


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
    return build_org()


@pytest.fixture
def copied(built, db) -> dict:
    """A module's data built once, copied for each test, as Django's `setUpTestData` does for a class.

    A module that defines `built` (module-scoped and autouse, on `module_db`: what its tests share, built
    through the services once instead of for every test) reads it through `copied`: each test gets its own copy
    of the objects to change, and what it writes is undone after it, so the next test starts from what the
    module built. Autouse, so every test of such a module sees that data whether it asks for it or not, run
    alone or after the others."""
    return copy.deepcopy(built)


def from_built(name: str):
    """A fixture `name` that is the test's copy of `built[name]`: `org = from_built("org")` in a module that builds
    its org once, so the fixtures depending on `org` (`leader`, `owner`...) read that copy too."""

    @pytest.fixture(name=name)
    def read(copied):
        return copied[name]

    return read


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
    return build_recruiter()


def build_recruiter():
    return UserFactory(username="recruiter", roles=[roles.RECRUITER])


@pytest.fixture
def hr_admin(db):
    return build_hr_admin()


def build_hr_admin():
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
    return build_charter(org)


def build_charter(org: dict) -> dict:
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
    return build_hiring(org, recruiter)


def build_hiring_with_its_people() -> dict:
    """The org, the recruiter and the requisition of `build_hiring`, as a module's `built` data."""
    org = build_org()
    recruiter = build_recruiter()
    return {"org": org, "recruiter": recruiter, "hiring": build_hiring(org, recruiter)}


def build_hiring(org: dict, recruiter) -> dict:
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
