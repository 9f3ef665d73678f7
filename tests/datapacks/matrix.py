"""Who may open each data pack page (merged into tests/test_permission_matrix.py).

Published packs and open data are public wherever the site is visible. Drafts (generated,
not yet published) are for people who publish the site's packs (DATA_PACK_PUBLISH: the
site's lead and national admins); to everyone else a draft does not exist (404). Generating
needs the same permission; publishing is POST only.
"""

from core20.accounts.roles import ROLES
from core20.datapacks.models import DataPack
from tests.access import ANON, DENIED, GONE, LOGIN, METHOD, OK, REDIRECT, Case, only, public
from tests.datapacks.helpers import make_pack

PUBLISHERS = ("national_admin", "site_lead")
NATIONAL = ("national_admin", "national_analyst")


def packs(w):
    """A published and a draft pack at the home site, made once per world."""
    if not hasattr(w, "_packs"):
        w._packs = (
            make_pack(w.site, status=DataPack.Status.PUBLISHED, version=1),
            make_pack(w.site, status=DataPack.Status.READY, version=2),
        )
    return w._packs


def _published(w):
    return {"slug": w.site.slug, "pk": packs(w)[0].pk}


def _draft(w):
    return {"slug": w.site.slug, "pk": packs(w)[1].pk}


def _home(w):
    packs(w)
    return {"slug": w.site.slug}


def _publishers_only(others=GONE):
    return {ANON: others, **{r: OK if r in PUBLISHERS else others for r in ROLES}}


MATRIX = {
    "datapacks:index": [Case(public())],
    "datapacks:site": [
        Case(public(), kwargs=_home),
        Case(
            {ANON: GONE, **{r: OK if r in NATIONAL else GONE for r in ROLES}},
            kwargs=lambda w: {"slug": w.unpublished_site.slug},
        ),
    ],
    "datapacks:generate": [
        Case(only(*PUBLISHERS), kwargs=_home),
        Case(only("national_admin"), kwargs=lambda w: {"slug": w.other_site.slug}),
    ],
    "datapacks:pack": [
        Case(public(), kwargs=_published),
        Case(_publishers_only(), kwargs=_draft),
    ],
    "datapacks:pack-progress": [Case(_publishers_only(), kwargs=_draft)],
    "datapacks:publish": [
        Case({ANON: LOGIN, **dict.fromkeys(ROLES, METHOD)}, kwargs=_draft),
        # POSTing for an already published version: publishers are sent back to it with
        # a message; anyone else may not publish.
        Case(
            {ANON: LOGIN, **{r: REDIRECT if r in PUBLISHERS else DENIED for r in ROLES}},
            kwargs=_published,
            method="post",
        ),
    ],
    "datapacks:easy-read": [
        Case(public(), kwargs=_published),
        Case(_publishers_only(), kwargs=_draft),
    ],
    "datapacks:pack-pdf": [Case(public(), kwargs=_published)],
    "datapacks:open-data": [Case(public(), kwargs=_home)],
    "datapacks:open-data-csv": [Case(public(), kwargs=_home)],
    "datapacks:open-data-json": [Case(public(), kwargs=_home)],
    "api-1.0.0:site_open_data": [Case(public(), kwargs=_home)],
    "api-1.0.0:site_packs": [Case(public(), kwargs=_home)],
}
