"""Demo community data packs: the demo site's pack, published, and one more version waiting
for the site lead to preview and publish.

Everything goes through core20.datapacks.actions as the demo site lead, so it is checked
and audited: ``start_generation`` makes each version (and queues its background task), and
the version is then worked out at once with the function that task runs
(``generation.execute_generation``), so the demo shows finished packs without waiting for
the worker. When the worker later takes the queued task, the pack is finished and the task
does nothing. ``publish`` then re-checks every count against disclosure control.

- The site's pack (all its target areas), version 1: generated and published yesterday.
- One more pack, version 1, generated yesterday afternoon and not published, so the site
  lead's home shows "1 data pack to publish": the site's target areas in one ward (the
  first such choice the generate form offers, ``areas.pack_areas``). The outcomes part
  chooses Core20 LSOAs as the target areas, so in the full demo it is the pack for the
  target areas in Brookside ward, part of the ward. Where there is no such choice (target
  areas chosen as wards), it is the first area offered (a target ward's pack); where the
  site offers no area at all, a second version of the site's pack waits instead.

A pack holds figures only; its languages (English, Urdu, Polish), its easy-read version and
its PDF are made from those figures when someone opens them (the PDF is cached once
published, never stored as a file), so this part saves no files.

The figures come from what earlier parts left in the database: the site's target areas and
indicator data (the outcomes part) and its published insights (the insights part). Sections
without data say "not yet available", as the app does for any site; the summary says which.

This part runs last. It puts in ``world.made``:

- ``"data_packs"``: {"published": DataPack, "waiting": DataPack}.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.text import get_text_list

from core20.accounts.management.demo import DEMO_DOMAIN
from core20.datapacks import actions, generation
from core20.datapacks.areas import IN_WARD, WARD, PackArea, pack_areas
from core20.datapacks.models import DataPack
from core20.datapacks.presentation import sections_by_key
from core20.insights.models import Insight
from core20.web.demo import DemoWorld

#: The public team contact printed in the packs (made up, like every demo address).
CONTACT = f"community.connectors@{DEMO_DOMAIN}"

# When the site lead did it (days ago, hour, minute): after the insights part's last
# publication ("you said, we did", at noon on a day before today).
GENERATED = (1, 14, 0)
PUBLISHED = (1, 14, 30)
WAITING_GENERATED = (1, 16, 0)


def _generate(world: DemoWorld, *, area_code: str = "") -> DataPack:
    """A new version, started as the site lead and worked out now (see the docstring)."""
    pack = actions.start_generation(
        site=world.site, by=world.users["site_lead"], area_code=area_code, contact=CONTACT
    )
    pack = generation.execute_generation(pack.pk)
    if pack.status != DataPack.Status.READY:
        problems = "; ".join(pack.errors) or pack.get_status_display()
        raise RuntimeError(f"The demo data pack {pack} was not generated: {problems}")
    return pack


def _date(pack: DataPack, generated, published=None) -> DataPack:
    """The actions stamp "now": move the version's times back (the audit keeps the real
    time), as the other parts do."""
    DataPack.objects.filter(pk=pack.pk).update(
        created_at=generated - timedelta(minutes=1),
        generated_at=generated,
        published_at=published,
    )
    return DataPack.objects.get(pk=pack.pk)


def _check_after_insights(world: DemoWorld, generated) -> None:
    """A pack shows the site's published insights: none may be published after it."""
    latest = (
        Insight.objects.filter(site=world.site, public=True)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if latest is not None and latest >= generated:
        raise ValueError(
            f"the demo's data pack is generated at {generated:%Y-%m-%d %H:%M}, before the "
            f"insight published at {latest:%Y-%m-%d %H:%M} that it shows"
        )


def _what_it_shows(pack: DataPack) -> str:
    """Which sections have figures: "who lives here and what connectors heard (health
    against England not yet available)"."""
    sections = sections_by_key(pack.content)

    def available(key: str) -> bool:
        return bool(sections.get(key, {}).get("available"))

    shown, missing = [], []
    (shown if available("places") else missing).append("who lives here")
    if available("clinical"):
        n = len(sections["clinical"]["data"]["facts"])
        shown.append(f"{n} health indicator{'s' if n != 1 else ''} against England")
    else:
        missing.append("health against England")
    (shown if available("insights") else missing).append("what connectors heard")
    if not shown:
        return "no figures yet"
    words = get_text_list(shown, "and")
    if missing:
        words += f" ({get_text_list(missing, 'and')} not yet available)"
    return words


def _waiting_area(world: DemoWorld) -> PackArea | None:
    """The area of the waiting pack: the first of the site's target areas in one ward that
    the generate form offers, else the first area it offers, else None (the site's pack)."""
    offered = pack_areas(world.site)
    return next((a for a in offered if a.kind == IN_WARD), offered[0] if offered else None)


def _what_waits(pack: DataPack, area: PackArea | None) -> str:
    """What waits, for the summary: "the pack for the target areas in Brookside ward (2
    neighbourhoods)", "North Tiny ward's pack" or "version 2 of the site's pack"."""
    if area is None:
        return f"version {pack.version} of the site's pack"
    if area.kind == WARD:
        return f"{pack.area_label} ward's pack"
    count = len(area.lsoas)
    label = area.label[:1].lower() + area.label[1:]
    return f"the pack for the {label} ({count} neighbourhood{'s' if count != 1 else ''})"


def load(world: DemoWorld) -> None:
    lead = world.users["site_lead"]
    generated = world.days_ago(*GENERATED)
    _check_after_insights(world, generated)

    published = _generate(world)
    published = actions.publish(pack=published, by=lead)
    published = _date(published, generated, world.days_ago(*PUBLISHED))

    area = _waiting_area(world)
    waiting = _generate(world, area_code=area.code if area else "")
    what_waits = _what_waits(waiting, area)
    waiting = _date(waiting, world.days_ago(*WAITING_GENERATED))

    world.made["data_packs"] = {"published": published, "waiting": waiting}
    world.summary.append(
        f"Data packs: the site's pack published (version {published.version}: "
        f"{_what_it_shows(published)}), as a page, an easy read and a PDF in English, Urdu "
        f"and Polish; {what_waits} generated and waiting for the site lead to publish"
    )
