"""The coaching demo step on an empty database: the activity library alone, and the steps in another order."""

import pytest

from coaching.activity_library import ACTIVITY_LIBRARY, activities_seed
from coaching.demo.seed import seed_coaching_demo
from coaching.models import DevelopmentActivity, Goal
from enablement.org.demo import seed_demo_org
from managers.demo.charters import seed_charters_demo
from managers.demo.hiring import seed_hiring_demo
from managers.models import RoleCompetency

pytestmark = pytest.mark.django_db


def test_activities_seed_keeps_what_leaders_edited(db):
    from managers.services.competencies import competencies_seed

    competencies_seed()
    assert activities_seed() == len(ACTIVITY_LIBRARY)
    edited = DevelopmentActivity.objects.first()
    DevelopmentActivity.objects.filter(pk=edited.pk).update(description="Our own version.")
    DevelopmentActivity.objects.exclude(pk=edited.pk).first().delete()

    assert activities_seed() == 1
    assert DevelopmentActivity.objects.get(pk=edited.pk).description == "Our own version."


def test_without_the_hiring_step_the_roles_still_get_requirements(db):
    # Given the org and the charters only
    seed_demo_org()
    seed_charters_demo()
    # When the coaching step runs, then the hiring step
    seed_coaching_demo()
    requirements = RoleCompetency.objects.count()
    seed_hiring_demo()
    # Then the plans have goals from the gaps, and the hiring step keeps the requirements
    assert Goal.objects.filter(plan__coachee__user__username="manager3").count() == 3
    assert RoleCompetency.objects.count() == requirements > 0
