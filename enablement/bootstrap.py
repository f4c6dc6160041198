"""Platform defaults that must exist in every database: the role groups with their permissions, and
the periodic tasks. Run after every `migrate`; idempotent, and it never undoes an admin's edit to a
schedule (it only creates missing ones).
"""

import json

from django.contrib.auth.models import Group, Permission

from enablement.accounts import roles
from enablement.notifications.registry import all_kinds

HR_ADMIN_PERMISSIONS = {
    "enablement": [
        "add_person",
        "change_person",
        "view_person",
        "add_team",
        "change_team",
        "view_team",
        "view_workerheartbeat",
        "view_reminder",
        "change_reminder",
        "view_apiclient",
        "change_apiclient",  # revoking, the one change the admin allows
        "view_apirequestlog",
    ],
    "webhooks": [
        "view_webhookendpoint",
        "change_webhookendpoint",  # the admin's rotate and deactivate; endpoints are created on /webhooks/
        "view_webhookevent",
        "view_webhookdelivery",
        "change_webhookdelivery",  # redeliver, the one change the admin allows
        "view_deliveryattempt",
    ],
    "auth": ["add_user", "change_user", "view_user"],
    "axes": ["view_accessattempt", "delete_accessattempt", "view_accesslog"],
    "django_celery_beat": ["view_periodictask", "change_periodictask", "view_intervalschedule", "view_crontabschedule"],
}

PERIODIC_TASKS = [
    # (name, task, every N seconds)
    ("Worker heartbeat", "enablement.tasks.record_worker_heartbeat_task", 60),
    ("Webhook delivery sweep", "enablement.webhooks.tasks.sweep_webhook_deliveries_task", 30),
    ("Webhook event purge", "enablement.webhooks.tasks.purge_webhook_events_task", 24 * 60 * 60),
    ("API request log pruning", "enablement.tasks.prune_api_request_log_task", 24 * 60 * 60),
    ("Idempotency-Key purge", "enablement.tasks.purge_idempotency_records_task", 60 * 60),
]


def ensure_role_groups() -> None:
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    hr_admin = Group.objects.get(name=roles.HR_ADMIN)
    permissions = [
        permission
        for app_label, codenames in HR_ADMIN_PERMISSIONS.items()
        for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    ]
    hr_admin.permissions.add(*permissions)


def _periodic_tasks() -> list[tuple[str, str, int, list]]:
    """(name, task, every N seconds, args): the fixed ones, one reminder sweep per registered kind, digests."""
    sweeps = [
        (
            f"Reminder sweep: {kind.name}",
            "enablement.tasks.sweep_reminders_task",
            kind.sweep_every_minutes * 60,
            [kind.name],
        )
        for kind in all_kinds()
    ]
    digests = [("Reminder digests", "enablement.tasks.send_digests_task", 15 * 60, [])]
    return [(name, task, seconds, []) for name, task, seconds in PERIODIC_TASKS] + sweeps + digests


def ensure_periodic_tasks() -> None:
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    for name, task, seconds, args in _periodic_tasks():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        every, _ = IntervalSchedule.objects.get_or_create(every=seconds, period=IntervalSchedule.SECONDS)
        PeriodicTask.objects.create(name=name, task=task, interval=every, args=json.dumps(args))


def ensure_platform_defaults(**_kwargs) -> None:
    ensure_role_groups()
    ensure_periodic_tasks()
