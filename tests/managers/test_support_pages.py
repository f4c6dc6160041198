"""Support request pages: raising, the request page (the owner's moves, "did this fix it?", the thread) and the
list (assigned to me, raised by me, a leader's sub-tree by function, state and age), each for the right and
the wrong people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from managers.models import SupportFunction, SupportRequest
from managers.services.support import support_request_transition
from tests.enablement.factories import PersonFactory, UserFactory
from tests.managers.support_helpers import raise_request

pytestmark = pytest.mark.django_db

State = SupportRequest.State


def _as(client, person_or_user):
    client.force_login(getattr(person_or_user, "user", person_or_user))
    return client


def test_lifecycle_through_the_pages(client, org, charter, outside):
    item = charter["version"].support_items.get()
    raiser = _as(client, org["owner"])
    form = raiser.get(reverse("managers:support-create") + f"?item={item.pk}")
    assert form.status_code == 200 and form.context["form"].initial == {"support_item": item.pk}

    # The manager raises it to Revenue Operations.
    response = raiser.post(
        reverse("managers:support-create"),
        {
            "title": "CPQ approvals take five days",
            "kind": "tool",
            "description": "Quotes wait for a VP.",
            "support_item": item.pk,
            "function": outside["function"].pk,
        },
    )
    request = SupportRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("managers:support-detail", args=[request.pk])
    assert request.owner == outside["revops"]

    # The owner finds it assigned to them, acknowledges it and resolves it.
    owner = _as(client, outside["revops"])
    listed = owner.get(reverse("managers:support-list"))
    assert list(listed.context["page"]) == [request]
    assert listed.context["form"]["scope"].value() == "assigned"
    owner.post(reverse("managers:support-transition", args=[request.pk]), {"state": "acknowledged"})
    owner.post(
        reverse("managers:support-transition", args=[request.pk]),
        {"state": "resolved", "note": "VP approval only above 20% discount now."},
    )
    page = owner.get(reverse("managers:support-detail", args=[request.pk]))
    assert page.context["confirm_form"] is None and page.context["transition_form"] is None

    # The raiser says it did not fix it: reopened; resolved again; then it did.
    raiser = _as(client, org["owner"])
    page = raiser.get(reverse("managers:support-detail", args=[request.pk])).content.decode()
    assert "Did this fix it?" in page and "VP approval only above 20% discount now." in page
    raiser.post(reverse("managers:support-confirm", args=[request.pk]), {"fixed": "no", "note": "Still 3 days."})
    request.refresh_from_db()
    assert (request.state, request.reopen_count) == (State.OPEN, 1)
    support_request_transition(request=request, by=outside["revops"].user, state=State.RESOLVED, note="Auto.")
    response = raiser.post(reverse("managers:support-confirm", args=[request.pk]), {"fixed": "yes"})
    assert response.status_code == 302
    page = raiser.get(reverse("managers:support-detail", args=[request.pk])).content.decode()
    assert 'data-state="closed"' in page and "Closed: fixed" in page
    assert "said it is not fixed, and reopened it" in page and "Still 3 days." in page


def test_raise_form_refuses_two_owners_or_an_unknown_email_and_keeps_the_input(client, org, outside):
    client = _as(client, org["owner"])
    both = client.post(
        reverse("managers:support-create"),
        {
            "title": "Slow CRM",
            "kind": "tool",
            "function": outside["function"].pk,
            "owner_email": outside["revops"].email,
        },
    )
    unknown = client.post(
        reverse("managers:support-create"), {"title": "Slow CRM", "kind": "tool", "owner_email": "nobody@example.com"}
    )
    assert both.status_code == 400 and "Choose who owns it" in both.content.decode()
    assert unknown.status_code == 400 and "Nobody in the org has this email." in unknown.content.decode()
    assert 'value="Slow CRM"' in unknown.content.decode()
    by_email_body = {"title": "Slow CRM", "kind": "tool", "owner_email": outside["revops"].email.upper()}
    by_email = client.post(reverse("managers:support-create"), by_email_body)
    assert by_email.status_code == 302 and SupportRequest.objects.get().owner == outside["revops"]


def test_declining_without_a_reason_is_a_400_on_the_page(client, org, outside):
    request = raise_request(org["owner"], function=outside["function"])
    response = _as(client, outside["revops"]).post(
        reverse("managers:support-transition", args=[request.pk]), {"state": "declined"}
    )
    assert response.status_code == 400 and "Say why you decline it" in response.content.decode()
    request.refresh_from_db()
    assert request.state == State.OPEN


@pytest.mark.parametrize(
    ("who", "sees", "comments"),
    [
        ("owner", True, True),  # raised it
        ("revops", True, True),  # owns it
        ("leader", True, True),  # above the raiser
        ("revops_lead", True, True),  # above the owner
        ("hr_admin", True, False),  # reads every request, comments on none
        ("peer", False, False),
        ("seller", False, False),
        ("outsider", False, False),
        ("recruiter", False, False),
    ],
)
def test_who_sees_and_comments_on_a_request(client, org, outside, recruiter, hr_admin, who, sees, comments):
    request = raise_request(org["owner"], function=outside["function"])
    user = {"hr_admin": hr_admin, "recruiter": recruiter}.get(who) or (org.get(who) or outside.get(who)).user
    client.force_login(user)

    page = client.get(reverse("managers:support-detail", args=[request.pk]))
    comment = client.post(reverse("managers:support-comment", args=[request.pk]), {"body": "A word."})

    assert page.status_code == (200 if sees else 404)
    assert comment.status_code == (302 if comments else 403 if sees else 404)
    if sees:
        assert (page.context["comment_form"] is not None) == comments


def test_only_the_owner_gets_the_move_form_and_others_posting_it_are_refused(client, org, outside):
    request = raise_request(org["owner"], function=outside["function"])
    page = _as(client, org["leader"]).get(reverse("managers:support-detail", args=[request.pk]))
    assert page.context["transition_form"] is None
    response = client.post(reverse("managers:support-transition", args=[request.pk]), {"state": "acknowledged"})
    assert response.status_code == 403 and "Only the owner of a support request" in response.content.decode()
    request.refresh_from_db()
    assert request.state == State.OPEN


def test_support_pages_refuse_anonymous_and_wrong_methods(client, org, outside):
    request = raise_request(org["owner"], function=outside["function"])
    pk = request.pk
    for name, args in (("support-list", []), ("support-create", []), ("support-detail", [pk])):
        assert client.get(reverse(f"managers:{name}", args=args)).status_code == 302  # to sign in
    client = _as(client, org["owner"])
    for name in ("support-transition", "support-confirm", "support-comment"):
        assert client.get(reverse(f"managers:{name}", args=[pk])).status_code == 405
    assert client.post(reverse("managers:support-detail", args=[pk])).status_code == 405
    assert client.post(reverse("managers:support-list")).status_code == 405


@pytest.mark.parametrize(("who", "status"), [("seller", 403), ("recruiter", 403), ("hr_admin", 403)])
def test_only_managers_and_leaders_raise_requests(client, org, recruiter, hr_admin, who, status):
    user = {"seller": org["seller"].user, "recruiter": recruiter, "hr_admin": hr_admin}[who]
    assert _as(client, user).get(reverse("managers:support-create")).status_code == status


def test_the_list_is_refused_to_people_with_no_part_in_support(client, org, recruiter):
    assert _as(client, org["seller"]).get(reverse("managers:support-list")).status_code == 403
    assert _as(client, recruiter).get(reverse("managers:support-list")).status_code == 403


def test_a_leader_sees_their_sub_tree_by_function_state_and_age(client, org, outside):
    marketing = SupportFunction.objects.create(name="Marketing", owner=PersonFactory(user=UserFactory()))
    old = raise_request(org["owner"], function=outside["function"], title="Old CPQ", days_ago=40)
    raise_request(org["peer"], function=marketing, title="No case studies", days_ago=3)
    resolved = raise_request(org["peer"], function=outside["function"], title="Fixed one", days_ago=12)
    support_request_transition(request=resolved, by=outside["revops"].user, state=State.RESOLVED)
    raise_request(org["outsider"], function=outside["function"], title="Not in the tree")

    def titles(**params):
        response = _as(client, org["leader"]).get(reverse("managers:support-list"), params)
        assert response.status_code == 200
        return [request.title for request in response.context["page"]]

    assert titles() == ["Old CPQ", "No case studies", "Fixed one"]  # open ones first, oldest first
    assert titles(function=outside["function"].pk) == ["Old CPQ", "Fixed one"]
    assert titles(state="open") == ["Old CPQ", "No case studies"]
    assert titles(state="resolved") == ["Fixed one"]
    assert titles(age="older") == ["Old CPQ"] and titles(age="week") == ["No case studies"]
    assert titles(age="month") == ["Fixed one"]
    assert titles(overdue="on") == ["Old CPQ"]  # the resolved one had its response
    assert titles(scope="raised") == []
    assert old in _as(client, outside["revops"]).get(reverse("managers:support-list")).context["page"]


def test_the_list_runs_the_same_queries_for_5_and_30_requests(client, org, outside):
    def queries() -> int:
        _as(client, org["leader"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("managers:support-list"), {"state": "open"}).status_code == 200
        return len(captured)

    for index in range(5):
        raise_request(org["owner"], function=outside["function"], title=f"Request {index}", days_ago=index)
    few = queries()
    for index in range(25):
        raise_request(org["peer"], owner=outside["revops"], title=f"More {index}", days_ago=index)
    assert queries() == few


def test_someone_who_answers_requests_and_leads_nobody_starts_on_support(client, org, outside):
    raise_request(org["owner"], function=outside["function"])
    home = reverse("enablement:home")
    assert _as(client, outside["revops"]).get(home).url == reverse("managers:support-list")
    # Their VP leads someone: My team, as before; a sales leader's home stays Manager impact.
    assert _as(client, outside["revops_lead"]).get(home).url == reverse("coaching:team")
    assert _as(client, org["leader"]).get(home).url == reverse("coaching:impact")
