"""Confidence levels and the column names they produce.

Levels are fractions in [0.9, 1] or percentages in [90, 100] (values >= 90 are divided by
100), as PHEindicatormethods accepts them. Two levels at most, e.g. (0.95, 0.998).
"""

from collections.abc import Iterable

from scipy.special import ndtri

from inequalities.errors import InputError

DEFAULT_CONFIDENCE: tuple[float, ...] = (0.95, 0.998)


def normalise_confidence(
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
) -> tuple[float, ...]:
    """Return the levels as fractions, validated, in the order given."""
    levels = (confidence,) if isinstance(confidence, int | float) else tuple(confidence)
    if not levels:
        raise InputError("Give at least one confidence level, for example 0.95.")
    if len(levels) > 2:
        raise InputError(f"Give one or two confidence levels, not {len(levels)}.")
    out = []
    for level in levels:
        value = float(level)
        if value >= 90:
            value /= 100
        if not 0.9 <= value <= 1:
            raise InputError(
                f"Confidence level {level} is outside 0.9 to 1 (or 90 to 100 as a percentage)."
            )
        if value in out:
            raise InputError(f"Confidence level {level} is given twice; give two different levels.")
        out.append(value)
    return tuple(out)


def z_value(level: float) -> float:
    """Two-sided standard normal quantile: 1.959964 at 0.95, 3.090232 at 0.998."""
    return float(ndtri(1 - (1 - level) / 2))


def level_suffix(level: float) -> str:
    """Column suffix for a level: 0.95 -> '95', 0.998 -> '99_8', 0.9 -> '90'."""
    text = f"{level * 100:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", "_")


def limit_columns(level: float) -> tuple[str, str]:
    """('lower95', 'upper95') for 0.95."""
    suffix = level_suffix(level)
    return f"lower{suffix}", f"upper{suffix}"
