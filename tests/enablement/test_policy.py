import pytest
from django.contrib.auth.models import AnonymousUser

from enablement.accounts import policy
from enablement.models import Person
from tests.enablement.factories import UserFactory


def _visible(user) -> set[str]:
    return {person.user.username for person in policy.people_visible_to(user).select_related("user") if person.user}


@pytest.mark.django_db
def test_manager_sees_self_and_own_team_only(org):
    assert _visible(org["owner"].user) == {"owner", "seller"}


@pytest.mark.django_db
def test_leader_sees_whole_subtree(org):
    assert _visible(org["leader"].user) == {"leader", "owner", "peer", "seller", "peer_seller"}


@pytest.mark.django_db
def test_seller_sees_only_themselves(org):
    assert _visible(org["seller"].user) == {"seller"}


@pytest.mark.django_db
def test_recruiter_sees_people_who_manage_others(org, recruiter):
    assert _visible(recruiter) == {"leader", "owner", "peer", "outsider"}


@pytest.mark.django_db
def test_hr_admin_and_superuser_see_everyone(org, hr_admin):
    superuser = UserFactory(is_superuser=True)
    assert policy.people_visible_to(hr_admin).count() == Person.objects.count()
    assert policy.people_visible_to(superuser).count() == Person.objects.count()


@pytest.mark.django_db
def test_account_without_person_and_anonymous_see_nobody(org):
    assert _visible(UserFactory()) == set()
    assert _visible(AnonymousUser()) == set()


@pytest.mark.django_db
def test_can_view_person_follows_the_tree(org):
    owner = org["owner"].user
    assert policy.can_view_person(owner, org["seller"])
    assert not policy.can_view_person(owner, org["peer_seller"])
    assert not policy.can_view_person(owner, org["leader"])


@pytest.mark.django_db
def test_only_hr_admin_may_change_people(org, hr_admin):
    assert policy.can_change_person(hr_admin, org["seller"])
    assert not policy.can_change_person(org["leader"].user, org["seller"])


@pytest.mark.django_db
def test_scope_to_people_visible_narrows_any_queryset(org):
    people = Person.objects.all()
    scoped = policy.scope_to_people_visible(org["owner"].user, Person.objects.filter(manager__isnull=False), "manager")
    assert set(scoped) == {org["seller"]}
    assert set(policy.scope_to_people_visible(AnonymousUser(), people, "manager")) == set()


@pytest.mark.django_db
def test_policy_asks_about_groups_once_per_request_user(org, django_assert_num_queries):
    user = type(org["owner"].user).objects.get(username="owner")
    with django_assert_num_queries(3):  # groups, person, whether they manage anyone
        for _ in range(5):
            policy.is_hr_admin(user)
            policy.is_recruiter(user)
            policy.manages_anyone(user)
