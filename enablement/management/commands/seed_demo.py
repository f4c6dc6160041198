from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from enablement.org.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Builds (or brings back) the demo org with its sign-ins, then each app's demo data (charters, ...). "
        "Safe to run again; refused in production."
    )

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_demo creates accounts with a known password and never runs in production.")
        result = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo org ready. Sign in with any of these (password: {DEMO_PASSWORD}):"))
        for login in result.logins:
            self.stdout.write(f"  {login.username:<22} {login.role:<14} {login.name}")
        for line in result.lines:
            self.stdout.write(line)
