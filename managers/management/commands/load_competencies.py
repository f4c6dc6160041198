from django.core.management.base import BaseCommand

from managers.services.competencies import competencies_seed


class Command(BaseCommand):
    help = (
        "Loads the seed competency framework (12 mindsets and skills with anchors and interview questions). "
        "Adds only the competencies that are missing; what leaders edited stays as it is."
    )

    def handle(self, *args, **options) -> None:
        added = competencies_seed()
        self.stdout.write(f"{added} competencies added.")
