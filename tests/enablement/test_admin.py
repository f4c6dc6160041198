import pytest
from django.urls import reverse

from enablement.models import Person, Team
from tests.enablement.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _person_form(person: Person, **overrides) -> dict:
    data = {
        "external_id": person.external_id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "title": person.title,
        "team": person.team_id or "",
        "manager": person.manager_id or "",
        "employment_status": person.employment_status,
        "start_date": "",
        "end_date": "",
        "user": person.user_id or "",
    }
    data.update(overrides)
    return data


def test_hr_admin_searches_and_filters_people(client, org, hr_admin):
    client.force_login(hr_admin)
    url = reverse("admin:enablement_person_changelist")
    response = client.get(url, {"q": org["seller"].last_name})
    assert response.status_code == 200
    assert org["seller"].full_name in response.content.decode()
    response = client.get(url, {"employment_status__exact": "terminated"})
    assert response.context["cl"].result_count == 0


def test_admin_refuses_a_reporting_cycle_with_a_clear_error(client, org, hr_admin):
    client.force_login(hr_admin)
    leader, seller = org["leader"], org["seller"]
    url = reverse("admin:enablement_person_change", args=[leader.pk])

    response = client.post(url, _person_form(leader, manager=seller.pk))

    assert response.status_code == 200
    assert "This would make a reporting cycle:" in response.content.decode()
    leader.refresh_from_db()
    assert leader.manager is None


def test_admin_terminating_a_person_ends_their_login(client, org, hr_admin):
    client.force_login(hr_admin)
    seller = org["seller"]
    url = reverse("admin:enablement_person_change", args=[seller.pk])

    response = client.post(url, _person_form(seller, employment_status="terminated"))

    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.is_terminated and seller.end_date is not None
    seller.user.refresh_from_db()
    assert seller.user.is_active is False


def test_admin_creates_a_person_through_the_service(client, org, hr_admin):
    client.force_login(hr_admin)
    draft = PersonFactory.build(email="New.Hire@Example.com", manager=org["owner"])
    response = client.post(reverse("admin:enablement_person_add"), _person_form(draft))
    assert response.status_code == 302
    assert Person.objects.get(external_id=draft.external_id).email == "new.hire@example.com"


def test_admin_never_deletes_people_or_teams(client, org, hr_admin):
    client.force_login(hr_admin)
    seller = org["seller"]
    assert client.get(reverse("admin:enablement_person_delete", args=[seller.pk])).status_code == 403
    assert client.post(reverse("admin:enablement_team_delete", args=[org["team"].pk])).status_code == 403
    assert Person.objects.filter(pk=seller.pk).exists() and Team.objects.filter(pk=org["team"].pk).exists()


def test_admin_is_closed_to_a_manager(client, org):
    client.force_login(org["owner"].user)
    response = client.get(reverse("admin:enablement_person_changelist"))
    assert response.status_code == 302
    assert "login" in response.url


def test_a_report_of_someone_who_left_stays_editable(client, org, hr_admin):
    from enablement.org.services import person_terminate

    person_terminate(person=org["owner"])
    seller = Person.objects.get(pk=org["seller"].pk)
    client.force_login(hr_admin)

    response = client.post(
        reverse("admin:enablement_person_change", args=[seller.pk]), _person_form(seller, title="Senior AE")
    )

    assert response.status_code == 302
    assert Person.objects.get(pk=seller.pk).title == "Senior AE"


def test_hr_admin_cannot_grant_superuser_or_touch_a_superuser(client, hr_admin):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    superuser = users.create_superuser("root", "root@example.com", "x")
    client.force_login(hr_admin)
    url = reverse("admin:auth_user_change", args=[hr_admin.pk])

    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="first_name"' in page
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    response = client.post(
        url,
        {
            "username": hr_admin.username,
            "first_name": "Renamed",
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302  # the form was saved...
    hr_admin = users.get(pk=hr_admin.pk)
    assert hr_admin.first_name == "Renamed"
    assert hr_admin.is_superuser is False  # ...without the field it may not set
    assert client.get(reverse("admin:auth_user_change", args=[superuser.pk])).status_code == 403
    assert client.post(reverse("admin:auth_user_delete", args=[superuser.pk])).status_code == 403


def test_superuser_still_manages_superuser_status(client, hr_admin):
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    client.force_login(superuser)
    page = client.get(reverse("admin:auth_user_change", args=[hr_admin.pk])).content.decode()
    assert 'name="is_superuser"' in page
