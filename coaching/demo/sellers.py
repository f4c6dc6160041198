"""The sellers' roles in the demo: Account Executive (the senior ones too) and Sales Development
Representative, each with a competency profile, held by every seller still employed; and a few sellers
assessed by their manager, so a manager's "Start a plan from the gaps" has gaps to start from. Through the
services, keyed by what a second run finds again (a role's code, an assessment's person and assessor)."""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from coaching.models import Assessment
from coaching.services.assessments import LevelInput, assessment_record
from enablement.models import Person
from managers.demo.requirements import BUSINESS, CHANGE, CUSTOMER, DATA, PIPELINE, RESILIENCE, STORYTELLING
from managers.models import Competency, Role
from managers.services.charters import role_assign, role_create
from managers.services.competencies import role_requirements_save

ROLE_START = datetime.date(2026, 1, 1)
# code: (name, description, (competency key, required level, weight), titles that hold it)
SELLER_ROLES = {
    "account-executive": (
        "Account Executive",
        "Owns new business in a territory from first meeting to signature.",
        ((CUSTOMER, 3, 5), (STORYTELLING, 3, 4), (PIPELINE, 3, 4), (BUSINESS, 2, 3), (RESILIENCE, 2, 3), (DATA, 2, 2)),
        ("Account Executive", "Senior Account Executive"),
    ),
    "sdr": (
        "Sales Development Representative",
        "Opens conversations with new accounts and books first meetings for the account executives.",
        ((RESILIENCE, 3, 5), (CUSTOMER, 2, 4), (STORYTELLING, 2, 4), (DATA, 2, 3), (CHANGE, 2, 2)),
        ("Sales Development Representative",),
    ),
}
# (seller position in their manager's team, manager username, days ago, {competency key: level}, evidence)
SELLER_ASSESSMENTS = (
    (0, "manager1", 20, {CUSTOMER: 2, STORYTELLING: 2, PIPELINE: 3, BUSINESS: 1, RESILIENCE: 3, DATA: 2}),
    (1, "manager1", 18, {CUSTOMER: 3, STORYTELLING: 2, PIPELINE: 2, BUSINESS: 2, RESILIENCE: 2, DATA: 1}),
    (3, "manager1", 15, {RESILIENCE: 2, CUSTOMER: 2, STORYTELLING: 1, DATA: 2, CHANGE: 2}),
    (0, "manager7", 25, {CUSTOMER: 2, STORYTELLING: 3, PIPELINE: 2, BUSINESS: 2, RESILIENCE: 2, DATA: 2}),
)
EVIDENCE = "From two ride-alongs and the last pipeline review."


def seed_seller_roles(competencies: Mapping[str, Competency], today: datetime.date) -> int:
    """Gives every current seller their role (created with its requirements if missing) and records the
    seller assessments; returns how many sellers hold a role."""
    held = 0
    for code, (name, description, requirements, titles) in SELLER_ROLES.items():
        role = Role.objects.filter(code=code).first()
        if role is None:
            role = role_create(code=code, name=name, description=description, by=None)
        if not role.requirements.exists():
            rows = [
                {"competency": competencies[key], "required_level": level, "weight": weight}
                for key, level, weight in requirements
                if key in competencies
            ]
            role_requirements_save(role=role, requirements=rows, by=None)
        for seller in Person.objects.current().filter(title__in=titles, direct_reports__isnull=True):
            role_assign(person=seller, role=role, on=max(ROLE_START, seller.start_date or ROLE_START), by=None)
            held += 1
    _assess_sellers(competencies, today)
    return held


def _assess_sellers(competencies: Mapping[str, Competency], today: datetime.date) -> None:
    for position, manager_username, days_ago, levels in SELLER_ASSESSMENTS:
        manager = Person.objects.filter(user__username=manager_username).select_related("user").first()
        if manager is None:
            continue
        sellers = list(manager.direct_reports.current().order_by("pk"))
        if position >= len(sellers):
            continue
        seller = sellers[position]
        if Assessment.objects.filter(person=seller, assessor=manager.user).exists():
            continue
        assessment_record(
            person=seller,
            source=Assessment.Source.LEADER,
            by=None,  # the demo, recording the manager's view
            assessor=manager.user,
            assessed_on=today - datetime.timedelta(days=days_ago),
            summary="Quarterly skills check-in.",
            ratings={competencies[key]: LevelInput(Decimal(level), EVIDENCE) for key, level in levels.items()},
        )
