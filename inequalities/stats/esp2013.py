"""European Standard Population 2013, in 19 five-year age bands (methods reference §4).

Source: Eurostat (2013) "Revision of the European Standard Population: report of
Eurostat's task force", Methodologies and Working papers, ISBN 978-92-79-31094-2, table 1
(ESP 2013), with ages 0 and 1-4 merged into 0-4 and 90-94 and 95+ merged into 90+, as
Fingertips and PHEindicatormethods (dataset ``esp2013``) use it. The weights total 100,000.

Band labels are matched on a key, not by row position. Accepted spellings of a band:
"0-4", "0 - 4", "0-4" (en or em dash), "0 to 4", "00-04", the lower age alone ("0", "5",
…, "90"), and "90+", "90 and over", "90plus" for the last band. Separate 90-94 / 95+ or
0 / 1-4 rows are refused with a message saying which rows to add together first.
"""

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from inequalities.stats._frame import fail_rows

ESP2013_SOURCE = (
    "Eurostat (2013) Revision of the European Standard Population: report of Eurostat's "
    "task force. Luxembourg: Publications Office of the European Union."
)

ESP2013_BANDS: tuple[str, ...] = (
    *(f"{age}-{age + 4}" for age in range(0, 90, 5)),
    "90+",
)

ESP2013_WEIGHTS: tuple[int, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip

ESP2013: dict[str, int] = dict(zip(ESP2013_BANDS, ESP2013_WEIGHTS, strict=True))

_ALIASES = {str(age): band for age, band in zip(range(0, 95, 5), ESP2013_BANDS, strict=True)}
_ALIASES |= {"90andover": "90+", "90plus": "90+", "90-": "90+"}
_SPLIT_OLD = {"90-94", "95+", "95-99", "100+"}
_SPLIT_YOUNG = {"<1", "1-4", "under1"}


def normalise_bands(labels: pd.Series) -> pd.Series:
    """Canonical band labels ("0-4" … "90+"); labels that match no band are left as found."""
    text = labels.astype("string").str.strip().str.lower()
    text = text.str.replace(r"\.0+$", "", regex=True)
    text = text.str.replace(r"\s*(?:\u2013|\u2014|\bto\b)\s*", "-", regex=True)
    text = text.str.replace(r"\s+", "", regex=True)
    text = text.str.replace(r"(?<!\d)0+(?=\d)", "", regex=True)
    return text.replace(_ALIASES)


def esp2013_weights(labels: pd.Series, column: str) -> tuple[NDArray[np.object_], NDArray]:
    """(canonical band, ESP 2013 weight) for each row; InputError naming the rows otherwise.

    Labels are normalised once per distinct label, so millions of rows cost little.
    """
    fail_rows(labels.isna().to_numpy(), column, "is missing")
    codes, uniques = pd.factorize(labels)
    canonical = normalise_bands(pd.Series(uniques, dtype=object))
    bands = canonical.to_numpy(dtype=object)[codes]

    def rows(mask: pd.Series) -> NDArray[np.bool_]:
        return mask.to_numpy(dtype=bool)[codes]

    fail_rows(
        rows(canonical.isin(_SPLIT_OLD)),
        column,
        "splits the 90+ band (ESP 2013 has a single 90+ band: add the 90-94 and 95+ rows "
        "together first)",
    )
    fail_rows(
        rows(canonical.isin(_SPLIT_YOUNG)),
        column,
        "splits the 0-4 band (ESP 2013 has a single 0-4 band: add the age 0 and 1-4 rows "
        "together first)",
    )
    known = canonical.isin(ESP2013_BANDS)
    if not known.all():
        examples = ", ".join(repr(v) for v in uniques[~known.to_numpy()][:3])
        fail_rows(
            rows(~known),
            column,
            f"has labels that are not ESP 2013 bands ({examples}; the bands are "
            f"{', '.join(ESP2013_BANDS)})",
        )
    weights = canonical.map(ESP2013).to_numpy(dtype=np.float64)[codes]
    return bands, weights
