"""/healthz: "ok" while a worker ran the heartbeat within WORKER_HEARTBEAT_MAX_AGE_SECONDS, "degraded"
when the last heartbeat is older or there never was one; 200 either way, so load balancers keep serving
pages while the workers lag."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enablement.health.services import worker_heartbeat_record
from enablement.models import WorkerHeartbeat
from tests.enablement.test_settings import _manage

pytestmark = pytest.mark.django_db


def _beat(seconds_ago: float, hostname: str = "default@host") -> None:
    worker_heartbeat_record(hostname=hostname)
    at = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.filter(hostname=hostname).update(last_seen_at=at)


def _health(client) -> tuple[int, dict]:
    response = client.get(reverse("enablement:health"))
    return response.status_code, response.json()


def test_health_is_ok_with_a_recent_heartbeat(client, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS = 180
    _beat(seconds_ago=60)

    status, body = _health(client)

    assert status == 200
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["worker"] == "ok"
    assert 60 <= body["worker_heartbeat_age_seconds"] < 180
    assert body["worker_heartbeat_max_age_seconds"] == 180


def test_health_is_degraded_when_the_heartbeat_is_older_than_the_threshold(client, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS = 180
    _beat(seconds_ago=181)

    status, body = _health(client)

    assert status == 200
    assert (body["status"], body["worker"]) == ("degraded", "stale")
    assert body["worker_heartbeat_age_seconds"] >= 181
    assert body["worker_last_seen_at"] == WorkerHeartbeat.objects.get().last_seen_at.isoformat()


def test_health_reads_the_newest_heartbeat_of_any_worker(client, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS = 180
    _beat(seconds_ago=3600, hostname="stopped@host")
    _beat(seconds_ago=5, hostname="default@host")

    assert _health(client)[1]["status"] == "ok"


def test_health_follows_the_threshold_setting(client, settings):
    _beat(seconds_ago=100)

    settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS = 90
    assert _health(client)[1]["status"] == "degraded"
    settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS = 120
    assert _health(client)[1]["status"] == "ok"


def test_health_is_degraded_before_any_worker_ran_the_heartbeat(client):
    status, body = _health(client)

    assert status == 200
    assert body["status"] == "degraded"
    assert body["worker"] == "missing"
    assert body["worker_last_seen_at"] is None
    assert body["worker_heartbeat_age_seconds"] is None


def test_health_is_public_never_cached_and_read_only(client):
    _beat(seconds_ago=1)

    response = client.get(reverse("enablement:health"))

    assert response.status_code == 200  # anonymous: load balancers do not sign in
    assert "no-cache" in response["Cache-Control"]
    for method in ("post", "put", "delete"):
        assert getattr(client, method)(reverse("enablement:health")).status_code == 405


def test_the_threshold_comes_from_the_environment():
    show = "from django.conf import settings; print(settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS)"
    assert _manage("shell", "-v", "0", "-c", show, env={}).stdout.strip() == "180"

    configured = _manage("shell", "-v", "0", "-c", show, env={"WORKER_HEARTBEAT_MAX_AGE_SECONDS": "600"})
    assert configured.stdout.strip() == "600", configured.stderr

    for bad in ("soon", "0"):
        refused = _manage("check", env={"WORKER_HEARTBEAT_MAX_AGE_SECONDS": bad})
        assert refused.returncode != 0
        assert "WORKER_HEARTBEAT_MAX_AGE_SECONDS must be" in refused.stderr
