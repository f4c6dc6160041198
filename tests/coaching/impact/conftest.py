"""A small org with something in every column of the impact page.

    leader ── owner (holds the charter's role; seller below) ── peer (same role; peer_seller below)
    outsider (another role, under nobody above: never on the leader's page)

owner: acknowledged v1 rating focus 4, deprioritize 2, success 5 with a question nobody answered; rates
Alex Kim 2; a support request open 23 days with no response; one seller without a 1:1; an active plan with
a task overdue; readings off track then on track. peer: asked to acknowledge 10 days ago, nothing else.
"""

import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from coaching.models import ActivityKind, Assessment
from coaching.services.assessments import LevelInput, assessment_record
from coaching.services.plans import plan_activate, plan_create, task_add
from managers.models import Acknowledgement, MetricReading
from managers.services.charters import charter_acknowledge
from managers.services.support import RatingInput
from tests.managers.factories import CompetencyFactory, RoleCompetencyFactory
from tests.managers.support_helpers import outside_people, raise_request


@pytest.fixture
def outside(db):
    return outside_people()


@pytest.fixture
def impact_org(org, charter, outside):
    return build_impact_org(org, charter, outside)


def build_impact_org(org: dict, charter: dict, outside: dict) -> dict:
    """What `impact_org` returns (see the module's docstring), for a module that builds it once."""
    owner, peer, leader = org["owner"], org["peer"], org["leader"]
    version = charter["version"]
    item = version.support_items.get()
    ack = Acknowledgement.objects.get(person=owner, version=version)
    charter_acknowledge(
        acknowledgement=ack,
        by=owner.user,
        clarity_focus=4,
        clarity_deprioritize=2,
        clarity_success=5,
        question="Does hiring count?",
        support_ratings={item.pk: RatingInput(2)},
    )
    Acknowledgement.objects.filter(person=peer).update(requested_at=timezone.now() - datetime.timedelta(days=10))
    Acknowledgement.objects.filter(pk=ack.pk).update(acknowledged_at=timezone.now() - datetime.timedelta(days=5))
    request = raise_request(owner, function=outside["function"], days_ago=23)
    coaching = CompetencyFactory(key="coaching")
    RoleCompetencyFactory(role=charter["role"], competency=coaching, required_level=3, weight=2)
    assessment_record(
        person=owner, source=Assessment.Source.LEADER, by=leader.user, ratings={coaching: LevelInput(Decimal(2))}
    )
    plan = plan_activate(plan=plan_create(coachee=owner, coach=leader, by=leader.user), by=leader.user)
    task_add(
        plan=plan,
        by=leader.user,
        kind=ActivityKind.PRACTICE,
        title="Role play",
        assignee=owner,
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    metric = version.metrics.get()
    month = timezone.localdate().replace(day=1)
    for back, value in ((2, "80"), (1, "104")):
        MetricReading.objects.create(
            person=owner,
            metric=metric,
            metric_key=metric.key,
            value=Decimal(value),
            period=month - relativedelta(months=back),
        )
    return {"request": request, "plan": plan, "metric": metric, "item": item, **outside}


@pytest.fixture(autouse=True)
def pulse_question_bank(db):
    """The question bank its migration seeded, put back where a transactional test elsewhere flushed it."""
    from coaching.models import PulseQuestion
    from coaching.pulse.question_bank import question_bank_load
    from managers.models import Competency

    question_bank_load(PulseQuestion, Competency)
