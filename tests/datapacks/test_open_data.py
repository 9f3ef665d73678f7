"""Open data: the latest published packs' protected counts as CSV, JSON and the API, with
the schema on the page and in the OpenAPI document; translations compiled and complete."""

import csv
import gettext
import io
import json
import re
from pathlib import Path

from django.test import Client
from django.urls import reverse

from core20.datapacks import opendata
from core20.datapacks.models import DataPack
from tests.datapacks.helpers import make_pack

LOCALE = Path(__file__).resolve().parents[2] / "core20" / "datapacks" / "locale"


def _packs(site):
    make_pack(site, status=DataPack.Status.PUBLISHED, version=1, counts={1: 999})
    # The latest published version: decile 2's 3 people are hidden, and so is decile 1
    # (secondary); the total 1,003 is rounded to 1,005.
    make_pack(site, status=DataPack.Status.PUBLISHED, version=2, counts={1: 1000, 2: 3})
    make_pack(site, status=DataPack.Status.READY, version=3, counts={1: 50})  # a draft


def test_csv_and_json_hold_the_same_protected_rows_of_the_latest_published_pack(site):
    _packs(site)
    client = Client()
    response = client.get(reverse("datapacks:open-data-csv", args=[site.slug]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == opendata.FIELDS
    assert {r["pack_version"] for r in rows} == {"2"}
    by_category = {r["category"]: r for r in rows}
    assert (by_category["1"]["value"], by_category["2"]["value"]) == ("", "")
    assert by_category["2"]["status"].startswith("primary")
    assert by_category["1"]["status"].startswith("secondary")
    assert by_category["Total"]["value"] == "1005"
    data = json.loads(client.get(reverse("datapacks:open-data-json", args=[site.slug])).content)
    assert [str(r["value"] if r["value"] is not None else "") for r in data["rows"]] == [
        r["value"] for r in rows
    ]
    assert "Open Government Licence v3.0" in data["licence"]
    assert [f["field"] for f in data["schema"]] == opendata.FIELDS


def test_the_api_gives_the_same_rows_and_documents_the_schema(site):
    _packs(site)
    client = Client()
    api = client.get(f"/api/v1/data-packs/sites/{site.slug}/open-data").json()
    page_rows = json.loads(
        client.get(reverse("datapacks:open-data-json", args=[site.slug])).content
    )["rows"]
    assert api["rows"] == page_rows
    packs = client.get(f"/api/v1/data-packs/sites/{site.slug}/packs").json()
    assert [p["version"] for p in packs] == [2, 1]  # drafts never appear
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["OpenDataRow"]
    assert (
        schema["properties"]["value"]["description"]
        == {n: d for n, _t, d in opendata.SCHEMA}["value"]
    )
    assert client.get("/api/v1/data-packs/sites/no-such-site/open-data").status_code == 404


def test_the_page_shows_the_schema_and_the_licence(site):
    _packs(site)
    page = Client().get(reverse("datapacks:open-data", args=[site.slug])).content.decode()
    for name in opendata.FIELDS:
        assert f"<code>{name}</code>" in page
    assert "Open Government Licence v3.0" in page and "Office for National Statistics" in page


def test_an_unpublished_site_has_no_open_data_for_the_public(world):
    address = reverse("datapacks:open-data-csv", args=[world.unpublished_site.slug])
    assert Client().get(address).status_code == 404


def _msgids(po: str) -> list[tuple[str | None, str]]:
    """Every (msgctxt, msgid) in a .po file, joining continued lines."""
    blocks = re.findall(r'^(?:msgctxt (".*")\n)?msgid ((?:".*"\n)+)', po, flags=re.MULTILINE)
    found = []
    for context, block in blocks:
        msgid = "".join(json.loads(p) for p in block.splitlines())
        if msgid:
            found.append((json.loads(context) if context else None, msgid))
    return found


def test_every_translation_is_compiled_and_complete():
    for lang in ("ur", "pl"):
        po = (LOCALE / lang / "LC_MESSAGES" / "django.po").read_text()
        with (LOCALE / lang / "LC_MESSAGES" / "django.mo").open("rb") as fh:
            catalog = gettext.GNUTranslations(fh)
        msgids = _msgids(po)
        assert len(msgids) > 50
        assert any(context for context, _ in msgids)  # entries with a context are checked too
        for context, msgid in msgids:
            # Untranslated (or a .mo older than the .po) gives the English back.
            translated = catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)
            assert translated != msgid, f"{lang}: {msgid!r} is not translated"
