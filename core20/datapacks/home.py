"""Data packs on the home page: generated versions waiting to be previewed and published."""

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from core20.accounts.authorization import own_sites, sites_where
from core20.accounts.permissions import Permission
from core20.datapacks.models import DataPack
from core20.web.dashboard import Shortcut, Waiting


def waiting(user) -> list[Waiting]:
    if not user.is_authenticated:
        return []
    sites = sites_where(user, Permission.DATA_PACK_PUBLISH)
    if sites is not None and not sites:
        return []
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
    rows = list(packs.values("site__slug").annotate(n=Count("pk")).order_by())
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
