"""Statistical process control: XmR charts with NHS "Making Data Count" rules.

See :func:`spc` and docs/methods.md §8. References: NHS England, Making Data Count (2019);
NHSRplotthedots v0.2.0 (NHS-R community); Nelson (1982) J Qual Technol 14:172.
"""

from inequalities.spc.chart import (
    NOTE_CODES,
    SHORT_BASELINE,
    SINGLE_POINT,
    TRIAL_LIMITS,
    SegmentNote,
    SpcResult,
    spc,
)

__all__ = [
    "NOTE_CODES",
    "SHORT_BASELINE",
    "SINGLE_POINT",
    "TRIAL_LIMITS",
    "SegmentNote",
    "SpcResult",
    "spc",
]
