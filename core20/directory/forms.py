"""Forms for the directory: search filters (GET, work without JavaScript), a service, and
importing and exporting Open Referral UK files. Forms only check and collect input;
core20.directory.actions saves it and audits it."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Length

from core20.accounts.authorization import sites_where
from core20.accounts.permissions import Permission
from core20.directory.actions import rule_errors
from core20.directory.models import Service
from core20.places.lookup.table import PATTERNS
from core20.places.models import (
    LocalAuthorityDistrict,
    Postcode,
    Ward,
    display_postcode,
    normalise_postcode,
)
from core20.programme.forms import EMAIL_INVALID, URL_INVALID, FilterBoundField
from core20.programme.models import ClinicalArea, PlusGroup, Site

NATIONAL = "national"


def directory_choices(user) -> list[tuple[str, str]]:
    """The directories ``user`` manages: ("national", …) and (site slug, site name)."""
    where = sites_where(user, Permission.DIRECTORY_MANAGE)
    sites = Site.objects.order_by("name")
    if where is None:
        return [(NATIONAL, "National directory (every site)"), *((s.slug, s.name) for s in sites)]
    return [(s.slug, s.name) for s in sites.filter(pk__in=where)]


def directory_site(value: str):
    """The site a directory choice names (None for the national directory)."""
    return None if value == NATIONAL else Site.objects.get(slug=value)


class DirectoryChoiceMixin:
    def _set_directories(self, user) -> None:
        choices = directory_choices(user)
        field = self.fields["directory"]
        field.choices = choices
        field.error_messages["invalid_choice"] = "Choose a directory you manage"
        if len(choices) == 1:
            field.initial = choices[0][0]


# ---- search ----


class Place:
    """A place to search by: a ward or a district (from a postcode, code or name)."""

    def __init__(
        self, label: str, wards: list, lads: list, *, district: bool = False, written: str = ""
    ):
        # ``lads``: districts whose district-wide services cover the place; ``district``:
        # the place is the whole district, so services delivered anywhere in it count;
        # ``written``: how to write it, where that is not its label (a postcode district).
        self.label, self.wards, self.lads, self.district = label, wards, lads, district
        self.written = written

    @property
    def name(self) -> str:
        """How to write the place so that it is found again, even in a list separated by
        commas: "Walsall", "Woodside (Telford and Wrekin)", "TF3"."""
        if self.written:
            return self.written
        if self.district or not self.wards:
            return self.label
        ward = self.wards[0]
        return f"{ward.name} ({ward.lad.name})" if ward.lad_id else ward.name


class AmbiguousPlace(ValueError):
    """Several places have that name: ``options`` are how to write each of them."""

    def __init__(self, text: str, places: list[Place]):
        self.text, self.options = text, [p.name for p in places]
        shown = self.options[:MAX_PLACE_OPTIONS]
        listed = "; ".join(shown) + ("; and others" if len(self.options) > len(shown) else "")
        super().__init__(
            f"“{text}” could be more than one place: {listed}. Enter the place as it is "
            "written here"
        )


MAX_PLACE_OPTIONS = 6


def _lad_name(ward) -> str | None:
    return ward.lad.name if ward.lad_id else None


def _with_other_vintages(wards) -> list:
    """The wards and the same wards under the codes of other years' lookups (the same name
    in a district of the same name): a service tagged with a ward's older code is found from
    its newer one, and the other way round."""
    same = Q(pk__in=[w.pk for w in wards])
    for ward in wards:
        if ward.lad_id:
            same |= Q(name__iexact=ward.name, lad__name__iexact=ward.lad.name)
    return list(
        Ward.objects.filter(same)
        .select_related("lad")
        .order_by("name", "lad__name", "-year", "code")
    )


def _ward_places(wards) -> list[Place]:
    """Wards grouped by name and district: a ward kept under several codes (from lookups of
    different years, its district's code perhaps changed too) is one place."""
    groups: dict[tuple[str, str | None], list] = {}
    for ward in wards:
        lad = _lad_name(ward)
        groups.setdefault((ward.name.lower(), lad.lower() if lad else None), []).append(ward)
    return [
        Place(
            f"{found[0].name}{f', {found[0].lad.name}' if found[0].lad_id else ''}",
            found,
            list(dict.fromkeys(w.lad for w in found if w.lad_id)),
        )
        for found in groups.values()
    ]


def _district_places(districts) -> list[Place]:
    """Districts grouped by name: a district whose code changed is one place."""
    groups: dict[str, list] = {}
    for district in districts:
        groups.setdefault(district.name, []).append(district)
    return [
        Place(name, Ward.objects.filter(lad__in=found), found, district=True)
        for name, found in groups.items()
    ]


def _ward_and_district(text: str) -> tuple[str, str] | None:
    """("Woodside", "Telford and Wrekin") from "Woodside (Telford and Wrekin)" or
    "Woodside, Telford and Wrekin"."""
    if text.endswith(")") and "(" in text:
        ward, _, district = text[:-1].rpartition("(")
    elif "," in text:
        ward, _, district = text.rpartition(",")
    else:
        return None
    ward, district = ward.strip(), district.strip()
    return (ward, district) if ward and district else None


OUTWARD_CODE = r"[A-Z]{1,2}[0-9][A-Z0-9]?"


def _districts_named_as(districts) -> list:
    """The districts and the same districts under other codes (the same name)."""
    names = {d.name for d in districts}
    return list(LocalAuthorityDistrict.objects.filter(name__in=names).order_by("name", "code"))


def _postcode_place(text: str) -> Place | None:
    """A full postcode (its ward) or a postcode district ("TF3": the wards its postcodes
    are in, from the loaded postcode directory), or None."""
    code = normalise_postcode(text)
    postcode = Postcode.objects.filter(code=code).first()
    if postcode is not None:
        ward = Ward.objects.filter(code=postcode.ward_code).select_related("lad").first()
        lad = LocalAuthorityDistrict.objects.filter(code=postcode.lad_code).first()
        lad = lad or (ward.lad if ward and ward.lad_id else None)
        if ward or lad:
            return Place(
                f"{postcode.display} ({ward.name if ward else lad.name})",
                _with_other_vintages([ward]) if ward else [],
                _districts_named_as([lad]) if lad else [],
            )
        return None
    if not re.fullmatch(OUTWARD_CODE, code):
        return None
    # Every postcode of the district is its outward code and a three-character inward code
    # ("B1" is not "B12"); the range lets the database use the index of codes.
    in_district = Postcode.objects.annotate(length=Length("code")).filter(
        code__gte=code,
        code__lt=code[:-1] + chr(ord(code[-1]) + 1),
        code__startswith=code,
        length=len(code) + 3,
    )
    live = in_district.filter(terminated__isnull=True)
    found = live if live.exists() else in_district
    rows = set(found.order_by().values_list("ward_code", "lad_code").distinct())
    wards = list(Ward.objects.filter(code__in={w for w, _ in rows}).select_related("lad"))
    lads = list(LocalAuthorityDistrict.objects.filter(code__in={d for _, d in rows}))
    lads += [w.lad for w in wards if w.lad_id]
    if not wards and not lads:
        return None
    lads = _districts_named_as(lads)
    names = sorted({d.name for d in lads})
    return Place(
        f"{code} ({', '.join(names)})" if names else code,
        _with_other_vintages(wards),
        lads,
        written=code,
    )


def find_places(text: str, *, postcodes: bool = True) -> list[Place]:
    """The places ``text`` may mean, best first: a postcode (its ward) or postcode district
    ("TF3": the wards its postcodes are in), a ward or
    district code, a district's name, a ward's name (as "Ward, District" or
    "Ward (District)" where several wards share it), or, failing those, the districts and
    wards whose names contain it ("Telford" finds Telford and Wrekin)."""
    text = " ".join(text.split())
    if not text:
        return []
    if postcodes:
        place = _postcode_place(text)
        if place is not None:
            return [place]
    districts = LocalAuthorityDistrict.objects.order_by("name", "-year", "code")
    found = list(districts.filter(Q(code__iexact=text) | Q(name__iexact=text)))
    if found:
        return _district_places(found)
    wards = Ward.objects.select_related("lad").order_by("name", "lad__name", "-year", "code")
    found = list(wards.filter(code__iexact=text))
    if found:
        return _ward_places(_with_other_vintages(found))
    split = _ward_and_district(text)
    if split:
        found = list(wards.filter(name__iexact=split[0], lad__name__iexact=split[1]))
        if found:
            return _ward_places(found)
    found = list(wards.filter(name__iexact=text)[:50])
    if found:
        return _ward_places(found)
    if len(text) < 3:
        return []
    found = list(districts.filter(name__icontains=text)[:50])
    return _district_places(found) + _ward_places(wards.filter(name__icontains=text)[:50])


def resolve_place(text: str, *, postcodes: bool = True) -> Place | None:
    """The one place ``text`` means; None if none. Raises AmbiguousPlace if several."""
    places = find_places(text, postcodes=postcodes)
    if len(places) > 1:
        raise AmbiguousPlace(" ".join(text.split()), places)
    return places[0] if places else None


MAX_WORDS = 10  # keywords searched for; the rest of a long search is ignored


class SearchForm(forms.Form):
    bound_field_class = FilterBoundField

    q = forms.CharField(
        label="Name or keyword",
        required=False,
        max_length=100,
        help_text="For example walking, food bank or diabetes",
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
        queryset=PlusGroup.objects.filter(site__isnull=True),
        required=False,
        empty_label="Any community",
        to_field_name="code",
    )
    place = forms.CharField(
        label="Place",
        required=False,
        max_length=100,
        help_text="A postcode or postcode district, ward or council area, for example TF3 4AB, "
        "TF3 or Walsall",
    )
    site = forms.ModelChoiceField(
        label="Site",
        queryset=Site.objects.none(),
        required=False,
        empty_label="Any site",
        to_field_name="slug",
        help_text="A site's own services and national ones",
    )
    route = forms.ChoiceField(
        label="How to refer",
        required=False,
        choices=[("", "Any way"), *Service.ReferralRoute.choices],
    )

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites if sites is not None else Site.objects.none()
        for name, message in (
            ("area", "Choose a clinical area from the list"),
            ("community", "Choose a community from the list"),
            ("site", "Choose a site from the list"),
            ("route", "Choose a way to refer from the list"),
        ):
            self.fields[name].error_messages["invalid_choice"] = message
        for name in ("q", "place"):
            self.fields[name].error_messages["max_length"] = "Enter 100 characters or fewer"

    def clean_place(self):
        text = self.cleaned_data.get("place", "").strip()
        if not text:
            return None
        try:
            place = resolve_place(text)
        except AmbiguousPlace as exc:
            raise ValidationError(str(exc)) from None
        if place is None:
            raise ValidationError(
                f"We could not find “{text}”. Enter a postcode (like TF3 4AB) or postcode "
                "district (like TF3), or the name or code of a ward or council area"
            )
        return place

    def filter(self, services):
        data = self.cleaned_data
        # Every word must be found, though not together: "walking group" finds "Group
        # walks for walking football fans" and "Walking for health group".
        for word in list(dict.fromkeys(data.get("q", "").lower().split()))[:MAX_WORDS]:
            matches = Service.objects.filter(
                Q(name__icontains=word)
                | Q(description__icontains=word)
                | Q(organization__name__icontains=word)
                | Q(taxonomies__name__icontains=word)
                | Q(clinical_areas__name__icontains=word)
            ).values("pk")
            services = services.filter(pk__in=matches)
        if data.get("area"):
            services = services.filter(
                pk__in=Service.objects.filter(clinical_areas=data["area"]).values("pk")
            )
        if data.get("community"):
            group = data["community"]
            services = services.filter(
                pk__in=Service.objects.filter(
                    Q(communities=group) | Q(communities__parent=group)
                ).values("pk")
            )
        if data.get("site"):
            services = services.filter(Q(site=data["site"]) | Q(site__isnull=True))
        if data.get("route"):
            services = services.filter(referral_routes__icontains=data["route"])
        if data.get("place"):
            services = services.filter(place_filter(data["place"]))
        return services


def place_filter(place: Place) -> Q:
    """Services covering the place, delivered there, or not tied to any place (a national
    helpline is available in every ward)."""
    covers = Service.objects.filter(
        Q(wards__in=place.wards)
        | Q(lads__in=place.lads)
        | Q(at_locations__location__ward__in=place.wards)
        | Q(at_locations__location__lad__in=place.lads if place.district else [])
    ).values("pk")
    tied = Service.objects.filter(
        Q(wards__isnull=False)
        | Q(lads__isnull=False)
        | Q(at_locations__location__ward__isnull=False)
        | Q(at_locations__location__lad__isnull=False)
    ).values("pk")
    return Q(pk__in=covers) | ~Q(pk__in=tied)


# ---- a service ----


def split_places(text: str) -> list[str]:
    """The places in a list separated by commas, semicolons or new lines. Names that hold a
    comma themselves ("Bristol, City of", "Herefordshire, County of", and a ward in such a
    district, "Clifton (Bristol, City of)") are kept whole."""
    known = {
        *LocalAuthorityDistrict.objects.filter(name__contains=",").values_list("name", flat=True),
        *Ward.objects.filter(name__contains=",").values_list("name", flat=True),
    }
    whole = [
        r"\s*,\s*".join(re.escape(bit.strip()) for bit in name.split(","))
        for name in sorted(known, key=len, reverse=True)
    ]
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(re.sub(r"\s*,\s*", ", ", " ".join(match.group(0).split())))
        return f"\x00{len(kept) - 1}\x00"

    if whole:
        text = re.sub("|".join(whole), keep, text, flags=re.IGNORECASE)
    parts = (p.strip() for p in re.split(r"[,;\n]", text))
    return [
        re.sub("\x00([0-9]+)\x00", lambda m: kept[int(m.group(1))], part) for part in parts if part
    ]


def written_places(wards, lads) -> str:
    """A service's places as the "Places it covers" field is filled in: names, as a person
    writes them and as ``resolve_place`` finds them again ("Pleck (Walsall), Walsall"), so
    that saving the form unchanged keeps the same places. A code only where no name finds
    just that place (two wards of one name in one district). A ward held under several
    years' codes is one name."""
    written: list[str] = []
    for ward in wards:
        places = find_places(ward.code, postcodes=False)
        name = places[0].name if places else ""
        written.append(_name_or_code(name, ward, lambda p: [] if p.district else p.wards))
    for lad in lads:
        written.append(_name_or_code(lad.name, lad, lambda p: p.lads if p.district else []))
    return ", ".join(dict.fromkeys(written))


def _name_or_code(name: str, area, held) -> str:
    """``name`` if it finds one place only, holding ``area`` (``held``: a place's areas of
    that kind); else the area's code."""
    if not name or len(split_places(name)) != 1:
        return area.code
    try:
        place = resolve_place(name, postcodes=False)
    except AmbiguousPlace:
        return area.code
    if place is None or area.pk not in {a.pk for a in held(place)}:
        return area.code
    return name


class ServiceForm(DirectoryChoiceMixin, forms.ModelForm):
    directory = forms.ChoiceField(
        label="Directory",
        help_text="The site whose connectors will see the service, or the national directory",
    )
    organization_name = forms.CharField(
        label="Organisation",
        max_length=255,
        help_text="Who runs the service, for example Walsall Carers Centre",
        error_messages={"required": "Enter the name of the organisation that runs the service"},
    )
    clinical_areas = forms.ModelMultipleChoiceField(
        label="Clinical areas",
        queryset=ClinicalArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    communities = forms.ModelMultipleChoiceField(
        label="Communities (PLUS groups)",
        queryset=PlusGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    places = forms.CharField(
        label="Places it covers",
        required=False,
        max_length=500,
        help_text="Ward or council area names or codes. Separate several with commas or "
        "semicolons, for example Pleck (Walsall); Bristol, City of. Leave blank if anyone, "
        "anywhere, can use it",
    )
    referral_routes = forms.MultipleChoiceField(
        label="How to refer",
        choices=Service.ReferralRoute.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one way to refer someone"},
    )
    languages = forms.CharField(
        label="Languages",
        required=False,
        max_length=500,
        help_text="Separated by commas, for example English, Urdu, Polish",
    )
    address_1 = forms.CharField(label="Address", required=False, max_length=255)
    city = forms.CharField(label="Town or city", required=False, max_length=100)
    postal_code = forms.CharField(
        label="Postcode", required=False, max_length=10, help_text="Used to find the ward"
    )
    phone = forms.CharField(label="Phone number", required=False, max_length=50)

    field_order = [
        "directory",
        "name",
        "organization_name",
        "description",
        "status",
        "referral_routes",
        "referral_details",
        "referral_url",
        "clinical_areas",
        "communities",
        "places",
        "eligibility",
        "minimum_age",
        "maximum_age",
        "languages",
        "fees",
        "url",
        "email",
        "phone",
        "address_1",
        "city",
        "postal_code",
        "published",
    ]

    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "status",
            "referral_details",
            "referral_url",
            "eligibility",
            "minimum_age",
            "maximum_age",
            "fees",
            "url",
            "email",
            "published",
        ]
        labels = {
            "name": "Service name",
            "referral_details": "How to refer: details",
            "referral_url": "Online referral form",
            "eligibility": "Who can use it",
            "minimum_age": "Minimum age",
            "maximum_age": "Maximum age",
            "published": "Show in the public directory",
        }
        help_texts = {
            "referral_details": "For example who to ring, what to say, what the person needs",
            "referral_url": "The form's web address, if there is one",
            "published": "Leave unticked to keep it for your site's team",
        }
        error_messages = {
            "name": {"required": "Enter the service's name"},
            "url": {"invalid": URL_INVALID},
            "referral_url": {"invalid": URL_INVALID},
            "email": {"invalid": EMAIL_INVALID},
            "minimum_age": {"invalid": "Enter the minimum age as a whole number"},
            "maximum_age": {"invalid": "Enter the maximum age as a whole number"},
        }
        widgets = {
            "minimum_age": forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}),
            "maximum_age": forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_directories(user)
        service = self.instance
        self.fields["clinical_areas"].queryset = ClinicalArea.objects.filter(site__isnull=True)
        self.fields["communities"].queryset = PlusGroup.objects.filter(site__isnull=True)
        if service.pk:
            # A service stays in its directory; the field shows where it is.
            del self.fields["directory"]
            self.initial.update(
                organization_name=service.organization.name,
                clinical_areas=list(service.clinical_areas.all()),
                communities=list(service.communities.all()),
                referral_routes=service.referral_routes,
                languages=", ".join(service.languages),
                places=written_places(
                    service.wards.select_related("lad").order_by("name", "-year", "code"),
                    service.lads.order_by("name", "code"),
                ),
            )
            link = service.at_locations.select_related("location").first()
            if link:
                for name in ("address_1", "city", "postal_code"):
                    self.initial[name] = getattr(link.location, name)
            phone = service.contacts.values_list("phones__number", flat=True).first()
            self.initial["phone"] = phone or ""

    def clean_places(self):
        wards, lads = [], []
        for part in split_places(self.cleaned_data.get("places", "")):
            try:
                place = resolve_place(part, postcodes=False)
            except AmbiguousPlace as exc:
                raise ValidationError(f"{exc}, separated by commas or semicolons") from None
            if place is None:
                raise ValidationError(
                    f"We could not find “{part}”. Enter ward or council area names or codes, "
                    "separated by commas or semicolons"
                )
            if place.district:
                lads.extend(place.lads)
            else:
                wards.extend(place.wards)
        return {"wards": list(dict.fromkeys(wards)), "lads": list(dict.fromkeys(lads))}

    def clean_postal_code(self) -> str:
        text = self.cleaned_data.get("postal_code", "").strip()
        if text and not re.fullmatch(PATTERNS["postcode"], normalise_postcode(text)):
            raise ValidationError("Enter a full postcode, like TF3 4AB")
        return display_postcode(text) if text else ""

    def clean_phone(self) -> str:
        number = self.cleaned_data.get("phone", "").strip()
        if number and sum(ch.isdigit() for ch in number) < 3:
            raise ValidationError("Enter a phone number, like 01632 960 001 or 111")
        return number

    def clean(self):
        data = super().clean()
        # The rules between fields, shown with the other errors rather than after them.
        for key, messages in rule_errors(
            minimum_age=data.get("minimum_age"),
            maximum_age=data.get("maximum_age"),
            referral_routes=data.get("referral_routes") or [],
            referral_url=data.get("referral_url") or "",
        ).items():
            if key in self.fields and key not in self.errors:
                for message in messages:
                    self.add_error(key, message)
        return data

    def clean_languages(self):
        parts = [p.strip() for p in self.cleaned_data.get("languages", "").split(",")]
        return list(dict.fromkeys(p for p in parts if p))

    def action_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("directory", "places")}
        data.update(self.cleaned_data["places"])
        return data


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, remove this service from the directory",
        error_messages={"required": "Tick the box to confirm you want to remove the service"},
    )


# ---- import and export ----


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ImportForm(DirectoryChoiceMixin, forms.Form):
    directory = forms.ChoiceField(label="Import into")
    files = MultipleFileField(
        label="Open Referral UK file",
        help_text="One JSON file of services, a zip of the CSV tables, or the CSV tables "
        "themselves (services.csv, organizations.csv and any others). Up to 10 MB each",
        error_messages={"required": "Choose a file to import"},
    )
    publish = forms.BooleanField(
        label="Show the imported services in the public directory",
        required=False,
        help_text="Leave unticked to check them first: new services stay for your site's team "
        "and services already here keep their setting",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_directories(user)


class ExportForm(DirectoryChoiceMixin, forms.Form):
    directory = forms.ChoiceField(label="Export")
    format = forms.ChoiceField(
        label="Format",
        choices=[("json", "JSON (ORUK services)"), ("csv", "CSV tables in a zip")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a format"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_directories(user)
