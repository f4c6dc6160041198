from django.core.management.base import BaseCommand

from enablement.api.idempotency import idempotency_records_purge


class Command(BaseCommand):
    help = "Deletes Idempotency-Key records older than 24 hours (expired keys are ignored anyway)."

    def handle(self, *args, **options):
        self.stdout.write(f"{idempotency_records_purge()} expired idempotency record(s) deleted")
