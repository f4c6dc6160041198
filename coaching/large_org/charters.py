"""The competency framework, the roles every manager holds, and their published charters with
acknowledgements, readings and support ratings."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from coaching.activity_library import activities_seed
from coaching.large_org.build import BATCH, Org, Shape
from coaching.models import PulseQuestion
from coaching.pulse.question_bank import question_bank_load
from managers.models import (
    Acknowledgement,
    CharterVersion,
    Competency,
    DeprioritizedActivity,
    FocusArea,
    MetricReading,
    Role,
    RoleAssignment,
    RoleCompetency,
    SuccessMetric,
    SupportItem,
    SupportRating,
)
from managers.services.competencies import competencies_seed

METRICS = ("Pipeline coverage", "Forecast accuracy", "Win rate", "Ramp time of new sellers")
SUPPORT = (("tool", "CRM"), ("partner", "Sales engineering"), ("tool", "Forecasting"), ("process", "Deal desk"))
SUPPORT += (("enablement", "Onboarding programme"), ("data", "Territory data"))


@dataclass
class Framework:
    competencies: list[Competency]
    roles: list[Role]
    required: dict[int, list[Competency]]  # role pk -> the competencies it requires
    role_of: dict[int, Role]  # manager pk -> the role they hold
    versions: dict[int, CharterVersion]  # role pk -> its published version


def build_framework(shape: Shape, org: Org) -> Framework:
    """The seed framework, activities and pulse questions, `shape.roles` roles each requiring 6-8
    competencies, and a role for every manager (round-robin)."""
    competencies_seed()
    activities_seed()
    question_bank_load(PulseQuestion, Competency)
    competencies = list(Competency.objects.order_by("key"))
    roles = Role.objects.bulk_create(
        Role(
            code=f"fsm-{index + 1}",
            name=f"Frontline Sales Manager, segment {index + 1}",
            description="Leads a team of account executives.",
            review_cadence_months=6,
        )
        for index in range(shape.roles)
    )
    required: dict[int, list[Competency]] = {}
    rows = []
    for index, role in enumerate(roles):
        chosen = [competencies[(index * 5 + offset) % len(competencies)] for offset in range(6 + index % 3)]
        required[role.pk] = chosen
        rows += [
            RoleCompetency(role=role, competency=competency, required_level=2 + (index + n) % 3, weight=1 + n % 3)
            for n, competency in enumerate(chosen)
        ]
    RoleCompetency.objects.bulk_create(rows, batch_size=BATCH)
    role_of = {manager.pk: roles[index % len(roles)] for index, manager in enumerate(org.managers)}
    RoleAssignment.objects.bulk_create(
        (RoleAssignment(person_id=pk, role=role, started_on=datetime.date(2025, 1, 6)) for pk, role in role_of.items()),
        batch_size=BATCH,
    )
    return Framework(competencies, roles, required, role_of, versions={})


def _versions(framework: Framework, org: Org, now: datetime.datetime) -> None:
    """Version 1 published for every role (with a draft version 2 for every fourth), its focus areas,
    stop-doing list, four monthly metrics and six support items."""
    leader = org.cso.user
    published = CharterVersion.objects.bulk_create(
        CharterVersion(
            role=role,
            number=1,
            status="published",
            purpose="Grow a healthy pipeline and develop every seller on the team.",
            created_by=leader,
            published_at=now - datetime.timedelta(days=40),
            published_by=leader,
        )
        for role in framework.roles
    )
    drafts = CharterVersion.objects.bulk_create(
        CharterVersion(role=role, number=2, purpose="Next year's focus.", created_by=leader)
        for role in framework.roles[::4]
    )
    framework.versions = {version.role_id: version for version in published}
    every = published + drafts
    FocusArea.objects.bulk_create(
        FocusArea(version=version, position=n, title=title, description="Weekly.", time_share=share)
        for version in every
        for n, (title, share) in enumerate((("Coaching sellers", 40), ("Pipeline reviews", 35), ("Hiring", 25)))
    )
    DeprioritizedActivity.objects.bulk_create(
        DeprioritizedActivity(version=version, position=n, activity=activity, reason="Another team owns it.")
        for version in every
        for n, activity in enumerate(("Building slide decks", "Chasing contract paperwork"))
    )
    SuccessMetric.objects.bulk_create(
        SuccessMetric(version=version, position=n, name=name, unit="%", target=Decimal(60 + 10 * n))
        for version in every
        for n, name in enumerate(METRICS)
    )
    SupportItem.objects.bulk_create(
        SupportItem(version=version, position=n, kind=kind, name=name, function="Revenue Operations")
        for version in every
        for n, (kind, name) in enumerate(SUPPORT)
    )
    for role in framework.roles:
        role.last_reviewed_on = (now - datetime.timedelta(days=40)).date()
        role.next_review_on = role.last_reviewed_on + datetime.timedelta(days=182)
    Role.objects.bulk_update(framework.roles, ["last_reviewed_on", "next_review_on"])


def build_charters(org: Org, framework: Framework, now: datetime.datetime) -> None:
    """Charters; every manager asked to acknowledge theirs (nine in ten did, with clarity ratings; one in
    ten asked a question), six months of readings of each metric, and a support rating of every item."""
    _versions(framework, org, now)
    acknowledgements = []
    for index, manager in enumerate(org.managers):
        version = framework.versions[framework.role_of[manager.pk].pk]
        pending = index % 10 == 9
        acknowledgements.append(
            Acknowledgement(
                person=manager,
                version=version,
                requested_at=now - datetime.timedelta(days=40),
                acknowledged_at=None if pending else now - datetime.timedelta(days=35 - index % 20),
                clarity_focus=None if pending else 1 + index % 5,
                clarity_deprioritize=None if pending else 1 + (index // 2) % 5,
                clarity_success=None if pending else 2 + index % 4,
                question="Which pipeline counts towards coverage?" if index % 10 == 3 else "",
            )
        )
    Acknowledgement.objects.bulk_create(acknowledgements, batch_size=BATCH)

    metrics = {version.role_id: list(version.metrics.all()) for version in framework.versions.values()}
    items = {version.role_id: list(version.support_items.all()) for version in framework.versions.values()}
    month = now.date().replace(day=1)
    periods = []
    for _ in range(6):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        periods.append(month)
    MetricReading.objects.bulk_create(
        (
            MetricReading(
                person=manager,
                metric=metric,
                metric_key=metric.key,
                period=period,
                value=Decimal(40 + (index * 7 + back * 3 + metric.position * 11) % 60),
            )
            for index, manager in enumerate(org.managers)
            for metric in metrics[framework.role_of[manager.pk].pk]
            for back, period in enumerate(periods)
        ),
        batch_size=BATCH,
    )
    quarter = now.date().replace(month=3 * ((now.month - 1) // 3) + 1, day=1)
    SupportRating.objects.bulk_create(
        (
            SupportRating(
                person=manager,
                item=item,
                role=framework.role_of[manager.pk],
                item_kind=item.kind,
                item_name=item.name,
                quarter=quarter,
                score=1 + (index + item.position) % 5,
                occasion="acknowledgement",
            )
            for index, manager in enumerate(org.managers)
            if index % 10 != 9  # the pending ones have not rated yet
            for item in items[framework.role_of[manager.pk].pk]
        ),
        batch_size=BATCH,
    )
