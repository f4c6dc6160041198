"""Creating and delivering reminders, exactly once per (kind, object, recipient, occasion).

Creation is set-based: a sweep asks its kind for drafts (a fixed number of queries), reads the
recipients' preferences in one query, and inserts with the unique key ignoring conflicts, so two
overlapping sweeps create each reminder once. Delivery claims the row with a conditional UPDATE
(works the same on SQLite and PostgreSQL) before sending; a reminder whose object was completed in the
meantime is dropped, not sent.
"""

import datetime
import logging
import zoneinfo
from collections import defaultdict
from smtplib import SMTPException

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from enablement.models import NotificationPreference, NotificationSettings, Person, Reminder
from enablement.notifications.registry import ReminderKind, get_kind

logger = logging.getLogger("enablement.notifications")

Mode = NotificationPreference.Mode
# The errors worth another try: the mail server or the network, not our data.
TRANSIENT_SEND_ERRORS = (SMTPException, ConnectionError, TimeoutError)


def _stale_claim_cutoff(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(minutes=settings.REMINDER_STALE_CLAIM_MINUTES)


def next_digest_time(now: datetime.datetime, tz_name: str, hour: int) -> datetime.datetime:
    """The next time it is `hour`:00 in the person's time zone, as an aware UTC datetime."""
    local_now = now.astimezone(zoneinfo.ZoneInfo(tz_name))
    candidate = local_now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if candidate <= local_now:
        # Wall-clock arithmetic on an aware datetime: the same local hour tomorrow, across DST changes.
        candidate = candidate + datetime.timedelta(days=1)
    return candidate.astimezone(datetime.UTC)


def reminders_sweep(*, kind: ReminderKind, now: datetime.datetime | None = None) -> list[int]:
    """Creates the reminders `kind` proposes now and returns the ids of immediate ones ready to send,
    including older ones whose delivery task was lost or whose worker died (the database is the source
    of truth). Muted kinds create nothing; reminders whose work is done are closed.

    A fixed number of queries whatever the number of rows on PostgreSQL; SQLite splits the insert into
    statements of about 50 rows (its limit on parameters per statement).
    """
    now = now or timezone.now()
    drafts = list(kind.sweep(now))
    recipient_ids = {draft.recipient_id for draft in drafts}
    modes = dict(
        NotificationPreference.objects.filter(person_id__in=recipient_ids, kind=kind.name).values_list(
            "person_id", "mode"
        )
    )
    digest_times = {
        person_id: next_digest_time(now, tz_name, hour)
        for person_id, tz_name, hour in NotificationSettings.objects.filter(
            person_id__in={r for r in recipient_ids if modes.get(r) == Mode.DIGEST}
        ).values_list("person_id", "timezone", "digest_hour")
    }
    content_types = ContentType.objects.get_for_models(*{draft.target for draft in drafts})
    default_digest = next_digest_time(now, settings.TIME_ZONE, settings.REMINDER_DEFAULT_DIGEST_HOUR)
    reminders = []
    for draft in drafts:
        mode = modes.get(draft.recipient_id, Mode.IMMEDIATE)
        if mode == Mode.MUTED:
            continue
        digest = mode == Mode.DIGEST
        reminders.append(
            Reminder(
                kind=kind.name,
                target_type=content_types[draft.target],
                target_id=draft.target_id,
                recipient_id=draft.recipient_id,
                occasion=draft.occasion,
                subject=" ".join(draft.subject.split())[:200],  # a header: no line breaks
                message=draft.message,
                url=draft.url,
                digest=digest,
                deliver_after=digest_times.get(draft.recipient_id, default_digest) if digest else now,
            )
        )
    inserted_from = timezone.now()
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    _close_done(kind, now)
    # Ready: what this sweep created, and older pending rows nobody has touched for a while (their task
    # was lost) or whose claim went stale (their worker died). Rows queued moments ago are left alone.
    stale = _stale_claim_cutoff(now)
    _fail_exhausted(kind.name, stale)
    ready = Reminder.objects.filter(kind=kind.name, digest=False, deliver_after__lte=now).filter(
        Q(status=Reminder.Status.PENDING, created_at__gte=inserted_from)
        | Q(status=Reminder.Status.PENDING, updated_at__lt=stale)
        | Q(status=Reminder.Status.SENDING, claimed_at__lt=stale)
    )
    ids = list(ready.values_list("pk", flat=True))
    logger.info("reminder.sweep kind=%s proposed=%d ready=%d", kind.name, len(drafts), len(ids))
    return ids


def _fail_exhausted(kind_name: str, stale: datetime.datetime) -> None:
    """A reminder that used up its attempts (its worker kept dying, or it keeps failing) stops here."""
    Reminder.objects.filter(kind=kind_name, attempts__gte=settings.REMINDER_MAX_ATTEMPTS).filter(
        Q(status=Reminder.Status.PENDING) | Q(status=Reminder.Status.SENDING, claimed_at__lt=stale)
    ).update(status=Reminder.Status.FAILED, claim_token="", updated_at=timezone.now())


def _close_done(kind: ReminderKind, now: datetime.datetime) -> None:
    """Reminders of `kind` whose work is done: pending ones are dropped, delivered ones leave the
    unread count (they stay in the inbox, read)."""
    open_reminders = Reminder.objects.filter(kind=kind.name).filter(
        Q(status=Reminder.Status.PENDING) | Q(status=Reminder.Status.SENT, read_at__isnull=True)
    )
    targets = set(open_reminders.values_list("target_id", flat=True))
    done = targets - kind.still_open(targets) if targets else set()
    if done:
        finished = open_reminders.filter(target_id__in=done)
        finished.filter(status=Reminder.Status.PENDING).update(status=Reminder.Status.DROPPED, updated_at=now)
        finished.filter(status=Reminder.Status.SENT).update(read_at=now)


def _claim(reminder_ids: list[int], token: str, now: datetime.datetime) -> int:
    """Takes the rows for this delivery. A redelivered task (same token) may take back its own claim;
    a claim left by a worker that died is free again after REMINDER_STALE_CLAIM_MINUTES. A row that has
    used REMINDER_MAX_ATTEMPTS is not taken (the next sweep marks it failed)."""
    return (
        Reminder.objects.filter(pk__in=reminder_ids, attempts__lt=settings.REMINDER_MAX_ATTEMPTS)
        .filter(
            Q(status=Reminder.Status.PENDING)
            | Q(status=Reminder.Status.SENDING, claim_token=token)
            | Q(status=Reminder.Status.SENDING, claimed_at__lt=_stale_claim_cutoff(now))
        )
        .update(status=Reminder.Status.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    )


def _drop_closed(reminders: list[Reminder], now: datetime.datetime) -> list[Reminder]:
    """Marks reminders whose object was completed or cancelled as dropped; returns the ones still open."""
    by_kind: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        by_kind[reminder.kind].append(reminder)
    still_open, closed = [], []
    for name, group in by_kind.items():
        open_ids = get_kind(name).still_open({reminder.target_id for reminder in group})
        for reminder in group:
            (still_open if reminder.target_id in open_ids else closed).append(reminder)
    _mark_dropped(closed, now, reason="done")
    return still_open


def _drop_muted(reminders: list[Reminder], now: datetime.datetime) -> list[Reminder]:
    """Drops reminders of kinds their recipient muted after they were created (one query)."""
    if not reminders:
        return []
    muted = set(
        NotificationPreference.objects.filter(
            person_id__in={reminder.recipient_id for reminder in reminders},
            kind__in={reminder.kind for reminder in reminders},
            mode=Mode.MUTED,
        ).values_list("person_id", "kind")
    )
    dropped = [reminder for reminder in reminders if (reminder.recipient_id, reminder.kind) in muted]
    _mark_dropped(dropped, now, reason="muted")
    return [reminder for reminder in reminders if reminder not in dropped]


def _mark_dropped(reminders: list[Reminder], now: datetime.datetime, *, reason: str) -> None:
    if not reminders:
        return
    Reminder.objects.filter(pk__in=[reminder.pk for reminder in reminders]).update(
        status=Reminder.Status.DROPPED, updated_at=now
    )
    for reminder in reminders:
        logger.info(
            "reminder.dropped id=%s kind=%s recipient=%s reason=%s",
            reminder.pk,
            reminder.kind,
            reminder.recipient_id,
            reason,
        )


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url


def _send(*, to: str, subject: str, template: str, context: dict) -> None:
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    email = EmailMultiAlternatives(subject=subject, body=render_to_string(f"{template}.txt", context), to=[to])
    email.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    email.send()


def _release(reminder_ids: list[int], token: str, error: Exception, *, final: bool) -> None:
    """Gives up this delivery's claim (only if it still holds it): pending for another try, or failed."""
    status = Reminder.Status.FAILED if final else Reminder.Status.PENDING
    Reminder.objects.filter(pk__in=reminder_ids, claim_token=token, status=Reminder.Status.SENDING).update(
        status=status, claim_token="", last_error=f"{type(error).__name__}: {error}"[:2000], updated_at=timezone.now()
    )


def _deliver(
    reminders: list[Reminder], *, token: str, final_attempt: bool, subject: str, template: str, context: dict
) -> None:
    ids = [reminder.pk for reminder in reminders]
    recipient = reminders[0].recipient
    try:
        _send(to=recipient.email, subject=subject, template=template, context=context)
    except TRANSIENT_SEND_ERRORS as error:
        _release(ids, token, error, final=final_attempt)
        logger.warning(
            "reminder.send_failed ids=%s recipient=%s error=%s final=%s", ids, recipient.pk, error, final_attempt
        )
        raise
    except Exception as error:
        # Not the mail server: our data or templates. Retrying would fail the same way.
        _release(ids, token, error, final=True)
        logger.error("reminder.send_failed ids=%s recipient=%s error=%r final=True", ids, recipient.pk, error)
        raise
    now = timezone.now()
    Reminder.objects.filter(pk__in=ids, claim_token=token, status=Reminder.Status.SENDING).update(
        status=Reminder.Status.SENT, sent_at=now, updated_at=now
    )
    for reminder in reminders:
        logger.info(
            "reminder.sent id=%s kind=%s recipient=%s channel=email digest=%s",
            reminder.pk,
            reminder.kind,
            recipient.pk,
            reminder.digest,
        )


def reminder_deliver(*, reminder_id: int, token: str, final_attempt: bool = False) -> str:
    """Sends one immediate reminder by email. Idempotent: a reminder already sent, dropped or being
    sent by someone else is left alone. Returns what happened. Re-raises transient mail errors (after
    putting the reminder back to pending, or failed on the last attempt) so the task can retry."""
    now = timezone.now()
    with transaction.atomic():
        if not _claim([reminder_id], token, now):
            return "skipped"
        reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
        if not _drop_closed(_drop_muted([reminder], now), now):
            return "dropped"
    context = {"reminder": reminder, "link": _absolute(reminder.url), "person": reminder.recipient}
    _deliver(
        [reminder],
        token=token,
        final_attempt=final_attempt,
        subject=reminder.subject,
        template="notifications/email/reminder",
        context=context,
    )
    return "sent"


def digests_due(*, now: datetime.datetime | None = None) -> list[int]:
    """The people with digest reminders due by now (one query)."""
    now = now or timezone.now()
    due = Reminder.objects.filter(digest=True, deliver_after__lte=now).filter(
        Q(status=Reminder.Status.PENDING) | Q(status=Reminder.Status.SENDING, claimed_at__lt=_stale_claim_cutoff(now))
    )
    return list(due.order_by().values_list("recipient_id", flat=True).distinct())


def digest_deliver(*, person_id: int, token: str, final_attempt: bool = False) -> str:
    """Sends one email listing every due digest reminder of the person that is still open."""
    now = timezone.now()
    with transaction.atomic():
        candidates = Reminder.objects.filter(
            recipient_id=person_id,
            digest=True,
            deliver_after__lte=now,
            status__in=[Reminder.Status.PENDING, Reminder.Status.SENDING],
        )
        _claim(list(candidates.values_list("pk", flat=True)), token, now)
        claimed = list(
            Reminder.objects.filter(recipient_id=person_id, status=Reminder.Status.SENDING, claim_token=token)
            .select_related("recipient")
            .order_by("created_at")
        )
        reminders = _drop_closed(_drop_muted(claimed, now), now)
    if not reminders:
        return "nothing"
    person: Person = reminders[0].recipient
    items = [{"reminder": reminder, "link": _absolute(reminder.url)} for reminder in reminders]
    subject = f"Your daily digest: {len(items)} thing{'s' if len(items) != 1 else ''} to do"
    _deliver(
        reminders,
        token=token,
        final_attempt=final_attempt,
        subject=subject,
        template="notifications/email/digest",
        context={"person": person, "items": items},
    )
    return "sent"


def reminders_retry(*, reminder_ids: list[int]) -> int:
    """Puts failed reminders, and deliveries stuck with a dead worker, back to pending with fresh
    attempts. A delivery in progress is left alone, so a retry never sends twice."""
    now = timezone.now()
    retryable = Q(status=Reminder.Status.FAILED) | Q(
        status=Reminder.Status.SENDING, claimed_at__lt=_stale_claim_cutoff(now)
    )
    return (
        Reminder.objects.filter(pk__in=reminder_ids)
        .filter(retryable)
        .update(status=Reminder.Status.PENDING, claim_token="", claimed_at=None, attempts=0, updated_at=now)
    )


def inbox_mark_read(*, person: Person, reminder_ids: list[int] | None = None) -> int:
    """Marks the person's unread reminders read: the given ones, or all of them. Idempotent."""
    unread = Reminder.objects.filter(recipient=person, read_at__isnull=True)
    if reminder_ids is not None:
        unread = unread.filter(pk__in=reminder_ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_save(
    *, person: Person, timezone_name: str, digest_hour: int, modes: dict[str, str]
) -> None:
    """Saves the person's time zone, digest hour and per-kind delivery modes."""
    settings_row, _created = NotificationSettings.objects.get_or_create(person=person)
    settings_row.timezone, settings_row.digest_hour = timezone_name, digest_hour
    settings_row.full_clean()
    settings_row.save()
    for kind, mode in modes.items():
        NotificationPreference.objects.update_or_create(person=person, kind=kind, defaults={"mode": mode})
    muted = [kind for kind, mode in modes.items() if mode == Mode.MUTED]
    Reminder.objects.filter(recipient=person, kind__in=muted, status=Reminder.Status.PENDING).update(
        status=Reminder.Status.DROPPED, updated_at=timezone.now()
    )
