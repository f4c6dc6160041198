import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enablement.models import Person
from enablement.org import selectors
from tests.enablement.factories import PersonFactory, TeamFactory
from tests.enablement.org_builder import build_org


def _queries_for(make_query, *args) -> int:
    with CaptureQueriesContext(connection) as captured:
        make_query(*args)
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("total", [20, 2000])
def test_people_under_returns_the_whole_subtree_in_one_query(total, django_assert_num_queries):
    tiers = build_org(total)
    top = tiers[0][0]
    with django_assert_num_queries(1):
        everyone_below = list(selectors.people_under(leader=top))
    assert len(everyone_below) == total - 1
    assert {person.title for person in everyone_below} == {"Level 1", "Level 2", "Level 3", "Level 4"}


@pytest.mark.django_db
def test_org_selectors_take_the_same_queries_for_20_and_2000_people():
    small_top = build_org(20, prefix="S")[0][0]
    big_tiers = build_org(2000, prefix="B")
    big_top = big_tiers[0][0]
    small_leaf = Person.objects.filter(external_id="S-20").get()
    big_leaf = big_tiers[-1][-1]

    for make_query in (
        lambda top, leaf: list(selectors.people_under(leader=top)),
        lambda top, leaf: list(selectors.direct_reports_of(person=top)),
        lambda top, leaf: list(selectors.managers_under(leader=top)),
        lambda top, leaf: selectors.manager_chain_of(person=leaf),
        lambda top, leaf: selectors.headcount_by_status(selectors.people_under(leader=top)),
    ):
        assert _queries_for(make_query, small_top, small_leaf) == _queries_for(make_query, big_top, big_leaf) == 1


@pytest.mark.django_db
def test_people_under_excludes_other_branches_and_includes_self_on_request():
    leader = PersonFactory()
    manager = PersonFactory(manager=leader)
    seller = PersonFactory(manager=manager)
    other_leader = PersonFactory()
    PersonFactory(manager=other_leader)

    assert set(selectors.people_under(leader=leader)) == {manager, seller}
    assert set(selectors.people_under(leader=manager, include_self=True)) == {manager, seller}


@pytest.mark.django_db
def test_manager_chain_of_lists_managers_nearest_first():
    tiers = build_org(20)
    leaf = tiers[-1][0]
    chain = selectors.manager_chain_of(person=leaf)
    assert [person.title for person in chain] == ["Level 3", "Level 2", "Level 1", "Level 0"]
    assert chain[0] == leaf.manager


@pytest.mark.django_db
def test_managers_under_counts_only_current_direct_reports():
    leader = PersonFactory()
    manager = PersonFactory(manager=leader)
    PersonFactory(manager=manager)
    PersonFactory(manager=manager, employment_status=Person.EmploymentStatus.TERMINATED, end_date="2026-01-31")

    counts = {person.pk: person.direct_report_count for person in selectors.managers_under(leader=leader)}

    assert counts == {leader.pk: 1, manager.pk: 1}


@pytest.mark.django_db
def test_headcount_by_status_reports_every_status():
    PersonFactory(employment_status=Person.EmploymentStatus.ON_LEAVE)
    PersonFactory()
    PersonFactory()
    assert selectors.headcount_by_status(Person.objects.all()) == {"active": 2, "on_leave": 1, "terminated": 0}


@pytest.mark.django_db
def test_teams_under_walks_nested_teams():
    sales = TeamFactory()
    enterprise = TeamFactory(parent=sales)
    east = TeamFactory(parent=enterprise)
    TeamFactory()
    assert set(selectors.teams_under(team=sales)) == {enterprise, east}
