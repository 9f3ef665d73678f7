"""Counts for the public "you said, we did" page, disclosure-controlled by the engine.

People counts are small numbers about members of the public, so each is protected with
``inequalities.disclosure.suppress_and_round`` (the OpenSAFELY / NHS Digital rule: counts
of 1 to 7 are not shown, the rest are rounded to the nearest 5) before it reaches a page.
"""

from collections.abc import Sequence

import pandas as pd

from inequalities.disclosure import suppress_and_round

THRESHOLD = 7
ROUNDING = 5
HIDDEN = f"fewer than {THRESHOLD + 1}"


def protect(counts: Sequence[int]) -> list[str]:
    """Each count as the public may see it: "fewer than 8", or rounded ("about 25")."""
    if not counts:
        return []
    table = suppress_and_round(
        pd.DataFrame({"people": list(counts)}),
        counts=["people"],
        threshold=THRESHOLD,
        rounding=ROUNDING,
    )
    out = []
    for value, raw in zip(table["people"], counts, strict=True):
        if pd.isna(value):
            out.append(HIDDEN)
        elif int(value) == raw:
            out.append(f"{int(value):,}")
        else:
            out.append(f"about {int(value):,}")
    return out
