"""What every page carries (issue 16, Smaller): a favicon served from static, and the way to the API docs
from the footer and from the API clients page."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.helpers import login_as

pytestmark = pytest.mark.django_db


def test_every_page_links_the_favicon_from_static_and_the_api_docs(client, org):
    body = login_as(client, org["owner"]).get(reverse("enablement:home"), follow=True).content.decode()
    assert '<link rel="icon" href="/static/enablement/favicon.svg" type="image/svg+xml">' in body
    assert finders.find("enablement/favicon.svg")
    assert client.get("/static/enablement/favicon.svg").status_code == 200
    footer = body.split('data-testid="footer"', 1)[1]
    assert f'href="{reverse("api-docs")}"' in footer and f'href="{reverse("api-redoc")}"' in footer


def test_the_api_clients_page_links_the_docs(client, hr_admin):
    client.force_login(hr_admin)
    body = client.get(reverse("enablement:api-client-list")).content.decode()
    links = body.split('data-testid="api-docs-links"', 1)[1].split("</p>", 1)[0]
    assert reverse("api-docs") in links and reverse("api-schema") in links


def test_a_new_hire_who_has_not_started_shows_when_they_start(client, org, hr_admin):
    import datetime

    from django.utils import timezone

    from enablement.models import Person

    starts = timezone.localdate() + datetime.timedelta(days=60)
    Person.objects.filter(pk=org["seller"].pk).update(start_date=starts)
    org["seller"].refresh_from_db()
    assert org["seller"].is_starting and not org["peer_seller"].is_starting
    client.force_login(hr_admin)
    for url in (reverse("enablement:person-list"), reverse("enablement:person-detail", args=[org["seller"].pk])):
        body = client.get(url).content.decode()
        assert 'data-testid="status-starting"' in body, url
        assert "Starts " in body
    team = login_as(client, org["owner"]).get(reverse("enablement:my-team"), follow=True).content.decode()
    assert team.count('data-testid="status-starting"') == 1
