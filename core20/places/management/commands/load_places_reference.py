"""Load all the places and deprivation data shipped in data/reference/places/, in order."""

from django.core.management.base import BaseCommand, CommandError

from core20.places.models import ImportRun
from core20.places.runs import REFERENCE, create_run, execute_run


class Command(BaseCommand):
    # Loads data only: the system checks (which import every URL module, about two seconds)
    # run in `migrate` before it and in `runserver` after it; `manage.py check` runs them on
    # demand.
    requires_system_checks = []
    help = (
        "Load the shipped geography, deprivation, postcode, GP practice and population files "
        "(data/reference/places/). Idempotent: a second run reports 0 added, 0 updated."
    )

    def handle(self, *args, **options):
        run = execute_run(create_run(kind=REFERENCE).pk)
        if run.status == ImportRun.Status.FAILED:
            raise CommandError("\n".join([run.summary, *run.errors]))
        if options["verbosity"] >= 1:
            for line in run.messages:
                self.stdout.write(line)
            self.stdout.write(self.style.SUCCESS(run.summary))
