import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from enablement.models import Person, PersonDeletionRefused
from tests.enablement.factories import PersonFactory, TeamFactory


@pytest.mark.django_db
def test_person_email_is_unique_whatever_the_case():
    PersonFactory(email="ana.lopez@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(email="Ana.Lopez@Example.com")


@pytest.mark.django_db
def test_person_external_id_is_unique():
    PersonFactory(external_id="HR-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(external_id="HR-1")


@pytest.mark.django_db
def test_person_cannot_be_own_manager_in_the_database():
    person = PersonFactory()
    person.manager = person
    with pytest.raises(IntegrityError), transaction.atomic():
        person.save()


@pytest.mark.django_db
def test_person_end_date_requires_terminated_status():
    person = PersonFactory.build(end_date="2026-01-31", employment_status=Person.EmploymentStatus.ACTIVE)
    with pytest.raises(ValidationError):
        person.full_clean()


@pytest.mark.django_db
def test_person_delete_is_refused_one_by_one_and_in_bulk():
    person = PersonFactory()
    with pytest.raises(PersonDeletionRefused):
        person.delete()
    with pytest.raises(PersonDeletionRefused):
        Person.objects.filter(pk=person.pk).delete()
    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_team_external_id_unique_only_when_given():
    TeamFactory(external_id="")
    TeamFactory(external_id="")
    TeamFactory(external_id="T-X")
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamFactory(external_id="T-X")


@pytest.mark.django_db
def test_person_current_excludes_only_terminated():
    active = PersonFactory()
    on_leave = PersonFactory(employment_status=Person.EmploymentStatus.ON_LEAVE)
    PersonFactory(employment_status=Person.EmploymentStatus.TERMINATED, end_date="2026-01-31")
    assert set(Person.objects.current()) == {active, on_leave}
