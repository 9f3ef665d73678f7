from django.core.management.base import BaseCommand, CommandError

from core20.programme.reference import ReferenceDataError, load_reference_data


class Command(BaseCommand):
    # Loads data only: the system checks (which import every URL module, about two seconds)
    # run in `migrate` before it and in `runserver` after it; `manage.py check` runs them on
    # demand.
    requires_system_checks = []
    help = "Load NHS regions, ICBs, waves, sites and organisations (safe to re-run)."

    def handle(self, *args, **options):
        try:
            report = load_reference_data()
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {report}"))
