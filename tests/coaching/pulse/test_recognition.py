"""Recognition: self refused, the daily cap, a returned thank-you flagged and not counted, the share per
person, visibility, the manager's private coverage, no leaderboard, the webhook without the reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.models import Recognition
from coaching.recognition import selectors
from coaching.recognition.services import recognition_give
from enablement.webhooks.models import WebhookEndpoint, WebhookEvent
from tests.coaching.pulse.conftest import add_sellers

pytestmark = pytest.mark.django_db


def give(giver, recipient, **extra):
    return recognition_give(giver=giver, recipient=recipient, reason="Great discovery call", tags=["customer"], **extra)


def test_self_recognition_is_refused(org):
    with pytest.raises(ValidationError):
        give(org["seller"], org["seller"])


def test_a_tag_or_competency_and_a_reason_are_required(org):
    with pytest.raises(ValidationError):
        recognition_give(giver=org["seller"], recipient=org["owner"], reason="Thanks", tags=[])
    with pytest.raises(ValidationError):
        recognition_give(giver=org["seller"], recipient=org["owner"], reason=" ", tags=["brand"])


def test_daily_cap_per_giver(org, settings):
    settings.RECOGNITION_DAILY_CAP = 2
    others = add_sellers(org["owner"], 3)
    give(org["seller"], others[0])
    give(org["seller"], others[1])
    with pytest.raises(ValidationError):
        give(org["seller"], others[2])


def test_a_returned_thank_you_is_flagged_and_not_counted(org):
    first = give(org["seller"], org["peer_seller"])
    back = give(org["peer_seller"], org["seller"])
    assert first.counts and not back.counts and back.flag == Recognition.Flag.RETURNED
    later = give(org["peer_seller"], org["seller"], now=timezone.now() + datetime.timedelta(days=15))
    assert later.flag == Recognition.Flag.NONE


def test_after_five_at_most_a_quarter_counts_towards_one_person(org, settings):
    settings.RECOGNITION_DAILY_CAP = 50
    others = add_sellers(org["owner"], 6)
    for person in others[:5]:
        give(org["seller"], person)
    extra = give(org["seller"], others[0])
    assert not extra.counts and extra.flag == Recognition.Flag.CONCENTRATED
    assert give(org["seller"], others[5]).counts


def test_team_recognition_is_seen_by_teammates_and_the_chain_private_only_by_recipient_and_manager(org):
    teammate = add_sellers(org["owner"], 1)[0]
    public = give(teammate, org["seller"])
    private = give(org["peer_seller"], org["seller"], visibility=Recognition.Visibility.PRIVATE)
    owner_sees = set(selectors.recognitions_visible_to(org["owner"].user))
    assert {public, private} <= owner_sees
    assert {public, private} <= set(selectors.recognitions_visible_to(org["leader"].user))
    outsiders = set(selectors.recognitions_visible_to(org["outsider"].user))
    assert not outsiders & {public, private}
    assert public not in set(selectors.recognitions_visible_to(org["peer"].user))


def test_coverage_is_the_share_of_the_team_recognised_with_counted_ones_only(org):
    others = add_sellers(org["owner"], 3)
    give(org["peer_seller"], others[0])
    give(org["seller"], org["peer_seller"])
    give(org["peer_seller"], org["seller"])  # returned: does not count
    coverage = selectors.coverage_for(org["owner"])
    assert coverage["team_size"] == 4 and coverage["share"] == 0.25
    assert set(coverage["not_recognised"]) == {org["seller"], *others[1:]}


def test_no_selector_ranks_receivers():
    names = [name for name in dir(selectors) if not name.startswith("_")]
    assert not [name for name in names if any(word in name for word in ("leader", "top", "rank", "most"))]


def test_recognition_given_webhook_carries_no_reason(org):
    WebhookEndpoint.objects.create(
        description="HR", url="https://hr.example.com/hook", event_types=["recognition.given"]
    )
    give(org["seller"], org["owner"])
    payload = WebhookEvent.objects.get(event_type="recognition.given").payload
    assert payload["recipient"]["id"] == org["owner"].pk and "reason" not in payload
    assert "Great discovery call" not in str(payload)
