"""Record-level profiles: indicators from a person-level extract by area and breakdown.

    from inequalities.profile import load_spec, run_profile
    table = run_profile(load_spec("spec.yaml"), "people.parquet", "lsoa_lookup.csv")

The counting is one portable SQL statement run in DuckDB (docs/adr/0004); confidence limits
and SIIs are computed from the counts with ``inequalities.stats``.
"""

from inequalities.profile.engine import (
    ProfileRun,
    profile,
    profile_sql,
    run_profile,
    write_profile,
)
from inequalities.profile.expressions import ExpressionError
from inequalities.profile.spec import ProfileSpec, SpecError, load_spec

__all__ = [
    "ExpressionError",
    "ProfileRun",
    "ProfileSpec",
    "SpecError",
    "load_spec",
    "profile",
    "profile_sql",
    "run_profile",
    "write_profile",
]
