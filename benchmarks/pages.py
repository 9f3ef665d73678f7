"""Server time of the busiest pages at national scale, on PostgreSQL.

Seeds the PostgreSQL database in ``DATABASE_URL`` (created if missing; use a database of its
own such as ``pages``: the script migrates it) once with a national-scale programme, then
times pages through Django's test ``Client`` (the whole request inside Django: middleware,
views, queries and templates; no network):

* 42 sites, 5,000 connectors (about 119 per site), a site lead and host coordinator per site,
  a national admin, 3 decision bodies per site with an organisation and a decision-maker each;
* 1,000,000 activities spread over the sites and their connectors (2024-2026);
* 200,000 insights (half of them routed to one of the site's decision bodies, most of those
  answered, some with actions; 10% published on "you said, we did").

Bulk rows are written by PostgreSQL itself (``INSERT … SELECT … FROM generate_series``),
the rest with ``bulk_create``; then ``ANALYZE``. A second run finds the data and only times.

Timed (``--requests`` each, default 40, after 3 warm-up requests; pages picked across the
first 20 of each list):

========================  ===================================================================
``activity_list``         /activities/ as a site's host coordinator (about 24,000 activities)
``activity_list_national`` /activities/ as the national admin (all 1,000,000)
``insight_list``          /insights/ as a site lead (about 4,800 insights)
``insight_list_national`` /insights/ as the national admin (all 200,000)
``site_dashboard``        /activities/sites/<slug>/ as the site lead
``public_page``           /insights/sites/<slug>/you-said-we-did/, anonymous
========================  ===================================================================

Each line: ``pages page=NAME p50_ms=… p95_ms=… max_ms=… n=…``; the last line
``pages worst_p95_ms=… target_ms=200``. Target: p95 ≤ 200 ms for each page.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:55432/pages uv run python benchmarks/pages.py``
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SITES = 42
CONNECTORS = 5_000
ACTIVITIES = 1_000_000
INSIGHTS = 200_000
BODIES_PER_SITE = 3


def ensure_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def seed() -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core20.accounts.models import Membership, User
    from core20.insights.models import DecisionBody
    from core20.programme.models import Organisation, Programme, Site, Wave

    started = time.perf_counter()
    UNUSABLE = make_password(None)
    with transaction.atomic():
        programme, _ = Programme.objects.get_or_create(
            slug="pages-bench", defaults={"name": "Pages bench", "summary": "Benchmark"}
        )
        wave, _ = Wave.objects.get_or_create(
            programme=programme, number=98, defaults={"name": "Bench wave", "period": "26/27"}
        )
        sites = Site.objects.bulk_create(
            Site(
                wave=wave,
                name=f"Bench site {i:02d}",
                slug=f"bench-site-{i:02d}",
                kind="ics",
                summary="Benchmark site",
                status="active",
            )
            for i in range(SITES)
        )
        users = User.objects.bulk_create(
            [
                User(
                    email=f"connector{i}@bench.invalid",
                    username=f"connector{i}@bench.invalid",
                    full_name=f"Connector {i}",
                    password=UNUSABLE,
                )
                for i in range(CONNECTORS)
            ]
            + [
                User(
                    email=f"{role}{i}@bench.invalid",
                    username=f"{role}{i}@bench.invalid",
                    full_name=f"{role} {i}",
                    password=UNUSABLE,
                )
                for i in range(SITES)
                for role in ("lead", "coordinator")
            ]
            + [
                User(
                    email="admin@bench.invalid",
                    username="admin@bench.invalid",
                    full_name="Admin",
                    password=UNUSABLE,
                )
            ]
        )
        connectors, rest = users[:CONNECTORS], users[CONNECTORS:]
        memberships = [
            Membership(user=u, role="connector", site=sites[i % SITES])
            for i, u in enumerate(connectors)
        ]
        for i, site in enumerate(sites):
            memberships.append(Membership(user=rest[2 * i], role="site_lead", site=site))
            memberships.append(Membership(user=rest[2 * i + 1], role="host_coordinator", site=site))
        admin = rest[-1]
        memberships.append(Membership(user=admin, role="national_admin"))
        TOTPDevice.objects.create(user=admin, name="bench", confirmed=True)
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Bench organisation {i}", slug=f"bench-organisation-{i}", kind="nhs")
            for i in range(SITES * BODIES_PER_SITE)
        )
        DecisionBody.objects.bulk_create(
            DecisionBody(
                site=sites[i // BODIES_PER_SITE],
                organisation=org,
                name=f"Bench body {i}",
                kind="pcn",
            )
            for i, org in enumerate(organisations)
        )
        Membership.objects.bulk_create(memberships)
    print(f"seeded sites, people and bodies in {time.perf_counter() - started:.1f}s", flush=True)

    first_site = sites[0].pk
    first_connector = connectors[0].pk
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        # Connector c works at site c % 42 (as the memberships above); activity g is by
        # connector g % 5000, so at that connector's site.
        cursor.execute(
            f"""
            INSERT INTO engagement_activity (uuid, site_id, recorded_by_id, date, kind, venue,
                place, lsoa, imd_decile, core20, deprivation_edition, people_reached,
                breakdown, mecc_conversations, case_finding, languages, partners, notes,
                external_id, created_at, updated_at)
            SELECT gen_random_uuid(), {first_site} + (g % {CONNECTORS}) % {SITES},
                {first_connector} + g % {CONNECTORS},
                DATE '2024-01-01' + (g::bigint * 7919 % 1000)::int, (ARRAY['event','outreach',
                'conversation','training','other'])[1 + g % 5], 'Community centre', '', '',
                1 + g % 10, g % 10 < 2, 'IoD2025', 1 + g % 60, '{{}}'::jsonb, g % 5,
                '{{}}'::jsonb, '', '', '', '', now(), now()
            FROM generate_series(0, {ACTIVITIES - 1}) AS g
            """  # noqa: S608 (numbers from this file only)
        )
        print(
            f"inserted {ACTIVITIES:,} activities in {time.perf_counter() - started:.1f}s",
            flush=True,
        )
        started = time.perf_counter()
        cursor.execute(
            f"""
            INSERT INTO insights_insight (site_id, kind, summary, services, places,
                people_count, raised_by_id, raised_at, public, public_title, what_changed,
                published_at, updated_at)
            SELECT {first_site} + (g % {CONNECTORS}) % {SITES},
                (ARRAY['barrier','enabler','idea','experience'])[1 + g % 4],
                'People said the phone line is jammed at 8am and they give up (' || g || ').',
                '', '', 1 + g % 40, {first_connector} + g % {CONNECTORS},
                TIMESTAMPTZ '2024-01-01' + (g::bigint * 7919 % 1000)::int * INTERVAL '1 day',
                g % 10 = 0,
                CASE WHEN g % 10 = 0 THEN 'Phones jammed at 8am' ELSE '' END,
                CASE WHEN g % 10 = 0 THEN 'A 10am phone line' ELSE '' END,
                CASE WHEN g % 10 = 0 THEN TIMESTAMPTZ '2026-01-01' + g * INTERVAL '1 minute'
                END, now()
            FROM generate_series(0, {INSIGHTS - 1}) AS g
            """  # noqa: S608 (numbers from this file only)
        )
        # Half the insights go to one of their site's bodies; 80% of those are answered.
        cursor.execute(
            f"""
            INSERT INTO insights_routing (insight_id, body_id, message, routed_by_id,
                routed_at, due_on, base_url, first_response_at)
            SELECT i.id, b.id, '', NULL, i.raised_at, (i.raised_at + INTERVAL '28 days')::date,
                '', CASE WHEN i.id % 5 <> 0 THEN i.raised_at + (i.id % 30) * INTERVAL '1 day'
                END
            FROM insights_insight i
            JOIN LATERAL (
                SELECT id FROM insights_decisionbody d WHERE d.site_id = i.site_id
                ORDER BY d.id OFFSET i.id % {BODIES_PER_SITE} LIMIT 1
            ) b ON true
            WHERE i.id % 2 = 0
            """  # noqa: S608 (numbers from this file only)
        )
        cursor.execute(
            """
            INSERT INTO insights_response (routing_id, kind, text, reason, responded_at)
            SELECT id, CASE WHEN id % 3 = 0 THEN 'action_agreed' ELSE 'acknowledged' END,
                '', '', first_response_at
            FROM insights_routing WHERE first_response_at IS NOT NULL
            """
        )
        cursor.execute(
            """
            INSERT INTO insights_action (routing_id, description, owner, due_on, status,
                created_at, updated_at)
            SELECT routing_id, 'Open a 10am line', 'Practice manager',
                (responded_at + INTERVAL '60 days')::date,
                (ARRAY['planned','in_progress','done'])[1 + routing_id % 3], now(), now()
            FROM insights_response WHERE kind = 'action_agreed'
            """
        )
        print(
            f"inserted {INSIGHTS:,} insights with routings, responses and actions in "
            f"{time.perf_counter() - started:.1f}s",
            flush=True,
        )


def timed(client, urls: list[str], requests: int) -> list[float]:
    for url in urls[:3]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for i in range(requests):
        url = urls[i % len(urls)]
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own, e.g. .../pages")
    ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core20.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core20.accounts.models import User
    from core20.engagement.models import Activity
    from core20.programme.models import Site

    call_command("migrate", verbosity=0)
    setup_test_environment()  # allows the test client's host; DEBUG off (no query log)
    settings.DEBUG = False
    if not Activity.objects.filter(site__slug="bench-site-00").exists():
        with transaction.atomic():  # all or nothing, so a failed seed can simply rerun
            seed()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would after the inserts
    site = Site.objects.get(slug="bench-site-00")

    def client_for(email: str | None) -> Client:
        client = Client()
        if email:
            user = User.objects.get(email=email)
            client.force_login(user)
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device:
                session = client.session
                session["otp_device_id"] = device.persistent_id
                session.save()
        return client

    rng = random.Random(2026)
    pages = [rng.randint(1, 20) for _ in range(10)]
    plans = {
        "activity_list": ("coordinator0@bench.invalid", "/activities/?page={}"),
        "activity_list_national": ("admin@bench.invalid", "/activities/?page={}"),
        "insight_list": ("lead0@bench.invalid", "/insights/?page={}"),
        "insight_list_national": ("admin@bench.invalid", "/insights/?page={}"),
        "site_dashboard": ("lead0@bench.invalid", f"/activities/sites/{site.slug}/?p={{}}"),
        "public_page": (None, f"/insights/sites/{site.slug}/you-said-we-did/?page={{}}"),
        # The signed-in home page: what is waiting, counted over every site (national) or
        # one site's records (site lead). "?p=" only varies the URL.
        "home_national": ("admin@bench.invalid", "/?p={}"),
        "home_site_lead": ("lead0@bench.invalid", "/?p={}"),
    }
    worst = 0.0
    for name, (email, pattern) in plans.items():
        times = timed(client_for(email), [pattern.format(p) for p in pages], args.requests)
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
        worst = max(worst, p95)
        print(
            f"pages page={name} p50_ms={p50:.0f} p95_ms={p95:.0f} max_ms={max(times):.0f} "
            f"n={len(times)}",
            flush=True,
        )
    print(f"pages worst_p95_ms={worst:.0f} target_ms=200")


if __name__ == "__main__":
    main()
