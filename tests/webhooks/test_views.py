"""The HR admin's webhook pages: who may use them, what each does, and bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from standardwebhooks import Webhook

from enablement.api.clients.services import api_client_create
from enablement.webhooks.models import DeliveryAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from enablement.webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db

State = WebhookDelivery.State


@pytest.fixture
def delivery(endpoint):
    event = WebhookEvent.objects.create(event_type="webhook.test", payload={"endpoint_id": endpoint.pk, "message": "x"})
    delivery = WebhookDelivery.objects.create(
        event=event,
        endpoint=endpoint,
        state=State.FAILED,
        next_attempt_at=event.created_at,
        window_started_at=event.created_at,
        attempt_count=7,
        last_status_code=503,
    )
    DeliveryAttempt.objects.create(
        delivery=delivery,
        started_at=event.created_at,
        duration_ms=12,
        status_code=503,
        response_body="Service Unavailable",
    )
    return delivery


def _pages(endpoint, delivery) -> list[tuple[str, str]]:
    """(method, url) of every page and command."""
    pk, delivery_pk = endpoint.pk, delivery.pk
    return [
        ("get", reverse("webhooks:endpoint-list")),
        ("get", reverse("webhooks:endpoint-create")),
        ("post", reverse("webhooks:endpoint-create")),
        ("get", reverse("webhooks:endpoint-detail", args=[pk])),
        ("get", reverse("webhooks:endpoint-update", args=[pk])),
        ("post", reverse("webhooks:endpoint-update", args=[pk])),
        ("post", reverse("webhooks:endpoint-deactivate", args=[pk])),
        ("post", reverse("webhooks:endpoint-activate", args=[pk])),
        ("post", reverse("webhooks:endpoint-rotate-secret", args=[pk])),
        ("post", reverse("webhooks:endpoint-send-test", args=[pk])),
        ("get", reverse("webhooks:delivery-detail", args=[delivery_pk])),
        ("post", reverse("webhooks:delivery-redeliver", args=[delivery_pk])),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, endpoint, delivery):
    for method, url in _pages(endpoint, delivery):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("who", ["owner", "leader", "recruiter", "api_client"])
def test_everyone_but_hr_admins_is_refused(client, org, recruiter, hr_admin, endpoint, delivery, who):
    if who == "api_client":
        api_client, _token = api_client_create(name="HR sync", scopes=["hiring:read"], by=hr_admin, hr_admin=True)
        user = api_client.user
    else:
        user = recruiter if who == "recruiter" else org[who].user
    client.force_login(user)
    secret = endpoint.secret
    for method, url in _pages(endpoint, delivery):
        assert getattr(client, method)(url).status_code == 403, url
    endpoint.refresh_from_db()
    assert (endpoint.secret, endpoint.is_active) == (secret, True)
    assert WebhookDelivery.objects.get().state == State.FAILED


def test_commands_refuse_get_and_pages_refuse_other_methods(client, hr_admin, endpoint, delivery):
    client.force_login(hr_admin)
    for method, url in _pages(endpoint, delivery):
        if method == "post" and "edit" not in url and "new" not in url:
            assert client.get(url).status_code == 405, url
    assert client.delete(reverse("webhooks:endpoint-list")).status_code == 405
    assert client.post(reverse("webhooks:endpoint-detail", args=[endpoint.pk])).status_code == 405


def test_unknown_objects_are_404(client, hr_admin):
    client.force_login(hr_admin)
    assert client.get(reverse("webhooks:endpoint-detail", args=[999])).status_code == 404
    assert client.post(reverse("webhooks:delivery-redeliver", args=[999])).status_code == 404


def test_hr_admin_sees_the_nav_item_and_others_do_not(client, hr_admin, owner):
    client.force_login(hr_admin)
    assert reverse("webhooks:endpoint-list") in client.get(reverse("enablement:person-list")).content.decode()
    client.force_login(owner.user)
    assert reverse("webhooks:endpoint-list") not in client.get(reverse("enablement:my-team")).content.decode()


def test_list_shows_endpoints_with_recent_stats_and_never_a_secret(client, hr_admin, endpoint, delivery):
    client.force_login(hr_admin)
    page = client.get(reverse("webhooks:endpoint-list")).content.decode()
    assert "HR system" in page and endpoint.url in page
    assert endpoint.secret not in page
    assert "whsec_" not in page
    row = client.get(reverse("webhooks:endpoint-list")).context["endpoints"][0]
    assert (row.delivered_recently, row.failed_recently, row.pending_recently) == (0, 1, 0)


def test_list_runs_a_fixed_number_of_queries(client, hr_admin, django_assert_max_num_queries):
    def add(count: int) -> None:
        for index in range(count):
            endpoint = endpoint_create(url=f"https://hooks{index}.example.com/", by=hr_admin)
            for state in (State.DELIVERED, State.FAILED, State.PENDING):
                event = WebhookEvent.objects.create(event_type="person.created", payload={})
                WebhookDelivery.objects.create(
                    event=event,
                    endpoint=endpoint,
                    state=state,
                    next_attempt_at=event.created_at,
                    window_started_at=event.created_at,
                )

    client.force_login(hr_admin)
    url = reverse("webhooks:endpoint-list")
    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["endpoints"]) == 22


def test_endpoint_page_and_delivery_page_run_a_fixed_number_of_queries(
    client, hr_admin, endpoint, delivery, django_assert_max_num_queries
):
    client.force_login(hr_admin)
    for _ in range(30):
        event = WebhookEvent.objects.create(event_type="person.created", payload={})
        WebhookDelivery.objects.create(
            event=event, endpoint=endpoint, next_attempt_at=event.created_at, window_started_at=event.created_at
        )
        DeliveryAttempt.objects.create(delivery=delivery, started_at=event.created_at, duration_ms=1, status_code=500)
    with django_assert_max_num_queries(12):  # session, user, groups, nav and inbox, then the page
        assert client.get(reverse("webhooks:endpoint-detail", args=[endpoint.pk])).status_code == 200
    with django_assert_max_num_queries(12):  # session, user, groups, nav and inbox, then the page
        assert client.get(reverse("webhooks:delivery-detail", args=[delivery.pk])).status_code == 200


def test_create_validates_and_redirects_to_the_endpoint_with_its_secret(client, hr_admin):
    client.force_login(hr_admin)
    url = reverse("webhooks:endpoint-create")
    refused = client.post(url, {"url": "http://hooks.example.com/in", "event_types": ["person.created"]})
    assert refused.status_code == 200
    assert "Use https" in refused.content.decode()
    assert client.post(url, {"url": "https://hooks.example.com/in", "event_types": ["nope"]}).status_code == 200
    assert not WebhookEndpoint.objects.exists()

    response = client.post(
        url,
        {
            "url": "https://hooks.example.com/in",
            "description": "Workday",
            "event_types": ["person.created", "application.decided"],
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response["Location"] == reverse("webhooks:endpoint-detail", args=[endpoint.pk])
    assert endpoint.event_types == ["application.decided", "person.created"]
    assert endpoint.created_by == hr_admin
    detail = client.get(response["Location"])
    assert endpoint.secret in detail.content.decode()
    assert "no-cache" in detail["Cache-Control"]


def test_plain_http_is_allowed_for_localhost_and_in_debug(client, hr_admin, settings):
    client.force_login(hr_admin)
    url = reverse("webhooks:endpoint-create")
    assert client.post(url, {"url": "http://localhost:9000/hook"}).status_code == 302
    settings.DEBUG = True
    assert client.post(url, {"url": "http://hooks.internal/hook"}).status_code == 302
    assert WebhookEndpoint.objects.count() == 2


def test_edit_changes_url_and_filter(client, hr_admin, endpoint):
    client.force_login(hr_admin)
    data = {"url": "https://new.example.com/hook", "description": "New", "event_types": []}
    response = client.post(reverse("webhooks:endpoint-update", args=[endpoint.pk]), data)
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.description, endpoint.event_types) == ("https://new.example.com/hook", "New", [])


def test_deactivate_and_activate(client, hr_admin, endpoint):
    client.force_login(hr_admin)
    client.post(reverse("webhooks:endpoint-deactivate", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    page = client.get(reverse("webhooks:endpoint-detail", args=[endpoint.pk])).content.decode()
    assert "Inactive" in page
    client.post(reverse("webhooks:endpoint-activate", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.is_active


def test_rotate_shows_both_secrets_during_the_grace_period(client, hr_admin, endpoint):
    client.force_login(hr_admin)
    old = endpoint.secret
    client.post(reverse("webhooks:endpoint-rotate-secret", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    page = client.get(reverse("webhooks:endpoint-detail", args=[endpoint.pk])).content.decode()
    assert endpoint.secret != old
    assert endpoint.secret in page and old in page


def test_send_test_event_reaches_the_receiver_signed(
    client, hr_admin, endpoint, receiver, django_capture_on_commit_callbacks
):
    client.force_login(hr_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhooks:endpoint-send-test", args=[endpoint.pk]))
    delivery = WebhookDelivery.objects.get(event__event_type="webhook.test")
    assert response["Location"] == reverse("webhooks:delivery-detail", args=[delivery.pk])
    [request] = receiver.requests
    assert Webhook(endpoint.secret).verify(request.body, request.headers)["type"] == "webhook.test"
    page = client.get(response["Location"]).content.decode()
    assert "Delivered" in page and "200" in page


def test_test_event_ignores_the_filter_but_not_an_inactive_endpoint(client, hr_admin, receiver):
    filtered = endpoint_create(url=receiver.url, event_types=["person.created"], by=hr_admin)
    client.force_login(hr_admin)
    client.post(reverse("webhooks:endpoint-send-test", args=[filtered.pk]))
    assert WebhookDelivery.objects.filter(endpoint=filtered).count() == 1
    client.post(reverse("webhooks:endpoint-deactivate", args=[filtered.pk]))
    response = client.post(reverse("webhooks:endpoint-send-test", args=[filtered.pk]), follow=True)
    assert "Activate the endpoint" in response.content.decode()
    assert WebhookDelivery.objects.filter(endpoint=filtered).count() == 1


def test_delivery_page_shows_attempts_and_redeliver_sends_again(
    client, hr_admin, delivery, receiver, django_capture_on_commit_callbacks
):
    client.force_login(hr_admin)
    page = client.get(reverse("webhooks:delivery-detail", args=[delivery.pk])).content.decode()
    assert "Service Unavailable" in page and "503" in page and delivery.event_id in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:delivery-redeliver", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert delivery.state == State.DELIVERED
    assert delivery.attempts.count() == 2
    assert [request.headers["webhook-id"] for request in receiver.requests] == [delivery.event_id]


def test_the_url_help_says_what_this_server_accepts(client, hr_admin, settings):
    client.force_login(hr_admin)
    url = reverse("webhooks:endpoint-create")
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    body = client.get(url).content.decode()
    assert "refuses localhost and private addresses" in body and "WEBHOOK_ALLOW_PRIVATE_HOSTS=true" in body
    response = client.post(url, {"url": "http://localhost:9000/hook"})
    assert response.status_code == 200 and "private network" in response.content.decode()
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    assert "also accepts receivers on this machine" in client.get(url).content.decode()
    assert client.post(url, {"url": "http://localhost:9000/hook"}).status_code == 302


def test_event_descriptions_show_code_not_backticks(client, hr_admin):
    client.force_login(hr_admin)
    body = client.get(reverse("webhooks:endpoint-create")).content.decode()
    assert "<code>changed_fields</code>" in body and "<code>person.updated</code>" in body
    assert "`" not in body.split('name="event_types"', 1)[1].split("</form>", 1)[0]
