"""Who may raise, move on, confirm and comment on a support request, run through the page and the API for the
wrong people: the services ask `managers.policy` (through `require`), so both paths answer alike. Someone who
cannot see the request (another manager, a seller, a leader of another sub-tree) gets a 404 from both;
someone who sees it but may not do this (the raiser moving it on, a leader above, the owner confirming, an HR
admin commenting) a 403 with the rule's one message. Nothing changes either way."""

import pytest
from django.urls import reverse

from enablement.accounts import roles
from managers import policy
from managers.models import SupportRequest, SupportRequestEntry
from managers.services.support import support_request_transition
from tests.enablement.factories import PersonFactory, UserFactory
from tests.helpers import api_client, login_as
from tests.managers.support_helpers import raise_request

pytestmark = pytest.mark.django_db

API = "/api/v1/support-requests/"
RAISE = {"title": "CPQ approvals take five days", "kind": "tool"}
MOVES = {
    "acknowledge": {"state": "acknowledged"},
    "progress": {"state": "in_progress"},
    "resolve": {"state": "resolved", "note": "Rule removed."},
    "decline": {"state": "declined", "note": "Not ours."},
}


@pytest.fixture
def people(org, outside, hr_admin, recruiter):
    """The cast: `far_leader` is a sales leader over another sub-tree (the outsider's)."""
    far_leader = PersonFactory(user=UserFactory(username="far_leader", roles=[roles.SALES_LEADER]))
    org["outsider"].manager = far_leader
    org["outsider"].save(update_fields=["manager"])
    return {**org, **outside, "far_leader": far_leader, "hr_admin": hr_admin, "recruiter": recruiter}


@pytest.fixture
def request_obj(people):
    """Raised by `owner` (below `leader`) to Revenue Operations (owned by `revops`, below `revops_lead`)."""
    return raise_request(people["owner"], function=people["function"])


@pytest.fixture
def resolved(request_obj, people):
    return support_request_transition(request=request_obj, by=people["revops"].user, state="resolved", note="Done.")


def _user(people, who):
    return getattr(people[who], "user", people[who])


def _page(client, people, who, url, data):
    response = login_as(client, _user(people, who)).post(url, data)
    return response.status_code, response.content.decode()


def _api(people, who, url, data):
    response = api_client(_user(people, who)).post(url, data, format="json")
    return response.status_code, response.json().get("detail", "")


def _same_answer(page, api, status, message):
    (page_status, page_body), (api_status, api_detail) = page, api
    assert (page_status, api_status) == (status, status)
    if status == 403:
        assert str(message) in page_body and api_detail == str(message)


REFUSED_RAISERS = ["seller", "peer_seller", "recruiter", "hr_admin"]


@pytest.mark.parametrize("who", REFUSED_RAISERS)
def test_raising_is_refused_alike_by_the_page_and_the_api(client, people, who):
    body = {**RAISE, "function": people["function"].pk}
    page = _page(client, people, who, reverse("managers:support-create"), body)
    api = _api(people, who, API, body)

    _same_answer(page, api, 403, policy.RAISE_SUPPORT_DENIED)
    assert not SupportRequest.objects.exists()
    assert login_as(client, _user(people, who)).get(reverse("managers:support-create")).status_code == 403


# (who, the status both paths give): unseen is a 404, seen but not theirs to do a 403.
MOVE_REFUSALS = [
    ("peer", 404),
    ("seller", 404),
    ("far_leader", 404),
    ("owner", 403),  # the raiser
    ("leader", 403),  # above the raiser
    ("revops_lead", 403),  # above the owner
    ("hr_admin", 403),  # reads every request
]


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize(("who", "status"), MOVE_REFUSALS)
def test_moving_a_request_on_is_refused_alike_by_the_page_and_the_api(client, people, request_obj, move, who, status):
    page = _page(client, people, who, reverse("managers:support-transition", args=[request_obj.pk]), MOVES[move])
    api = _api(people, who, f"{API}{request_obj.pk}/state/", MOVES[move])

    _same_answer(page, api, status, policy.MOVE_SUPPORT_DENIED)
    request_obj.refresh_from_db()
    assert (request_obj.state, request_obj.first_response_at) == (SupportRequest.State.OPEN, None)
    assert list(request_obj.entries.values_list("event", flat=True)) == ["raised"]


CONFIRM_REFUSALS = [
    ("peer", 404),
    ("seller", 404),
    ("far_leader", 404),
    ("revops", 403),  # the owner
    ("leader", 403),
    ("revops_lead", 403),
    ("hr_admin", 403),
]


@pytest.mark.parametrize("fixed", [True, False])
@pytest.mark.parametrize(("who", "status"), CONFIRM_REFUSALS)
def test_confirming_the_fix_is_refused_alike_by_the_page_and_the_api(client, people, resolved, fixed, who, status):
    page = _page(
        client,
        people,
        who,
        reverse("managers:support-confirm", args=[resolved.pk]),
        {"fixed": "yes" if fixed else "no"},
    )
    api = _api(people, who, f"{API}{resolved.pk}/confirm/", {"fixed": fixed})

    _same_answer(page, api, status, policy.CONFIRM_SUPPORT_DENIED)
    resolved.refresh_from_db()
    assert (resolved.state, resolved.confirmed_fixed_at, resolved.reopen_count) == ("resolved", None, 0)


COMMENT_REFUSALS = [("peer", 404), ("seller", 404), ("far_leader", 404), ("hr_admin", 403)]


@pytest.mark.parametrize(("who", "status"), COMMENT_REFUSALS)
def test_commenting_is_refused_alike_by_the_page_and_the_api(client, people, request_obj, who, status):
    body = {"body": "Any news?"}
    page = _page(client, people, who, reverse("managers:support-comment", args=[request_obj.pk]), body)
    api = _api(people, who, f"{API}{request_obj.pk}/comments/", body)

    _same_answer(page, api, status, policy.COMMENT_SUPPORT_DENIED)
    assert not request_obj.entries.filter(event=SupportRequestEntry.Event.COMMENT).exists()


@pytest.mark.parametrize("who", ["owner", "leader", "revops", "revops_lead"])
def test_the_raiser_the_owner_and_the_leaders_above_either_comment_on_both_paths(client, people, request_obj, who):
    page = _page(client, people, who, reverse("managers:support-comment", args=[request_obj.pk]), {"body": "Page."})
    api = _api(people, who, f"{API}{request_obj.pk}/comments/", {"body": "API."})

    assert (page[0], api[0]) == (302, 201)
    assert list(request_obj.entries.filter(event="comment").values_list("body", flat=True)) == ["Page.", "API."]


def test_only_the_owner_moves_it_and_only_the_raiser_confirms_on_both_paths(client, people, request_obj):
    move = reverse("managers:support-transition", args=[request_obj.pk])
    assert _page(client, people, "revops", move, MOVES["acknowledge"])[0] == 302
    assert _api(people, "revops", f"{API}{request_obj.pk}/state/", MOVES["resolve"])[0] == 200
    confirm = reverse("managers:support-confirm", args=[request_obj.pk])
    assert _page(client, people, "owner", confirm, {"fixed": "no"})[0] == 302
    assert _api(people, "revops", f"{API}{request_obj.pk}/state/", MOVES["resolve"])[0] == 200
    assert _api(people, "owner", f"{API}{request_obj.pk}/confirm/", {"fixed": True})[0] == 200

    request_obj.refresh_from_db()
    assert request_obj.is_closed and request_obj.reopen_count == 1
