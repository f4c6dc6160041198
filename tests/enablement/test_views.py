import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views.defaults import server_error

from enablement.accounts import roles
from tests.enablement.factories import PersonFactory, TeamFactory, UserFactory
from tests.enablement.org_builder import build_org

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    client.force_login(user)
    return client


# Home: everyone lands on what matters for them.


@pytest.mark.parametrize(
    ("username", "destination"),
    [
        ("leader", "coaching:impact"),
        ("owner", "coaching:team"),  # the one "My team"
        ("recruiter", "managers:hiring-home"),
        ("hr_admin", "enablement:person-list"),
    ],
)
def test_home_sends_each_role_to_their_page(client, org, recruiter, hr_admin, username, destination):
    user = type(recruiter).objects.get(username=username)
    response = _signed_in(client, user).get(reverse("enablement:home"))
    assert response.status_code == 302
    assert response.url == reverse(destination)


def test_home_sends_a_seller_to_their_development(client, org):
    response = _signed_in(client, org["seller"].user).get(reverse("enablement:home"))
    assert response.url == reverse("coaching:my-development")


def test_home_explains_an_unlinked_account(client):
    response = _signed_in(client, UserFactory()).get(reverse("enablement:home"))
    assert response.status_code == 200
    assert "not linked to anyone" in response.content.decode()


def test_home_refuses_anonymous_and_post(client, org):
    response = client.get(reverse("enablement:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert _signed_in(client, org["owner"].user).post(reverse("enablement:home")).status_code == 405


# Person page: what a user may not see does not exist for them.


def test_person_detail_shows_a_team_member_to_their_manager(client, org):
    seller = org["seller"]
    response = _signed_in(client, org["owner"].user).get(reverse("enablement:person-detail", args=[seller.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert seller.full_name in body
    assert org["owner"].full_name in body  # in the manager chain
    assert "Edit in admin" not in body


def test_person_detail_of_another_team_is_404_for_a_manager(client, org):
    url = reverse("enablement:person-detail", args=[org["peer_seller"].pk])
    assert _signed_in(client, org["owner"].user).get(url).status_code == 404
    url = reverse("enablement:person-detail", args=[org["seller"].pk])
    assert _signed_in(client, org["outsider"].user).get(url).status_code == 404


def test_person_detail_is_visible_to_the_leader_above(client, org):
    url = reverse("enablement:person-detail", args=[org["peer_seller"].pk])
    assert _signed_in(client, org["leader"].user).get(url).status_code == 200


def test_person_detail_offers_editing_to_hr_admin(client, org, hr_admin):
    url = reverse("enablement:person-detail", args=[org["seller"].pk])
    body = _signed_in(client, hr_admin).get(url).content.decode()
    assert reverse("admin:enablement_person_change", args=[org["seller"].pk]) in body


def test_person_detail_refuses_anonymous_and_post(client, org):
    url = reverse("enablement:person-detail", args=[org["seller"].pk])
    assert client.get(url).status_code == 302
    assert _signed_in(client, org["owner"].user).post(url).status_code == 405


# People directory.


def test_person_list_shows_only_visible_people(client, org):
    body = _signed_in(client, org["owner"].user).get(reverse("enablement:person-list")).content.decode()
    assert org["seller"].full_name in body
    assert org["peer_seller"].full_name not in body
    assert org["outsider"].full_name not in body


def test_person_list_filters_by_search_status_and_team(client, org, hr_admin):
    PersonFactory(first_name="Zelda", last_name="Quartermaine", employment_status="on_leave")
    client = _signed_in(client, hr_admin)
    url = reverse("enablement:person-list")

    body = client.get(url, {"q": "zelda quarter"}).content.decode()
    assert "Zelda Quartermaine" in body and org["seller"].full_name not in body

    body = client.get(url, {"status": "on_leave"}).content.decode()
    assert "Zelda Quartermaine" in body and org["seller"].full_name not in body

    body = client.get(url, {"team": org["team"].pk}).content.decode()
    assert org["seller"].full_name in body and "Zelda Quartermaine" not in body


def test_person_list_pages_keep_the_filters(client, hr_admin):
    PersonFactory.create_batch(51, employment_status="on_leave")
    client = _signed_in(client, hr_admin)

    body = client.get(reverse("enablement:person-list"), {"status": "on_leave"}).content.decode()

    assert "Page 1 of 2" in body and 'href="?status=on_leave&page=2"' in body


def test_person_list_ignores_an_invalid_filter(client, org, hr_admin):
    response = _signed_in(client, hr_admin).get(reverse("enablement:person-list"), {"status": "retired"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_person_list_refuses_anonymous_and_post(client, org):
    assert client.get(reverse("enablement:person-list")).status_code == 302
    assert _signed_in(client, org["owner"].user).post(reverse("enablement:person-list")).status_code == 405


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, follow=True).status_code == 200
    return len(captured)


def test_people_pages_run_the_same_queries_for_20_and_2000_people(client):
    hr_admin = UserFactory(roles=[roles.HR_ADMIN])
    small_top = build_org(20, prefix="S")[0][0]
    small_top.user = UserFactory(roles=[roles.SALES_LEADER])
    small_top.save()
    big_top = build_org(2000, prefix="B")[0][0]
    big_top.user = UserFactory(roles=[roles.SALES_LEADER])
    big_top.save()

    for url in (
        reverse("enablement:my-team"),
        reverse("enablement:person-list"),
        reverse("enablement:person-list") + "?leads=on",
    ):
        small = _page_queries(_signed_in(client, small_top.user), url)
        big = _page_queries(_signed_in(client, big_top.user), url)
        assert small == big <= 20, url  # My team is the coaching team page, with plans and tasks
    # HR admins see everyone: 4,000 people and more, same queries.
    assert _page_queries(_signed_in(client, hr_admin), reverse("enablement:person-list")) <= 10
    build_org(2000, prefix="C")
    assert _page_queries(_signed_in(client, hr_admin), reverse("enablement:person-list")) <= 10


# My team and the leader's overview.


def test_my_team_lists_direct_reports_only(client, org):
    response = _signed_in(client, org["leader"].user).get(reverse("enablement:my-team"), follow=True)
    assert response.redirect_chain == [(reverse("coaching:team"), 302)]  # one team page, not two
    body = response.content.decode()
    assert org["owner"].full_name in body and org["peer"].full_name in body
    assert org["seller"].full_name not in body


def test_my_team_is_404_for_an_unlinked_account(client):
    assert _signed_in(client, UserFactory()).get(reverse("enablement:my-team")).status_code == 404


def test_the_old_organization_page_redirects_to_manager_impact(client, org):
    response = _signed_in(client, org["leader"].user).get("/org/")
    assert (response.status_code, response.url) == (301, reverse("coaching:impact"))
    assert reverse("enablement:org-overview") == "/org/"
    nav = [item["label"] for item in client.get(reverse("coaching:impact")).context["nav_items"]]
    assert "Manager impact" in nav and "Organization" not in nav


def test_people_lists_who_leads_a_team_with_or_without_a_charter_role_and_the_headcount(client, org):
    """What the organization overview showed beyond Manager impact (which lists charter holders only)."""
    org["seller"].employment_status = "on_leave"
    org["seller"].save(update_fields=["employment_status"])
    response = _signed_in(client, org["leader"].user).get(reverse("enablement:person-list"), {"leads": "on"})
    assert {person.pk for person in response.context["page"]} == {org["leader"].pk, org["owner"].pk, org["peer"].pk}
    assert response.context["headcount"] == {"active": 3, "on_leave": 0, "terminated": 0}
    everyone = client.get(reverse("enablement:person-list")).context["headcount"]
    assert everyone == {"active": 4, "on_leave": 1, "terminated": 0}
    impact = client.get(reverse("coaching:impact")).content.decode()
    assert f'href="{reverse("enablement:person-list")}?leads=on"' in impact


# Navigation shows only what the user may use.


def _nav_labels(client, user) -> list[str]:
    response = _signed_in(client, user).get(reverse("password_change"))
    return [item["label"] for item in response.context["nav_items"]]


def test_navigation_matches_what_each_user_may_use(client, org, hr_admin, recruiter):
    leader_nav = [
        "Manager impact",
        "Development gaps",
        "My development",
        "Team pulse",
        "Recognition",
        "My team",
        "People",
        "Support",
        "Charters",
        "Competencies",
        "Hiring",
    ]
    assert _nav_labels(client, org["leader"].user) == leader_nav
    assert _nav_labels(client, org["owner"].user) == [
        "My development",
        "Team pulse",
        "Recognition",
        "My team",
        "People",
        "Support",
    ]
    assert _nav_labels(client, org["seller"].user) == ["My development", "Team pulse", "Recognition"]
    assert _nav_labels(client, recruiter) == ["People", "Hiring"]
    assert _nav_labels(client, hr_admin) == ["Team pulse", "People", "Support", "API clients", "Webhooks"]
    assert "Admin" in _signed_in(client, hr_admin).get(reverse("password_change")).content.decode()
    assert ">Admin<" not in _signed_in(client, org["owner"].user).get(reverse("password_change")).content.decode()


# Error pages and health.


def test_404_page_uses_the_site_layout(client, org):
    response = _signed_in(client, org["owner"].user).get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We couldn't find that page" in body and 'class="navbar' in body


def test_500_page_renders_in_the_layout_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "bootstrap.min.css" in response.content.decode()


def test_health_reports_database_and_last_worker_heartbeat(client):
    from enablement.health.services import worker_heartbeat_record

    worker_heartbeat_record(hostname="celery@test")
    body = client.get(reverse("enablement:health")).json()
    assert (body["status"], body["database"], body["worker"]) == ("ok", "ok", "ok")
    assert body["worker_last_seen_at"] is not None
    assert client.post(reverse("enablement:health")).status_code == 405


# Every page: anonymous is sent to sign in, and nothing answers a state-changing method.

PAGES = ["enablement:home", "enablement:person-list", "enablement:my-team"]


@pytest.mark.parametrize("url_name", PAGES)
def test_every_page_sends_anonymous_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url_name", PAGES)
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_every_page_refuses_writes(client, org, url_name, method):
    response = getattr(_signed_in(client, org["leader"].user), method)(reverse(url_name))
    assert response.status_code == 405


# More wrong users on the person pages.


def test_recruiter_sees_a_manager_but_not_their_team(client, org, recruiter):
    client = _signed_in(client, recruiter)
    response = client.get(reverse("enablement:person-detail", args=[org["owner"].pk]))
    assert response.status_code == 200
    assert org["seller"].full_name not in response.content.decode()
    assert client.get(reverse("enablement:person-detail", args=[org["seller"].pk])).status_code == 404


@pytest.mark.parametrize("target", ["peer_seller", "owner", "leader"])
def test_seller_cannot_open_anyone_else(client, org, target):
    url = reverse("enablement:person-detail", args=[org[target].pk])
    assert _signed_in(client, org["seller"].user).get(url).status_code == 404


def test_unlinked_account_cannot_open_a_person(client, org):
    url = reverse("enablement:person-detail", args=[org["seller"].pk])
    assert _signed_in(client, UserFactory()).get(url).status_code == 404


def test_person_list_for_recruiter_and_seller(client, org, recruiter):
    body = _signed_in(client, recruiter).get(reverse("enablement:person-list")).content.decode()
    assert org["owner"].full_name in body and org["outsider"].full_name in body
    assert org["seller"].full_name not in body
    response = _signed_in(client, org["seller"].user).get(reverse("enablement:person-list"))
    assert [person.pk for person in response.context["page"]] == [org["seller"].pk]


def test_team_filter_offers_only_teams_the_user_can_see(client, org):
    hidden = PersonFactory(team=TeamFactory(name="Hidden"))
    response = _signed_in(client, org["owner"].user).get(reverse("enablement:person-list"))
    offered = list(response.context["form"].fields["team"].queryset)
    assert offered == [org["team"]]
    assert hidden.team not in offered


def _menu(client, user) -> list[tuple[str, list[str]]]:
    response = _signed_in(client, user).get(reverse("password_change"))
    return [(entry["label"], [item["label"] for item in entry["items"]]) for entry in response.context["nav_menu"]]


def test_a_leaders_dozen_pages_are_grouped_in_four_menus_that_open_without_javascript(client, org):
    menu = _menu(client, org["leader"].user)
    assert [label for label, _ in menu] == ["Charters", "People & coaching", "Hiring"]
    assert dict(menu)["People & coaching"][:2] == ["Manager impact", "Development gaps"]
    body = _signed_in(client, org["leader"].user).get(reverse("password_change")).content.decode()
    assert body.count('<details class="nav-group dropdown"') == 3  # two groups and the user menu
    assert 'data-bs-toggle="dropdown"' not in body


def test_a_short_menu_stays_flat(client, org):
    assert _menu(client, org["seller"].user) == [
        ("My development", ["My development"]),
        ("Team pulse", ["Team pulse"]),
        ("Recognition", ["Recognition"]),
    ]
