"""Which edition of the ONS postcode directory a postcode was loaded from, read from the
file's name ("NSPL_NOV_2021_UK_TF" → November 2021): the year of its wards' boundaries, as
the lookup page and the site search say."""

import re

from core20.places.models import Postcode, normalise_postcode

MONTHS = {
    "JAN": "January",
    "FEB": "February",
    "MAR": "March",
    "APR": "April",
    "MAY": "May",
    "JUN": "June",
    "JUL": "July",
    "AUG": "August",
    "SEP": "September",
    "OCT": "October",
    "NOV": "November",
    "DEC": "December",
}
# "NSPL_NOV_2021_UK_TF" (the file the postcodes were loaded from) → November 2021.
DIRECTORY_EDITION = re.compile(r"(?<![A-Z])(" + "|".join(MONTHS) + r")[_\s-]*((?:19|20)\d\d)")


def directory_edition(source: str | None) -> tuple[str, int] | None:
    """("November 2021", 2021) from a postcode directory's file name, if it says."""
    match = DIRECTORY_EDITION.search((source or "").upper())
    if match is None:
        return None
    return f"{MONTHS[match.group(1)]} {match.group(2)}", int(match.group(2))


def postcode_directory_edition(postcode: str) -> tuple[str, int] | None:
    """("November 2021", 2021): the edition of the postcode directory a postcode (and so
    its ward) was loaded from, if its file name says. One query. The year is the year of
    the postcode's ward boundaries (the site search says "2021 wards" from it)."""
    source = (
        Postcode.objects.filter(code=normalise_postcode(postcode))
        .values_list("source", flat=True)
        .first()
    )
    return directory_edition(source)
