"""The demo's inboxes: every reminder kind's sweep runs once at the end of `seed_demo`, so each persona
finds in their inbox what the platform chases them for (overdue coaching tasks, a late scorecard, a
pulse to answer, a support request to pick up, a charter to acknowledge...). Real reminders, created the
way beat creates them; their emails go out once the workers run. Running it again adds nothing (the
reminders' unique key)."""

from collections import Counter

from django.db import transaction

from enablement.models import Reminder
from enablement.notifications.registry import all_kinds
from enablement.notifications.services import reminders_sweep


def seed_demo_inbox() -> list[str]:
    ready: list[int] = []
    for kind in all_kinds():
        ready.extend(reminders_sweep(kind=kind))
    if ready:
        from enablement.notifications.tasks import deliver_reminder_task

        transaction.on_commit(lambda: [deliver_reminder_task.delay(pk) for pk in ready], robust=True)
    open_reminders = Reminder.objects.exclude(status=Reminder.Status.DROPPED).filter(read_at__isnull=True)
    by_user = Counter(open_reminders.values_list("recipient__user__username", flat=True))
    examples = ", ".join(f"{name} {count}" for name, count in sorted(by_user.items()) if name)
    return [
        "",
        f"Inbox: {sum(by_user.values())} unread reminders for {len(by_user)} people "
        "(top right, Inbox; emails go out once the workers run):",
        f"  {examples}",
    ]
