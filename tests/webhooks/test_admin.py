"""The admin: endpoints edited through the services with the secret masked, events and deliveries
read-only with their attempts, a Redeliver action, and what HR admins may do there."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from enablement.accounts import roles
from enablement.webhooks.models import DeliveryAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

pytestmark = pytest.mark.django_db

State = WebhookDelivery.State


@pytest.fixture
def failed(endpoint):
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


def test_hr_admins_get_view_and_change_permissions_from_migrate(hr_admin):
    codenames = set(
        Group.objects.get(name=roles.HR_ADMIN)
        .permissions.filter(content_type__app_label="webhooks")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        "view_webhookendpoint",
        "change_webhookendpoint",
        "view_webhookevent",
        "view_webhookdelivery",
        "change_webhookdelivery",
        "view_deliveryattempt",
    }
    assert hr_admin.has_perm("webhooks.change_webhookdelivery")
    assert not hr_admin.has_perm("webhooks.add_webhookendpoint")


def test_admin_pages_open_for_hr_admins_and_never_show_a_whole_secret(client, hr_admin, endpoint, failed):
    client.force_login(hr_admin)
    pages = [
        reverse("admin:webhooks_webhookendpoint_changelist"),
        reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]),
        reverse("admin:webhooks_webhookevent_changelist"),
        reverse("admin:webhooks_webhookevent_change", args=[failed.event_id]),
        reverse("admin:webhooks_webhookdelivery_changelist"),
        reverse("admin:webhooks_webhookdelivery_change", args=[failed.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert endpoint.secret not in response.content.decode(), url
    delivery_page = client.get(pages[-1]).content.decode()
    assert "Service Unavailable" in delivery_page, "attempts are shown inline"


def test_managers_have_no_admin_access_to_webhooks(client, owner, endpoint):
    client.force_login(owner.user)
    response = client.get(reverse("admin:webhooks_webhookendpoint_changelist"))
    assert response.status_code == 302


def test_redeliver_action_sends_a_failed_delivery_again(
    client, hr_admin, failed, receiver, django_capture_on_commit_callbacks
):
    client.force_login(hr_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:webhooks_webhookdelivery_changelist"),
            {"action": "redeliver", "_selected_action": [failed.pk]},
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == State.DELIVERED
    assert [request.headers["webhook-id"] for request in receiver.requests] == [failed.event_id]


def test_rotate_and_deactivate_actions(client, hr_admin, endpoint):
    client.force_login(hr_admin)
    old = endpoint.secret
    url = reverse("admin:webhooks_webhookendpoint_changelist")
    client.post(url, {"action": "rotate_secret", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert (endpoint.previous_secret, endpoint.secret != old) == (old, True)
    client.post(url, {"action": "deactivate", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert not endpoint.is_active


def test_change_form_saves_through_the_services_and_validates_the_url(client, hr_admin, endpoint):
    client.force_login(hr_admin)
    url = reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk])
    secret = endpoint.secret
    refused = client.post(url, {"url": "http://hooks.example.com/", "description": "x", "is_active": "on"})
    assert refused.status_code == 200
    response = client.post(
        url,
        {
            "url": "https://hooks.example.com/",
            "description": "Workday",
            "event_types": ["person.created"],
            "is_active": "",
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get(pk=endpoint.pk)
    assert (endpoint.url, endpoint.event_types) == ("https://hooks.example.com/", ["person.created"])
    assert not endpoint.is_active
    assert endpoint.secret == secret
