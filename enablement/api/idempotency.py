"""Services behind `Idempotency-Key` (see `enablement.api.base.ConditionalRequestsMixin`): claim a key, keep the
answer given under it, and purge expired keys.

Concurrency: insert first. `idempotency_claim` INSERTs the record inside the caller's transaction, which
also runs the view and stores its answer. A second request with the same key blocks on the unique
constraint (PostgreSQL) or on the write lock (SQLite, whose transactions here are IMMEDIATE) until the
first commits, then finds the finished record and replays it; if the first rolled back, the second's
INSERT succeeds and it runs. So the view never runs twice for one key, and no request sees a half-done one.
"""

import hashlib
import json

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from enablement.models import IdempotencyRecord

MAX_KEY_LENGTH = IdempotencyRecord._meta.get_field("key").max_length


def request_fingerprint(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def idempotency_claim(
    *, principal: AbstractBaseUser, key: str, path: str, fingerprint: str
) -> tuple[IdempotencyRecord, bool]:
    """The record for `principal`'s `key` and whether this call created it (True: run the request and
    store its answer with `idempotency_record_response`; False: an earlier request's finished record).

    Must run inside the transaction that runs the request. A record older than `IdempotencyRecord.TTL`
    no longer counts: it is deleted and the key claimed afresh.
    """
    mine = IdempotencyRecord.objects.filter(principal=principal, key=key)
    mine.filter(created_at__lt=timezone.now() - IdempotencyRecord.TTL).delete()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                principal=principal, key=key, path=path, request_fingerprint=fingerprint
            )
    except IntegrityError:
        return mine.get(), False
    return record, True


def idempotency_record_response(*, record: IdempotencyRecord, status: int, data: object) -> None:
    """Keeps the answer (status and JSON body) that a repeat of the request will get."""
    record.response_status = status
    record.response_body = JSONRenderer().render(data).decode()
    record.save(update_fields=["response_status", "response_body", "updated_at"])


def idempotency_response_data(record: IdempotencyRecord) -> object:
    return json.loads(record.response_body) if record.response_body else None


def idempotency_records_purge() -> int:
    """Deletes the records older than `IdempotencyRecord.TTL`; returns how many. Safe to run any time."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - IdempotencyRecord.TTL).delete()
    return deleted
