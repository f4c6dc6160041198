import datetime

import pytest
from django.core.exceptions import ValidationError

from enablement.models import Person
from enablement.org.services import person_create, person_terminate, person_update, team_create, team_update
from enablement.org.signals import person_terminated
from tests.enablement.factories import PersonFactory, TeamFactory, UserFactory


@pytest.mark.django_db
def test_person_create_normalizes_email_and_saves():
    person = person_create(external_id="HR-9", first_name="Ana", last_name="López", email=" Ana.Lopez@Example.COM ")
    assert Person.objects.get(pk=person.pk).email == "ana.lopez@example.com"


@pytest.mark.django_db
def test_person_create_reports_invalid_fields():
    with pytest.raises(ValidationError) as error:
        person_create(external_id="", first_name="Ana", last_name="López", email="not-an-email")
    assert set(error.value.message_dict) >= {"external_id", "email"}
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_person_create_refuses_a_terminated_manager():
    leaver = PersonFactory(employment_status=Person.EmploymentStatus.TERMINATED, end_date=datetime.date(2026, 1, 31))
    with pytest.raises(ValidationError) as error:
        person_create(external_id="HR-9", first_name="A", last_name="B", email="a@example.com", manager=leaver)
    assert "has left the company" in error.value.message_dict["manager"][0]


@pytest.mark.django_db
def test_person_update_refuses_a_reporting_cycle_and_leaves_the_person_unchanged():
    top = PersonFactory()
    middle = PersonFactory(manager=top)
    bottom = PersonFactory(manager=middle)

    with pytest.raises(ValidationError) as error:
        person_update(person=top, data={"manager": bottom, "title": "CSO"})

    chain = " → ".join(person.full_name for person in (top, bottom, middle, top))
    assert error.value.message_dict["manager"] == [f"This would make a reporting cycle: {chain}."]
    assert top.manager is None and top.title != "CSO"  # the instance is put back as it was
    top.refresh_from_db()
    assert top.manager is None
    assert top.title != "CSO"


@pytest.mark.django_db
def test_person_update_refuses_self_as_manager():
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        person_update(person=person, data={"manager": person})
    assert error.value.message_dict["manager"] == ["A person cannot be their own manager."]


@pytest.mark.django_db
def test_person_update_with_identical_data_writes_nothing():
    person = PersonFactory(title="Account Executive")
    stamp = Person.objects.get(pk=person.pk).updated_at

    changed = person_update(person=person, data={"title": "Account Executive", "email": person.email.upper()})

    assert changed == []
    assert Person.objects.get(pk=person.pk).updated_at == stamp


@pytest.mark.django_db
def test_person_update_saves_only_changed_fields():
    person = PersonFactory(title="Account Executive")
    changed = person_update(person=person, data={"title": "Senior Account Executive", "first_name": person.first_name})
    assert changed == ["title"]
    assert Person.objects.get(pk=person.pk).title == "Senior Account Executive"


@pytest.mark.django_db
def test_person_terminate_ends_login_and_announces_escalation():
    director = PersonFactory()
    manager = PersonFactory(manager=director)
    user = UserFactory()
    seller = PersonFactory(manager=manager, user=user)
    received = []

    def listener(sender, person, escalate_to, **kwargs):
        received.append((person.pk, escalate_to.pk))

    person_terminated.connect(listener)
    try:
        person_terminate(person=seller, on=datetime.date(2026, 11, 1))
        person_terminate(person=seller)  # again: nothing more happens
    finally:
        person_terminated.disconnect(listener)

    seller.refresh_from_db()
    user.refresh_from_db()
    assert seller.employment_status == Person.EmploymentStatus.TERMINATED
    assert seller.end_date == datetime.date(2026, 11, 1)
    assert user.is_active is False
    assert received == [(seller.pk, director.pk)]


@pytest.mark.django_db
def test_person_rehire_clears_end_date_and_restores_the_login():
    user = UserFactory(is_active=False)
    person = PersonFactory(
        employment_status=Person.EmploymentStatus.TERMINATED, end_date=datetime.date(2026, 1, 31), user=user
    )
    person_update(person=person, data={"employment_status": Person.EmploymentStatus.ACTIVE})
    person.refresh_from_db()
    user.refresh_from_db()
    assert person.end_date is None
    assert user.is_active is True


@pytest.mark.django_db
def test_person_create_as_terminated_dates_the_end_and_ends_the_login():
    user = UserFactory()
    person = person_create(
        external_id="HR-7",
        first_name="A",
        last_name="B",
        email="ab@example.com",
        employment_status="terminated",
        user=user,
    )
    user.refresh_from_db()
    assert person.end_date is not None
    assert user.is_active is False


@pytest.mark.django_db
def test_person_update_rejects_unknown_fields():
    with pytest.raises(TypeError, match="salary"):
        person_update(person=PersonFactory(), data={"salary": 1})


@pytest.mark.django_db
def test_team_update_refuses_a_nesting_cycle():
    sales = team_create(name="Sales")
    enterprise = team_create(name="Enterprise", parent=sales)
    east = team_create(name="East", parent=enterprise)

    with pytest.raises(ValidationError) as error:
        team_update(team=sales, data={"parent": east})

    assert "is inside" in error.value.message_dict["parent"][0]
    assert sales.parent is None  # the instance is put back as it was
    sales.refresh_from_db()
    assert sales.parent is None


@pytest.mark.django_db
def test_team_update_moves_a_team():
    old_parent, new_parent = TeamFactory(), TeamFactory()
    team = TeamFactory(parent=old_parent)
    assert team_update(team=team, data={"parent": new_parent}) == ["parent"]
    team.refresh_from_db()
    assert team.parent == new_parent
