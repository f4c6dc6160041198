"""Idempotent POSTs (`Idempotency-Key`) and optimistic concurrency (`ETag` / `If-Match`), through the real
endpoints, with a real bearer token and with a signed-in session: the mechanism `ServiceViewSet` gives
every viewset."""

import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.exceptions import APIException
from rest_framework.test import APIClient

from enablement.accounts import roles
from enablement.api.clients.services import api_client_create
from enablement.models import IdempotencyRecord
from managers.api import hiring_views
from managers.models import Application, Candidate, Requisition
from managers.services import hiring as services
from tests.managers.factories import CandidateFactory

pytestmark = pytest.mark.django_db

BODY = {"email": "dana.reyes@mail.example", "first_name": "Dana", "last_name": "Reyes"}
REUSED = {
    "status": 422,
    "code": "idempotency_key_reused",
    "detail": "This Idempotency-Key was used with a different request.",
}
CHANGED = {"status": 412, "code": "precondition_failed", "detail": "The resource changed since you read it."}


def _token_recruiter(hr_admin, name: str):
    """An API client with the hiring scopes whose account is a recruiter, and a client sending its token."""
    api_client, token = api_client_create(name=name, scopes=["hiring:read", "hiring:write"], by=hr_admin)
    api_client.user.groups.add(Group.objects.get(name=roles.RECRUITER))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client, api_client.user


@pytest.fixture(params=["token", "session"])
def caller(request, hr_admin, recruiter):
    """(an APIClient, the account it acts as): a recruiter's API token, or a recruiter signed in."""
    if request.param == "token":
        return _token_recruiter(hr_admin, "ATS")
    client = APIClient()
    client.force_login(recruiter)
    return client, recruiter


def _post(client: APIClient, url: str, body: dict, key: str | None = None, **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(url, body, format="json", **headers)


# Idempotency-Key


def test_idempotent_post_repeated_with_the_same_body_replays_the_first_answer(caller):
    client, user = caller
    url = reverse("candidate-list")

    first = _post(client, url, BODY, key="create-dana-1")
    again = _post(client, url, BODY, key="create-dana-1")

    assert first.status_code == 201, first.data
    assert "Idempotent-Replayed" not in first
    assert (again.status_code, again.json()) == (201, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert Candidate.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.principal, record.key, record.path, record.response_status) == (user, "create-dana-1", url, 201)


def test_idempotent_post_with_the_same_key_and_another_body_or_path_is_refused(caller, org):
    client, _user = caller
    url = reverse("candidate-list")
    _post(client, url, BODY, key="k-1")

    other_body = _post(client, url, {**BODY, "email": "someone.else@mail.example"}, key="k-1")
    other_path = _post(client, reverse("requisition-list"), BODY, key="k-1")

    assert (other_body.status_code, other_body.json()) == (422, REUSED)
    assert (other_path.status_code, other_path.json()) == (422, REUSED)
    assert list(Candidate.objects.values_list("email", flat=True)) == [BODY["email"]]
    assert IdempotencyRecord.objects.count() == 1


def test_idempotency_keys_are_per_caller(hr_admin, recruiter):
    """Given two callers (two tokens; a session), when each sends the same key with its own body, then
    each request runs: another caller's key is not theirs to replay or to be refused by."""
    first, _ = _token_recruiter(hr_admin, "ATS one")
    second, _ = _token_recruiter(hr_admin, "ATS two")
    session = APIClient()
    session.force_login(recruiter)
    url = reverse("candidate-list")

    answers = [
        _post(client, url, {**BODY, "email": f"c{number}@mail.example"}, key="shared-key")
        for number, client in enumerate([first, second, session])
    ]

    assert [answer.status_code for answer in answers] == [201, 201, 201]
    assert not any("Idempotent-Replayed" in answer for answer in answers)
    assert Candidate.objects.count() == 3
    assert IdempotencyRecord.objects.count() == 3


def test_post_without_a_key_runs_every_time_and_keeps_nothing(caller):
    client, _user = caller
    url = reverse("candidate-list")

    first = _post(client, url, BODY)
    again = _post(client, url, {**BODY, "phone": "+49 30 1234"})

    # The candidate endpoint's own deduplication answers the second: it ran, and filled in the phone.
    assert (first.status_code, again.status_code) == (201, 200)
    assert "Idempotent-Replayed" not in again and again.data["phone"] == "+49 30 1234"
    assert IdempotencyRecord.objects.count() == 0


def test_idempotency_key_longer_than_255_characters_is_a_400(caller):
    client, _user = caller

    response = _post(client, reverse("candidate-list"), BODY, key="k" * 256)

    assert response.status_code == 400 and "Idempotency-Key" in response.json()["detail"]
    assert response.json()["code"] == "parse_error" and "errors" not in response.json()
    assert Candidate.objects.count() == 0 and IdempotencyRecord.objects.count() == 0
    assert _post(client, reverse("candidate-list"), BODY, key="k" * 255).status_code == 201


def test_a_4xx_is_kept_and_replayed(caller):
    client, _user = caller
    url = reverse("candidate-list")

    first = _post(client, url, {"email": "not an email"}, key="bad-1")
    again = _post(client, url, {"email": "not an email"}, key="bad-1")

    assert first.status_code == 400 and "first_name" in first.json()["errors"]
    assert (first.json()["status"], first.json()["code"]) == (400, "invalid")
    assert (again.status_code, again.json(), again["Idempotent-Replayed"]) == (400, first.json(), "true")


def test_a_5xx_keeps_nothing_and_the_same_key_may_be_retried(caller, monkeypatch):
    """Given a service that writes and then fails with a 500, when the request is sent with a key, then
    its write is rolled back and the key not taken: the retry runs and succeeds."""
    client, _user = caller
    url = reverse("candidate-list")

    def write_then_fail(**values):
        CandidateFactory(email="half.written@mail.example")
        raise APIException()

    monkeypatch.setattr("managers.api.hiring_views.candidates.candidate_upsert", write_then_fail)
    failed = _post(client, url, BODY, key="retry-me")
    monkeypatch.undo()
    retried = _post(client, url, BODY, key="retry-me")

    assert failed.status_code == 500
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried
    assert list(Candidate.objects.values_list("email", flat=True)) == [BODY["email"]]


def test_a_key_older_than_24_hours_is_free_again_and_purged(caller):
    client, _user = caller
    url = reverse("candidate-list")
    _post(client, url, BODY, key="old-key")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))

    reused = _post(client, url, {**BODY, "email": "new.one@mail.example"}, key="old-key")

    assert reused.status_code == 201 and "Idempotent-Replayed" not in reused
    assert IdempotencyRecord.objects.get().path == url and Candidate.objects.count() == 2
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    output = io.StringIO()
    call_command("purge_idempotency_records", stdout=output)
    assert IdempotencyRecord.objects.count() == 0 and output.getvalue().startswith("1 expired")


def test_beat_purges_expired_keys_and_keeps_live_ones(caller):
    from enablement.api.tasks import purge_idempotency_records_task

    client, _user = caller
    url = reverse("candidate-list")
    _post(client, url, BODY, key="old-key")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    _post(client, url, {**BODY, "email": "live@mail.example"}, key="live-key")

    assert purge_idempotency_records_task.delay().get() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["live-key"]


# ETag and If-Match


@pytest.fixture
def requisition(hiring, org, caller) -> Requisition:
    """A requisition the caller recruits for, with one application."""
    _client, user = caller
    requisition = services.requisition_create(
        role=hiring["role"], title="FSM, Hamburg", hiring_manager=org["leader"], recruiter=user, by=user
    )
    services.application_create(candidate=CandidateFactory(), requisition=requisition, by=user)
    return requisition


def _etag(client: APIClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.data
    return response["ETag"]


def test_get_detail_answers_a_strong_etag_that_changes_with_the_object(caller, requisition):
    client, user = caller
    url = reverse("requisition-detail", args=[requisition.pk])

    etag = _etag(client, url)

    assert etag.startswith('"') and etag.endswith('"') and len(etag) == 66
    assert _etag(client, url) == etag
    assert "ETag" not in client.get(reverse("requisition-list"))
    services.requisition_update(requisition=requisition, by=user, title="FSM, Bremen")
    assert _etag(client, url) != etag


def test_patch_with_the_current_etag_runs_and_with_a_stale_one_is_a_412(caller, requisition):
    """Given two writers who read the same ETag, when the first PATCHes with it, then it succeeds; when
    the second PATCHes with the now stale ETag, then it gets 412 and the requisition is as the first left it."""
    client, _user = caller
    url = reverse("requisition-detail", args=[requisition.pk])
    etag = _etag(client, url)

    first = client.patch(url, {"title": "FSM, Hamburg North"}, format="json", HTTP_IF_MATCH=etag)
    second = client.patch(url, {"title": "FSM, Hamburg South"}, format="json", HTTP_IF_MATCH=etag)

    assert first.status_code == 200, first.data
    assert (second.status_code, second.json()) == (412, CHANGED)
    assert Requisition.objects.get(pk=requisition.pk).title == "FSM, Hamburg North"
    assert client.patch(url, {"title": "Any"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    assert client.patch(url, {"title": "Bad"}, format="json", HTTP_IF_MATCH="not-an-etag").status_code == 412
    assert client.patch(url, {"title": "No header"}, format="json").status_code == 200


def test_decide_with_a_stale_if_match_is_a_412_and_decides_nothing(caller, requisition):
    client, user = caller
    application = requisition.applications.get()
    url = reverse("application-detail", args=[application.pk])
    etag = _etag(client, url)
    services.application_move(application=application, to_stage=Application.Stage.SCREEN, by=user)
    decide = reverse("application-decide", args=[application.pk])
    body = {"decision": "reject", "rationale": "Below the bar."}

    stale = client.post(decide, body, format="json", HTTP_IF_MATCH=etag)

    assert (stale.status_code, stale.json()) == (412, CHANGED)
    assert Application.objects.get(pk=application.pk).decided_at is None
    current = client.post(decide, body, format="json", HTTP_IF_MATCH=_etag(client, url))
    assert current.status_code == 200, current.data
    assert Application.objects.get(pk=application.pk).decision == Application.Decision.REJECT


def test_a_retried_command_is_replayed_although_its_if_match_is_now_stale(caller, requisition):
    """The key is checked before the ETag: a retry of a command that went through gets its answer back,
    not a 412 for the change it made itself."""
    client, _user = caller
    application = requisition.applications.get()
    etag = _etag(client, reverse("application-detail", args=[application.pk]))
    decide = reverse("application-decide", args=[application.pk])
    body = {"decision": "reject", "rationale": "Below the bar."}

    first = _post(client, decide, body, key="decide-1", HTTP_IF_MATCH=etag)
    again = _post(client, decide, body, key="decide-1", HTTP_IF_MATCH=etag)

    assert first.status_code == 200, first.data
    assert (again.status_code, again.json(), again["Idempotent-Replayed"]) == (200, first.json(), "true")


def test_if_match_on_an_object_the_caller_may_not_see_is_a_404(requisition, org):
    outsider = APIClient()
    outsider.force_login(org["outsider"].user)
    url = reverse("requisition-detail", args=[requisition.pk])

    response = outsider.patch(url, {"title": "Mine now"}, format="json", HTTP_IF_MATCH='"0"')

    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_run_the_service_once(hr_admin, monkeypatch):
    """Given a slow service, when two requests with the same key arrive together, then the second waits
    for the first to commit and replays its answer: one candidate, one run."""
    client, _user = _token_recruiter(hr_admin, "ATS")
    real_upsert = hiring_views.candidates.candidate_upsert
    runs = []

    def slow_upsert(**values):
        runs.append(values["email"])
        time.sleep(0.5)
        return real_upsert(**values)

    monkeypatch.setattr(hiring_views.candidates, "candidate_upsert", slow_upsert)
    start = threading.Barrier(2)

    def send():
        start.wait()
        try:
            return _post(client, reverse("candidate-list"), BODY, key="together")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = [future.result() for future in [pool.submit(send), pool.submit(send)]]

    assert sorted(answer.status_code for answer in answers) == [201, 201]
    assert sorted("Idempotent-Replayed" in answer for answer in answers) == [False, True]
    assert answers[0].json() == answers[1].json()
    assert runs == [BODY["email"]] and Candidate.objects.count() == 1
