"""`manage.py seed_large` at a tiny scale (200 people): the shape of what it builds, not the speed (the
README's figure is measured on PostgreSQL at 5,000)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from coaching.large_org import Shape
from coaching.models import CoachingPlan, CoachingTask, Pulse, PulseAnswer, Recognition
from enablement.accounts import roles
from enablement.models import Person, Reminder
from managers.models import (
    Acknowledgement,
    Application,
    CharterVersion,
    MetricReading,
    Requisition,
    RoleAssignment,
    Scorecard,
    SupportRequest,
)

pytestmark = pytest.mark.django_db
PEOPLE = 200


@pytest.fixture(scope="module")
def large_org(module_db):
    out = io.StringIO()
    call_command("seed_large", "--people", str(PEOPLE), stdout=out)
    return out.getvalue()


def test_seed_large_builds_the_counts_of_its_shape(large_org):
    shape = Shape(people=PEOPLE)
    assert Person.objects.count() == PEOPLE
    managers = Person.objects.filter(user__groups__name=roles.SALES_MANAGER)
    assert managers.count() == shape.managers == 20
    assert Person.objects.filter(user__groups__name=roles.SALES_LEADER).count() == shape.leaders
    assert CoachingPlan.objects.count() == shape.plans
    assert CoachingTask.objects.count() == shape.plans * shape.tasks_per_plan
    assert Requisition.objects.count() == shape.requisitions
    assert Application.objects.count() == shape.requisitions * shape.candidates_per_requisition
    assert Scorecard.objects.count() == Application.objects.count() * shape.interviews_per_application
    assert Scorecard.objects.filter(status="draft").exists() and Scorecard.objects.filter(status="submitted").exists()
    assert "Large organization built" in large_org and "coaching tasks" in large_org


def test_every_manager_holds_a_role_with_a_published_charter_and_readings(large_org):
    managers = Person.objects.filter(user__groups__name=roles.SALES_MANAGER)
    held = RoleAssignment.objects.filter(person__in=managers, ended_on__isnull=True)
    assert held.count() == managers.count()
    published = CharterVersion.objects.filter(status="published")
    assert set(held.values_list("role", flat=True)) <= set(published.values_list("role", flat=True))
    assert Acknowledgement.objects.filter(person__in=managers, version__in=published).count() == managers.count()
    assert Acknowledgement.objects.filter(acknowledged_at__isnull=True).exists()  # some still pending
    assert MetricReading.objects.filter(person__in=managers).values("person").distinct().count() == managers.count()


def test_every_person_reports_up_to_the_cso_and_every_manager_has_a_team_pulse(large_org):
    cso = Person.objects.get(user__username="cso")
    assert Person.objects.filter(manager__isnull=True).get() == cso
    managers = Person.objects.filter(user__groups__name=roles.SALES_MANAGER)
    assert Pulse.objects.filter(series__subject__in=managers, state="closed", released_at__isnull=False).count() == (
        managers.count()
    )
    assert PulseAnswer.objects.exists() and Recognition.objects.exists() and SupportRequest.objects.exists()
    assert Reminder.objects.filter(status="sent").exists() and not Reminder.objects.filter(status="pending").exists()


def test_a_seeded_manager_signs_in_with_the_demo_password_and_sees_their_charter(large_org):
    client = Client()
    signed_in = client.post(reverse("login"), {"username": "manager1", "password": "demo"})
    assert signed_in.status_code == 302, signed_in.content[:500]
    response = client.get(reverse("managers:my-charter"))
    assert response.status_code == 200
    assert b"Pipeline coverage" in response.content


def test_seed_large_refuses_a_database_that_holds_people(large_org):
    with pytest.raises(CommandError, match="empty"):
        call_command("seed_large", "--people", "100", stdout=io.StringIO())


@override_settings(IS_PRODUCTION=True)
def test_seed_large_refuses_production_settings(large_org):
    with pytest.raises(CommandError, match="never runs in production"):
        call_command("seed_large", stdout=io.StringIO())
