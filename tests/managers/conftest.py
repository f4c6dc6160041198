import pytest

from tests.managers.support_helpers import outside_people


@pytest.fixture
def outside(db):
    return outside_people()
