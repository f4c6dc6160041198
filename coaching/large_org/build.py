"""The shape of the large organization and the order it is built in."""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from enablement.accounts import roles
from enablement.models import Person, Team

BATCH = 2_000
PASSWORD = "demo"  # noqa: S105 - the demo's documented password; the command refuses production settings
EMAIL_DOMAIN = "large-org.example"


@dataclass(frozen=True)
class Shape:
    """How many of each, for `people` people; every count scales with people / 5,000 (at least a few)."""

    people: int = 5_000

    def _scaled(self, full: int, least: int) -> int:
        return max(least, round(full * self.people / 5_000))

    @property
    def leaders(self) -> int:  # the CSO and the directors
        return self._scaled(50, 2)

    @property
    def managers(self) -> int:
        return self._scaled(500, 4)

    @property
    def support_owners(self) -> int:
        return 4

    @property
    def sellers(self) -> int:
        return self.people - self.leaders - self.managers - self.support_owners

    @property
    def recruiters(self) -> int:
        return self._scaled(10, 1)

    @property
    def roles(self) -> int:
        return self._scaled(40, 2)

    @property
    def plans(self) -> int:
        return self._scaled(3_000, 6)

    tasks_per_plan: int = 10

    @property
    def requisitions(self) -> int:
        return self._scaled(200, 2)

    candidates_per_requisition: int = 10
    interviews_per_application: int = 4
    months_of_readings: int = 6


@dataclass
class LargeOrg:
    """What was built: the sign-ins the load test uses, and the count of each kind."""

    shape: Shape
    cso: str = ""
    leaders: list[str] = field(default_factory=list)
    managers: list[str] = field(default_factory=list)
    recruiters: list[str] = field(default_factory=list)
    hr_admin: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class Org:
    """The people built by `build_org`, for the later steps."""

    cso: Person
    directors: list[Person]
    managers: list[Person]
    sellers: list[Person]
    support_owners: list[Person]
    recruiter_users: list
    hr_user: object
    team_of_manager: dict[int, Team]
    sellers_of: dict[int, list[Person]]


def _name(index: int) -> tuple[str, str]:
    from enablement.org.demo import FIRST_NAMES, LAST_NAMES

    return FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]


def build_org(shape: Shape) -> Org:
    """Teams (the sales org, a segment per director, a team per manager, operations), people with logins
    (every person has one, password `demo`), recruiters and an HR admin."""
    User = get_user_model()
    password = make_password(PASSWORD)  # hashed once: every login shares it
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ALL_ROLES)}
    directors_count = shape.leaders - 1
    start = datetime.date(2024, 1, 8)

    specs: list[tuple[str, str]] = [("cso", "Chief Sales Officer")]
    specs += [(f"leader{i}", "Sales Director") for i in range(1, directors_count + 1)]
    specs += [(f"manager{i}", "Frontline Sales Manager") for i in range(1, shape.managers + 1)]
    specs += [(f"seller{i}", "Account Executive") for i in range(1, shape.sellers + 1)]
    specs += [(f"ops{i}", "Revenue Operations") for i in range(1, shape.support_owners + 1)]
    users = User.objects.bulk_create(
        (
            User(
                username=username,
                password=password,
                first_name=_name(index)[0],
                last_name=_name(index)[1],
                email=f"{username}@{EMAIL_DOMAIN}",
            )
            for index, (username, _title) in enumerate(specs)
        ),
        batch_size=BATCH,
    )
    recruiter_users = User.objects.bulk_create(
        User(username=f"recruiter{i}", password=password, email=f"recruiter{i}@{EMAIL_DOMAIN}")
        for i in range(1, shape.recruiters + 1)
    )
    hr_user = User.objects.create(username="hradmin", password=password, is_staff=True)
    memberships = [(user, roles.SALES_LEADER) for user in users[: shape.leaders]]
    memberships += [(user, roles.SALES_MANAGER) for user in users[shape.leaders : shape.leaders + shape.managers]]
    memberships += [(user, roles.RECRUITER) for user in recruiter_users] + [(hr_user, roles.HR_ADMIN)]
    Membership = User.groups.through
    Membership.objects.bulk_create(
        (Membership(user_id=user.pk, group_id=groups[name].pk) for user, name in memberships), batch_size=BATCH
    )

    (sales,) = Team.objects.bulk_create([Team(name="Sales", external_id="LT-sales")])
    segments = Team.objects.bulk_create(
        Team(name=f"Segment {i}", external_id=f"LT-segment-{i}", parent=sales) for i in range(1, directors_count + 1)
    )
    above = [index * directors_count // shape.managers for index in range(shape.managers)]
    manager_teams = Team.objects.bulk_create(
        (
            Team(name=f"Team {i + 1}", external_id=f"LT-team-{i + 1}", parent=segments[above[i]])
            for i in range(shape.managers)
        ),
        batch_size=BATCH,
    )
    (operations,) = Team.objects.bulk_create([Team(name="Revenue Operations", external_id="LT-ops", parent=sales)])

    def person(index: int, *, manager, team) -> Person:
        username, title = specs[index]
        user = users[index]
        return Person(
            external_id=f"L-{username}",
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            title=title,
            manager=manager,
            team=team,
            user=user,
            start_date=start + datetime.timedelta(days=index % 700),
        )

    (cso,) = Person.objects.bulk_create([person(0, manager=None, team=sales)])
    directors = Person.objects.bulk_create(person(1 + i, manager=cso, team=segments[i]) for i in range(directors_count))
    offset = shape.leaders
    managers = Person.objects.bulk_create(
        (
            person(offset + i, manager=directors[above[i]], team=manager_teams[i])
            for i in range(shape.managers)  # a manager is in the team they lead, as in the demo org
        ),
        batch_size=BATCH,
    )
    offset += shape.managers
    owner_of_seller = [index * shape.managers // max(shape.sellers, 1) for index in range(shape.sellers)]
    sellers = Person.objects.bulk_create(
        (
            person(offset + i, manager=managers[owner_of_seller[i]], team=manager_teams[owner_of_seller[i]])
            for i in range(shape.sellers)
        ),
        batch_size=BATCH,
    )
    offset += shape.sellers
    support_owners = Person.objects.bulk_create(
        person(offset + i, manager=cso, team=operations) for i in range(shape.support_owners)
    )
    sales.lead = cso
    operations.lead = cso
    for team, director in zip(segments, directors, strict=True):
        team.lead = director
    for team, manager in zip(manager_teams, managers, strict=True):
        team.lead = manager
    Team.objects.bulk_update([sales, operations, *segments, *manager_teams], ["lead"], batch_size=BATCH)

    sellers_of: dict[int, list[Person]] = {manager.pk: [] for manager in managers}
    for seller in sellers:
        sellers_of[seller.manager_id].append(seller)
    return Org(
        cso=cso,
        directors=directors,
        managers=managers,
        sellers=sellers,
        support_owners=support_owners,
        recruiter_users=recruiter_users,
        hr_user=hr_user,
        team_of_manager={manager.pk: team for manager, team in zip(managers, manager_teams, strict=True)},
        sellers_of=sellers_of,
    )


def _timed(result: LargeOrg, name: str, step: Callable[[], object], log: Callable[[str], None]) -> object:
    started = time.perf_counter()
    value = step()
    result.seconds[name] = time.perf_counter() - started
    log(f"  {name}: {result.seconds[name]:.1f} s")
    return value


def build_large_org(shape: Shape | None = None, *, log: Callable[[str], None] = lambda _line: None) -> LargeOrg:
    """Builds the organization in one transaction; the database must hold no people yet (ValueError)."""
    from coaching.large_org import charters, development, feedback, hiring

    shape = shape or Shape()
    if Person.objects.exists():
        raise ValueError("The database already holds people: seed_large builds into an empty one (flush it first).")
    result = LargeOrg(shape=shape)
    now, today = timezone.now(), timezone.localdate()
    with transaction.atomic():
        org = _timed(result, "people and logins", lambda: build_org(shape), log)
        framework = _timed(result, "competencies and roles", lambda: charters.build_framework(shape, org), log)
        _timed(result, "charters and readings", lambda: charters.build_charters(org, framework, now), log)
        _timed(result, "assessments", lambda: development.build_assessments(org, framework, today), log)
        _timed(result, "coaching plans and tasks", lambda: development.build_plans(shape, org, framework, now), log)
        _timed(result, "hiring", lambda: hiring.build_hiring(shape, org, framework, now), log)
        _timed(result, "pulses, recognition, support", lambda: feedback.build_feedback(org, framework, now), log)
        _timed(result, "reminders", lambda: feedback.build_reminders(now), log)
    result.cso = org.cso.user.username
    result.leaders = [director.user.username for director in org.directors]
    result.managers = [manager.user.username for manager in org.managers]
    result.recruiters = [user.username for user in org.recruiter_users]
    result.hr_admin = org.hr_user.username
    result.counts = counts()
    return result


def counts() -> dict[str, int]:
    """Rows of each kind the load test and the pages read."""
    from coaching import models as coaching
    from enablement.models import Reminder
    from managers import models as managers

    kinds = {
        "people": Person.objects,
        "teams": Team.objects,
        "roles": managers.Role.objects,
        "published charters": managers.CharterVersion.objects.filter(status="published"),
        "role assignments": managers.RoleAssignment.objects,
        "acknowledgements": managers.Acknowledgement.objects,
        "metric readings": managers.MetricReading.objects,
        "support ratings": managers.SupportRating.objects,
        "support requests": managers.SupportRequest.objects,
        "assessments": coaching.Assessment.objects,
        "assessment ratings": coaching.AssessmentRating.objects,
        "coaching plans": coaching.CoachingPlan.objects,
        "goals": coaching.Goal.objects,
        "coaching tasks": coaching.CoachingTask.objects,
        "coaching sessions": coaching.CoachingSession.objects,
        "requisitions": managers.Requisition.objects,
        "candidates": managers.Candidate.objects,
        "applications": managers.Application.objects,
        "interviews": managers.Interview.objects,
        "scorecards": managers.Scorecard.objects,
        "scorecard ratings": managers.ScorecardRating.objects,
        "pulses": coaching.Pulse.objects,
        "pulse answers": coaching.PulseAnswer.objects,
        "recognitions": coaching.Recognition.objects,
        "reminders": Reminder.objects,
    }
    return {name: queryset.count() for name, queryset in kinds.items()}
