"""What a mistyped ONS code was meant to be: "E01028" is an LSOA code cut short, not a GP
practice code that does not exist.

ONS (GSS) codes have 9 characters: a letter for the country (E England, W Wales), two
digits for the kind of area (01 LSOA, 05 electoral ward, 06 to 09 local authority
district, …) and six digits. A query that starts like one but has the wrong number of
digits is named for what it looks like, with the length it should have. Django-free: the
lookup table (for the page, the CSV file and the API) and the target areas' paste box both
use it.

Known codes always win: a GP practice whose ODS code happens to look like a cut-short ONS
code is found by its code before any of this applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GSS_LENGTH = 9
# The country letter, the two-digit kind, then any number of digits (postcodes end in
# letters, so none matches).
CODE_LIKE = re.compile(r"[EW](\d\d)\d*")
TOO_SHORT, TOO_LONG = "too short", "too long"


@dataclass(frozen=True)
class Shape:
    kinds: tuple[str, ...]  # the two digits after the country letter
    what: str  # "an LSOA code"
    plural: str  # "LSOA codes"
    example: str

    def problem(self, code: str, *, shown: str | None = None) -> str:
        """What is wrong with ``code`` (normalised; of this shape, of the wrong length), in
        words, naming it as ``shown`` (the code itself unless given)."""
        size = TOO_SHORT if len(code) < GSS_LENGTH else TOO_LONG
        return self.sentence(size, shown or code)

    def sentence(self, size: str, code: str | None = None) -> str:
        """The problem, naming ``code``; without it, a sentence about the row's query (for
        a file's notes column)."""
        subject = f"{code} looks" if code else "Looks"
        return (
            f"{subject} like {self.what} but is {size}: {self.plural} have "
            f"{GSS_LENGTH} characters, like {self.example}."
        )


SHAPES: tuple[Shape, ...] = (
    Shape(("01",), "an LSOA code", "LSOA codes", "E01014145"),
    Shape(("02",), "an MSOA code", "MSOA codes", "E02000001"),
    Shape(("05",), "an electoral ward code", "ward codes", "E05009978"),
    Shape(
        ("06", "07", "08", "09"),
        "a local authority district code",
        "district codes",
        "E06000020",
    ),
    Shape(("12",), "an ONS region code", "region codes", "E12000005"),
    Shape(("38",), "a sub-ICB location code", "sub-ICB location codes", "E38000068"),
    Shape(("40",), "an NHS England region code", "NHS England region codes", "E40000011"),
    Shape(("54",), "an integrated care board code", "ICB codes", "E54000011"),
)
BY_KIND = {kind: shape for shape in SHAPES for kind in shape.kinds}


def normalise(code: str | None) -> str:
    """Upper case, no whitespace (as the lookup normalises a query)."""
    return "".join((code or "").split()).upper()


def wrong_length_shape(code: str | None) -> Shape | None:
    """The shape ``code`` has, where it starts like an ONS code of a known kind but does
    not have 9 characters; None otherwise."""
    code = normalise(code)
    match = CODE_LIKE.fullmatch(code)
    if match is None or len(code) == GSS_LENGTH:
        return None
    return BY_KIND.get(match.group(1))


def shape_problem(code: str | None) -> str | None:
    """ "E01028 looks like an LSOA code but is too short: LSOA codes have 9 characters,
    like E01014145." for a cut-short (or over-long) ONS code; None for anything else."""
    shape = wrong_length_shape(code)
    return shape.problem(normalise(code)) if shape else None
