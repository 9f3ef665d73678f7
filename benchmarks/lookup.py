"""Throughput of the bulk lookup: 1,000,000 postcodes through the function the app uses.

Builds the lookup table straight from the shipped files (data/reference/places/) with the
app's own ``build_lookup_table`` (the app builds the same frames from the database), so no
Django database is needed. Then:

* makes ``--rows`` queries sampled with replacement from the shipped NSPL postcodes (live
  and terminated), written in mixed case and spacing ("tf1 1aa", "TF11AA", " TF1  1AA ",
  "Tf1 1aA"), with about 0.1% invalid, unknown or empty values;
* times ``core20.places.lookup.resolve.resolve`` — the function behind the CSV upload and
  ``POST /api/v1/places/lookup`` — which returns the full answer table (one row per query,
  in order, every column);
* times the floor: a plain DuckDB join of the same queries to the table's keys, normalised in
  the join's own SQL (``replace(upper(q), ' ', '')``, as any plain join must to match mixed
  spellings), returning the matched row number for each query: the naive vectorised way;
* times, for comparison, a stricter floor: the same join on queries normalised beforehand,
  outside the timing (no SQL string work at all — a lower bound, not a way to answer);
* checks that resolve gives the same row as the join for every query the join finds.

``resolve`` is faster than the plain join because it normalises and joins each distinct
spelling once (queries repeat), then spreads the answers back with one array take.

All three are timed in turns, ``--repeats`` times each, and the best run of each is reported
(the machine is shared; medians are printed too). The last line is for the acceptance check:
``lookup rows=<n> rows_per_s=<resolve> floor_rows_per_s=<plain join> ratio=<x>x``, where
ratio is resolve's time divided by the plain join's (below 1.0x: faster than the join). The
line before it gives the same against the stricter floor.

Run: ``uv run python benchmarks/lookup.py [--rows 1000000] [--repeats 9]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core20.places.lookup.files import read_frames
from core20.places.lookup.resolve import materialise, resolve, resolve_indices
from core20.places.lookup.table import build_lookup_table

ODD_VALUES = ["NOT A POSTCODE", "TF99 9ZZ", "", "E01999999", "12345", "SR1"]


def make_queries(postcodes: np.ndarray, rows: int, seed: int = 2026) -> pa.Array:
    """``rows`` postcodes sampled with replacement, in mixed case and spacing, with a few
    odd values mixed in."""
    rng = np.random.default_rng(seed)
    picked = postcodes[rng.integers(0, len(postcodes), size=rows)].astype(str)
    style = rng.integers(0, 5, size=rows)
    out = picked.astype(object)
    lower = style == 1
    out[lower] = np.char.lower(picked[lower])
    tight = style == 2
    out[tight] = np.char.replace(picked[tight], " ", "")
    loose = style == 3
    out[loose] = np.char.add(np.char.add(" ", np.char.replace(picked[loose], " ", "  ")), " ")
    mixed = style == 4
    out[mixed] = np.char.swapcase(np.char.capitalize(picked[mixed]))
    odd = rng.random(rows) < 0.001
    out[odd] = rng.choice(ODD_VALUES, size=int(odd.sum()))
    return pa.array(out, type=pa.string())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()

    started = time.perf_counter()
    frames = read_frames()
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    lookup = build_lookup_table(frames)
    build_s = time.perf_counter() - started
    print(
        f"lookup table: {len(lookup):,} keys {dict(sorted(lookup.counts.items()))}; "
        f"files read in {read_s:.2f} s, table built in {build_s:.2f} s"
    )

    postcodes = frames.postcodes["display"].to_numpy()
    terminated = int((frames.postcodes["terminated"] != "").sum())
    queries = make_queries(postcodes, args.rows)
    print(
        f"queries: {args.rows:,} sampled from {len(postcodes):,} shipped postcodes "
        f"({terminated:,} of them terminated); e.g. {queries[:5].to_pylist()}"
    )

    # The floors. Plain: the raw queries, normalised in the join's SQL. Strict: normalised
    # beforehand, outside the timing.
    normalised = pa.table(
        {
            "n": pc.replace_substring(
                pc.replace_substring(pc.utf8_upper(queries), " ", ""), "\u00a0", ""
            )
        }
    )
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.register("raw", pa.table({"q": queries}))
    con.register("q", normalised)
    con.register("keys", lookup.keys)

    def plain_join():
        return con.sql(
            "SELECT k.idx FROM raw LEFT JOIN keys k ON k.key = replace(upper(raw.q), ' ', '')"
        ).to_arrow_table()

    def strict_join():
        return con.sql("SELECT k.idx FROM q LEFT JOIN keys k ON k.key = q.n").to_arrow_table()

    # The app's bulk path: every column of the answer, one row per query, in order. The
    # three are timed in turns, so that they see the same load on a shared machine.
    times = {"resolve": [], "plain": [], "strict": []}
    result = None
    for _ in range(args.repeats):
        started = time.perf_counter()
        result = resolve(lookup, queries)
        times["resolve"].append(time.perf_counter() - started)
        started = time.perf_counter()
        plain_join()
        times["plain"].append(time.perf_counter() - started)
        started = time.perf_counter()
        strict_join()
        times["strict"].append(time.perf_counter() - started)
    best = {k: min(v) for k, v in times.items()}
    median = {k: statistics.median(v) for k, v in times.items()}
    statuses = pc.value_counts(result.column("status").combine_chunks().dictionary_decode())
    print(
        f"resolve: best {best['resolve'] * 1000:.1f} ms, median {median['resolve'] * 1000:.1f} "
        "ms; statuses " + ", ".join(f"{s['values']}={s['counts']:,}" for s in statuses.to_pylist())
    )
    print(
        f"floor, plain join (normalised in SQL): best {best['plain'] * 1000:.1f} ms, "
        f"median {median['plain'] * 1000:.1f} ms"
    )
    print(
        f"stricter floor, join on keys normalised beforehand: best "
        f"{best['strict'] * 1000:.1f} ms, median {median['strict'] * 1000:.1f} ms"
    )

    # Same answers: every row the join finds is the row resolve gives.
    ours = resolve_indices(lookup, queries)
    con.register("q_numbered", normalised.append_column("rid", pa.array(np.arange(args.rows))))
    theirs = (
        con.sql("SELECT k.idx FROM q_numbered q LEFT JOIN keys k ON k.key = q.n ORDER BY q.rid")
        .to_arrow_table()
        .column("idx")
        .to_numpy(zero_copy_only=False)
    )
    found = ~np.isnan(theirs.astype(float))
    if not np.array_equal(ours[found], theirs[found].astype(np.int32)):
        bad = np.flatnonzero(ours[found] != theirs[found].astype(np.int32))[:5]
        raise SystemExit(f"resolve and the plain join disagree, e.g. rows {bad.tolist()}")
    if not np.all(ours[~found] >= len(lookup)):
        raise SystemExit("resolve found rows that the plain join does not")

    started = time.perf_counter()
    materialise(result)
    decode_s = time.perf_counter() - started
    print(
        f"(decoding every answer column to plain arrays, as the CSV writer does, takes a "
        f"further {decode_s * 1000:.0f} ms)"
    )

    rows_per_s = args.rows / best["resolve"]
    print(
        f"against the stricter floor: strict_floor_rows_per_s="
        f"{args.rows / best['strict']:,.0f} ratio={best['resolve'] / best['strict']:.2f}x"
    )
    print(
        f"lookup rows={args.rows} rows_per_s={rows_per_s:,.0f} "
        f"floor_rows_per_s={args.rows / best['plain']:,.0f} "
        f"ratio={best['resolve'] / best['plain']:.2f}x"
    )


if __name__ == "__main__":
    main()
