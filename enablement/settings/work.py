"""Background work and the product's timings: Celery and its queues, the heartbeat, reminders, charters,
scorecards, coaching, pulses, recognition, support and webhooks."""

import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from kombu import Exchange, Queue

from enablement.env import env_bool, env_int, env_numbers, env_str
from enablement.settings.base import DEBUG, TIME_ZONE, VAR_DIR

# Celery: Redis when CELERY_BROKER_URL says so, otherwise kombu's filesystem transport on a local
# folder, so one laptop needs no broker to install.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://localhost//")
CELERY_BROKER_DIR = Path(env_str("CELERY_BROKER_DIR", str(VAR_DIR / "broker")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's transport with atomic writes and claims, where a damaged message file is moved aside
    # instead of stopping the worker (enablement/broker.py); the URL stays filesystem://.
    CELERY_BROKER_TRANSPORT = "enablement.broker:Transport"
    # kombu does not create these, and whoever sends first (web, beat or worker) needs them.
    for _folder in ("queue", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        # The transport polls its folder; kombu's default of a second delays every task by up to that.
        "polling_interval": 0.1,
    }
else:
    # Redis redelivers a message nobody acknowledged within this time; no task here runs that long.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Two queues, each with workers of its own (README, "Running on PostgreSQL and Redis"): webhook deliveries
# wait on receivers that may hang for their whole timeout, so thousands of them for a dead host must not
# hold up reminders, sweeps or the heartbeat on the default queue. The default keeps Celery's name, so
# messages queued before the split are still consumed. The names are settings so that several deployments
# can share one broker (and each integration test's workers get their own).
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_DEFAULT_QUEUE", "celery")
WEBHOOK_QUEUE = env_str("CELERY_WEBHOOK_QUEUE", "webhooks")
for _variable, _queue in (("CELERY_DEFAULT_QUEUE", CELERY_TASK_DEFAULT_QUEUE), ("CELERY_WEBHOOK_QUEUE", WEBHOOK_QUEUE)):
    if not re.fullmatch(r"[A-Za-z0-9_-]+", _queue):  # it becomes part of file names on the embedded broker
        raise ImproperlyConfigured(f"{_variable} must be letters, digits, - and _, not {_queue!r}.")
# Declared, so a worker started without --queues consumes both and no task waits in a queue nobody reads
# (each name once: the integration tests give both the same name).
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name) for name in dict.fromkeys([CELERY_TASK_DEFAULT_QUEUE, WEBHOOK_QUEUE])
]
CELERY_TASK_ROUTES = {"enablement.webhooks.tasks.*": {"queue": WEBHOOK_QUEUE}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = None  # no result backend, so no nightly cleanup task in beat
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# /healthz says "degraded" when no worker has run the heartbeat task (beat queues it every minute on the
# default queue) for longer than this: workers down, or the default queue backed up.
WORKER_HEARTBEAT_MAX_AGE_SECONDS = env_int("WORKER_HEARTBEAT_MAX_AGE_SECONDS", 180, minimum=1)

# Reminders. SITE_URL makes the links in emails absolute.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# A delivery claimed this long ago by a worker that never finished is taken over by the next sweep.
REMINDER_STALE_CLAIM_MINUTES = env_int("REMINDER_STALE_CLAIM_MINUTES", 10)
# After this many delivery attempts (retries, or workers dying mid-send) a reminder is marked failed.
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 6)
# Digest hour for people who chose a digest but never set their own (in TIME_ZONE).
REMINDER_DEFAULT_DIGEST_HOUR = env_int("REMINDER_DEFAULT_DIGEST_HOUR", 8)
# Charters: remind a holder N days after they were asked to acknowledge, tell their manager after M days;
# remind the leader who published a charter this many days before its review is due.
CHARTER_ACK_REMIND_AFTER_DAYS = env_int("CHARTER_ACK_REMIND_AFTER_DAYS", 3)
CHARTER_ACK_ESCALATE_AFTER_DAYS = env_int("CHARTER_ACK_ESCALATE_AFTER_DAYS", 7)
CHARTER_REVIEW_REMIND_DAYS_BEFORE = env_int("CHARTER_REVIEW_REMIND_DAYS_BEFORE", 14)
# A leader's "Remind" reaches a holder once in this many days (a second click within it says it was sent).
CHARTER_ACK_LEADER_REMIND_EVERY_DAYS = env_int("CHARTER_ACK_LEADER_REMIND_EVERY_DAYS", 3)
# A scorecard not submitted this long after its interview is flagged and its interviewer reminded;
# after SCORECARD_ESCALATE_AFTER_HOURS the recruiter is told.
SCORECARD_OVERDUE_AFTER_HOURS = env_int("SCORECARD_OVERDUE_AFTER_HOURS", 24)
SCORECARD_ESCALATE_AFTER_HOURS = env_int("SCORECARD_ESCALATE_AFTER_HOURS", 48)
# Coaching tasks: the assignee is reminded this many days before the due date, on it and once overdue;
# COACHING_TASK_ESCALATE_AFTER_DAYS after it the coach is told.
COACHING_TASK_DUE_SOON_DAYS = env_int("COACHING_TASK_DUE_SOON_DAYS", 3)
COACHING_TASK_ESCALATE_AFTER_DAYS = env_int("COACHING_TASK_ESCALATE_AFTER_DAYS", 3)
# Team pulses (README, "Team pulse"): no figure below PULSE_MIN_RESPONDENTS people (clamped to 3..10), no
# comment below PULSE_MIN_COMMENTERS (never below the former); small teams pool PULSE_POOL_DAYS. The
# pseudonym secret never goes in the database; by default it is derived from DJANGO_SECRET_KEY.
PULSE_MIN_RESPONDENTS = env_int("PULSE_MIN_RESPONDENTS", 5)
PULSE_MIN_COMMENTERS = env_int("PULSE_MIN_COMMENTERS", 8)
PULSE_POOL_DAYS = env_int("PULSE_POOL_DAYS", 90)
PULSE_PSEUDONYM_SECRET = env_str("PULSE_PSEUDONYM_SECRET", "")
# Recognition against gaming: a daily cap per giver; a thank-you returned within N days is flagged and not
# counted; once a giver has given AFTER, at most SHARE percent of theirs count towards one person.
RECOGNITION_DAILY_CAP = env_int("RECOGNITION_DAILY_CAP", 5)
RECOGNITION_RETURN_WINDOW_DAYS = env_int("RECOGNITION_RETURN_WINDOW_DAYS", 14)
RECOGNITION_CONCENTRATION_AFTER = env_int("RECOGNITION_CONCENTRATION_AFTER", 5)
RECOGNITION_MAX_SHARE_PERCENT = env_int("RECOGNITION_MAX_SHARE_PERCENT", 25)
RECOGNITION_COVERAGE_DAYS = env_int("RECOGNITION_COVERAGE_DAYS", 60)
# Support (README, "Support"): a holder is asked to rate their charter's support again once their last rating
# is SUPPORT_RATING_EVERY_DAYS old; a support request's owner is expected to respond within
# SUPPORT_REQUEST_FIRST_RESPONSE_WORKING_DAYS working days (Monday to Friday), after which the owner's manager
# and the raiser's manager are told, once each.
SUPPORT_RATING_EVERY_DAYS = env_int("SUPPORT_RATING_EVERY_DAYS", 91)
SUPPORT_REQUEST_FIRST_RESPONSE_WORKING_DAYS = env_int("SUPPORT_REQUEST_FIRST_RESPONSE_WORKING_DAYS", 5)

# Outbound webhooks (enablement.webhooks; README, "Webhooks"). After the n-th failed attempt the next one
# waits the n-th number of seconds here; after the last, the delivery fails. Every wait is capped so the
# last attempt falls within WEBHOOK_RETRY_WINDOW_HOURS of the event (or of a redelivery).
WEBHOOK_RETRY_SCHEDULE = env_numbers("WEBHOOK_RETRY_SCHEDULE", [5, 300, 1800, 7200, 18000, 36000], of="seconds")
WEBHOOK_RETRY_WINDOW_HOURS = env_int("WEBHOOK_RETRY_WINDOW_HOURS", 24)
# Per attempt, in total: connecting, TLS, sending and reading the answer, however slowly a receiver trickles
# it (the host's lookup counts too, though a stuck resolver stops at its own timeout). Redirects are never
# followed.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# Whether endpoints may be on this machine or a private network (loopback, private, link-local addresses):
# off in production, so an endpoint cannot make the worker call internal services (checked when the URL is
# saved, and against every address the host resolves to when sending). On with DEBUG.
WEBHOOK_ALLOW_PRIVATE_HOSTS = env_bool("WEBHOOK_ALLOW_PRIVATE_HOSTS", DEBUG)
# A delivery claimed this long ago by a worker that never finished is taken over by the next sweep.
WEBHOOK_CLAIM_LEASE_SECONDS = env_int("WEBHOOK_CLAIM_LEASE_SECONDS", 300)
if not 0 < WEBHOOK_TIMEOUT_SECONDS <= WEBHOOK_CLAIM_LEASE_SECONDS / 2:  # else a slow attempt is sent twice
    raise ImproperlyConfigured(
        "WEBHOOK_TIMEOUT_SECONDS must be above 0 and at most half of WEBHOOK_CLAIM_LEASE_SECONDS."
    )
# A retry due within this many seconds is queued with a countdown; later ones wait for the beat sweep
# (every 30 s).
WEBHOOK_SWEEP_INTERVAL_SECONDS = env_int("WEBHOOK_SWEEP_INTERVAL_SECONDS", 30)
# The sweep leaves a due delivery alone this long after it was queued (its task is on its way), then
# queues it again: a lost task costs at most this delay, and a busy queue gets no duplicate every sweep.
WEBHOOK_REQUEUE_AFTER_SECONDS = env_int("WEBHOOK_REQUEUE_AFTER_SECONDS", 60)
# After a secret rotation the old secret keeps signing beside the new one this long.
WEBHOOK_SECRET_GRACE_HOURS = env_int("WEBHOOK_SECRET_GRACE_HOURS", 24)
# Events (with their deliveries and attempts) older than this are deleted by a daily task.
WEBHOOK_RETENTION_DAYS = env_int("WEBHOOK_RETENTION_DAYS", 30)
