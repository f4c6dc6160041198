"""Recognition pages: access for every page (anonymous, outsider 404, wrong method 405, the owner),
giving with the anti-gaming rules' messages as form errors (what was typed stays), the feed (paginated,
newest first, private ones kept to the recipient's manager), a person's received recognition, the
manager's private coverage figure, no leaderboard, and the feed's query count pinned for 5 and 50 teams."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.models import Recognition
from coaching.recognition.services import recognition_give
from tests.coaching.pulse.conftest import add_manager, add_sellers
from tests.conftest import build_org, from_built

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def built(module_db) -> dict:
    """The org, built once for the module; each test reads its own copy. No recognition is built: what a test
    gives is all there is."""
    return {"org": build_org()}


org = from_built("org")


def login(client, person_or_user):
    client.force_login(getattr(person_or_user, "user", person_or_user))
    return client


def give(giver, recipient, reason="Great discovery call", **extra):
    return recognition_give(giver=giver, recipient=recipient, reason=reason, tags=["customer"], **extra)


def feed_ids(response) -> list[int]:
    return [recognition.pk for recognition in response.context["page"]]


def body(recipient, **overrides):
    return {
        "recipient": recipient.pk,
        "reason": "Booked the Acme meeting from a cold call",
        "tags": ["prospecting"],
        "visibility": "team",
        **overrides,
    }


# Access.


def pages(org):
    return [
        ("coaching:recognition-feed", []),
        ("coaching:recognition-give", []),
        ("coaching:recognition-received", []),
        ("coaching:recognition-person", [org["seller"].pk]),
    ]


def test_pages_refuse_anonymous(client, org):
    for name, args in pages(org):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "login" in response.url, name
    response = client.post(reverse("coaching:recognition-give"), body(org["seller"]))
    assert response.status_code == 302 and not Recognition.objects.exists()


def test_pages_answer_someone_in_the_org(client, org):
    login(client, org["seller"])
    for name, args in pages(org):
        assert client.get(reverse(name, args=args)).status_code == 200, name


@pytest.mark.parametrize("viewer", ["outsider", "peer", "peer_seller", "hr_admin"])
def test_a_persons_page_is_404_for_whoever_may_not_see_them(client, org, hr_admin, viewer):
    login(client, hr_admin if viewer == "hr_admin" else org[viewer])
    assert client.get(reverse("coaching:recognition-person", args=[org["seller"].pk])).status_code == 404


def test_an_account_without_a_place_in_the_org_gets_404(client, hr_admin):
    login(client, hr_admin)
    for name in ("coaching:recognition-feed", "coaching:recognition-give", "coaching:recognition-received"):
        assert client.get(reverse(name)).status_code == 404, name


def test_the_recipients_manager_chain_and_teammates_open_their_page(client, org):
    teammate = add_sellers(org["owner"], 1)[0]
    for viewer in (org["owner"], org["leader"], teammate):
        login(client, viewer)
        assert client.get(reverse("coaching:recognition-person", args=[org["seller"].pk])).status_code == 200


def test_wrong_methods_are_405(client, org):
    login(client, org["seller"])
    assert client.post(reverse("coaching:recognition-feed")).status_code == 405
    assert client.post(reverse("coaching:recognition-received")).status_code == 405
    assert client.post(reverse("coaching:recognition-person", args=[org["seller"].pk])).status_code == 405
    assert client.put(reverse("coaching:recognition-give")).status_code == 405
    assert client.delete(reverse("coaching:recognition-give")).status_code == 405


# Giving.


def test_giving_thanks_lands_in_the_feed(client, org):
    login(client, org["seller"])
    response = client.post(reverse("coaching:recognition-give"), body(org["owner"], tags=["prospecting", "brand"]))
    assert response.status_code == 302 and response.url == reverse("coaching:recognition-feed")
    recognition = Recognition.objects.get()
    assert (recognition.giver, recognition.recipient, recognition.tags) == (
        org["seller"],
        org["owner"],
        ["prospecting", "brand"],
    )
    feed = client.get(reverse("coaching:recognition-feed"))
    assert feed_ids(feed) == [recognition.pk] and "Booked the Acme meeting" in feed.content.decode()


def test_the_give_page_starts_with_the_person_to_thank(client, org):
    login(client, org["seller"])
    form = client.get(reverse("coaching:recognition-give"), {"to": org["owner"].pk}).context["form"]
    assert form.initial["recipient"] == org["owner"].pk
    assert client.get(reverse("coaching:recognition-give"), {"to": "x"}).status_code == 200


def _refused(client, data):
    response = client.post(reverse("coaching:recognition-give"), data)
    assert response.status_code == 200 and not Recognition.objects.filter(reason=data["reason"]).exists()
    return response


def test_self_recognition_is_a_form_error_and_the_input_stays(client, org):
    login(client, org["seller"])
    response = _refused(client, body(org["seller"]))
    assert "self-recognition does not count" in str(response.context["form"].errors["recipient"])
    assert "Booked the Acme meeting from a cold call" in response.content.decode()


def test_a_reason_and_a_behaviour_or_competency_are_required(client, org):
    login(client, org["seller"])
    response = _refused(client, body(org["owner"], reason=""))
    assert "reason" in response.context["form"].errors
    response = _refused(client, body(org["owner"], tags=[]))
    assert "Pick at least one behaviour or a competency." in response.content.decode()
    assert "Booked the Acme meeting from a cold call" in response.content.decode()


def test_over_the_daily_cap_is_a_form_error_and_the_input_stays(client, org, settings):
    settings.RECOGNITION_DAILY_CAP = 1
    give(org["seller"], org["owner"])
    login(client, org["seller"])
    response = _refused(client, body(org["leader"], reason="Unblocked legal on the Acme deal"))
    assert response.context["form"].non_field_errors() == ["You have reached today's limit of 1."]
    assert "Unblocked legal on the Acme deal" in response.content.decode()


def test_a_returned_thank_you_is_given_shown_and_marked_not_counted(client, org):
    give(org["owner"], org["seller"])
    login(client, org["seller"])
    assert client.post(reverse("coaching:recognition-give"), body(org["owner"])).status_code == 302
    returned = Recognition.objects.get(giver=org["seller"])
    assert returned.flag == Recognition.Flag.RETURNED and not returned.counts
    page = client.get(reverse("coaching:recognition-feed")).content.decode()
    assert page.count('data-testid="flag"') == 1 and "not counted in figures" in page


# The feed and a person's page.


def test_a_private_recognition_is_kept_to_the_recipient_their_manager_and_the_giver(client, org):
    teammate = add_sellers(org["owner"], 1)[0]
    private = give(org["peer_seller"], org["seller"], visibility=Recognition.Visibility.PRIVATE)
    public = give(org["peer"], org["seller"], reason="Shared the pricing insight")
    for viewer, sees in (
        (org["seller"], {private, public}),
        (org["owner"], {private, public}),
        (org["peer_seller"], {private}),
        (teammate, {public}),
        (org["outsider"], set()),
    ):
        login(client, viewer)
        assert set(feed_ids(client.get(reverse("coaching:recognition-feed")))) == {r.pk for r in sees}, viewer


def test_the_feed_is_newest_first_and_paginated(client, org, settings):
    settings.RECOGNITION_DAILY_CAP = 100
    team = add_sellers(org["owner"], 5)
    given = [give(team[i % 5], team[(i + 1) % 5], reason=f"Thanks {i}") for i in range(25)]
    login(client, org["owner"])
    first = client.get(reverse("coaching:recognition-feed"))
    second = client.get(reverse("coaching:recognition-feed"), {"page": 2})
    assert feed_ids(first) + feed_ids(second) == [r.pk for r in reversed(given)]
    assert len(feed_ids(first)) == 20 and "Page 1 of 2" in first.content.decode()


def test_nothing_ranks_receivers(client, org, settings):
    """Four thanks to one person and one to another: the feed stays in time order, and no page carries a
    count of recognitions per person."""
    settings.RECOGNITION_DAILY_CAP = 100
    team = add_sellers(org["owner"], 5)
    popular, other = team[0], team[1]
    given = [give(giver, popular) for giver in team[1:]] + [give(org["owner"], other)]
    login(client, org["leader"])
    feed = client.get(reverse("coaching:recognition-feed"))
    assert feed_ids(feed) == [r.pk for r in reversed(given)]
    for name in ("coaching:recognition-feed", "coaching:recognition-received"):
        page = client.get(reverse(name)).content.decode().lower()
        assert not any(word in page for word in ("leaderboard", "top recognised", "most recognised", "ranking:"))
    person = client.get(reverse("coaching:recognition-person", args=[popular.pk]))
    assert feed_ids(person) == [r.pk for r in reversed(given[:4])]
    assert "4 recognitions" not in person.content.decode() and "recognised 4" not in person.content.decode()


def test_a_persons_page_shows_what_they_received_that_the_viewer_may_see(client, org):
    to_seller = give(org["owner"], org["seller"])
    give(org["seller"], org["owner"], reason="Coached my Acme call")  # given, not received
    private = give(org["peer_seller"], org["seller"], visibility=Recognition.Visibility.PRIVATE)
    teammate = add_sellers(org["owner"], 1)[0]
    login(client, org["seller"])
    assert feed_ids(client.get(reverse("coaching:recognition-received"))) == [private.pk, to_seller.pk]
    login(client, teammate)
    assert feed_ids(client.get(reverse("coaching:recognition-person", args=[org["seller"].pk]))) == [to_seller.pk]


# Coverage.


def test_the_manager_sees_their_private_coverage_and_nobody_else_does(client, org):
    others = add_sellers(org["owner"], 3)
    give(org["peer_seller"], others[0])
    give(org["seller"], org["peer_seller"])
    give(org["peer_seller"], org["seller"])  # returned: not counted
    login(client, org["owner"])
    page = client.get(reverse("coaching:recognition-feed"))
    coverage = page.context["coverage"]
    assert (coverage["share"], coverage["recognised"], coverage["team_size"]) == (0.25, 1, 4)
    html = page.content.decode()
    assert 'data-testid="coverage-share">25%' in html and "Only you see this" in html
    assert all(person.full_name in html for person in [org["seller"], *others[1:]])
    for viewer in (org["seller"], others[0]):
        login(client, viewer)
        page = client.get(reverse("coaching:recognition-feed"))
        assert page.context["coverage"] is None and 'data-testid="coverage"' not in page.content.decode()


# Query counts.


def _teams(leader, count, offset):
    for i in range(offset, offset + count):
        manager, sellers = add_manager(leader, 3, name=f"r{i}")
        give(sellers[0], sellers[1])
        give(manager, sellers[2], visibility=Recognition.Visibility.PRIVATE)
        give(sellers[1], manager)


@pytest.mark.parametrize("name", ["coaching:recognition-feed", "coaching:recognition-received"])
def test_feed_runs_the_same_queries_for_5_and_50_teams(client, org, name, django_assert_num_queries):
    _teams(org["leader"], 5, 0)
    login(client, org["leader"])
    url = reverse(name)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _teams(org["leader"], 45, 5)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    if name == "coaching:recognition-feed":
        assert len(feed_ids(response)) == 20 and response.context["coverage"]["team_size"] == 52
