"""How audit events read on the log page: people's words, not class names or Python lists.

Only the page uses these; what is stored (and any export) stays as recorded.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import camel_case_to_spaces, capfirst

NONE = "(none)"
_DECIMAL = re.compile(r"-?\d+\.\d+")


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _type_name(object_type: str) -> str:
    model = _model(object_type)
    if model is not None:
        return capfirst(str(model._meta.verbose_name))
    # Recorded by hand, e.g. "hours.FinanceExport" or "places reference data".
    name = object_type.rsplit(".", 1)[-1]
    return capfirst(camel_case_to_spaces(name) if name != name.lower() else name)


def object_type_choices(object_types: Iterable[str]) -> list[tuple[str, str]]:
    """(stored type, human name) pairs, sorted by name; names that two apps share get the
    app in brackets, e.g. "Payment (hours)" and "Payment (grants)"."""
    types = sorted(set(object_types))
    names = {t: _type_name(t) for t in types}
    counts = Counter(name.lower() for name in names.values())
    choices = []
    for object_type, name in names.items():
        if counts[name.lower()] > 1 and "." in object_type:
            name = f"{name} ({object_type.split('.', 1)[0]})"
        choices.append((object_type, name))
    return sorted(choices, key=lambda choice: (choice[1].lower(), choice[0]))


def value_text(value) -> str:
    """One recorded value as text: (none) for nothing, long decimals trimmed to 2 places."""
    if value is None or value == "":
        return NONE
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value) if value else NONE
    if isinstance(value, Mapping):
        return "; ".join(f"{key.replace('_', ' ')}: {value_text(v)}" for key, v in value.items())
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return _decimal_text(value)
    return str(value)


def _decimal_text(text: str) -> str:
    number = Decimal(text)  # _DECIMAL matched it, so it parses
    places = max(2, -number.normalize().as_tuple().exponent)
    return f"{number:.{places}f}"


def field_label(object_type: str, field: str) -> str:
    model = _model(object_type)
    if model is not None:
        try:
            found = model._meta.get_field(field)
        except FieldDoesNotExist:
            found = None
        # Reverse relations (a change recorded under a related name) have no verbose name.
        if getattr(found, "verbose_name", None):
            return capfirst(str(found.verbose_name))
    return capfirst(field.replace("_", " "))


def change_lines(changes, object_type: str = "") -> list[tuple[str, str]]:
    """(field label, what happened) per changed field: "Draft → Submitted" for an
    [old, new] pair, the value itself otherwise."""
    if not isinstance(changes, Mapping):
        return [("", value_text(changes))] if changes else []
    lines = []
    for field, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            text = f"{value_text(value[0])} → {value_text(value[1])}"
        else:
            text = value_text(value)
        lines.append((field_label(object_type, field), text))
    return lines
