"""manage.py load_outcomes_reference: the indicator catalogue and the logic model template."""

from django.core.management.base import BaseCommand

from core20.outcomes.reference import load_all


class Command(BaseCommand):
    help = "Load the Core20PLUS5 indicator catalogue and the national logic model template."

    def handle(self, *args, **options):
        self.stdout.write(load_all())
