"""One POST within one deadline, to the address that was checked: receivers that trickle their answer,
DNS answers that change between the check and the connection, and https to a pinned address."""

import datetime
import ipaddress
import logging
import socket
import threading
import time

import pytest
from django.db import connection, transaction

from enablement.webhooks import delivery as sending
from enablement.webhooks import transport
from enablement.webhooks.models import DeliveryAttempt, WebhookDelivery, WebhookEndpoint
from enablement.webhooks.outbox import emit
from enablement.webhooks.transport import post
from tests.webhooks.receiver import Receiver, server_tls

pytestmark = pytest.mark.django_db

State = WebhookDelivery.State
PUBLIC = "93.184.216.34"


def _pending(endpoint: WebhookEndpoint) -> WebhookDelivery:
    with transaction.atomic():
        emit("webhook.test", [{"endpoint_id": endpoint.pk, "message": "hello"}], endpoints=[endpoint])
    return WebhookDelivery.objects.get(endpoint=endpoint)


def _resolve(monkeypatch, name: str, *answers: list[str]) -> list[list[str]]:
    """DNS for `name` answers each of `answers` in turn (the last from then on); other names resolve as
    usual. Returns the answers given, one per lookup."""
    real_getaddrinfo = socket.getaddrinfo
    given: list[list[str]] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != name:
            return real_getaddrinfo(host, port, *args, **kwargs)
        given.append(answers[min(len(given), len(answers) - 1)])
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (ip, port)) for ip in given[-1]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return given


@pytest.fixture
def connections(monkeypatch) -> list[tuple]:
    """Every address a socket connects to. Connections off this machine are refused on the spot, so no
    test reaches the internet."""
    real_connect = socket.socket.connect
    made: list[tuple] = []

    def connect(sock, address):
        made.append(address)
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise ConnectionRefusedError(f"refused by the test: {address[0]} is not this machine")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return made


# The deadline


def test_a_receiver_trickling_its_answer_fails_at_the_deadline_and_is_retried_on_schedule(
    hr_admin, settings, fast_retries, caplog
):
    # Given a receiver that answers a byte every 0.2 s: each read well within a 1 s timeout, the answer not
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    with Receiver(trickle_seconds=0.2) as slow:
        endpoint = WebhookEndpoint.objects.create(url=slow.url)
        delivery = _pending(endpoint)

        # When it is sent
        with caplog.at_level(logging.INFO, logger="enablement.webhooks"):
            outcome = sending.delivery_send(delivery_id=delivery.pk, token="w1")

        # Then the attempt stops at the deadline and is logged as a timeout
        attempt = DeliveryAttempt.objects.get()
        assert outcome == "retrying"
        assert (attempt.status_code, attempt.error) == (
            None,
            "TimeoutError: no answer within 1 s (waiting for the answer)",
        )
        assert 1000 <= attempt.duration_ms < 2000
        assert "error='TimeoutError: no answer within 1 s" in caplog.text
        # And it is tried again when the schedule says (1 s later), not before
        delivery.refresh_from_db()
        ended = attempt.started_at + datetime.timedelta(milliseconds=attempt.duration_ms)
        assert delivery.state == State.PENDING
        assert abs((delivery.next_attempt_at - ended).total_seconds() - 1) < 0.5
        early = delivery.next_attempt_at - datetime.timedelta(milliseconds=500)
        assert sending.delivery_send(delivery_id=delivery.pk, token="w2", now=early) == "skipped"
        slow.trickle_seconds = 0
        assert sending.delivery_send(delivery_id=delivery.pk, token="w3", now=delivery.next_attempt_at) == "delivered"
    assert [request.headers["webhook-id"] for request in slow.requests] == [delivery.event_id] * 2


@pytest.mark.django_db(transaction=True)
def test_an_attempt_at_a_trickling_receiver_ends_within_its_lease_so_no_second_worker_sends_it(
    hr_admin, settings, monkeypatch
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    settings.WEBHOOK_CLAIM_LEASE_SECONDS = 3
    settings.WEBHOOK_RETRY_SCHEDULE = [600]
    monkeypatch.setattr("enablement.webhooks.outbox._dispatch", lambda event_ids: None)  # no eager send on commit
    # Given a receiver whose whole answer (about 60 bytes, 0.2 s apart) takes four times the lease
    with Receiver(trickle_seconds=0.2) as slow:
        endpoint = WebhookEndpoint.objects.create(url=slow.url)
        delivery = _pending(endpoint)
        outcomes = []

        def worker() -> None:
            try:
                outcomes.append(sending.delivery_send(delivery_id=delivery.pk, token="w1"))
            finally:
                connection.close()

        # When one worker sends it while the sweep looks for expired claims until well after the lease
        sender = threading.Thread(target=worker)
        sender.start()
        taken_over = []
        until = time.monotonic() + settings.WEBHOOK_CLAIM_LEASE_SECONDS + 1
        while time.monotonic() < until:
            taken_over += sending.deliveries_due()
            time.sleep(0.2)
        sender.join(timeout=10)

    # Then the attempt ended at its deadline, inside its lease: nothing was taken over or sent twice
    assert outcomes == ["retrying"]
    assert taken_over == []
    assert len(slow.requests) == 1
    assert WebhookDelivery.objects.get().attempt_count == 1


def test_a_2xx_whose_body_trickles_counts_with_what_arrived_by_the_deadline():
    with Receiver(trickle_seconds=0.2, trickle_body_only=True, response_body=b"accepted, thanks") as slow:
        response = post(slow.url, b"{}", {}, timeout=1)

    assert (response.status_code, response.error) == (200, "")
    assert response.body and "accepted, thanks".startswith(response.body) and len(response.body) < 10
    assert 1000 <= response.duration_ms < 2000


def test_a_receiver_that_never_answers_the_tls_handshake_fails_at_the_deadline(monkeypatch):
    with socket.create_server(("127.0.0.1", 0)) as silent:  # the kernel accepts; nobody says a word
        _resolve(monkeypatch, "hooks.example.com", ["127.0.0.1"])
        response = post(f"https://hooks.example.com:{silent.getsockname()[1]}/", b"{}", {}, timeout=1)

    assert response.error == "TimeoutError: no answer within 1 s (connecting)"
    assert 1000 <= response.duration_ms < 2000


# The address that was checked is the address connected to


def test_a_name_that_turns_private_after_the_check_cannot_reach_the_private_address(
    hr_admin, settings, monkeypatch, receiver, connections
):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    # Given a name whose DNS answers a public address first and this machine (where a receiver listens) after
    lookups = _resolve(monkeypatch, "hooks.example.com", [PUBLIC], ["127.0.0.1"])
    endpoint = WebhookEndpoint.objects.create(url=receiver.url_at("hooks.example.com"))  # http keeps it plain
    delivery = _pending(endpoint)

    # When it is sent
    outcome = sending.delivery_send(delivery_id=delivery.pk, token="w1")

    # Then the name was looked up once, and only the address checked was connected to
    assert lookups == [[PUBLIC]]
    assert connections == [(PUBLIC, receiver.port)]
    assert receiver.requests == []
    assert outcome == "retrying"
    assert DeliveryAttempt.objects.get().error.startswith("hooks.example.com refused the connection")


def test_every_address_of_a_name_is_checked_before_connecting(settings, monkeypatch, connections):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    _resolve(monkeypatch, "hooks.example.com", [PUBLIC, "10.0.0.7"])

    response = post("https://hooks.example.com/in", b"{}", {}, timeout=1)

    assert response.error == "Refused: hooks.example.com resolves to a private or local address (10.0.0.7)."
    assert connections == []


def test_https_to_the_checked_address_names_the_host_in_sni_host_and_the_certificate_check(
    certificates, monkeypatch, connections
):
    _resolve(monkeypatch, "hooks.example.com", ["127.0.0.1"])
    monkeypatch.setattr(transport, "default_tls_context", lambda: transport.tls_context(cafile=certificates / "ca.pem"))

    with Receiver(tls=server_tls(certificates, "hooks.example.com")) as receiver:
        response = post(receiver.url_at("hooks.example.com"), b"{}", {}, timeout=5)

    assert (response.status_code, response.error) == (200, "")
    assert connections == [("127.0.0.1", receiver.port)]
    assert receiver.server_names == ["hooks.example.com"]
    assert receiver.requests[0].headers["host"] == f"hooks.example.com:{receiver.port}"


def test_https_refuses_a_certificate_for_another_name(certificates, monkeypatch):
    _resolve(monkeypatch, "hooks.example.com", ["127.0.0.1"])
    monkeypatch.setattr(transport, "default_tls_context", lambda: transport.tls_context(cafile=certificates / "ca.pem"))

    with Receiver(tls=server_tls(certificates, "other.example.com")) as receiver:
        response = post(receiver.url_at("hooks.example.com"), b"{}", {}, timeout=5)

    assert response.status_code is None
    assert "CERTIFICATE_VERIFY_FAILED" in response.error and "hooks.example.com" in response.error
    assert receiver.requests == []


def test_a_name_that_does_not_resolve_is_said_in_words(settings, monkeypatch):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False

    def getaddrinfo(host, port, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    response = post("https://hooks.nowhere.example/x", b"{}", {}, timeout=2)
    assert response.status_code is None
    assert response.error.startswith("Could not resolve host hooks.nowhere.example: ")
    assert response.error.endswith("(gaierror: [Errno -2] Name or service not known)")


def test_a_refused_connection_is_said_in_words(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    response = post(f"http://127.0.0.1:{port}/hook", b"{}", {}, timeout=2)
    assert response.error.startswith("127.0.0.1 refused the connection: nothing listens on that port.")
