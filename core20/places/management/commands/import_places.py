"""Import one places or deprivation file: manage.py import_places KIND FILE [--layout …]."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core20.places.importers import IMPORTERS
from core20.places.models import ImportRun
from core20.places.runs import create_run, execute_run


class Command(BaseCommand):
    help = (
        "Import a places or deprivation file (all-or-nothing, idempotent). "
        "Kinds: " + ", ".join(IMPORTERS) + ". Use --list to see each kind's layouts."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", choices=list(IMPORTERS))
        parser.add_argument("file", nargs="?")
        parser.add_argument("--layout", default="", help="A layout name (default: by headers)")
        parser.add_argument(
            "--valid-from",
            default="",
            help="YYYY-MM-DD: when an LSOA→ICB lookup or practice→PCN mapping takes effect",
        )
        parser.add_argument("--year", type=int, help="Mid-year of population estimates")
        parser.add_argument("--list", action="store_true", help="List kinds and layouts")

    def handle(self, *args, **options):
        if options["list"] or not options["kind"]:
            for kind, importer in IMPORTERS.items():
                self.stdout.write(f"{kind}: {importer.label}")
                for layout in importer.layouts:
                    self.stdout.write(f"    {layout.key}: {layout.label}")
            return
        if not options["file"]:
            raise CommandError("Give the file to import.")
        importer = IMPORTERS[options["kind"]]
        if options["layout"] and options["layout"] not in {lay.key for lay in importer.layouts}:
            raise CommandError(f"{options['layout']!r} is not a layout for {options['kind']}.")
        run = create_run(
            kind=options["kind"],
            path=Path(options["file"]),
            layout=options["layout"],
        )
        run = execute_run(
            run.pk,
            {"valid_from": options["valid_from"] or None, "year": options["year"]},
        )
        if run.status == ImportRun.Status.FAILED:
            raise CommandError("\n".join([run.summary, *run.errors]))
        self.stdout.write(run.summary)
        for line in run.messages:
            self.stdout.write(f"  {line}")
