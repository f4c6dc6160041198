from django.core.management.base import BaseCommand, CommandError

from enablement.notifications.registry import all_kinds
from enablement.notifications.tasks import sweep_reminders_task


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
            queued = sweep_reminders_task(name)  # in this process, exactly what beat's run does
            self.stdout.write(f"{name}: {queued} reminder(s) queued for delivery")
