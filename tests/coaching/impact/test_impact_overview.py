"""The figures behind Manager impact's roll-ups and charts (`coaching.impact.overview`): the same as the cards'
for every column, read in a fixed number of queries; and the page builds cards only for the managers it shows,
except under "needs attention", where its roll-ups cover exactly the flagged managers."""

import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.impact import views
from coaching.impact.overview import figures_of, manager_figures
from coaching.impact.selectors import impact_managers_for, manager_impacts
from coaching.models import CoachingPlan, CoachingSession
from managers.models import Acknowledgement, MetricReading
from managers.services.charters import role_assign
from tests.coaching.pulse.conftest import add_sellers
from tests.enablement.factories import PersonFactory, UserFactory
from tests.managers.support_helpers import raise_request

pytestmark = pytest.mark.django_db


def _as(client, person_or_user):
    client.force_login(getattr(person_or_user, "user", person_or_user))
    return client


@pytest.fixture
def varied(org, charter, impact_org):
    """Beyond `impact_org`: the peer acknowledged (ratings 5, 4, 3), had a 1:1 with one of two sellers, raised
    two requests, and reads off track now after on track; a manager of a role with no published charter."""
    peer, metric = org["peer"], impact_org["metric"]
    Acknowledgement.objects.filter(person=peer).update(
        acknowledged_at=timezone.now(), clarity_focus=5, clarity_deprioritize=4, clarity_success=3
    )
    covered, _uncovered = org["peer_seller"], add_sellers(peer, 1, prefix="peer-extra")[0]
    plan = CoachingPlan.objects.create(
        coachee=covered,
        coach=peer,
        title="1:1s",
        state="completed",
        period_start=timezone.localdate() - datetime.timedelta(days=60),
        period_end=timezone.localdate(),
    )
    CoachingSession.objects.create(plan=plan, held_on=timezone.localdate() - datetime.timedelta(days=10), notes="1:1")
    raise_request(peer, function=impact_org["function"], days_ago=3)
    raise_request(peer, function=impact_org["function"], title="Data feed late", days_ago=9)
    month = timezone.localdate().replace(day=1)
    for back, value in ((3, "120"), (1, "50")):
        MetricReading.objects.create(
            person=peer,
            metric=metric,
            metric_key=metric.key,
            value=Decimal(value),
            period=month - relativedelta(months=back),
        )
    no_charter = PersonFactory(manager=org["leader"], user=UserFactory(username="nocharter"))
    role_assign(person=no_charter, role=charter["other_role"], on=datetime.date(2026, 1, 1), by=None)
    add_sellers(no_charter, 1, prefix="nocharter-s")  # Manager impact is for people who lead someone
    return {"no_charter": no_charter}


def test_the_figures_are_the_cards_figures(org, varied):
    managers = list(impact_managers_for(user=org["leader"].user))
    assert len(managers) == 3

    figures = manager_figures(managers)

    assert figures == figures_of(manager_impacts(managers))
    by_manager = {entry.manager: entry for entry in figures}
    peer = by_manager[org["peer"]]
    assert (peer.acknowledged, peer.clarity_mean, peer.team, peer.team_with_conversation) == (True, 4, 2, 1)
    assert (peer.open_requests, peer.metrics_on_track, peer.metrics_total, peer.meets) == (2, 0, 1, False)
    assert by_manager[org["owner"]].meets is True and by_manager[org["owner"]].support_mean == 2
    assert by_manager[varied["no_charter"]].has_charter is False


def test_the_figures_run_the_same_queries_for_3_and_30_managers(org, charter, varied):
    def queries() -> int:
        managers = list(impact_managers_for(user=org["leader"].user))
        with CaptureQueriesContext(connection) as captured:
            manager_figures(managers)
        return len(captured)

    few = queries()
    for index in range(27):
        manager = PersonFactory(manager=org["leader"], user=UserFactory(username=f"extra{index}"))
        role_assign(person=manager, role=charter["role"], on=datetime.date(2026, 1, 1), by=None)
        add_sellers(manager, 2, prefix=f"extra{index}s")
    assert queries() == few <= 11


@pytest.fixture
def built(monkeypatch):
    """How many cards each call of the page's card builder made."""
    sizes = []
    compute = views.compute

    def counting(managers, **kwargs):
        managers = list(managers)
        sizes.append(len(managers))
        return compute(managers, **kwargs)

    monkeypatch.setattr(views, "compute", counting)
    return sizes


def test_the_page_builds_cards_only_for_the_managers_it_shows(client, org, charter, impact_org, built):
    for index in range(30):
        manager = PersonFactory(manager=org["leader"], user=UserFactory(username=f"m{index}"))
        role_assign(person=manager, role=charter["role"], on=datetime.date(2026, 1, 1), by=None)
        add_sellers(manager, 1, prefix=f"m{index}s")

    response = _as(client, org["leader"]).get(reverse("coaching:impact"))

    assert built == [25]
    assert response.context["org"].managers == 32 and response.context["groups"][0].rollup.managers == 32
    assert 'data-testid="attention-link"' in response.content.decode()


def test_needs_attention_rolls_up_exactly_the_flagged_managers(client, org, charter, impact_org, built):
    calm = PersonFactory(manager=org["leader"], user=UserFactory(username="calm"))
    role_assign(person=calm, role=charter["role"], on=datetime.date(2026, 1, 1), by=None)
    add_sellers(calm, 1, prefix="calm-s")
    flagged = {entry.manager for entry in manager_impacts(impact_managers_for(user=org["leader"].user)) if entry.flags}

    response = _as(client, org["leader"]).get(reverse("coaching:impact"), {"attention": "on"})

    shown = {impact.manager for group in response.context["groups"] for impact in group.impacts}
    assert shown == flagged and response.context["org"].managers == len(flagged)
    assert {entry.manager for entry in response.context["org"].figures} == flagged
    assert built == [3]  # every manager in view, to know who is flagged
