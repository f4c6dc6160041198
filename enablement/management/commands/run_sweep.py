from django.core.management.base import BaseCommand, CommandError

from enablement.notifications.registry import all_kinds, get_kind
from enablement.notifications.services import reminders_sweep
from enablement.tasks import deliver_reminder_task


class Command(BaseCommand):
    help = "Runs reminder sweeps now (every kind, or the ones named) and queues the deliveries for the workers."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="Kind names, e.g. charter.acknowledgement_pending.")

    def handle(self, *args, kinds, **options):
        known = {kind.name for kind in all_kinds()}
        unknown = set(kinds) - known
        if unknown:
            raise CommandError(f"Unknown kinds: {', '.join(sorted(unknown))}. Known: {', '.join(sorted(known))}.")
        for name in kinds or sorted(known):
            ready = reminders_sweep(kind=get_kind(name))
            for reminder_id in ready:
                deliver_reminder_task.delay(reminder_id)
            self.stdout.write(f"{name}: {len(ready)} reminder(s) queued for delivery")
