from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from enablement.api.clients.services import api_client_create
from enablement.api.scopes import API_SCOPES, unknown_scopes


class Command(BaseCommand):
    help = (
        "Creates an API client and prints its token, once, and nothing else on stdout, for provisioning "
        "scripts: TOKEN=$(manage.py create_api_token --name 'Workday' --scopes people:read,people:write "
        f"--hr-admin). Scopes: {', '.join(API_SCOPES)}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The system that will use the token.")
        parser.add_argument("--scopes", required=True, help="Comma-separated, e.g. people:read,hiring:read.")
        parser.add_argument(
            "--hr-admin", action="store_true", help="The client sees what an HR admin sees (an HR system needs it)."
        )

    def handle(self, *args, name, scopes, hr_admin, **options):
        wanted = [scope.strip() for scope in scopes.split(",") if scope.strip()]
        unknown = unknown_scopes(wanted)
        if unknown:
            raise CommandError(f"Unknown scope(s): {', '.join(unknown)}. Known: {', '.join(API_SCOPES)}.")
        try:
            _client, token = api_client_create(name=name, scopes=wanted, by=None, hr_admin=hr_admin)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(token)
