"""The coaching admin: every changelist and change page opens; plans and assessments are read-only; the
activity library saves through its services."""

import pytest
from django.urls import reverse

from coaching.models import ActivityKind, Assessment, CoachingPlan, DevelopmentActivity
from coaching.services.plans import plan_create
from tests.enablement.factories import UserFactory
from tests.managers.factories import CompetencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_coaching_admin_pages_open_and_plans_are_read_only(admin_client, org, leader):
    plan = plan_create(coachee=org["owner"], coach=leader, by=leader.user)
    assessment = Assessment.objects.create(person=org["owner"], source=Assessment.Source.SELF, assessed_on="2026-01-01")
    for model, obj in ((CoachingPlan, plan), (Assessment, assessment)):
        name = model._meta.model_name
        assert admin_client.get(reverse(f"admin:coaching_{name}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:coaching_{name}_change", args=[obj.pk])).status_code == 200
        assert (
            admin_client.post(reverse(f"admin:coaching_{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code
            == 403
        )
    assert admin_client.get(reverse("admin:coaching_coachingtask_changelist")).status_code == 200


def test_activity_library_is_edited_through_its_services(admin_client):
    competency = CompetencyFactory(key="coaching")
    url = reverse("admin:coaching_developmentactivity_add")
    data = {
        "competency": competency.pk,
        "kind": ActivityKind.READING,
        "title": "Read The Coaching Habit",
        "description": "Seven questions.",
        "duration_days": 21,
        "is_active": "on",
    }
    assert admin_client.post(url, data).status_code == 302
    activity = DevelopmentActivity.objects.get()
    assert (activity.title, activity.duration_days) == ("Read The Coaching Habit", 21)
    change = reverse("admin:coaching_developmentactivity_change", args=[activity.pk])
    assert admin_client.post(change, {**data, "duration_days": 0}).status_code == 200  # below the minimum
    assert DevelopmentActivity.objects.get().duration_days == 21
