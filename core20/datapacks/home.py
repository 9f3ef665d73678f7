"""Data packs on the home page: generated versions waiting to be previewed and published."""

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse

from core20.accounts.authorization import own_sites, sites_where
from core20.accounts.permissions import Permission
from core20.datapacks.models import DataPack
from core20.web.dashboard import Shortcut, Waiting


def ready_to_publish(sites: set[int] | None) -> QuerySet[DataPack]:
    """Generated versions waiting to be published at ``sites`` (ids, as ``sites_where``
    gives them; None for every site). The home page counts these and the index lists where
    they are, so both use this one rule."""
    # A ready version that a later one (ready or published) has overtaken no longer waits:
    # each area's newest generated version is the one to publish.
    overtaken = DataPack.objects.filter(
        site=OuterRef("site"),
        area_code=OuterRef("area_code"),
        version__gt=OuterRef("version"),
        status__in=(DataPack.Status.READY, DataPack.Status.PUBLISHED),
    )
    packs = DataPack.objects.filter(status=DataPack.Status.READY).exclude(Exists(overtaken))
    if sites is not None:
        packs = packs.filter(site_id__in=sites)
    return packs


def _waiting_rows(sites: set[int] | None) -> list[dict]:
    """Per site: its id, slug and number of versions waiting. One query."""
    packs = ready_to_publish(sites).values("site_id", "site__slug")
    return list(packs.annotate(n=Count("pk")).order_by())


def waiting_by_site(user) -> dict[int, int]:
    """{site id: number of versions waiting} at the sites where ``user`` may publish: one
    query, or none for people who publish nowhere."""
    sites = sites_where(user, Permission.DATA_PACK_PUBLISH)
    if sites is not None and not sites:
        return {}
    return {row["site_id"]: row["n"] for row in _waiting_rows(sites)}


def waiting(user) -> list[Waiting]:
    sites = sites_where(user, Permission.DATA_PACK_PUBLISH)
    if sites is not None and not sites:
        return []
    rows = _waiting_rows(sites)
    if len(rows) == 1:
        url = reverse("datapacks:site", args=[rows[0]["site__slug"]])
    else:
        url = reverse("datapacks:index")
    count = sum(row["n"] for row in rows)
    return [Waiting(count, "data pack to publish", "data packs to publish", url)]


def shortcuts(user) -> list[Shortcut]:
    if not user.is_authenticated:
        return []
    sites = own_sites(user, Permission.DATA_PACK_PUBLISH)
    if len(sites) != 1:
        return []
    (site,) = sites.values()
    return [
        Shortcut(
            "Generate a data pack",
            reverse("datapacks:generate", args=[site.slug]),
            f"{site.name}'s figures for the community, to preview and publish",
        )
    ]
