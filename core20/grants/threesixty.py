"""Awards in the 360Giving Data Standard (https://standard.threesixtygiving.org/), as flat
CSV rows (the standard's spreadsheet column titles) and as the standard's JSON.

Identifiers use the publisher prefix ``PREFIX`` (360G-core20): a grant is
``360G-core20-<site slug>-<application id>``; a fund (grant programme) is
``360G-core20-<site slug>-FUND-<fund id>``; the funding organisation is the site
``360G-core20-<site slug>``. A recipient organisation is named by its charity number
(GB-CHC-…) or company number (GB-COH-…) where it gave one, otherwise
``360G-core20-<site slug>-ORG-<application id>``.

Grants to individuals follow 360Giving's privacy rules for individual recipients:

- ``Recipient Ind:Identifier`` is ``360G-core20-<site slug>-IND-<hash>``: an HMAC of the
  application's number keyed with SECRET_KEY, so it cannot be worked back to a person;
- ``Recipient Ind:Name`` is the generic "Individual Recipient";
- no Recipient Org fields, no charity or company numbers;
- Title and Description are generic (the fund's name and summary), never the applicant's
  own words, which could identify them;
- Beneficiary Location is generalised from wards to their local authority district.

Only awarded grants are published, and only for published sites.
"""

import csv
import hashlib
import hmac
import io
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from core20.grants.models import Application
from core20.places.models import Ward

PREFIX = "360G-core20"
INDIVIDUAL_NAME = "Individual Recipient"
DATA_SOURCE_PATH = "/grants/360giving.json"

COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Recipient Ind:Identifier",
    "Recipient Ind:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Beneficiary Location:0:Name",
    "Beneficiary Location:0:Geographic Code",
    "Beneficiary Location:0:Geographic Code Type",
    "Beneficiary Location:0:Country Code",
    "Beneficiary Location:1:Name",
    "Beneficiary Location:1:Geographic Code",
    "Beneficiary Location:1:Geographic Code Type",
    "Beneficiary Location:1:Country Code",
    "Beneficiary Location:2:Name",
    "Beneficiary Location:2:Geographic Code",
    "Beneficiary Location:2:Geographic Code Type",
    "Beneficiary Location:2:Country Code",
    "From An Open Call?",
    "Last Modified",
    "Data Source",
]
CSV_LOCATIONS = 3  # locations beyond the third are in the JSON only

# ONS entity code (first three characters) → the standard's geoCodeType codelist.
GEO_CODE_TYPES = {
    "E05": "WD",
    "W05": "WD",
    "S13": "WD",
    "E06": "UA",
    "W06": "UA",
    "E07": "NMD",
    "E08": "MD",
    "E09": "LONB",
    "S12": "CA",
}


def awards(site=None) -> QuerySet[Application]:
    """The awards to publish, oldest first, with everything the rows read loaded."""
    qs = Application.objects.filter(
        status=Application.Status.AWARDED,
        decided_on__lte=timezone.localdate(),
        fund__site__published=True,
    )
    if site is not None:
        qs = qs.filter(fund__site=site)
    return (
        qs.select_related("fund__site")
        .prefetch_related(Prefetch("wards", Ward.objects.select_related("lad").order_by("code")))
        .order_by("decided_on", "pk")
    )


def individual_identifier(application: Application) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"grant-application:{application.pk}".encode(), hashlib.sha256
    ).hexdigest()[:16]
    return f"{PREFIX}-{application.fund.site.slug}-IND-{digest}"


def organisation_identifier(application: Application) -> str:
    if application.charity_number:
        return f"GB-CHC-{application.charity_number.replace(' ', '').upper()}"
    if application.company_number:
        return f"GB-COH-{application.company_number.replace(' ', '').upper()}"
    return f"{PREFIX}-{application.fund.site.slug}-ORG-{application.pk}"


def geo_code_type(code: str) -> str:
    return GEO_CODE_TYPES.get(code[:3], "")


def locations(application: Application) -> list[dict]:
    """Wards for groups; their local authority districts (each once) for individuals."""
    places = []
    seen = set()
    for ward in application.wards.all():
        area = ward.lad if application.is_individual else ward
        if area is None or area.code in seen:
            continue
        seen.add(area.code)
        places.append(
            {
                "name": area.name,
                "geoCode": area.code,
                "geoCodeType": geo_code_type(area.code),
                "countryCode": "GB",
            }
        )
    return places


def _amount(value):
    """A JSON number: whole pounds as integers, otherwise pounds and pence."""
    return int(value) if value == value.to_integral_value() else float(value)


def grant(application: Application, base_url: str = "") -> dict:
    """One award in the standard's JSON shape."""
    fund = application.fund
    site = fund.site
    data = {
        "id": f"{PREFIX}-{site.slug}-{application.pk}",
        "title": application.title,
        "description": application.purpose,
        "currency": fund.currency,
        "amountAwarded": _amount(application.amount_awarded),
        "awardDate": application.decided_on.isoformat(),
    }
    if application.starts_on or application.ends_on:
        dates = {}
        if application.starts_on:
            dates["startDate"] = application.starts_on.isoformat()
        if application.ends_on:
            dates["endDate"] = application.ends_on.isoformat()
        data["plannedDates"] = [dates]
    if application.is_individual:
        data["title"] = f"Micro-grant to an individual from {fund.name}"
        data["description"] = fund.summary
        data["recipientIndividual"] = {
            "id": individual_identifier(application),
            "name": INDIVIDUAL_NAME,
        }
    else:
        org = {"id": organisation_identifier(application), "name": application.group_name}
        if application.charity_number:
            org["charityNumber"] = application.charity_number
        if application.company_number:
            org["companyNumber"] = application.company_number
        data["recipientOrganization"] = [org]
    data["fundingOrganization"] = [{"id": f"{PREFIX}-{site.slug}", "name": site.name}]
    data["grantProgramme"] = [{"code": f"{PREFIX}-{site.slug}-FUND-{fund.pk}", "title": fund.name}]
    places = locations(application)
    if places:
        data["beneficiaryLocation"] = places
    data["fromOpenCall"] = "Yes"
    data["lastModified"] = application.updated_at.astimezone(timezone.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    data["dataSource"] = f"{base_url.rstrip('/')}{DATA_SOURCE_PATH}"
    return data


def package(applications: Iterable[Application], base_url: str = "") -> dict:
    """The standard's JSON: ``{"grants": [...]}``."""
    return {"grants": [grant(a, base_url) for a in applications]}


def row(application: Application, base_url: str = "") -> dict:
    """One award as a CSV row: the standard's column titles, empty where nothing applies."""
    g = grant(application, base_url)
    out = dict.fromkeys(COLUMNS, "")
    amount = application.amount_awarded
    out.update(
        {
            "Identifier": g["id"],
            "Title": g["title"],
            "Description": g["description"],
            "Currency": g["currency"],
            "Amount Awarded": f"{amount:.2f}",
            "Award Date": g["awardDate"],
            "Funding Org:Identifier": g["fundingOrganization"][0]["id"],
            "Funding Org:Name": g["fundingOrganization"][0]["name"],
            "Grant Programme:Code": g["grantProgramme"][0]["code"],
            "Grant Programme:Title": g["grantProgramme"][0]["title"],
            "From An Open Call?": "Yes",
            "Last Modified": g["lastModified"],
            "Data Source": g["dataSource"],
        }
    )
    for dates in g.get("plannedDates", []):
        out["Planned Dates:Start Date"] = dates.get("startDate", "")
        out["Planned Dates:End Date"] = dates.get("endDate", "")
    if "recipientIndividual" in g:
        out["Recipient Ind:Identifier"] = g["recipientIndividual"]["id"]
        out["Recipient Ind:Name"] = g["recipientIndividual"]["name"]
    else:
        org = g["recipientOrganization"][0]
        out["Recipient Org:Identifier"] = org["id"]
        out["Recipient Org:Name"] = org["name"]
        out["Recipient Org:Charity Number"] = org.get("charityNumber", "")
        out["Recipient Org:Company Number"] = org.get("companyNumber", "")
    for i, place in enumerate(g.get("beneficiaryLocation", [])[:CSV_LOCATIONS]):
        out[f"Beneficiary Location:{i}:Name"] = place["name"]
        out[f"Beneficiary Location:{i}:Geographic Code"] = place["geoCode"]
        out[f"Beneficiary Location:{i}:Geographic Code Type"] = place["geoCodeType"]
        out[f"Beneficiary Location:{i}:Country Code"] = place["countryCode"]
    return out


def to_csv(applications: Iterable[Application], base_url: str = "") -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for application in applications:
        writer.writerow(row(application, base_url))
    return buffer.getvalue()
