import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_sign_in_page_loads_nothing_from_outside(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="username"' in body and 'name="password"' in body
    external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', body)
    assert external == []
    assert "/static/bootstrap/css/bootstrap.min.css" in body


def test_sign_in_lands_a_leader_on_manager_impact(client, org):
    response = client.post(reverse("login"), {"username": "leader", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("coaching:impact")
    assert response.context["user"].username == "leader"


def test_sign_in_with_a_wrong_password_says_so(client, org):
    response = client.post(reverse("login"), {"username": "leader", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failed_sign_ins_lock_the_account_out(client, org, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "owner", "password": "guess"})

    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username(client, org, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "owner", "password": "guess"})
    response = client.post(reverse("login"), {"username": "peer", "password": PASSWORD})
    assert response.status_code == 302


def test_sign_out_is_post_only(client, org):
    client.force_login(org["owner"].user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_password_change_checks_the_old_password_then_changes_it(client, org):
    client.force_login(org["owner"].user)
    url = reverse("password_change")
    new = "a much better passphrase 42"

    response = client.post(url, {"old_password": "wrong", "new_password1": new, "new_password2": new})
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()

    response = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.url == reverse("password_change_done")
    assert get_user_model().objects.get(username="owner").check_password(new)


def test_password_change_requires_sign_in(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
