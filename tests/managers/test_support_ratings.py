"""Support ratings: holders rate each support item of their charter when they acknowledge it and once a
quarter; leaders see the ratings per item and per role over their sub-tree."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enablement.models import Reminder
from enablement.notifications import registry
from enablement.notifications.registry import register_kind
from enablement.notifications.services import reminders_sweep
from managers.models import Acknowledgement, SupportItem, SupportRating
from managers.services.charters import charter_acknowledge
from managers.services.support import RatingInput, support_ratings_record
from managers.support_reminders import RATING_DUE, SUPPORT_RATING_REMINDER_KINDS, rating_due_reminders
from tests.managers.factories import SupportItemFactory

pytestmark = pytest.mark.django_db

CLARITY = {"clarity_focus": 4, "clarity_deprioritize": 3, "clarity_success": 5}


def _as(client, person):
    client.force_login(person.user)
    return client


def _items(charter) -> list[SupportItem]:
    """The charter's support: the partner of `publishable_draft` and a CRM added here."""
    SupportItemFactory(version=charter["version"], kind=SupportItem.Kind.TOOL, name="CRM")
    return list(charter["version"].support_items.order_by("position", "pk"))


def _acknowledge(person, charter, **extra):
    acknowledgement = Acknowledgement.objects.get(person=person, version=charter["version"])
    return charter_acknowledge(acknowledgement=acknowledgement, by=person.user, **CLARITY, **extra)


@pytest.fixture
def kinds(monkeypatch):
    monkeypatch.setattr(registry, "_kinds", dict(registry._kinds))
    for kind in SUPPORT_RATING_REMINDER_KINDS:
        register_kind(kind)


# The service.


def test_support_ratings_record_rates_every_item_for_the_quarter_and_corrects_within_it(org, charter):
    partner, crm = _items(charter)
    owner = org["owner"]

    support_ratings_record(
        person=owner, ratings={partner.pk: RatingInput(4), crm.pk: RatingInput(2, " Slow ")}, by=owner.user
    )
    support_ratings_record(
        person=owner, ratings={partner.pk: RatingInput(5), crm.pk: RatingInput(2, "Slow")}, by=owner.user
    )

    ratings = {rating.item_name: rating for rating in SupportRating.objects.filter(person=owner)}
    assert {name: (rating.score, rating.note) for name, rating in ratings.items()} == {
        "Alex Kim": (5, ""),
        "CRM": (2, "Slow"),
    }
    quarter = timezone.localdate().replace(month=3 * ((timezone.localdate().month - 1) // 3) + 1, day=1)
    assert {rating.quarter for rating in ratings.values()} == {quarter}
    assert ratings["CRM"].role == charter["role"] and ratings["CRM"].occasion == "quarterly"


def test_support_ratings_record_writes_nothing_for_the_same_ratings_again(org, charter):
    partner, crm = _items(charter)
    given = {partner.pk: RatingInput(4), crm.pk: RatingInput(3)}
    support_ratings_record(person=org["owner"], ratings=given, by=org["owner"].user)
    stamps = list(SupportRating.objects.order_by("pk").values_list("updated_at", flat=True))

    support_ratings_record(person=org["owner"], ratings=given, by=org["owner"].user)

    assert list(SupportRating.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing", "Rate every support item; missing: CRM."),
        ("unknown", "Not a support item of your current charter"),
        ("score", "Ensure this value is less than or equal to 5."),
    ],
)
def test_support_ratings_record_refuses_and_writes_nothing(org, charter, case, message):
    partner, crm = _items(charter)
    other = SupportItemFactory(version=charter["other_draft"])
    ratings = {partner.pk: RatingInput(4), crm.pk: RatingInput(3)}
    by = org["owner"].user
    if case == "missing":
        del ratings[crm.pk]
    elif case == "unknown":
        ratings[other.pk] = RatingInput(3)
    else:
        ratings[crm.pk] = RatingInput(6)

    with pytest.raises(ValidationError) as refused:
        support_ratings_record(person=org["owner"], ratings=ratings, by=by)

    assert message in str(refused.value)
    assert not SupportRating.objects.exists()


def test_support_ratings_record_refuses_someone_else_and_writes_nothing(org, charter):
    partner, crm = _items(charter)
    ratings = {partner.pk: RatingInput(4), crm.pk: RatingInput(3)}
    for by in (org["peer"].user, org["leader"].user):
        with pytest.raises(PermissionDenied, match="rated by the person who gets it"):
            support_ratings_record(person=org["owner"], ratings=ratings, by=by)
    assert not SupportRating.objects.exists()


def test_support_ratings_record_refuses_a_person_without_a_charter_naming_support(org):
    with pytest.raises(ValidationError, match="names no support"):
        support_ratings_record(person=org["seller"], ratings={}, by=org["seller"].user)


def test_acknowledging_with_support_ratings_records_them_in_the_same_transaction(org, charter):
    partner, crm = _items(charter)

    _acknowledge(org["owner"], charter, support_ratings={partner.pk: RatingInput(4), crm.pk: RatingInput(1)})

    assert set(SupportRating.objects.values_list("item_name", "score", "occasion")) == {
        ("Alex Kim", 4, "acknowledgement"),
        ("CRM", 1, "acknowledgement"),
    }


def test_acknowledging_with_an_incomplete_rating_acknowledges_nothing(org, charter):
    partner, _crm = _items(charter)
    with pytest.raises(ValidationError):
        _acknowledge(org["owner"], charter, support_ratings={partner.pk: RatingInput(4)})
    assert Acknowledgement.objects.get(person=org["owner"], version=charter["version"]).is_pending
    assert not SupportRating.objects.exists()


# Pages: acknowledging, the quarterly form, the leaders' view.


def test_manager_rates_support_while_acknowledging_on_my_charter(client, org, charter):
    partner, crm = _items(charter)
    acknowledgement = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    client = _as(client, org["owner"])
    page = client.get(reverse("managers:my-charter")).content.decode()
    assert "How well does the support work for you?" in page and f'name="support_{crm.pk}"' in page

    response = client.post(
        reverse("managers:my-charter-acknowledge", args=[acknowledgement.pk]),
        {**CLARITY, f"support_{partner.pk}": 5, f"support_{crm.pk}": 2, f"support_note_{crm.pk}": "Reports time out"},
    )

    assert response.status_code == 302
    assert set(SupportRating.objects.values_list("item_name", "score", "note")) == {
        ("Alex Kim", 5, ""),
        ("CRM", 2, "Reports time out"),
    }
    page = client.get(reverse("managers:my-charter")).content.decode()
    assert 'data-testid="my-support"' in page and "Reports time out" in page


def test_acknowledging_with_part_of_the_support_rated_is_a_400_that_says_what_is_missing(client, org, charter):
    partner, _crm = _items(charter)
    acknowledgement = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    response = _as(client, org["owner"]).post(
        reverse("managers:my-charter-acknowledge", args=[acknowledgement.pk]), {**CLARITY, f"support_{partner.pk}": 5}
    )
    assert response.status_code == 400
    assert "Rate every support item; missing: CRM." in response.content.decode()
    assert Acknowledgement.objects.get(pk=acknowledgement.pk).is_pending


def test_quarterly_rating_form_shows_once_acknowledged_and_records(client, org, charter):
    partner, crm = _items(charter)
    _acknowledge(org["owner"], charter)
    client = _as(client, org["owner"])
    page = client.get(reverse("managers:my-charter"))
    assert page.context["support_due"] is True and page.context["support_form"] is not None

    response = client.post(reverse("managers:support-rate"), {f"support_{partner.pk}": 3, f"support_{crm.pk}": 4})

    assert response.status_code == 302 and response.url.endswith("#support")
    assert client.get(reverse("managers:my-charter")).context["support_due"] is False
    assert SupportRating.objects.count() == 2


def test_quarterly_rating_form_requires_every_item(client, org, charter):
    partner, _crm = _items(charter)
    _acknowledge(org["owner"], charter)
    response = _as(client, org["owner"]).post(reverse("managers:support-rate"), {f"support_{partner.pk}": 3})
    assert response.status_code == 400 and not SupportRating.objects.exists()


def test_support_rate_refuses_get_anonymous_and_people_without_a_charter(client, org, charter):
    assert client.post(reverse("managers:support-rate")).status_code == 302  # to sign in
    assert _as(client, org["owner"]).get(reverse("managers:support-rate")).status_code == 405
    assert _as(client, org["seller"]).post(reverse("managers:support-rate")).status_code == 404


def test_leaders_see_support_ratings_per_item_and_role_of_their_sub_tree_only(client, org, charter):
    partner, crm = _items(charter)
    for person, scores in ((org["owner"], (4, 1)), (org["peer"], (2, 3))):
        ratings = {partner.pk: RatingInput(scores[0]), crm.pk: RatingInput(scores[1], "slow")}
        _acknowledge(person, charter, support_ratings=ratings)

    response = _as(client, org["leader"]).get(reverse("managers:support-ratings"))

    assert response.status_code == 200
    (group,) = response.context["roles"]
    assert group.role == charter["role"] and group.raters == 2
    by_name = {entry.item.name: entry for entry in group.items}
    assert (by_name["Alex Kim"].mean, by_name["Alex Kim"].lowest) == (3, 2)
    assert (by_name["CRM"].mean, by_name["CRM"].low_count, by_name["CRM"].notes) == (2, 1, ["slow", "slow"])
    # The outsider's leader is nobody here: the outsider sees their own role's page as 403 (not a leader).
    assert _as(client, org["owner"]).get(reverse("managers:support-ratings")).status_code == 403


@pytest.mark.parametrize("who", ["recruiter", "hr_admin", "seller"])
def test_support_ratings_page_is_for_sales_leaders(client, org, recruiter, hr_admin, who):
    user = {"recruiter": recruiter, "hr_admin": hr_admin, "seller": org["seller"].user}[who]
    client.force_login(user)
    assert client.get(reverse("managers:support-ratings")).status_code == 403


def test_a_rating_of_a_previous_version_still_speaks_for_the_same_item(client, org, charter):
    from managers.services.charters import charter_draft_start, charter_publish

    partner, crm = _items(charter)
    _acknowledge(org["owner"], charter, support_ratings={partner.pk: RatingInput(2), crm.pk: RatingInput(5)})
    draft = charter_draft_start(role=charter["role"], by=org["leader"].user)
    charter_publish(version=draft, by=org["leader"].user)

    (group,) = _as(client, org["leader"]).get(reverse("managers:support-ratings")).context["roles"]

    assert {entry.item.name: entry.mean for entry in group.items} == {"Alex Kim": 2, "CRM": 5}
    assert {entry.item.version_id for entry in group.items} == {draft.pk}


# API: acknowledging with support ratings.


def test_api_acknowledge_takes_support_ratings(org, charter):
    partner, crm = _items(charter)
    acknowledgement = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    api = APIClient()
    api.force_authenticate(org["owner"].user)
    body = {**CLARITY, "support_ratings": [{"item": partner.pk, "score": 4}, {"item": crm.pk, "score": 2, "note": "x"}]}

    response = api.post(reverse("acknowledgement-acknowledge", args=[acknowledgement.pk]), body, format="json")

    assert response.status_code == 200, response.content
    assert set(SupportRating.objects.values_list("item_name", "score")) == {("Alex Kim", 4), ("CRM", 2)}
    bad = {**CLARITY, "support_ratings": [{"item": partner.pk, "score": 9}]}
    other = Acknowledgement.objects.get(person=org["peer"], version=charter["version"])
    api.force_authenticate(org["peer"].user)
    response = api.post(reverse("acknowledgement-acknowledge", args=[other.pk]), bad, format="json")
    assert response.status_code == 400 and "support_ratings" in response.json()["errors"]


# The quarterly reminder.


def test_rating_due_reminder_asks_acknowledged_holders_who_have_not_rated(org, charter):
    _items(charter)
    _acknowledge(org["owner"], charter)  # peer has not acknowledged: their acknowledgement reminder asks first

    drafts = rating_due_reminders(timezone.now())

    assert [(draft.recipient_id, draft.url) for draft in drafts] == [
        (org["owner"].pk, reverse("managers:my-charter") + "#support")
    ]
    today = timezone.localdate()
    assert drafts[0].occasion == f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def test_rating_due_reminder_waits_until_the_last_rating_is_a_quarter_old(org, charter, settings):
    partner, crm = _items(charter)
    _acknowledge(org["owner"], charter, support_ratings={partner.pk: RatingInput(4), crm.pk: RatingInput(4)})
    assert rating_due_reminders(timezone.now()) == []

    SupportRating.objects.update(
        updated_at=timezone.now() - datetime.timedelta(days=settings.SUPPORT_RATING_EVERY_DAYS)
    )

    assert [draft.recipient_id for draft in rating_due_reminders(timezone.now())] == [org["owner"].pk]


def test_rating_due_sweep_twice_sends_one_reminder_and_rating_closes_it(org, charter, kinds, mailoutbox):
    from enablement.notifications.registry import get_kind
    from enablement.notifications.tasks import deliver_reminder_task

    partner, crm = _items(charter)
    _acknowledge(org["owner"], charter)
    kind = get_kind(RATING_DUE)

    for _ in range(2):
        for reminder_id in reminders_sweep(kind=kind):
            deliver_reminder_task.delay(reminder_id)

    reminder = Reminder.objects.get(kind=RATING_DUE)
    assert reminder.recipient == org["owner"] and reminder.status == "sent" and len(mailoutbox) == 1
    support_ratings_record(
        person=org["owner"], ratings={partner.pk: RatingInput(3), crm.pk: RatingInput(3)}, by=org["owner"].user
    )
    reminders_sweep(kind=kind)
    reminder.refresh_from_db()
    assert reminder.read_at is not None  # done: out of the unread count
