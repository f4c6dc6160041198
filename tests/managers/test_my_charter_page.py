"""My charter as a holder walks it (issue 16, items 10-11): the badge leads to the acknowledgement form,
a refused reading comes back at the same address with the error summarised at the top and the input
kept, quarterly periods read "Q3 2026", and dates in messages are in the locale's format."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from managers.models import MetricReading, SuccessMetric
from managers.services.readings import metric_reading_record
from tests.helpers import login_as
from tests.managers.factories import SuccessMetricFactory

pytestmark = pytest.mark.django_db


def test_the_waiting_badge_links_to_the_acknowledgement_form(client, org, charter):
    body = login_as(client, org["owner"]).get(reverse("managers:my-charter")).content.decode()
    assert 'href="#acknowledge" data-testid="acknowledge-link"' in body
    assert 'id="acknowledge"' in body
    assert 'action="/my-charter/acknowledgements/' in body and '/#acknowledge"' in body


def test_a_refused_reading_stays_on_the_page_with_a_summary_and_the_input_kept(client, org, charter):
    metric = charter["version"].metrics.get()
    future = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    client = login_as(client, org["owner"])
    page = client.get(reverse("managers:my-charter")).content.decode()
    assert f'action="{reverse("managers:my-charter")}#record-reading"' in page

    response = client.post(
        reverse("managers:my-charter"), {"metric": metric.pk, "day": future, "value": "93.5", "note": "kept note"}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert body.count('data-testid="error-summary"') == 1
    assert "Your reading was not recorded:" in body and "Period: A reading cannot be for a future period." in body
    assert 'href="#record-reading"' in body
    form = response.context["reading_form"]
    assert form.errors == {"day": ["A reading cannot be for a future period."]}  # beside the field, too
    assert (form["value"].value(), form["note"].value(), form["day"].value()) == ("93.5", "kept note", future)
    assert not MetricReading.objects.exists()


def test_a_reading_recorded_from_the_page_says_which_period(client, org, charter):
    metric = charter["version"].metrics.get()
    response = login_as(client, org["owner"]).post(
        reverse("managers:my-charter"), {"metric": metric.pk, "day": "2026-05-17", "value": "93.5"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("managers:my-charter") + "#record-reading"
    assert f"Reading recorded: {metric.name}, May 2026." in response.content.decode()


def test_quarterly_readings_are_labelled_by_quarter(client, org, charter):
    quarterly = SuccessMetricFactory(
        version=charter["version"], name="Seller retention", cadence=SuccessMetric.Cadence.QUARTERLY, position=5
    )
    metric_reading_record(
        person=org["owner"],
        metric=quarterly,
        day=datetime.date(2026, 8, 20),
        value=Decimal("91"),
        note="",
        by=org["owner"].user,
    )
    response = login_as(client, org["owner"]).get(reverse("managers:my-charter"))
    body = response.content.decode()
    assert "(Q3 2026)" in body and "(Jul 2026)" not in body


def test_marking_reviewed_says_the_date_in_the_locale_format(client, org, charter):
    response = login_as(client, org["leader"]).post(
        reverse("managers:role-mark-reviewed", args=[charter["role"].pk]), follow=True
    )
    charter["role"].refresh_from_db()
    body = response.content.decode()
    assert charter["role"].next_review_on.isoformat() not in body
    assert "Marked reviewed. Next review: " in body


def test_a_seller_whose_role_has_no_charter_gets_neither_my_charter_nor_support_requests(client, org, charter):
    """Sellers hold roles for their competency profile (issue 16, item 15); charters and the support
    they name are managers'."""
    from managers.services.charters import role_assign
    from tests.managers.factories import RoleFactory

    seller_role = RoleFactory(code="ae", name="Account Executive")
    role_assign(person=org["seller"], role=seller_role, on=datetime.date(2026, 1, 1), by=None)

    seller = login_as(client, org["seller"])
    home = seller.get(reverse("coaching:my-development")).content.decode()
    assert reverse("managers:my-charter") not in home and reverse("managers:support-list") not in home
    assert seller.get(reverse("managers:support-create")).status_code == 403

    # The manager whose role has a published charter has both.
    manager = login_as(client, org["owner"]).get(reverse("coaching:my-development")).content.decode()
    assert reverse("managers:my-charter") in manager and reverse("managers:support-list") in manager
