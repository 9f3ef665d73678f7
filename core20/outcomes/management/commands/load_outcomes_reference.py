"""manage.py load_outcomes_reference: the indicator catalogue and the logic model template."""

from django.core.management.base import BaseCommand

from core20.outcomes.reference import load_all


class Command(BaseCommand):
    # Loads data only: the system checks (which import every URL module, about two seconds)
    # run in `migrate` before it and in `runserver` after it; `manage.py check` runs them on
    # demand.
    requires_system_checks = []
    help = "Load the Core20PLUS5 indicator catalogue and the national logic model template."

    def handle(self, *args, **options):
        self.stdout.write(load_all())
