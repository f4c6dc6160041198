"""Endpoint services, the periodic tasks, retention and settings."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from enablement.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent, new_message_id
from enablement.webhooks.services import endpoint_create, endpoint_update, webhook_events_purge
from enablement.webhooks.tasks import purge_webhook_events_task

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

State = WebhookDelivery.State


@pytest.mark.parametrize(
    "url",
    ["ftp://hooks.example.com/", "http://hooks.example.com/", "https://user:pw@hooks.example.com/", "not a url"],
)
def test_endpoint_create_refuses_bad_urls(hr_admin, url):
    with pytest.raises(ValidationError):
        endpoint_create(url=url, by=hr_admin)
    assert not WebhookEndpoint.objects.exists()


def test_endpoint_create_refuses_unknown_and_test_event_types(hr_admin):
    for event_types in (["person.exploded"], ["webhook.test"]):
        with pytest.raises(ValidationError, match="Unknown event types"):
            endpoint_create(url="https://hooks.example.com/", event_types=event_types, by=hr_admin)


def test_endpoint_update_saves_only_what_changed_and_keeps_the_secret(hr_admin, django_assert_num_queries):
    endpoint = endpoint_create(url="https://hooks.example.com/", by=hr_admin)
    secret = endpoint.secret
    with django_assert_num_queries(3):  # savepoint, the locked read, release: nothing changed, nothing written
        endpoint_update(endpoint=endpoint, url=endpoint.url, description="", event_types=[], by=hr_admin)
    endpoint = endpoint_update(
        endpoint=endpoint, url="https://other.example.com/", description="", event_types=[], by=hr_admin
    )
    assert (endpoint.url, endpoint.secret) == ("https://other.example.com/", secret)


def test_secrets_are_never_in_str_or_the_log(hr_admin, caplog):
    endpoint = endpoint_create(url="https://hooks.example.com/", description="Workday", by=hr_admin)
    from enablement.webhooks.services import endpoint_rotate_secret

    endpoint = endpoint_rotate_secret(endpoint=endpoint, by=hr_admin)
    assert endpoint.secret not in str(endpoint) + repr(endpoint)
    assert "whsec_" not in caplog.text


def test_message_ids_are_unique_and_sort_by_time():
    ids = [new_message_id() for _ in range(2000)]
    assert len(set(ids)) == 2000
    assert ids == sorted(ids)


def test_migrate_schedules_the_sweep_and_the_purge():
    sweep = PeriodicTask.objects.get(name="Webhook delivery sweep")
    assert sweep.task == "enablement.webhooks.tasks.sweep_webhook_deliveries_task"
    assert sweep.interval.every <= 60
    assert PeriodicTask.objects.get(name="Webhook event purge").task.endswith("purge_webhook_events_task")


def test_purge_deletes_old_events_but_not_ones_still_being_delivered(endpoint, settings):
    old = timezone.now() - datetime.timedelta(days=settings.WEBHOOK_RETENTION_DAYS + 1)

    def event(state: str) -> WebhookEvent:
        created = WebhookEvent.objects.create(event_type="person.created", payload={})
        WebhookDelivery.objects.create(
            event=created, endpoint=endpoint, state=state, next_attempt_at=old, window_started_at=old
        )
        return created

    delivered, pending, recent = event(State.DELIVERED), event(State.PENDING), event(State.DELIVERED)
    WebhookEvent.objects.filter(pk__in=[delivered.pk, pending.pk]).update(created_at=old)
    assert purge_webhook_events_task.delay().get() == 1
    assert set(WebhookEvent.objects.values_list("pk", flat=True)) == {pending.pk, recent.pk}
    assert webhook_events_purge() == 0


def test_a_malformed_retry_schedule_stops_the_start(tmp_path):
    env = {**os.environ, "WEBHOOK_RETRY_SCHEDULE": "5,soon", "VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "WEBHOOK_RETRY_SCHEDULE must be comma-separated numbers of seconds" in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "https://localhost/hooks",
        "https://127.0.0.2/hooks",
        "https://10.0.0.5/",
        "https://169.254.169.254/",
        "https://[::1]:8443/",
    ],
)
def test_endpoints_inside_the_network_are_refused_in_production(hr_admin, settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False

    with pytest.raises(ValidationError) as refused:
        endpoint_create(url=url, by=hr_admin)
    assert "private network" in str(refused.value)
