"""The charter editor and publishing (issue 16, item 9): long texts in multi-line fields, rows moved by
buttons without JavaScript, the running total, one error summary, Publish from the editor with a
confirmation, and Publish disabled (with the reason) on a draft known to be invalid."""

import pytest
from django.urls import reverse

from managers.models import Acknowledgement, CharterVersion
from tests.helpers import login_as
from tests.managers.test_charter_pages import _draft_post

pytestmark = pytest.mark.django_db


def _edit(draft) -> str:
    return reverse("managers:version-edit", args=[draft.pk])


def _publish(draft) -> str:
    return reverse("managers:version-publish", args=[draft.pk])


def test_editor_has_multiline_fields_arrows_a_total_and_save_and_publish(client, org, charter):
    draft = charter["other_draft"]
    body = login_as(client, org["leader"]).get(_edit(draft)).content.decode()
    for name in ("focus_areas-0-description", "deprioritized-0-reason", "deprioritized-0-hand_off_to"):
        assert f'<textarea name="{name}"' in body, name
    assert 'type="hidden" name="focus_areas-0-ORDER" value="1"' in body  # no order numbers to type
    assert 'name="move" value="focus_areas-1:up"' in body
    assert "70% of time in all" in body  # 40 + 30
    assert 'name="publish"' in body
    assert "managers/formset.js" in body


def test_moving_a_row_without_javascript_reorders_it_and_saves_nothing(client, org, charter):
    draft = charter["other_draft"]
    first, second = draft.focus_areas.values_list("title", flat=True)
    data = _draft_post(draft) | {"move": "focus_areas-1:up"}
    client = login_as(client, org["leader"])

    response = client.post(_edit(draft), data)

    assert response.status_code == 200 and "error-summary" not in response.content.decode()
    formset = response.context["forms"].formsets["focus_areas"]
    assert [form["title"].value() for form in sorted(formset.forms[:2], key=lambda f: int(f["ORDER"].value()))] == [
        second,
        first,
    ]
    assert list(draft.focus_areas.values_list("title", flat=True)) == [first, second]  # not saved yet
    # Saving what came back keeps the new order.
    saved = response.context["forms"].formsets["focus_areas"].data.copy()
    saved.pop("move")
    assert client.post(_edit(draft), saved).status_code == 302
    assert list(draft.focus_areas.values_list("title", flat=True)) == [second, first]


def test_a_move_past_the_end_or_naming_nothing_changes_nothing(client, org, charter):
    draft = charter["other_draft"]
    client = login_as(client, org["leader"])
    moves = ("focus_areas-0:up", "focus_areas-9:down", "nonsense", "focus_areas-x:up", "metrics-0:sideways")
    hostile = ("focus_areas-²:up", "focus_areas-99999999999999999999:down", "focus_areas-1\x00:up")
    for move in moves + hostile:
        response = client.post(_edit(draft), _draft_post(draft) | {"move": move})
        assert response.status_code == 200, move


def test_errors_are_summarised_once_with_the_input_kept(client, org, charter):
    draft = charter["other_draft"]
    rows = [{"title": "A", "time_share": 70}, {"title": "", "description": "kept text", "time_share": 40}]
    response = login_as(client, org["leader"]).post(_edit(draft), _draft_post(draft, focus_areas=rows))

    assert response.status_code == 400
    body = response.content.decode()
    assert body.count('data-testid="error-summary"') == 1
    assert body.count("This field is required.") == 2  # in the summary (linked) and beside the field
    assert 'href="#id_focus_areas-1-title"' in body
    assert "kept text" in body and "110% of time in all" in body
    assert "alert alert-danger" not in body.replace('class="alert alert-danger" role="alert" id="error-summary"', "")


def test_service_refusals_are_in_the_summary_only(client, org, charter):
    draft = charter["other_draft"]
    rows = [{"title": "A", "time_share": 70}, {"title": "B", "time_share": 40}]
    response = login_as(client, org["leader"]).post(_edit(draft), _draft_post(draft, focus_areas=rows))
    body = response.content.decode()
    assert body.count("add up to 110% of time") == 1
    assert list(response.context["error_summary"]) == [
        ("Focus areas add up to 110% of time; they can take at most 100%.", "")
    ]


def test_save_and_publish_saves_then_asks_to_confirm(client, org, charter):
    draft = charter["other_draft"]
    client = login_as(client, org["leader"])

    response = client.post(_edit(draft), _draft_post(draft, purpose="Sharper purpose") | {"publish": "1"})

    assert response.url == _publish(draft)
    draft.refresh_from_db()
    assert draft.purpose == "Sharper purpose" and draft.is_draft
    confirm = client.get(response.url)
    body = confirm.content.decode()
    assert "Publishing cannot be undone" in body and "the 1 person who holds the role" in body
    assert "disabled" not in body.split("Publish v1</button>")[0].rsplit("<button", 1)[1]
    assert client.post(_publish(draft)).url == reverse("managers:version-detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == CharterVersion.Status.PUBLISHED
    assert Acknowledgement.objects.filter(version=draft, person=org["outsider"]).exists()


def test_publish_is_disabled_with_the_reason_on_an_invalid_draft(client, org, charter):
    draft = charter["other_draft"]
    draft.metrics.all().delete()
    client = login_as(client, org["leader"])

    detail = client.get(reverse("managers:version-detail", args=[draft.pk])).content.decode()
    assert 'data-testid="publish-disabled"' in detail and "Add at least one success metric" in detail
    assert f'href="{_publish(draft)}"' not in detail
    confirm = client.get(_publish(draft)).content.decode()
    assert "disabled" in confirm.split("Publish v1</button>")[0].rsplit("<button", 1)[1]
    assert "Add at least one success metric" in client.get(_edit(draft)).content.decode()

    response = client.post(_publish(draft))  # the service still refuses a post made anyway
    assert response.status_code == 400 and "Add at least one success metric" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft


def test_publish_confirmation_is_for_leaders_of_the_role_only(client, org, charter):
    draft = charter["other_draft"]
    assert client.get(_publish(draft)).status_code == 302  # anonymous: to sign in
    assert login_as(client, org["owner"]).get(_publish(draft)).status_code == 403
    assert login_as(client, org["owner"]).post(_publish(draft)).status_code == 403
    # Every sales leader writes charters (roles are not scoped to a tree): a seller is refused.
    assert login_as(client, org["seller"]).get(_publish(draft)).status_code == 403
    assert client.get(reverse("managers:version-publish", args=[999999])).status_code in (403, 404)
    assert login_as(client, org["leader"]).put(_publish(draft)).status_code == 405
    draft.refresh_from_db()
    assert draft.is_draft
