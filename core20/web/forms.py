"""NHS design system markup for every Django form.

``settings.FORM_RENDERER`` points at ``NHSFormRenderer``, so ``{{ form }}`` and
``{{ field.as_field_group }}`` produce NHS form groups (label, hint, error message, input)
with no per-form work. The pieces:

- ``forms/form.html`` and ``forms/field.html`` (in core20/templates) lay out each field;
- ``NHSBoundField`` gives each widget its ``nhsuk-*`` class (and the ``--error`` variant
  when the field has errors), and says where the error summary should link;
- ``django/forms/widgets/radio.html`` and ``checkbox_select.html`` are overridden (in
  core20/templates, with forms/choices.html) so radio and checkbox lists render as
  ``nhsuk-radios`` / ``nhsuk-checkboxes``.

The error ids follow Django's own ``aria-describedby`` (``<id>_helptext``, ``<id>_error``),
so hints and errors are announced with their input.
"""

from itertools import groupby
from pathlib import Path

import django
from django import forms
from django.conf import settings
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input
from django.utils.functional import cached_property

DJANGO_FORM_TEMPLATES = Path(django.__file__).parent / "forms" / "templates"

_TEXT_INPUT_EXCLUDED = (
    forms.CheckboxInput,
    forms.FileInput,
    forms.HiddenInput,
    forms.MultipleHiddenInput,
)


def widget_classes(widget: forms.Widget, has_errors: bool) -> list[str]:
    """The NHS classes for a widget, in the order the design system writes them."""
    # Order matters: CheckboxSelectMultiple is a RadioSelect, and RadioSelect a ChoiceWidget.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return ["nhsuk-checkboxes__input"]
    if isinstance(widget, forms.RadioSelect):
        return ["nhsuk-radios__input"]
    if isinstance(widget, forms.CheckboxInput):
        return ["nhsuk-checkboxes__input"]
    if isinstance(widget, forms.Select):
        return ["nhsuk-select", *(["nhsuk-select--error"] if has_errors else [])]
    if isinstance(widget, forms.Textarea):
        return ["nhsuk-textarea", *(["nhsuk-textarea--error"] if has_errors else [])]
    if isinstance(widget, forms.FileInput):
        return ["nhsuk-file-upload__input"]
    if isinstance(widget, Input) and not isinstance(widget, _TEXT_INPUT_EXCLUDED):
        return ["nhsuk-input", *(["nhsuk-input--error"] if has_errors else [])]
    return []


class NHSBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = widget_classes(widget, bool(self.errors))
        if classes:
            # Keep any classes the form set on the widget (for example nhsuk-input--width-10).
            existing = [*widget.attrs.get("class", "").split(), *attrs.get("class", "").split()]
            attrs["class"] = " ".join(dict.fromkeys([*classes, *existing]))
        return attrs

    @property
    def nhs_kind(self) -> str:
        """How forms/field.html lays the field out: "choices" (a fieldset of radios or
        checkboxes), "checkbox" (a single yes/no box), "fieldset" (another multi-part
        widget) or "input"."""
        widget = self.field.widget
        if isinstance(widget, forms.RadioSelect):  # includes CheckboxSelectMultiple
            return "choices"
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        if self.use_fieldset:
            return "fieldset"
        return "input"

    @property
    def error_target_id(self) -> str:
        """The id the error summary links to: the input itself (``id_<name>``), or the first
        option of a radio or checkbox list, as the design system asks: ``id_<name>_0``, or
        ``id_<name>_0_0`` where the options are in groups (ICBs by region, say)."""
        if not self.auto_id:
            return ""
        if self.nhs_kind == "choices":
            first = next(iter(self.subwidgets), None)
            return (first.id_for_label if first else "") or f"{self.auto_id}_0"
        if self.nhs_kind == "fieldset":
            return self.field.widget.id_for_label(self.auto_id) or self.auto_id
        return self.auto_id

    @property
    def is_optional(self) -> bool:
        """Whether to add "(optional)" to the label: the NHS marks optional fields, not
        required ones. A single checkbox is optional by nature, so it is not marked, and
        neither is a field required only in some cases (``sometimes_required(field)``): its
        hint says when."""
        return (
            not self.field.required
            and self.nhs_kind != "checkbox"
            and not getattr(self.field, "sometimes_required", False)
        )


def sometimes_required(field: forms.Field) -> forms.Field:
    """Mark ``field`` as required in some cases (checked by the form or the action, and said
    in its hint), so that its label does not say "(optional)"."""
    field.sometimes_required = True
    return field


class NHSFormRenderer(DjangoTemplates):
    """Renders forms with the NHS templates in core20/templates, then Django's own.

    A Django-templates renderer with its own engine (not TemplatesSetting), so it needs no
    "django.forms" in INSTALLED_APPS and runs no context processors.
    """

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = NHSBoundField

    @cached_property
    def engine(self):
        project_dirs = [Path(d) for d in settings.TEMPLATES[0].get("DIRS", [])]
        return self.backend(
            {
                "APP_DIRS": True,
                # Project templates first, so they can override Django's widget templates.
                "DIRS": [*project_dirs, DJANGO_FORM_TEMPLATES],
                "NAME": "nhsforms",
                "OPTIONS": {},
            }
        )


class DateInput(forms.DateInput):
    """A browser date picker (``type="date"``), which sends ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)


class EraseForm(forms.Form):
    """Confirm erasing someone's personal details, with the reason for the audit log."""

    reason = forms.CharField(
        label="Why are their details being erased?",
        max_length=500,
        help_text="For example: they asked us to, by email on 3 March. This goes in the audit log.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say why their details are being erased",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )
    confirm = forms.BooleanField(
        label="I understand this cannot be undone",
        error_messages={"required": "Tick the box to confirm you understand this cannot be undone"},
    )


def grouped_choices(items, group_of, label_of=str) -> list:
    """Choices grouped under headings, for a checkbox list with sub-headings; ``items`` in
    the order of their groups."""
    return [
        (group, [(obj.pk, label_of(obj)) for obj in members])
        for group, members in groupby(items, key=group_of)
    ]
