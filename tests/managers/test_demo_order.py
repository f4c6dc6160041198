"""The demo steps in another order than seed_demo runs them: each still finds what it needs."""

import pytest

from enablement.org.demo import seed_demo_org
from managers.demo.charters import seed_charters_demo
from managers.demo.hiring import seed_hiring_demo
from managers.models import (
    Role,
)

pytestmark = pytest.mark.django_db

ROLE_CODES = ("fsm-enterprise", "fsm-commercial")


def test_seed_hiring_demo_before_the_charter_step_creates_the_roles_the_charters_then_use(db):
    # Given only the org
    seed_demo_org()
    # When the hiring step runs first, then the charter step
    seed_hiring_demo()
    seed_charters_demo()
    # Then there are still two roles, each with its requirements and a published charter
    assert sorted(Role.objects.values_list("code", flat=True)) == sorted(ROLE_CODES)
    for role in Role.objects.all():
        assert role.requirements.exists()
        assert role.versions.filter(status="published").exists()
