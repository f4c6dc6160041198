"""Each coaching rule that used to be decided in more than one place, run through every path that reaches
it (the pages and the API): the same cases must get the same answer, with the same message, everywhere."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import Assessment, CoachingPlan
from coaching.models.periods import PERIOD_ENDS_BEFORE_IT_STARTS
from managers.services.charters import role_assign
from tests.helpers import api_client, login_as
from tests.managers.factories import CompetencyFactory, RoleCompetencyFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coaching_competency(org):
    """`owner` holds a role that requires coaching (level 3)."""
    role = RoleFactory(code="fsm")
    competency = CompetencyFactory(key="coaching")
    RoleCompetencyFactory(role=role, competency=competency, required_level=3, weight=3)
    role_assign(person=org["owner"], role=role, on=datetime.date(2026, 1, 1), by=None)
    return competency


# -- a period does not end before it starts (plans and assessments) ---------------------------------------

BACKWARDS = {"period_start": "2026-06-30", "period_end": "2026-01-01"}


def _page_errors(response) -> list[str]:
    assert response.status_code in (200, 400), response.status_code
    return response.context["form"].errors["period_end"]


def _api_errors(response) -> list[str]:
    assert response.status_code == 400, response.content
    return response.json()["errors"]["period_end"]


def _plan_page(client, org, competency) -> list[str]:
    body = {"start_from": "scratch", "title": "", "coach": org["leader"].pk, **BACKWARDS}
    url = reverse("coaching:plan-create", args=[org["owner"].pk])
    return _page_errors(login_as(client, org["leader"]).post(url, body))


def _assessment_page(client, org, competency) -> list[str]:
    body = {"source": "leader", "assessed_on": timezone.localdate().isoformat(), "summary": "",
            f"level_{competency.pk}": "2", f"evidence_{competency.pk}": "Tells.", **BACKWARDS}  # fmt: skip
    url = reverse("coaching:assessment-record", args=[org["owner"].pk])
    return _page_errors(login_as(client, org["leader"]).post(url, body))


def _plan_api(client, org, competency) -> list[str]:
    body = {"coachee": org["owner"].pk, **BACKWARDS}
    return _api_errors(api_client(org["leader"].user).post(reverse("plan-list"), body, format="json"))


def _assessment_api(client, org, competency) -> list[str]:
    body = {"person": org["owner"].pk, "source": "leader", "ratings": [{"competency": "coaching", "level": "2"}],
            **BACKWARDS}  # fmt: skip
    return _api_errors(api_client(org["leader"].user).post(reverse("assessment-list"), body, format="json"))


PERIOD_PATHS = {
    "page: start a plan": _plan_page,
    "page: record an assessment": _assessment_page,
    "API: POST plans/": _plan_api,
    "API: POST assessments/": _assessment_api,
}


@pytest.mark.parametrize("path", PERIOD_PATHS)
def test_a_period_ending_before_it_starts_is_refused_alike_on_every_path(client, org, coaching_competency, path):
    errors = PERIOD_PATHS[path](client, org, coaching_competency)

    assert errors == [str(PERIOD_ENDS_BEFORE_IT_STARTS)]
    assert not CoachingPlan.objects.exists() and not Assessment.objects.exists()
