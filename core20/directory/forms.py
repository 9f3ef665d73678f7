"""Forms for the directory: search filters (GET, work without JavaScript), a service, and
importing and exporting Open Referral UK files. Forms only check and collect input;
core20.directory.actions saves it and audits it."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from core20.accounts.authorization import sites_where
from core20.accounts.permissions import Permission
from core20.directory.models import Service
from core20.places.models import LocalAuthorityDistrict, Postcode, Ward, normalise_postcode
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

    def __init__(self, label: str, wards: list, lads: list, *, district: bool = False):
        # ``lads``: districts whose district-wide services cover the place; ``district``:
        # the place is the whole district, so services delivered anywhere in it count.
        self.label, self.wards, self.lads, self.district = label, wards, lads, district


def resolve_place(text: str) -> Place | None:
    text = text.strip()
    postcode = Postcode.objects.filter(code=normalise_postcode(text)).first()
    if postcode is not None:
        ward = Ward.objects.filter(code=postcode.ward_code).select_related("lad").first()
        lad = LocalAuthorityDistrict.objects.filter(code=postcode.lad_code).first()
        if ward or lad:
            return Place(
                f"{postcode.display} ({ward.name if ward else lad.name})",
                [ward] if ward else [],
                [lad] if lad else ([ward.lad] if ward and ward.lad_id else []),
            )
    ward = Ward.objects.filter(Q(code__iexact=text) | Q(name__iexact=text)).select_related("lad")
    lad = LocalAuthorityDistrict.objects.filter(Q(code__iexact=text) | Q(name__iexact=text))
    lads = list(lad[:2])
    if len(lads) == 1:
        district = lads[0]
        return Place(district.name, list(district.wards.all()), [district], district=True)
    wards = list(ward[:2])
    if len(wards) == 1:
        found = wards[0]
        return Place(
            f"{found.name}{f', {found.lad.name}' if found.lad_id else ''}",
            [found],
            [found.lad] if found.lad_id else [],
        )
    return None


class SearchForm(forms.Form):
    bound_field_class = FilterBoundField

    q = forms.CharField(
        label="Name or keyword",
        required=False,
        max_length=100,
        help_text="For example walking, foodbank or diabetes",
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
        help_text="A postcode, ward or council area, for example TF3 4AB or Walsall",
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
        place = resolve_place(text)
        if place is None:
            raise ValidationError(
                f"We could not find “{text}”. Enter a full postcode, or the name or code of a "
                "ward or council area"
            )
        return place

    def filter(self, services):
        data = self.cleaned_data
        if data.get("q"):
            q = data["q"].strip()
            matches = Service.objects.filter(
                Q(name__icontains=q)
                | Q(description__icontains=q)
                | Q(organization__name__icontains=q)
                | Q(taxonomies__name__icontains=q)
                | Q(clinical_areas__name__icontains=q)
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
        help_text="Ward or council area codes or names, separated by commas. Leave blank if "
        "anyone, anywhere, can use it",
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
                places=", ".join(
                    [w.code for w in service.wards.all()] + [d.code for d in service.lads.all()]
                ),
            )
            link = service.at_locations.select_related("location").first()
            if link:
                for name in ("address_1", "city", "postal_code"):
                    self.initial[name] = getattr(link.location, name)
            phone = service.contacts.values_list("phones__number", flat=True).first()
            self.initial["phone"] = phone or ""

    def clean_places(self):
        wards, lads, unknown = [], [], []
        for part in (p.strip() for p in self.cleaned_data.get("places", "").split(",")):
            if not part:
                continue
            ward = Ward.objects.filter(Q(code__iexact=part) | Q(name__iexact=part)).first()
            lad = LocalAuthorityDistrict.objects.filter(
                Q(code__iexact=part) | Q(name__iexact=part)
            ).first()
            if lad is not None:
                lads.append(lad)
            elif ward is not None:
                wards.append(ward)
            else:
                unknown.append(part)
        if unknown:
            raise ValidationError(
                f"We could not find “{unknown[0]}”. Enter ward or council area codes or names, "
                "separated by commas"
            )
        return {"wards": wards, "lads": lads}

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
