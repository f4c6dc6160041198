"""The Manager impact demo step, after the charters and coaching steps (registered by coaching after its own):

- the people who answer support requests, outside the sales org: Revenue Operations (Rachel Kim) and Sales
  Systems (Daniel Reyes) under Helen Park, VP Revenue Operations; Sales Enablement (Tomás Aguilar) and
  Marketing (Nadia Farouk) under Owen Brooks, VP Marketing; each a support function with its owner;
- every demo manager's rating of their charter's support: the CRM rated low on the Enterprise role, the SDR
  team lead rated 2 on the Commercial one;
- nine support requests across every state and age, two unanswered past their due date and escalated to the
  owner's manager and the raiser's director, one reopened because the fix did not work;
- 1:1s with most managers' sellers in the last months (each on a short development plan, completed), fewer
  for some managers, so the 1:1 column tells them apart.

Built through the services, keyed by what a second run finds again (a username, a function's name, a
request's raiser and title, a seller's plan title), so running it twice changes nothing. Dates are relative
to the day the demo first runs.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coaching.models import CoachingPlan
from coaching.services.plans import plan_activate, plan_complete, plan_create, session_record
from enablement.models import Person, Team
from enablement.notifications.registry import get_kind
from enablement.notifications.services import reminders_sweep
from enablement.org.demo import DEMO_PASSWORD, EMAIL_DOMAIN
from enablement.org.services import person_create, team_create
from managers.models import OPEN_REQUEST_STATES, SupportFunction, SupportRating, SupportRequest, SupportRequestEntry
from managers.services.support import (
    RatingInput,
    add_working_days,
    current_support_items,
    support_ratings_record,
    support_request_confirm,
    support_request_raise,
    support_request_transition,
)
from managers.support_reminders import ESCALATION_KIND

State = SupportRequest.State
FIRST_RESPONSE_DAYS = settings.SUPPORT_REQUEST_FIRST_RESPONSE_WORKING_DAYS

# username, first, last, title, external id, their manager's username (None: top of their line), team
OUTSIDE_PEOPLE = (
    ("vp_revops", "Helen", "Park", "VP Revenue Operations", "HR-9001", None, "Revenue Operations"),
    ("revops", "Rachel", "Kim", "Revenue Operations Partner", "HR-9002", "vp_revops", "Revenue Operations"),
    ("salesops", "Daniel", "Reyes", "Sales Systems Lead", "HR-9003", "vp_revops", "Revenue Operations"),
    ("vp_marketing", "Owen", "Brooks", "VP Marketing", "HR-9004", None, "Marketing"),
    ("enablement", "Tomás", "Aguilar", "Sales Enablement Partner", "HR-9005", "vp_marketing", "Marketing"),
    ("marketing", "Nadia", "Farouk", "Product Marketing Manager", "HR-9006", "vp_marketing", "Marketing"),
)
FUNCTIONS = (
    ("Revenue Operations", "revops", "Territories, quotas, CPQ and deal desk, pipeline reports"),
    ("Sales Systems", "salesops", "Salesforce, Gong and Outreach: access, dashboards, routing"),
    ("Sales Enablement", "enablement", "Onboarding, certifications, playbooks and workshops"),
    ("Marketing", "marketing", "Case studies, events and the leads they bring"),
)

# Support ratings: by role, the items rated low, each with the score per manager (in role order) and a note.
LOW_RATED = {
    "fsm-enterprise": {"Salesforce": ((2, 1, 2, 2, 3, 2), "Pipeline reports time out; forecasts go out by hand.")},
    "fsm-commercial": {"Kofi Asante": ((2, 2, 2, 2, 2, 2), "SDR hand-offs arrive without discovery notes.")},
}


@dataclass(frozen=True)
class RequestSpec:
    raiser: str
    function: str
    title: str
    kind: str
    days_ago: int
    moves: tuple  # ("state", note) by the owner, or ("fixed"/"not_fixed", note) by the raiser, in order
    item: str = ""
    description: str = ""


REQUESTS = (
    RequestSpec(
        "manager3",
        "Revenue Operations",
        "CPQ approvals take five days",
        "process",
        23,
        (),
        item="Rachel Kim",
        description="Every discount above 10% waits for a VP; two deals slipped on it.",
    ),
    RequestSpec(
        "manager10",
        "Sales Systems",
        "Salesforce dashboards time out before the Monday forecast call",
        "tool",
        12,
        (),
        item="Salesforce",
        description="The team forecast dashboard fails most Mondays.",
    ),
    RequestSpec(
        "manager5",
        "Sales Enablement",
        "No onboarding slot for two new AEs before March",
        "enablement",
        6,
        ((State.ACKNOWLEDGED, "Looking for a trainer; back to you by Friday."),),
    ),
    RequestSpec(
        "manager8",
        "Marketing",
        "No mid-market retail case studies for discovery calls",
        "partner",
        15,
        ((State.ACKNOWLEDGED, ""), (State.IN_PROGRESS, "Two customers agreed; drafts in two weeks.")),
    ),
    RequestSpec(
        "manager2",
        "Revenue Operations",
        "Territory file still lists accounts that moved to Commercial",
        "data",
        9,
        ((State.RESOLVED, "Territory file regenerated from the new assignments."),),
    ),
    RequestSpec(
        "manager7",
        "Sales Enablement",
        "Discovery certification dates clash with quarter end",
        "enablement",
        30,
        (
            (State.ACKNOWLEDGED, ""),
            (State.RESOLVED, "Moved to the second week of each quarter."),
            ("fixed", "Works, thanks."),
        ),
    ),
    RequestSpec(
        "manager11",
        "Marketing",
        "Event leads arrive with no owner",
        "process",
        20,
        ((State.DECLINED, "Lead routing moves to Sales Systems next month; raise it with them if it persists."),),
    ),
    RequestSpec(
        "manager12",
        "Sales Enablement",
        "The Commercial 90-day ramp plan still shows the old bundles",
        "enablement",
        18,
        ((State.RESOLVED, "Ramp plan updated."), ("not_fixed", "Weeks 5 to 8 still show the old bundles.")),
    ),
    RequestSpec("manager6", "Revenue Operations", "Quota letter for the backfill hire", "data", 1, ()),
)

# How many of each manager's current sellers had a 1:1 in the last months (the rest: none in 180 days).
ONE_ON_ONES = {
    "manager1": 7,
    "manager2": 6,
    "manager3": 3,
    "manager4": 2,
    "manager5": 7,
    "manager6": 5,
    "manager7": 7,
    "manager8": 6,
    "manager9": 7,
    "manager10": 3,
    "manager11": 5,
    "manager12": 4,
}
ONE_ON_ONE_PLAN = "Quarterly growth 1:1s"


@transaction.atomic
def seed_impact_demo() -> list[str]:
    """Builds the support and 1:1 demo on the demo org, its charters and coaching; returns a summary to print."""
    outside = _outside_people()
    functions = _functions(outside)
    usernames = [f"manager{number}" for number in range(1, 13)]
    found = Person.objects.filter(user__username__in=usernames).select_related("user", "manager")
    managers = {person.user.username: person for person in found}
    if not managers:
        return []
    _support_ratings(managers)
    for spec in REQUESTS:
        if spec.raiser in managers:
            _request(spec, managers[spec.raiser], functions)
    reminders_sweep(kind=get_kind(ESCALATION_KIND))  # the two unanswered past their due date are escalated now
    _one_on_ones(managers)
    return _summary(functions)


def _outside_people() -> dict[str, Person]:
    password = make_password(DEMO_PASSWORD)
    people: dict[str, Person] = {}
    for username, first, last, title, external_id, manager, team_name in OUTSIDE_PEOPLE:
        person = Person.objects.filter(external_id=external_id).first()
        if person is None:
            defaults = {
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{EMAIL_DOMAIN}",
                "password": password,
            }
            user, _created = get_user_model().objects.get_or_create(username=username, defaults=defaults)
            email = f"{first}.{last}@{EMAIL_DOMAIN}".lower().replace("á", "a")
            person = person_create(
                external_id=external_id,
                first_name=first,
                last_name=last,
                title=title,
                email=email,
                team=_team(team_name),
                manager=people.get(manager),
                user=user,
                start_date=datetime.date(2021, 4, 1),
            )
        people[username] = person
    return people


def _team(name: str) -> Team:
    external_id = "T-" + name.upper().replace(" ", "-")
    return Team.objects.filter(external_id=external_id).first() or team_create(name=name, external_id=external_id)


def _functions(outside: Mapping[str, Person]) -> dict[str, SupportFunction]:
    functions = {}
    for name, owner, description in FUNCTIONS:
        function = SupportFunction.objects.filter(name=name).first()
        if function is None:
            function = SupportFunction.objects.create(name=name, owner=outside[owner], description=description)
        functions[name] = function
    return functions


def _support_ratings(managers: Mapping[str, Person]) -> None:
    for index, (_username, manager) in enumerate(sorted(managers.items(), key=lambda item: int(item[0][7:]))):
        items = current_support_items(manager)
        if not items or SupportRating.objects.filter(person=manager).exists():
            continue
        low = LOW_RATED.get(items[0].version.role.code, {})
        ratings = {}
        for item in items:
            if item.name in low:
                scores, note = low[item.name]
                ratings[item.pk] = RatingInput(scores[index % len(scores)], note)
            else:
                ratings[item.pk] = RatingInput(3 + (index + item.position) % 3)
        support_ratings_record(person=manager, ratings=ratings, by=manager.user)


def _request(spec: RequestSpec, raiser: Person, functions: Mapping[str, SupportFunction]) -> None:
    if SupportRequest.objects.filter(raised_by=raiser, title=spec.title).exists():
        return
    item = next((item for item in current_support_items(raiser) if item.name == spec.item), None)
    request = support_request_raise(
        by=raiser.user,
        title=spec.title,
        kind=spec.kind,
        description=spec.description,
        function=functions[spec.function],
        support_item=item,
    )
    owner = request.owner.user
    for move, note in spec.moves:
        if move in ("fixed", "not_fixed"):
            support_request_confirm(request=request, by=raiser.user, fixed=move == "fixed", note=note)
        else:
            support_request_transition(request=request, by=owner, state=move, note=note)
    _backdate(request, spec.days_ago)


def _backdate(request: SupportRequest, days_ago: int) -> None:
    """Moves the request's history back so it was raised `days_ago` days ago, its moves spread after that."""
    raised = timezone.now() - datetime.timedelta(days=days_ago, hours=2)
    entries = list(request.entries.order_by("created_at", "pk"))
    step = datetime.timedelta(days=days_ago) / max(len(entries), 1)
    for position, entry in enumerate(entries):
        SupportRequestEntry.objects.filter(pk=entry.pk).update(created_at=raised + step * position)
    request.refresh_from_db()
    responded = raised + step if request.first_response_at else None
    resolved = raised + step * (len(entries) - 1) if request.resolved_at else None
    SupportRequest.objects.filter(pk=request.pk).update(
        created_at=raised,
        first_response_due_at=add_working_days(raised, FIRST_RESPONSE_DAYS),
        first_response_at=responded,
        resolved_at=resolved,
        confirmed_fixed_at=resolved if request.confirmed_fixed_at else None,
    )


def _one_on_ones(managers: Mapping[str, Person]) -> None:
    today = timezone.localdate()
    for username, count in ONE_ON_ONES.items():
        manager = managers.get(username)
        if manager is None:
            continue
        sellers = list(Person.objects.current().filter(manager=manager).order_by("external_id"))[:count]
        for position, seller in enumerate(sellers):
            done_or_coached = Q(title=ONE_ON_ONE_PLAN) | Q(state=CoachingPlan.State.ACTIVE)
            if CoachingPlan.objects.filter(done_or_coached, coachee=seller).exists():
                continue  # done on an earlier run, or already coached on a plan of their own
            held_on = today - datetime.timedelta(days=12 + 9 * position)
            plan = plan_create(
                coachee=seller,
                coach=manager,
                by=manager.user,
                title=ONE_ON_ONE_PLAN,
                period_start=held_on - datetime.timedelta(days=7),
                period_end=today,
            )
            plan = plan_activate(plan=plan, by=manager.user)
            session_record(
                plan=plan,
                held_on=held_on,
                by=manager.user,
                notes="Pipeline walk-through and one skill to practise before the next 1:1.",
            )
            plan_complete(plan=plan, by=manager.user)


def _summary(functions: Mapping[str, SupportFunction]) -> list[str]:
    requests = SupportRequest.objects.all()
    overdue = requests.filter(
        state=State.OPEN, first_response_at__isnull=True, first_response_due_at__lte=timezone.now()
    ).count()
    owners = ", ".join(
        f"{function.owner} ({function.owner.user.username}, {name})" for name, function in functions.items()
    )
    return [
        "",
        f"Manager impact: support rated by {SupportRating.objects.values('person').distinct().count()} managers; "
        f"{requests.count()} support requests ({requests.filter(state__in=OPEN_REQUEST_STATES).count()} open, "
        f"{overdue} unanswered past their due date and escalated); sign in as cso, director1 or director2 for "
        "Manager impact, as a manager for My impact and Support. Requests are answered by:",
        f"  {owners}",
    ]
