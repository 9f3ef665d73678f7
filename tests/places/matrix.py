"""Permission-matrix entries for the reference-data import pages."""

from tests.access import Case, only


def _run(world) -> dict:
    from core20.places.models import ImportRun

    return {"pk": ImportRun.objects.create(kind="lad_regions").pk}


IMPORTERS = ("national_admin", "national_analyst")

MATRIX = {
    "places:imports": [Case(only(*IMPORTERS))],
    "places:import-run": [Case(only(*IMPORTERS), kwargs=_run)],
    "places:import-run-progress": [Case(only(*IMPORTERS), kwargs=_run)],
}
