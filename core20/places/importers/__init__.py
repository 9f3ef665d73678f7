"""Importers for places and deprivation reference data.

``IMPORTERS`` names each kind; ``run_import(kind, path)`` runs one file, and
``load_reference`` loads everything shipped in data/reference/places/ in order. Each file is
all-or-nothing (one transaction, with an audit event) and idempotent.
"""

from core20.places.importers.base import (
    Counts,
    Importer,
    ImportFailed,
    ImportIssue,
    ImportResult,
)
from core20.places.importers.deprivation import DeprivationImporter
from core20.places.importers.geography import (
    LadRegionImporter,
    LsoaHealthImporter,
    LsoaLinkImporter,
    LsoaWardImporter,
    NHSAreasImporter,
)
from core20.places.importers.population import PopulationImporter
from core20.places.importers.postcodes import PostcodeImporter
from core20.places.importers.practices import PracticeImporter, PracticePCNImporter

IMPORTERS: dict[str, type[Importer]] = {
    cls.kind: cls
    for cls in (
        NHSAreasImporter,
        LadRegionImporter,
        LsoaWardImporter,
        LsoaLinkImporter,
        LsoaHealthImporter,
        DeprivationImporter,
        PostcodeImporter,
        PracticeImporter,
        PracticePCNImporter,
        PopulationImporter,
    )
}


def get_importer(kind: str) -> type[Importer]:
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise ValueError(f"unknown import kind {kind!r} (known: {', '.join(IMPORTERS)})") from None


def run_import(kind: str, path, **kwargs) -> ImportResult:
    """Run one file through the importer for ``kind``. Raises ImportFailed on bad data."""
    return get_importer(kind)(path, **kwargs).run()


__all__ = [
    "IMPORTERS",
    "Counts",
    "ImportFailed",
    "ImportIssue",
    "ImportResult",
    "Importer",
    "get_importer",
    "run_import",
]
