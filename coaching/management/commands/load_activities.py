from django.core.management.base import BaseCommand

from coaching.activity_library import activities_seed


class Command(BaseCommand):
    help = (
        "Loads the seed library of development activities (2-4 per competency of the seed framework; run "
        "load_competencies first). Adds only what is missing; leaders' edits stay."
    )

    def handle(self, *args, **options) -> None:
        added = activities_seed()
        self.stdout.write(f"{added} development activities added.")
