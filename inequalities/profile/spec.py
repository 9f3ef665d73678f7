"""Profile specifications: the YAML file that declares indicators, areas and breakdowns.

See docs/inequalities.md ("Profile spec") for the format with a full example. In short::

    indicators:
      - id: HYP_CONTROL
        name: Hypertension treated to target
        type: proportion            # or rate
        multiplier: 100             # default 100 for proportions, 100,000 for rates
        denominator: "age >= 18 and hypertension_register = 1"   # omit to count everyone
        numerator: "bp_controlled = 1"
    areas: [england, region, icb, lad]          # or {level: icb, column: icb22, name_column: ...}
    breakdowns: [total, imd_decile, imd_quintile, core20, ethnicity, sex, age_band]
    age_bands: [0, 18, 40, 65, 80]              # lower bounds of the age bands
    sii: {breakdowns: [imd_quintile, imd_decile], draws: 10000, seed: 1}
    confidence: [0.95, 0.998]
    columns: {lsoa: lsoa, age: age, imd_decile: imd_decile, core20: core20}

Loading checks the structure and parses every condition (see ``expressions``); checking the
column names against the actual extract and lookup happens in ``plan.resolve``.
"""

import itertools
import math
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from inequalities.confidence import DEFAULT_CONFIDENCE, normalise_confidence
from inequalities.errors import InputError
from inequalities.profile import expressions
from inequalities.profile.expressions import Condition

PROPORTION = "proportion"
RATE = "rate"
DEFAULT_MULTIPLIER = {PROPORTION: 100.0, RATE: 100_000.0}

ENGLAND = "england"
TOTAL = "total"
#: Breakdowns derived from the lookup's IMD decile, or from the extract's age.
IMD_DECILE = "imd_decile"
IMD_QUINTILE = "imd_quintile"
CORE20 = "core20"
AGE_BAND = "age_band"
BUILT_IN_BREAKDOWNS = (TOTAL, IMD_DECILE, IMD_QUINTILE, CORE20, AGE_BAND)
QUANTILE_BREAKDOWNS = (IMD_DECILE, IMD_QUINTILE)

DEFAULT_AGE_BANDS = (0, 18, 40, 65, 80)
DEFAULT_SII_DRAWS = 10_000
#: Default column names (``columns:`` in the spec overrides them).
DEFAULT_COLUMNS = {
    "lsoa": "lsoa",  # the LSOA code in the extract
    "lookup_lsoa": None,  # the LSOA code in the lookup (default: the same as "lsoa")
    "age": "age",  # age in whole years, for age bands
    "imd_decile": "imd_decile",  # in the lookup: 1 = most deprived 10% of LSOAs
    "imd_quintile": "imd_quintile",  # optional in the lookup; else derived from the decile
    "core20": "core20",  # optional in the lookup (1/0 or true/false); else decile 1-2
}
_ID = re.compile(r"[A-Za-z0-9_.\-]+")


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    type: str
    multiplier: float
    numerator: Condition
    numerator_text: str
    denominator: Condition | None  # None: every record
    denominator_text: str | None


@dataclass(frozen=True)
class AreaLevel:
    level: str  # the area_level written in the output
    column: str | None  # None for England
    name_column: str | None  # None: look for "<column>_name"


@dataclass(frozen=True)
class Breakdown:
    name: str  # the breakdown written in the output
    column: str | None  # None for the built-ins


@dataclass(frozen=True)
class SiiSettings:
    breakdowns: tuple[str, ...]
    areas: tuple[str, ...] | None  # None: every area level
    draws: int
    seed: int | None


@dataclass(frozen=True)
class ProfileSpec:
    indicators: tuple[Indicator, ...]
    areas: tuple[AreaLevel, ...]
    breakdowns: tuple[Breakdown, ...]
    age_bands: tuple[int, ...]
    sii: SiiSettings | None
    confidence: tuple[float, ...]
    columns: dict[str, str]


class SpecError(InputError):
    """The profile spec is not valid; the message says where."""


def load_spec(source: str | Path | dict) -> ProfileSpec:
    """Read a spec from a YAML file path, YAML text, or an already-parsed mapping."""
    if isinstance(source, dict):
        raw = source
    else:
        text = _read(source)
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise SpecError(f"Profile spec is not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise SpecError("Profile spec must be a mapping with an 'indicators' list.")
    return parse_spec(raw)


def _read(source: str | Path) -> str:
    if isinstance(source, Path) or ("\n" not in source and source.endswith((".yaml", ".yml"))):
        path = Path(source)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SpecError(f"Profile spec file {str(path)!r} does not exist.") from None
        except OSError as error:
            raise SpecError(f"Cannot read profile spec {str(path)!r}: {error.strerror}.") from None
    return source


def _check_keys(where: str, raw: dict, allowed: set[str], required: set[str] = frozenset()) -> None:
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        raise SpecError(
            f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})."
        )
    missing = sorted(required - set(raw))
    if missing:
        raise SpecError(f"{where}: the key {missing[0]!r} is required.")


def _name(where: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{where} must be a non-empty name, not {value!r}.")
    return value.strip()


def parse_spec(raw: dict) -> ProfileSpec:
    _check_keys(
        "Profile spec",
        raw,
        {"indicators", "areas", "breakdowns", "age_bands", "sii", "confidence", "columns"},
        {"indicators"},
    )
    columns = _columns(raw.get("columns") or {})
    indicators = _indicators(raw["indicators"])
    areas = _areas(raw.get("areas", [ENGLAND]))
    breakdowns = _breakdowns(raw.get("breakdowns", [TOTAL]))
    age_bands = _age_bands(raw.get("age_bands", list(DEFAULT_AGE_BANDS)))
    try:
        confidence = normalise_confidence(raw.get("confidence", DEFAULT_CONFIDENCE))
    except (InputError, TypeError, ValueError) as error:
        raise SpecError(f"Profile spec 'confidence': {error}") from None
    sii = _sii(raw.get("sii"), breakdowns, areas)
    return ProfileSpec(indicators, areas, breakdowns, age_bands, sii, confidence, columns)


def _columns(raw: object) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise SpecError("Profile spec 'columns' must be a mapping such as {lsoa: lsoa11cd}.")
    _check_keys("Profile spec 'columns'", raw, set(DEFAULT_COLUMNS))
    out = dict(DEFAULT_COLUMNS)
    for key, value in raw.items():
        out[key] = _name(f"Profile spec 'columns.{key}'", value)
    out["lookup_lsoa"] = out["lookup_lsoa"] or out["lsoa"]
    return out


def _indicators(raw: object) -> tuple[Indicator, ...]:
    if not isinstance(raw, list) or not raw:
        raise SpecError("Profile spec 'indicators' must be a non-empty list.")
    out: list[Indicator] = []
    seen: set[str] = set()
    for position, item in enumerate(raw, start=1):
        where = f"Indicator {position}"
        if not isinstance(item, dict):
            raise SpecError(f"{where} must be a mapping with id, numerator and denominator.")
        if isinstance(item.get("id"), str | int) and str(item["id"]).strip():
            where = f"Indicator {str(item['id']).strip()!r}"
        _check_keys(
            where,
            item,
            {"id", "name", "type", "multiplier", "numerator", "denominator"},
            {"id", "numerator"},
        )
        identifier = str(item["id"]).strip() if isinstance(item["id"], int) else item["id"]
        identifier = _name(f"{where}: 'id'", identifier)
        if not _ID.fullmatch(identifier):
            raise SpecError(f"{where}: 'id' may use only letters, digits, '_', '-' and '.'.")
        if identifier in seen:
            raise SpecError(f"{where}: the id is used by another indicator.")
        seen.add(identifier)
        kind = item.get("type", PROPORTION)
        if kind not in DEFAULT_MULTIPLIER:
            raise SpecError(f"{where}: 'type' must be 'proportion' or 'rate', not {kind!r}.")
        multiplier = item.get("multiplier", DEFAULT_MULTIPLIER[kind])
        if (
            isinstance(multiplier, bool)
            or not isinstance(multiplier, int | float)
            or not math.isfinite(multiplier)
            or multiplier <= 0
        ):
            raise SpecError(f"{where}: 'multiplier' must be a positive number, not {multiplier!r}.")
        numerator_text = item["numerator"]
        denominator_text = item.get("denominator")
        numerator = _condition(where, "numerator", numerator_text)
        denominator = None
        if denominator_text is not None:
            denominator = _condition(where, "denominator", denominator_text)
        name = item.get("name", identifier)
        out.append(
            Indicator(
                id=identifier,
                name=_name(f"{where}: 'name'", name),
                type=kind,
                multiplier=float(multiplier),
                numerator=numerator,
                numerator_text=numerator_text,
                denominator=denominator,
                denominator_text=denominator_text,
            )
        )
    return tuple(out)


def _condition(where: str, key: str, text: object) -> Condition:
    if not isinstance(text, str):
        raise SpecError(f"{where}: '{key}' must be a condition in quotes, not {text!r}.")
    try:
        return expressions.parse(text)
    except expressions.ExpressionError as error:
        raise SpecError(f"{where}: '{key}' {text!r}: {error}.") from None


def _areas(raw: object) -> tuple[AreaLevel, ...]:
    if not isinstance(raw, list) or not raw:
        raise SpecError("Profile spec 'areas' must be a non-empty list, e.g. [england, icb].")
    out: list[AreaLevel] = []
    for item in raw:
        if isinstance(item, str):
            level = _name("Profile spec 'areas' entry", item)
            if level.lower() == ENGLAND:
                out.append(AreaLevel(ENGLAND, None, None))
            else:
                out.append(AreaLevel(level, level, None))
        elif isinstance(item, dict):
            where = f"Profile spec area {item.get('level', item)!r}"
            _check_keys(where, item, {"level", "column", "name_column"}, {"level"})
            level = _name(f"{where}: 'level'", item["level"])
            column = _name(f"{where}: 'column'", item.get("column", level))
            name_column = item.get("name_column")
            if name_column is not None:
                name_column = _name(f"{where}: 'name_column'", name_column)
            out.append(AreaLevel(level, column, name_column))
        else:
            raise SpecError(
                f"Profile spec 'areas' entries must be names or mappings, not {item!r}."
            )
    _unique("areas", [a.level for a in out])
    return tuple(out)


def _breakdowns(raw: object) -> tuple[Breakdown, ...]:
    if not isinstance(raw, list) or not raw:
        raise SpecError("Profile spec 'breakdowns' must be a non-empty list, e.g. [total, sex].")
    out: list[Breakdown] = []
    for item in raw:
        if isinstance(item, str):
            name = _name("Profile spec 'breakdowns' entry", item)
            out.append(Breakdown(name, None if name in BUILT_IN_BREAKDOWNS else name))
        elif isinstance(item, dict):
            where = f"Profile spec breakdown {item.get('name', item)!r}"
            _check_keys(where, item, {"name", "column"}, {"name"})
            name = _name(f"{where}: 'name'", item["name"])
            if name in BUILT_IN_BREAKDOWNS:
                raise SpecError(f"{where}: {name!r} is built in; give it without a column.")
            out.append(Breakdown(name, _name(f"{where}: 'column'", item.get("column", name))))
        else:
            raise SpecError(
                f"Profile spec 'breakdowns' entries must be names or mappings, not {item!r}."
            )
    _unique("breakdowns", [b.name for b in out])
    return tuple(out)


def _unique(key: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise SpecError(f"Profile spec '{key}' lists {name!r} twice.")
        seen.add(name)


def _age_bands(raw: object) -> tuple[int, ...]:
    if (
        not isinstance(raw, list)
        or not raw
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in raw)
    ):
        raise SpecError(
            "Profile spec 'age_bands' must be a list of whole-year lower bounds, e.g. [0, 18, 65]."
        )
    if any(b <= a for a, b in itertools.pairwise(raw)):
        raise SpecError("Profile spec 'age_bands' must increase, e.g. [0, 18, 40, 65, 80].")
    return tuple(raw)


def _sii(raw: object, breakdowns: tuple[Breakdown, ...], areas: tuple[AreaLevel, ...]):
    names = [b.name for b in breakdowns]
    if raw is False:
        return None
    if raw is None or raw is True:
        chosen = tuple(n for n in names if n in QUANTILE_BREAKDOWNS)
        return SiiSettings(chosen, None, DEFAULT_SII_DRAWS, None) if chosen else None
    if not isinstance(raw, dict):
        raise SpecError("Profile spec 'sii' must be false or a mapping such as {draws: 10000}.")
    _check_keys("Profile spec 'sii'", raw, {"breakdowns", "areas", "draws", "seed"})
    chosen = raw.get("breakdowns", [n for n in names if n in QUANTILE_BREAKDOWNS])
    if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
        raise SpecError("Profile spec 'sii.breakdowns' must be a list of breakdown names.")
    for name in chosen:
        if name not in names:
            raise SpecError(
                f"Profile spec 'sii.breakdowns' names {name!r}, which is not in 'breakdowns'."
            )
        if name in (TOTAL, CORE20, AGE_BAND):
            raise SpecError(
                f"Profile spec 'sii.breakdowns': {name!r} is not a deprivation quantile "
                "breakdown (use imd_decile, imd_quintile or a numeric quantile column)."
            )
    sii_areas = raw.get("areas")
    if sii_areas is not None:
        levels = [a.level for a in areas]
        if not isinstance(sii_areas, list) or not all(a in levels for a in sii_areas):
            raise SpecError(
                "Profile spec 'sii.areas' must list area levels from 'areas' "
                f"({', '.join(levels)})."
            )
        sii_areas = tuple(sii_areas)
    draws = raw.get("draws", DEFAULT_SII_DRAWS)
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1000:
        raise SpecError(f"Profile spec 'sii.draws' must be a whole number ≥ 1000, not {draws!r}.")
    seed = raw.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise SpecError(f"Profile spec 'sii.seed' must be a whole number ≥ 0, not {seed!r}.")
    if not chosen:
        return None
    return SiiSettings(tuple(chosen), sii_areas, draws, seed)
