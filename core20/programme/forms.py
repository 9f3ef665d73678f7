"""Forms for the programme pages: the site list's filters, and creating and editing waves,
sites and organisations. Labels, hints and messages are written for the people using them.

The forms only check and collect input; core20.programme.actions saves it and audits it.
"""

import difflib
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import slugify

from core20.places.icbs import offer_icbs
from core20.places.lookup.cache import get_lookup_table
from core20.places.lookup.editions import postcode_directory_edition
from core20.places.lookup.resolve import resolve_one
from core20.places.lookup.table import PATTERNS
from core20.places.models import LSOAHealthMembership, Postcode, Region, normalise_postcode
from core20.programme.actions import ORGANISATION_FIELDS, SITE_FIELDS, SITE_LEAD_FIELDS, WAVE_FIELDS
from core20.programme.models import (
    RESERVED_SLUGS,
    ClinicalArea,
    Organisation,
    PlusGroup,
    Programme,
    Site,
    SiteOrganisation,
    Wave,
)
from core20.web.forms import NHSBoundField, grouped_choices

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"
URL_INVALID = "Enter a web address in the correct format, like https://www.example.org"
SLUG_INVALID = "The web address can only contain lower-case letters, numbers and hyphens"


def _limit(field: forms.Field, what: str, max_length: int | None = None) -> None:
    if max_length:
        field.error_messages["max_length"] = f"{what} must be {max_length} characters or fewer"


class SlugMixin:
    """A "web address" field that is made from the name when left blank."""

    slug_help = (
        "The last part of the page's address, for example <code>somerset</code>. Leave this "
        "blank to make one from the name."
    )

    def clean_slug(self):
        slug = (self.cleaned_data.get("slug") or "").strip().lower()
        if not slug:
            name = self.cleaned_data.get("name") or ""
            slug = slugify(name)[:200].strip("-")
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                f"“{slug}” is used by the service itself. Enter a different web address."
            )
        return slug


# ---- filters ----


class FilterBoundField(NHSBoundField):
    """Every filter may be left empty, so none is labelled "(optional)"."""

    @property
    def is_optional(self) -> bool:
        return False


class SiteFilterForm(forms.Form):
    """The site list's filters (GET). Regions, clinical areas and communities are chosen by
    their codes, so links to a filtered list can be shared and kept."""

    bound_field_class = FilterBoundField

    q = forms.CharField(
        label="Name or place",
        required=False,
        max_length=100,
        help_text="A site, postcode, local authority or ward, for example Somerset or TF3 4AB",
    )
    wave = forms.ModelChoiceField(
        label="Wave",
        queryset=Wave.objects.none(),
        required=False,
        empty_label="Any wave",
    )
    region = forms.ModelChoiceField(
        label="NHS region",
        queryset=Region.objects.all(),
        required=False,
        empty_label="Any region",
        to_field_name="code",
    )
    area = forms.ModelChoiceField(
        label="Clinical area",
        queryset=ClinicalArea.objects.filter(site__isnull=True),
        required=False,
        empty_label="Any clinical area",
        to_field_name="code",
    )
    community = forms.ModelChoiceField(
        label="Community (PLUS group)",
        queryset=PlusGroup.objects.filter(site__isnull=True).select_related("parent"),
        required=False,
        empty_label="Any community",
        to_field_name="code",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = Wave.objects.order_by("number", "pk")
        for name, message in (
            ("wave", "Choose a wave from the list"),
            ("region", "Choose an NHS region from the list"),
            ("area", "Choose a clinical area from the list"),
            ("community", "Choose a community from the list"),
        ):
            self.fields[name].error_messages["invalid_choice"] = message
        self.fields["q"].error_messages["max_length"] = "Enter 100 characters or fewer"
        self.places = {}
        self.fields["community"].label_from_instance = lambda g: (
            f"{g.parent.name}: {g.name}" if g.parent_id else g.name
        )

    #: Where the postcode searched for is (``filter`` sets it), so the page can say so, or
    #: that it was not found; None when the search was not for a full postcode.
    postcode: "PostcodeAnswer | None" = None
    #: The places the text searched for names, by the id of each site covering them
    #: ({12: ["Wellington ward, Somerset"]}), so each site found through a place can say
    #: which (``filter`` sets it; empty when no place matched).
    places: dict[int, list[str]]

    @property
    def text(self) -> str:
        """The "Name or place" searched for, trimmed ("" when none, or the form is invalid)."""
        if not self.is_bound or not self.is_valid():
            return ""
        return (self.cleaned_data.get("q") or "").strip()

    def filter(self, sites):
        """Apply the filters to a queryset of sites (call after is_valid)."""
        self.postcode = None
        self.places = {}
        q = self.text
        if q:
            self.postcode = _postcode_answer(q)
            if self.postcode is not None and self.postcode.found:
                self.places = _sites_covering_postcode(self.postcode)
            elif len(q) >= PLACE_MIN_LENGTH:
                self.places = places_named(q)
            sites = sites.filter(
                Q(name__icontains=q)
                | Q(local_name__icontains=q)
                | Q(place__icontains=q)
                | Q(target_places__icontains=q)
                # "Midlands" or "North West": the NHS region a site is in (a subquery, so a
                # site in two matching regions is listed once).
                | Q(pk__in=_sites_in_regions_named(q))
                # A postcode, local authority or ward: the sites whose ICBs cover it.
                | Q(pk__in=list(self.places))
            )
        return self.filter_others(sites)

    def filter_others(self, sites):
        """Apply every filter but "Name or place" (call after is_valid)."""
        data = self.cleaned_data
        if data.get("wave"):
            sites = sites.filter(wave=data["wave"])
        if data.get("region"):
            sites = sites.filter(regions=data["region"])
        if data.get("area"):
            sites = sites.filter(focus_areas=data["area"])
        if data.get("community"):
            # A group includes its sub-groups: "Inclusion health groups" finds sites working
            # with people experiencing homelessness, too.
            group = data["community"]
            sites = sites.filter(Q(communities=group) | Q(communities__parent=group)).distinct()
        return sites

    def suggestions(self, sites) -> list[str]:
        """Up to three names close to a misspelt search ("Telfrod": ["Telford and Wrekin"]),
        from the names the search matches against, among ``sites`` (those the visitor may
        see) with the other filters applied, so that each suggestion finds a site. Call
        only when a text search found nothing: it reads every place name those sites cover
        (three queries)."""
        q = self.text
        if len(q) < PLACE_MIN_LENGTH or self.postcode is not None:
            return []
        sites = self.filter_others(sites)
        site_names = [
            name for pair in sites.values_list("name", "local_name") for name in pair if name
        ]
        regions = Region.objects.filter(
            pk__in=Site.regions.through.objects.filter(site__in=sites).values("region_id")
        ).values_list("name", flat=True)
        places = (
            LSOAHealthMembership.objects.current()
            .filter(icb__in=Site.icbs.through.objects.filter(site__in=sites).values("icb_id"))
            .values_list("lsoa__lad__name", "lsoa__ward__name")
            .distinct()
        )
        place_names = {name for pair in places for name in pair if name}
        # Sites, regions and places are all found by any word of their name.
        return close_names(q, [*site_names, *regions, *sorted(place_names)], [])


# How alike a misspelling and a name must be to suggest the name (difflib's ratio: "Telfrod"
# and "Telford" score 0.86, "Sunderlnd" and "Sunderland" 0.95; 0.6, difflib's default,
# suggests names that merely share a few letters, 0.8 "Port" for "Nwport").
SUGGESTION_CUTOFF = 0.82


def close_names(text: str, anywhere: list[str], leading: list[str], n: int = 3) -> list[str]:
    """Up to ``n`` names close to ``text``, best first. The search finds ``anywhere`` names
    (sites) by any of their words and ``leading`` names (regions, councils, wards) by their
    start, so a name is compared whole and by its runs of as many words as ``text`` has:
    "Telfrod" is close to "Telford", the first word of "Telford and Wrekin", which is
    suggested. Where several names share the close words ("Newport North", "Newport
    South"), the words are suggested ("Newport"), since searching for them finds them all;
    where one of them starts with the words, it is suggested."""
    query = " ".join(text.casefold().split())
    size = len(query.split())
    # What a name or run of words reads, folded -> (as written, the names it stands for).
    candidates: dict[str, tuple[str, set[str]]] = {}

    def add(words: str, name: str) -> None:
        candidates.setdefault(words.casefold(), (words, set()))[1].add(name)

    for names, only_leading in ((anywhere, False), (leading, True)):
        for name in names:
            add(name, name)
            words = name.replace(",", " ").split()
            for start in range(1 if only_leading else max(len(words) - size + 1, 1)):
                add(" ".join(words[start : start + size]), name)
    found: list[str] = []
    for match in difflib.get_close_matches(query, candidates, n=n * 4, cutoff=SUGGESTION_CUTOFF):
        words, names = candidates[match]
        starting = [n for n in names if n.casefold().startswith(match)]
        if len(names) == 1:
            name = next(iter(names))
        elif len(starting) == 1:  # "Telford and Wrekin", not the site that mentions it
            name = starting[0]
        else:
            name = words
        if name.casefold() != query and name not in found:
            found.append(name)
        if len(found) == n:
            break
    return found


# The shortest place name worth looking up ("Ely"; shorter would match places all over England).
PLACE_MIN_LENGTH = 3


@dataclass(frozen=True)
class PostcodeAnswer:
    """What the site search found out about a postcode: where it is, if it is known."""

    query: str
    postcode: str = ""  # as written in the postcode directory, e.g. "TF3 4AB"
    ward: str = ""
    # The year of the ward's boundaries (the postcode directory's edition, as the places
    # lookup says), or None where the directory does not say.
    ward_year: int | None = None
    local_authority: str = ""
    icb: str = ""  # the ICB's code, to find the sites working there
    region: str = ""
    region_code: str = ""
    # The country, where the postcode is in the UK outside England ("Scotland"): the
    # programme is England's, so no site can cover it, and the page says so rather than
    # asking whether it was typed correctly.
    outside_england: str = ""
    # Only the first half of a postcode ("TF3"): the page asks for the whole postcode.
    outward_only: bool = False
    # A whole postcode whose district ("SW1A") this service holds no postcodes for (a
    # deployment may load only its own areas): the page says so rather than asking whether
    # it was typed correctly.
    district_not_held: str = ""

    @property
    def found(self) -> bool:
        return bool(self.icb)

    @property
    def place(self) -> str:
        """Where it is, for people: "Ketley & Overdale (2021 wards), Telford and Wrekin".
        Wards are redrawn, so the ward says which year's boundaries it is from (the places
        lookup names the same year)."""
        ward = self.ward
        if ward and self.ward_year:
            ward = f"{ward} ({self.ward_year} wards)"
        return ", ".join(part for part in (ward, self.local_authority) if part)


# The first half of a postcode on its own ("TF3", "SW1A").
OUTWARD_CODE = r"^[A-Z]{1,2}[0-9][A-Z0-9]?$"

# ONS country codes of the UK outside England, by their first letter (S92000003 Scotland).
COUNTRIES = {
    "S": "Scotland",
    "W": "Wales",
    "N": "Northern Ireland",
    "L": "the Channel Islands",
    "M": "the Isle of Man",
}
# Postcode areas wholly outside England, for postcodes the loaded directory does not hold
# (areas that cross the border, such as TD, SY, CH, NP and LD, are left out).
AREAS_OUTSIDE_ENGLAND = {
    **dict.fromkeys(
        ("AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "ZE"),
        "Scotland",
    ),
    **dict.fromkeys(("CF", "LL", "SA"), "Wales"),
    "BT": "Northern Ireland",
    "GY": "the Channel Islands",
    "JE": "the Channel Islands",
    "IM": "the Isle of Man",
}


def _country_outside_england(code: str) -> str:
    """The country a postcode (normalised) is in, where that is in the UK but not England,
    from the postcode directory or else its postcode area; "" otherwise."""
    country = (
        Postcode.objects.filter(code=code).values_list("country_code", flat=True).first() or ""
    )
    if country:
        return COUNTRIES.get(country[0], "")
    return AREAS_OUTSIDE_ENGLAND.get(re.match(r"[A-Z]+", code).group(), "")


def _postcode_answer(text: str) -> PostcodeAnswer | None:
    """Where a full postcode is (the /places/lookup/ page's answer); None for text that is
    not shaped like a postcode or the first half of one."""
    code = normalise_postcode(text)
    if re.fullmatch(OUTWARD_CODE, code):
        return PostcodeAnswer(
            query=code,
            outward_only=True,
            outside_england=AREAS_OUTSIDE_ENGLAND.get(re.match(r"[A-Z]+", code).group(), ""),
        )
    if not re.fullmatch(PATTERNS["postcode"], code):
        return None
    table = get_lookup_table()
    result = resolve_one(table, text)
    if result["status"] not in ("ok", "terminated") or not result["icb"]:
        outside = _country_outside_england(code)
        district = code[:-3]
        held = outside or district in table.postcode_districts
        return PostcodeAnswer(
            query=text, outside_england=outside, district_not_held="" if held else district
        )
    edition = None
    if result["ward_name"]:
        edition = postcode_directory_edition(result["postcode"] or text)
    return PostcodeAnswer(
        query=text,
        postcode=result["postcode"] or text.upper(),
        ward=result["ward_name"] or "",
        ward_year=edition[1] if edition else None,
        local_authority=result["lad_name"] or "",
        icb=result["icb"],
        region=result["region_name"] or "",
        region_code=result["region"] or "",
    )


def _sites_in_regions_named(text: str):
    """Ids of the sites in an NHS region whose name contains ``text`` (a subquery)."""
    return Site.regions.through.objects.filter(region__name__icontains=text).values("site_id")


# Where a word of a place name starts: the name's start, or after a space or a hyphen
# ("Malinslee & Dawley Bank", "Rockwell Green-Wellington").
WORD_STARTS = (" ", "-")


def _starts_a_word(field: str, text: str) -> Q:
    """Names with a word starting with ``text`` (portable: no regular expressions)."""
    found = Q(**{f"{field}__istartswith": text})
    for mark in WORD_STARTS:
        found |= Q(**{f"{field}__icontains": mark + text})
    return found


def _has_word_starting(name: str, folded: str) -> bool:
    name = name.casefold()
    return name.startswith(folded) or any(mark + folded in name for mark in WORD_STARTS)


def places_named(text: str) -> dict[int, list[str]]:
    """The local authorities and electoral wards with a word starting with ``text``, by the
    id of each site whose ICBs cover them, for people: {12: ["Wellington ward, Somerset"]}.
    A ward counts as fully as a local authority. One query, on the current ICB boundaries;
    every site, published or not (the site list keeps to the sites the visitor may see)."""
    rows = (
        LSOAHealthMembership.objects.current()
        .filter(_starts_a_word("lsoa__lad__name", text) | _starts_a_word("lsoa__ward__name", text))
        .filter(icb__sites__isnull=False)
        .order_by()
        .values_list("icb__sites", "lsoa__lad__name", "lsoa__ward__name")
        .distinct()
    )
    folded = text.casefold()
    councils: dict[int, set[str]] = {}
    wards: dict[int, set[str]] = {}
    for site_id, lad, ward in rows:
        if lad and _has_word_starting(lad, folded):
            councils.setdefault(site_id, set()).add(lad)
        if ward and _has_word_starting(ward, folded):
            wards.setdefault(site_id, set()).add(f"{ward} ward, {lad}" if lad else f"{ward} ward")
    return {
        site_id: [*sorted(councils.get(site_id, ())), *sorted(wards.get(site_id, ()))]
        for site_id in councils.keys() | wards.keys()
    }


def _sites_covering_postcode(postcode: PostcodeAnswer) -> dict[int, list[str]]:
    """The ids of the sites whose ICBs cover a postcode that was found, each with the
    postcode and the ICB it is covered through ("SR1 1AA, in NHS North East and North
    Cumbria Integrated Care Board": a site may work in more than one ICB). One query."""
    links = Site.icbs.through.objects.filter(icb__code=postcode.icb)
    return {
        site_id: [f"{postcode.postcode}, in {icb}"]
        for site_id, icb in links.values_list("site_id", "icb__name")
    }


# ---- waves ----


class WaveForm(forms.ModelForm):
    number = forms.IntegerField(
        label="Wave number",
        min_value=1,
        max_value=999,
        help_text="Waves are numbered in order: 1, 2, 3",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
        error_messages={
            "required": "Enter the wave number",
            "invalid": "Wave number must be a whole number, like 3",
            "min_value": "Wave number must be 1 or more",
            "max_value": "Wave number must be 999 or less",
        },
    )
    eois_received = forms.IntegerField(
        label="Expressions of interest received",
        required=False,
        min_value=0,
        max_value=100000,
        help_text="How many areas applied to join this wave, if known",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-5"}),
        error_messages={
            "invalid": "Expressions of interest must be a whole number, like 26",
            "min_value": "Expressions of interest cannot be negative",
            "max_value": "Expressions of interest must be 100,000 or fewer",
        },
    )

    class Meta:
        model = Wave
        fields = WAVE_FIELDS
        labels = {
            "name": "Name",
            "period": "Financial year",
            "status": "Status",
            "summary": "Summary",
            "selection_note": "How sites were selected",
        }
        help_texts = {
            "name": "For example Wave 3",
            "period": "For example 24/25",
            "summary": "A sentence or two about the wave's sites, shown on the waves page",
            "selection_note": "For example how many applied, and who sat on the panel",
        }
        widgets = {
            "status": forms.RadioSelect,
            "period": forms.TextInput(attrs={"class": "nhsuk-input--width-5"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "selection_note": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "name": {"required": "Enter a name for the wave"},
            "status": {"required": "Choose the wave's status"},
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        _limit(self.fields["name"], "Name", 100)
        _limit(self.fields["period"], "Financial year", 20)

    def clean_number(self):
        number = self.cleaned_data["number"]
        clash = Wave.objects.filter(programme=self.programme, number=number)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(f"There is already a wave {number}. Enter a different number.")
        return number


# ---- organisations ----


class OrganisationForm(SlugMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        labels = {
            "name": "Name",
            "slug": "Web address",
            "kind": "Type of organisation",
            "description": "What the organisation does",
            "website": "Website",
            "charity_number": "Charity number",
            "ods_code": "ODS code",
            "contact_email": "Contact email address",
        }
        help_texts = {
            "charity_number": "If it is a registered charity",
            "ods_code": "The NHS Organisation Data Service code, if it has one, for example QHM",
            "contact_email": "Shown only to the national team",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "charity_number": forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
            "ods_code": forms.TextInput(attrs={"class": "nhsuk-input--width-5"}),
        }
        error_messages = {
            "name": {"required": "Enter the organisation's name"},
            "kind": {"required": "Choose the type of organisation"},
            "slug": {"invalid": SLUG_INVALID},
            "website": {"invalid": URL_INVALID},
            "contact_email": {"invalid": EMAIL_INVALID},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Organisation.Kind.choices  # radios: no blank option
        self.fields["slug"].required = False
        self.fields["slug"].help_text = self.slug_help
        _limit(self.fields["name"], "Name", 200)
        _limit(self.fields["slug"], "Web address", 200)
        _limit(self.fields["charity_number"], "Charity number", 20)
        _limit(self.fields["ods_code"], "ODS code", 10)

    def clean_ods_code(self):
        code = self.cleaned_data["ods_code"].strip().upper()
        if code and not code.isalnum():
            raise ValidationError("The ODS code can only contain letters and numbers")
        return code


# ---- sites ----


class SiteFormBase(forms.ModelForm):
    """Shared by the national admins' form (every field) and the site leads' (the site's
    own description). Fields are laid out in sections (see ``sections``)."""

    SECTIONS = [
        ("The site", ["name", "slug", "local_name", "wave", "kind", "status", "published"]),
        ("Where", ["regions", "icbs", "place", "target_places", "geography_types"]),
        (
            "What the site does",
            [
                "summary",
                "detail",
                "focus_areas",
                "communities",
                "communities_note",
                "delivery_model",
            ],
        ),
        ("For the site's team and the national team only", ["internal_notes", "contact_email"]),
        ("Source", ["source"]),
    ]

    geography_types = forms.MultipleChoiceField(
        label="Types of area",
        choices=Site.GeographyType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Choose types of area from the list"},
    )

    class Meta:
        model = Site
        fields = SITE_LEAD_FIELDS
        labels = {
            "local_name": "Local name for the programme",
            "place": "Place",
            "summary": "Summary",
            "detail": "More detail",
            "focus_areas": "Clinical areas the site focuses on",
            "communities": "Communities the site works with",
            "communities_note": "About these communities",
            "target_places": "Neighbourhoods or wards the work targets",
            "delivery_model": "How connectors are supported",
            "internal_notes": "Internal notes",
            "contact_email": "Contact email address",
        }
        help_texts = {
            "local_name": (
                "If the site has its own name for its connectors, for example Cancer Champions"
            ),
            "place": "The place the work is in, for example Walsall",
            "summary": "One paragraph, shown in the site list and at the top of the site's page",
            "detail": "Anything more the public should know about the site's work",
            "focus_areas": (
                "The Core20PLUS5 clinical areas and any local priorities. Select all that apply"
            ),
            "communities": "The PLUS groups the site works with. Select all that apply",
            "communities_note": (
                "In the site's own words, for example which communities within a group"
            ),
            "target_places": "For example six wards in Halton with high levels of deprivation",
            "delivery_model": "Whether connectors are volunteers or paid",
            "internal_notes": "Not shown to the public",
            "contact_email": "Not shown to the public",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "detail": forms.Textarea(attrs={"rows": 6}),
            "communities_note": forms.Textarea(attrs={"rows": 3}),
            "target_places": forms.Textarea(attrs={"rows": 2}),
            "internal_notes": forms.Textarea(attrs={"rows": 4}),
            "delivery_model": forms.RadioSelect,
            "focus_areas": forms.CheckboxSelectMultiple,
            "communities": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "summary": {"required": "Enter a summary of the site's work"},
            "contact_email": {"invalid": EMAIL_INVALID},
            "delivery_model": {"required": "Choose how connectors are supported"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site = self.instance if self.instance.pk else None
        areas = ClinicalArea.objects.national_or_site(site)
        self.fields["focus_areas"].queryset = areas
        self.fields["focus_areas"].choices = grouped_choices(
            areas.order_by("group", "position", "name"), lambda a: a.get_group_display()
        )
        groups = PlusGroup.objects.national_or_site(site).select_related("parent")
        self.fields["communities"].queryset = groups
        self.fields["communities"].choices = grouped_choices(
            sorted(groups, key=_community_order), _community_heading
        )
        for name, what in (
            ("local_name", "Local name"),
            ("place", "Place"),
            ("name", "Site name"),
            ("slug", "Web address"),
            ("source", "Source"),
        ):
            if name in self.fields:
                _limit(self.fields[name], what, self.fields[name].max_length)
        for name in ("focus_areas", "communities"):
            self.fields[name].error_messages["invalid_choice"] = "Choose from the list"
            self.fields[name].error_messages["invalid_pk_value"] = "Choose from the list"

    def sections(self) -> list[tuple[str, list]]:
        """The form's fields under headings, for the template."""
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in self.SECTIONS
            if any(name in self.fields for name in names)
        ]


def _community_order(group: PlusGroup) -> tuple:
    if group.site_id:
        rank = 3
    elif group.parent_id:
        rank = 1
    elif group.for_children_and_young_people:
        rank = 2
    else:
        rank = 0
    parent_position = group.parent.position if group.parent_id else group.position
    return (rank, parent_position, group.position, group.name)


def _community_heading(group: PlusGroup) -> str:
    if group.site_id:
        return "This site's own groups"
    if group.parent_id:
        return group.parent.name
    if group.for_children_and_young_people:
        return "Children and young people"
    return "PLUS groups"


class SiteLeadForm(SiteFormBase):
    """What a site lead may change about their own site."""


SITE_ICB_NO_LONGER_IN_USE_HINT = (
    "An ICB marked “no longer in use” has been replaced or merged since it was chosen. It "
    "stays ticked until you untick it: choose the ICB that covers the site now"
)


class SiteForm(SlugMixin, SiteFormBase):
    """Every field, for national admins."""

    class Meta(SiteFormBase.Meta):
        fields = SITE_FIELDS
        labels = {
            **SiteFormBase.Meta.labels,
            "wave": "Wave",
            "name": "Site name",
            "slug": "Web address",
            "kind": "Type of site",
            "status": "Status",
            "published": "Show this site to the public",
            "regions": "NHS regions",
            "icbs": "Integrated care boards (ICBs)",
            "source": "Source of this information",
        }
        help_texts = {
            **SiteFormBase.Meta.help_texts,
            "name": "For example Somerset, or Black Country and West Birmingham ICS, Walsall",
            "published": "Leave unticked until the site has been announced",
            "regions": "Select all the regions the site covers",
            "icbs": "Select all the ICBs the site covers",
            "source": "Where the public description comes from, for example a published page",
        }
        widgets = {
            **SiteFormBase.Meta.widgets,
            "wave": forms.RadioSelect,
            "kind": forms.RadioSelect,
            "status": forms.RadioSelect,
            "regions": forms.CheckboxSelectMultiple,
            "icbs": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            **SiteFormBase.Meta.error_messages,
            "name": {"required": "Enter a site name"},
            "slug": {"invalid": SLUG_INVALID},
            "wave": {"required": "Choose the wave the site is in"},
            "kind": {"required": "Choose the type of site"},
            "status": {"required": "Choose the site's status"},
            "regions": {"required": "Choose at least one NHS region"},
            "icbs": {"required": "Choose at least one ICB"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = self.slug_help
        self.fields["wave"].queryset = Wave.objects.select_related("programme")
        self.fields["wave"].empty_label = None
        self.fields["kind"].choices = Site.Kind.choices  # radios: no blank option
        held = self.instance.icbs.values("pk") if self.instance.pk else ()
        offer_icbs(self.fields["icbs"], held=held, hint=SITE_ICB_NO_LONGER_IN_USE_HINT)
        for name in ("regions", "icbs", "wave"):
            self.fields[name].error_messages["invalid_choice"] = "Choose from the list"
            self.fields[name].error_messages["invalid_pk_value"] = "Choose from the list"

    def clean(self):
        data = super().clean()
        regions, icbs = data.get("regions"), data.get("icbs")
        if regions and icbs:
            region_ids = {r.pk for r in regions}
            for icb in icbs:
                if icb.region_id not in region_ids:
                    self.add_error(
                        "icbs",
                        f"{icb.name} is in the {icb.region} region. Choose that region too, "
                        "or untick this ICB.",
                    )
        return data


# ---- a site's organisations ----


class SiteOrganisationForm(forms.Form):
    """One organisation and its role at a site. A row left empty is ignored."""

    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="Choose an organisation",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "Choose a role"), *SiteOrganisation.Role.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a role from the list"},
    )

    def clean(self):
        data = super().clean()
        organisation, role = data.get("organisation"), data.get("role")
        if organisation and not role and "role" not in self.errors:
            self.add_error("role", f"Choose the role {organisation} has at the site")
        if role and not organisation and "organisation" not in self.errors:
            self.add_error("organisation", "Choose the organisation, or choose no role")
        return data


class BaseSiteOrganisationFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            organisation, role = (
                form.cleaned_data.get("organisation"),
                form.cleaned_data.get("role"),
            )
            if organisation and role:
                if (organisation.pk, role) in seen:
                    label = SiteOrganisation.Role(role).label.lower()
                    form.add_error(
                        "organisation",
                        f"{organisation} is listed twice as {label}. Remove one of them.",
                    )
                seen.add((organisation.pk, role))

    def links(self) -> list[tuple[Organisation, str]]:
        """The (organisation, role) pairs to keep (call after is_valid)."""
        return [
            (form.cleaned_data["organisation"], form.cleaned_data["role"])
            for form in self.forms
            if form.cleaned_data.get("organisation")
            and form.cleaned_data.get("role")
            and not (self.can_delete and self._should_delete_form(form))
        ]


SiteOrganisationFormSet = forms.formset_factory(
    SiteOrganisationForm,
    formset=BaseSiteOrganisationFormSet,
    extra=2,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


def site_organisation_formset(data=None, *, site: Site | None = None):
    initial = []
    if site is not None and site.pk:
        initial = [
            {"organisation": link.organisation, "role": link.role}
            for link in site.site_organisations.select_related("organisation")
        ]
    formset = SiteOrganisationFormSet(data, initial=initial, prefix="organisations")
    # One query for the organisation list, not one per row.
    organisations = list(Organisation.objects.all())
    choices = [("", "Choose an organisation"), *((o.pk, o.name) for o in organisations)]
    for form in formset.forms:
        form.fields["organisation"].choices = choices
        form.fields["DELETE"].label = "Remove this organisation from the site"
    return formset


# ---- the error summary for a form with a formset ----


class ErrorSummary:
    """Presents a form and its formsets to includes/error_summary.html as one form, so a
    page with both has one "There is a problem" box listing every error."""

    def __init__(self, form, *formsets):
        self.form = form
        self.formsets = [f for f in formsets if f is not None]

    @property
    def errors(self) -> bool:
        return bool(self.form.errors) or any(
            f.is_bound and (f.non_form_errors() or any(f.errors)) for f in self.formsets
        )

    def non_field_errors(self) -> list:
        errors = list(self.form.non_field_errors())
        for formset in self.formsets:
            if formset.is_bound:
                errors += list(formset.non_form_errors())
                for form in formset.forms:
                    errors += list(form.non_field_errors())
        return errors

    def hidden_fields(self) -> list:
        return self.form.hidden_fields()

    def visible_fields(self) -> list:
        fields = list(self.form.visible_fields())
        for formset in self.formsets:
            if formset.is_bound:
                for form in formset.forms:
                    fields += form.visible_fields()
        return fields
