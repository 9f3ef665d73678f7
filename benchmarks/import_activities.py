"""Throughput of the activities import: 1,000,000 rows into PostgreSQL through the product's
own code path, against a PostgreSQL ``COPY`` of the same rows.

What it does, against the PostgreSQL database in ``DATABASE_URL`` (created if missing; it
should be a database of its own, such as ``bench``: the script migrates it and empties the
activities tables first):

* writes a CSV of ``--rows`` synthetic activities once (``benchmarks/out/``, gitignored):
  external ids, dates over 2024-2026, the eleven types, people reached 1-60 with age-band
  and sex counts that add up to no more, MECC and case-finding counts, postcodes sampled
  from the shipped NSPL slices (10% blank), one to three clinical areas and up to two
  communities, short notes;
* times ``core20.engagement.runs.execute_run`` on an import ``ActivityRun`` of that file:
  exactly what the import page's background task runs (read, check every column, resolve
  every postcode to LSOA and Core20, COPY the activities and their clinical-area and
  community links, audit), all in one transaction;
* times the floor: ``COPY`` of the same activity rows, as stored (read back from the table
  with ``COPY ... TO``), into a table made ``LIKE engagement_activity INCLUDING ALL`` (the
  same columns, defaults and indexes; no foreign keys).

The places lookup is built from the shipped reference files (the same table the app builds
from the same data in its database), so the benchmark database needs no reference-data
import.

The last line: ``import_activities rows=N import_s=... rows_per_s=... copy_s=...
vs_copy=...x`` (vs_copy = import_s / copy_s). Targets: rows_per_s ≥ 20,000 and vs_copy ≤ 5.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench uv run python
benchmarks/import_activities.py [--rows 1000000]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out"


def ensure_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def make_csv(rows: int, postcodes: np.ndarray, path: Path, seed: int = 2026) -> None:
    from core20.engagement.models import ActivityType

    rng = np.random.default_rng(seed)
    reached = rng.integers(1, 61, size=rows)
    young = rng.integers(0, 2, size=rows) * (reached // 3)
    adults = reached // 2
    female = reached // 2
    days = rng.integers(0, 365 * 3 - 60, size=rows)
    dates = (np.datetime64("2024-01-01") + days).astype(str)
    types = np.array(ActivityType.values)[rng.integers(0, len(ActivityType.values), size=rows)]
    picked = postcodes[rng.integers(0, len(postcodes), size=rows)].astype(object)
    picked[rng.random(rows) < 0.1] = ""
    areas = np.array(
        [
            "hypertension",
            "severe-mental-illness",
            "hypertension;early-cancer-diagnosis",
            "maternity;smoking-cessation;hypertension",
        ]
    )[rng.integers(0, 4, size=rows)]
    groups = np.array(
        ["", "coastal-communities", "ethnic-minority-communities;coastal-communities"]
    )[rng.integers(0, 3, size=rows)]
    notes = np.array(["", "Stall at the market", "Mosque open day, with the PCN"])[
        rng.integers(0, 3, size=rows)
    ]
    table = pa.table(
        {
            "external_id": pa.array(np.char.add("BENCH-", np.arange(rows).astype(str))),
            "date": pa.array(dates),
            "type": pa.array(types),
            "people_reached": pa.array(reached),
            "postcode": pa.array(picked, pa.string()),
            "clinical_areas": pa.array(areas),
            "communities": pa.array(groups),
            "age_0_17": pa.array(young),
            "age_25_44": pa.array(adults),
            "sex_female": pa.array(female),
            "mecc_conversations": pa.array(rng.integers(0, 5, size=rows)),
            "bp_checks_offered": pa.array(rng.integers(0, 10, size=rows)),
            "notes": pa.array(notes),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pcsv.write_csv(table, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own, e.g. .../bench")
    ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core20.settings.local")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from core20.accounts.models import Membership, User
    from core20.engagement import places, runs
    from core20.engagement.models import Activity, ActivityRun
    from core20.places.lookup.files import read_frames, read_postcodes
    from core20.places.lookup.table import build_lookup_table
    from core20.programme.models import ClinicalArea, PlusGroup, Programme, Site, Wave

    call_command("migrate", verbosity=0)
    lookup = build_lookup_table(read_frames())
    places.get_lookup_table = lambda: lookup  # the same table, built from the same files

    source = OUT / f"activities_{args.rows}.csv"
    if not source.exists():
        postcodes = read_postcodes()["display"].to_numpy()
        make_csv(args.rows, postcodes, source)
        print(f"wrote {source}", flush=True)

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE engagement_activity_area, engagement_activity_community, "
            "engagement_signpostingcount, engagement_activity CASCADE"
        )
    for code in (
        "hypertension",
        "severe-mental-illness",
        "early-cancer-diagnosis",
        "maternity",
        "smoking-cessation",
    ):
        ClinicalArea.objects.get_or_create(code=code, defaults={"name": code, "group": "adult"})
    for code in ("coastal-communities", "ethnic-minority-communities"):
        PlusGroup.objects.get_or_create(code=code, defaults={"name": code})
    programme, _ = Programme.objects.get_or_create(
        slug="bench", defaults={"name": "Bench", "summary": "Benchmark"}
    )
    wave, _ = Wave.objects.get_or_create(
        programme=programme, number=99, defaults={"name": "Bench wave", "period": "26/27"}
    )
    site, _ = Site.objects.get_or_create(
        slug="bench-site",
        defaults={"wave": wave, "name": "Bench site", "kind": "ics", "summary": "Benchmark"},
    )
    user, _ = User.objects.get_or_create(
        email="bench-coordinator@example.org",
        defaults={"username": "bench-coordinator@example.org", "full_name": "Bench"},
    )
    Membership.objects.get_or_create(user=user, role="host_coordinator", site=site)

    upload = OUT / "activities_upload.csv"
    shutil.copyfile(source, upload)  # the run deletes its upload when it finishes
    run = ActivityRun.objects.create(
        site=site, kind="import", file_name=source.name, file_path=str(upload), started_by=user
    )
    # Time each phase the run reports (reading, checking, places, writing, ...).
    phases: list[tuple[float, str]] = []
    update = runs._update

    def timed_update(run_id: int, **fields) -> None:
        phase = fields.get("phase")
        if phase and (not phases or phases[-1][1] != phase):
            phases.append((time.perf_counter(), phase))
        update(run_id, **fields)

    runs._update = timed_update
    start = time.perf_counter()
    run = runs.execute_run(run.pk)
    import_s = time.perf_counter() - start
    runs._update = update
    for (at, phase), (until, _) in zip(phases, [*phases[1:], (start + import_s, "")], strict=True):
        print(f"  phase {phase!r}: {until - at:.2f}s", flush=True)
    if run.status != ActivityRun.Status.SUCCEEDED:
        sys.exit(f"import failed: {run.summary} {run.errors[:5]}")
    stored = Activity.objects.filter(import_run=run).count()
    assert stored == args.rows, (stored, args.rows)
    print(f"import: {run.summary} in {import_s:.2f}s", flush=True)

    # The floor: COPY the same rows, as stored, into a table like the activities table.
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        data = bytearray()
        with cursor.copy(
            "COPY (SELECT * FROM engagement_activity WHERE import_run_id = %s) TO STDOUT",
            [run.pk],
        ) as copy:
            for chunk in copy:
                data += chunk
        with transaction.atomic():
            cursor.execute("DROP TABLE IF EXISTS bench_copy")
            cursor.execute("CREATE TABLE bench_copy (LIKE engagement_activity INCLUDING ALL)")
        with transaction.atomic():
            start = time.perf_counter()
            with cursor.copy("COPY bench_copy FROM STDIN") as copy:
                view = memoryview(data)
                for i in range(0, len(view), 1 << 22):
                    copy.write(view[i : i + (1 << 22)])
            copy_s = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_copy")
    upload.unlink(missing_ok=True)
    print(
        f"import_activities rows={args.rows} import_s={import_s:.2f} "
        f"rows_per_s={args.rows / import_s:,.0f} copy_s={copy_s:.2f} "
        f"vs_copy={import_s / copy_s:.1f}x"
    )


if __name__ == "__main__":
    main()
