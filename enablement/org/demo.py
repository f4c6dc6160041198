"""The demo org: a chief sales officer, two directors, twelve frontline managers, their sellers, a
recruiter and an HR admin. Built through the services, keyed by external id and username, so running
it again changes nothing.

Other apps add their demo data (charters, hiring, coaching) on top of this org without `enablement`
importing them: each registers a step from its `AppConfig.ready()` with `register_demo_step`, and
`seed_demo` runs the org first, then every step in registration order.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from enablement.accounts import roles
from enablement.models import Person, Team
from enablement.org.services import person_create, person_update, team_create, team_update

DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo password, refused under production settings
EMAIL_DOMAIN = "northwind-sales.example"
SELLERS_PER_MANAGER = 7

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Carmen",
    "Diego",
    "Elena",
    "Farid",
    "Grace",
    "Hiroshi",
    "Ines",
    "Jamal",
    "Katarzyna",
    "Liam",
    "Mei",
    "Nikhil",
    "Olivia",
    "Pedro",
    "Quinn",
    "Rosa",
    "Samuel",
    "Tara",
    "Umar",
    "Valentina",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Adrian",
    "Bianca",
    "Connor",
    "Daniela",
    "Emeka",
    "Fiona",
    "Gabriel",
    "Hannah",
    "Ivan",
    "Julia",
    "Kwame",
    "Leila",
    "Mateo",
    "Nora",
    "Oscar",
    "Priyanka",
]
LAST_NAMES = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Santos",
    "Novak",
    "Haddad",
    "O'Brien",
    "Tanaka",
    "Ferreira",
    "Brooks",
    "Kowalski",
    "Murphy",
    "Zhang",
    "Iyer",
    "Bennett",
    "Alvarez",
    "Fischer",
    "Romero",
    "Adeyemi",
    "Walsh",
    "Qureshi",
    "Rossi",
    "Huang",
    "Castillo",
    "Demir",
    "Clarke",
    "Petrov",
    "Nakamura",
    "Mensah",
    "Duarte",
    "Sullivan",
    "Kaur",
    "Weber",
    "Osei",
    "Jensen",
    "Morales",
    "Park",
    "Dubois",
    "Ahmed",
    "Larsen",
]
MANAGER_TEAMS = {
    "director1": [
        "Enterprise East",
        "Enterprise West",
        "Enterprise Central",
        "Strategic Accounts",
        "Public Sector",
        "Healthcare & Life Sciences",
    ],
    "director2": [
        "Mid-Market North",
        "Mid-Market South",
        "Mid-Market West",
        "Commercial Expansion",
        "SMB Inbound",
        "SMB Outbound",
    ],
}
SELLER_TITLES = [
    "Account Executive",
    "Senior Account Executive",
    "Account Executive",
    "Sales Development Representative",
    "Account Executive",
    "Senior Account Executive",
    "Sales Development Representative",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str


@dataclass(frozen=True)
class DemoStep:
    """Demo data an app builds on the org. `run` must be idempotent (keyed by stable external keys,
    so a second run writes nothing) and returns the lines to show after the sign-ins, or None."""

    name: str
    run: Callable[[], Iterable[str] | None]


@dataclass(frozen=True)
class DemoResult:
    logins: list[DemoLogin]
    lines: list[str]


_steps: list[DemoStep] = []


def register_demo_step(name: str, run: Callable[[], Iterable[str] | None]) -> None:
    """Adds a step to `seed_demo`, after the ones registered before it. A name already registered is
    kept as it is: `ready()` may run more than once (tests, reloads) without doubling a step."""
    if any(step.name == name for step in _steps):
        return
    _steps.append(DemoStep(name, run))


def demo_steps() -> list[DemoStep]:
    return list(_steps)


@transaction.atomic
def seed_demo() -> DemoResult:
    """Builds the org, then every registered step in order, in one transaction: a step that fails
    leaves nothing half-built, and running it all again changes nothing."""
    logins = seed_demo_org()
    lines: list[str] = []
    for step in demo_steps():
        lines.extend(step.run() or ())
    # Last, once every step's work exists: the reminders it is due for, so every inbox shows what it is for.
    from enablement.notifications.demo import seed_demo_inbox

    lines.extend(seed_demo_inbox())
    return DemoResult(logins=logins, lines=lines)


def _name(index: int) -> tuple[str, str]:
    # Strides coprime to each list's length: a pair repeats only every 840 people.
    return FIRST_NAMES[(index * 5) % len(FIRST_NAMES)], LAST_NAMES[(index * 3) % len(LAST_NAMES)]


def _user(
    username: str, first_name: str, last_name: str, *, groups: list[str], is_staff: bool = False, password_hash: str
):
    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": is_staff,
            "email": f"{username}@{EMAIL_DOMAIN}",
            "password": password_hash,
        },
    )
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def _team(name: str, parent: Team | None) -> Team:
    external_id = "T-" + name.upper().replace(" & ", "-").replace(" ", "-")
    team = Team.objects.filter(external_id=external_id).first()
    if team is None:
        return team_create(name=name, external_id=external_id, parent=parent)
    team_update(team=team, data={"name": name, "parent": parent})
    return team


def _person(external_id: str, **data) -> Person:
    first, last = data["first_name"], data["last_name"]
    data.setdefault("email", f"{first}.{last}".lower().replace("'", "").replace(" ", "") + f"@{EMAIL_DOMAIN}")
    person = Person.objects.filter(external_id=external_id).first()
    if person is None:
        return person_create(external_id=external_id, **data)
    person_update(person=person, data=data)
    return person


@transaction.atomic
def seed_demo_org() -> list[DemoLogin]:
    logins: list[DemoLogin] = []
    # One hash for every demo account: hashing ~100 passwords one by one takes most of a minute.
    password_hash = make_password(DEMO_PASSWORD)
    sales = _team("Sales", None)
    cso_user = _user("cso", "Dana", "Whitfield", groups=[roles.SALES_LEADER], password_hash=password_hash)
    cso = _person(
        "HR-0001",
        first_name="Dana",
        last_name="Whitfield",
        title="Chief Sales Officer",
        team=sales,
        manager=None,
        start_date=datetime.date(2019, 3, 4),
        user=cso_user,
    )
    team_update(team=sales, data={"lead": cso})
    logins.append(DemoLogin("cso", "Sales leader", cso.full_name))

    seller_number = 0
    manager_number = 0
    directors = [("director1", "Marcus", "Chen", "Enterprise"), ("director2", "Priya", "Raman", "Commercial")]
    for director_index, (username, first, last, segment) in enumerate(directors, start=1):
        segment_team = _team(segment, sales)
        director = _person(
            f"HR-01{director_index:02d}",
            first_name=first,
            last_name=last,
            title=f"Sales Director, {segment}",
            team=segment_team,
            manager=cso,
            start_date=datetime.date(2020, 1 + director_index, 10),
            user=_user(username, first, last, groups=[roles.SALES_LEADER], password_hash=password_hash),
        )
        team_update(team=segment_team, data={"lead": director})
        logins.append(DemoLogin(username, "Sales leader", director.full_name))

        for team_name in MANAGER_TEAMS[username]:
            manager_number += 1
            first, last = _name(manager_number)
            manager_username = f"manager{manager_number}"
            team = _team(team_name, segment_team)
            manager = _person(
                f"HR-1{manager_number:03d}",
                first_name=first,
                last_name=last,
                title=f"Frontline Sales Manager, {segment}",
                team=team,
                manager=director,
                start_date=datetime.date(2021, 1 + manager_number % 12, 1 + manager_number),
                user=_user(manager_username, first, last, groups=[roles.SALES_MANAGER], password_hash=password_hash),
            )
            team_update(team=team, data={"lead": manager})
            logins.append(DemoLogin(manager_username, "Sales manager", manager.full_name))

            for position in range(SELLERS_PER_MANAGER):
                seller_number += 1
                first, last = _name(100 + seller_number)
                status, end_date = Person.EmploymentStatus.ACTIVE, None
                if seller_number % 29 == 0:
                    status = Person.EmploymentStatus.ON_LEAVE
                elif seller_number % 41 == 0:
                    status, end_date = Person.EmploymentStatus.TERMINATED, datetime.date(2026, 9, 30)
                seller_username = f"seller{seller_number}"
                _person(
                    f"HR-2{seller_number:03d}",
                    first_name=first,
                    last_name=last,
                    title=SELLER_TITLES[position],
                    team=team,
                    manager=manager,
                    employment_status=status,
                    end_date=end_date,
                    start_date=datetime.date(2022 + seller_number % 4, 1 + seller_number % 12, 1 + seller_number % 27),
                    user=_user(seller_username, first, last, groups=[], password_hash=password_hash),
                )
    logins.append(DemoLogin(f"seller1 … seller{seller_number}", "Seller", "(one per seller)"))

    _user("recruiter", "Jordan", "Blake", groups=[roles.RECRUITER], password_hash=password_hash)
    logins.append(DemoLogin("recruiter", "Recruiter", "Jordan Blake"))
    _user("hradmin", "Sam", "Okoro", groups=[roles.HR_ADMIN], is_staff=True, password_hash=password_hash)
    logins.append(DemoLogin("hradmin", "HR admin", "Sam Okoro"))
    return logins
