"""Recording assessments: what a leader may record, who may still be assessed, and levels shown as stored."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import Assessment, AssessmentRating
from coaching.selectors.gaps import gaps_for
from coaching.services.assessments import LevelInput, assessment_record
from managers.services.charters import role_assign
from tests.helpers import api_client
from tests.managers.factories import CompetencyFactory, RoleCompetencyFactory, RoleFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_a_leader_records_only_their_own_view_and_not_in_the_future(org, leader):
    competency = CompetencyFactory(key="coaching")
    body = {"person": org["owner"].pk, "source": "self", "ratings": [{"competency": "coaching", "level": "2"}]}
    assert api_client(leader.user).post(reverse("assessment-list"), body, format="json").status_code == 400
    future = {**body, "source": "leader", "assessed_on": (timezone.localdate() + DAY).isoformat()}
    assert api_client(leader.user).post(reverse("assessment-list"), future, format="json").status_code == 400
    assert not Assessment.objects.exists()
    api = api_client(leader.user)
    assert api.post(reverse("assessment-list"), {**body, "source": "leader"}, format="json").status_code == 201
    assert AssessmentRating.objects.get().competency == competency


def test_a_terminated_person_is_no_longer_assessed(org, leader):
    from enablement.org.services import person_terminate

    CompetencyFactory(key="coaching")
    person_terminate(person=org["seller"])
    body = {"person": org["seller"].pk, "source": "leader", "ratings": [{"competency": "coaching", "level": "2"}]}
    assert api_client(leader.user).post(reverse("assessment-list"), body, format="json").status_code == 403
    assert not Assessment.objects.exists()


def test_assessed_levels_are_shown_as_stored_on_every_database(org, leader):
    role = RoleFactory(code="fsm")
    competency = CompetencyFactory(key="coaching")
    RoleCompetencyFactory(role=role, competency=competency, required_level=3, weight=1)
    role_assign(person=org["owner"], role=role, on=datetime.date(2026, 1, 1), by=None)
    assessment_record(
        person=org["owner"],
        source=Assessment.Source.LEADER,
        by=leader.user,
        ratings={competency: LevelInput(Decimal("2.33"))},
    )
    (gap,) = gaps_for(org["owner"])
    assert (str(gap.assessed_level), str(gap.gap)) == ("2.33", "0.67")
