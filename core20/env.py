"""Typed readers for settings from the environment.

Each helper fails loudly, naming the variable and what was wrong with it, so that a
misconfigured deployment stops at start-up rather than misbehaving later.
"""

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, default: object, environ: Mapping[str, str] | None) -> str | object:
    env = os.environ if environ is None else environ
    if name in env:
        return env[name]
    # VAR_FILE lets container secrets be mounted as files rather than passed as text.
    file_name = env.get(f"{name}_FILE")
    if file_name:
        try:
            with open(file_name, encoding="utf-8") as fh:
                return fh.read().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    if default is _MISSING:
        raise ImproperlyConfigured(
            f"Set the environment variable {name} (see README: Configuration)."
        )
    return default


def env_str(name: str, default: str | object = _MISSING, *, environ=None) -> str:
    value = _raw(name, default, environ)
    return value  # type: ignore[return-value]


def env_bool(name: str, default: bool | object = _MISSING, *, environ=None) -> bool:
    value = _raw(name, default, environ)
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}."
    )


def env_int(name: str, default: int | object = _MISSING, *, environ=None) -> int:
    value = _raw(name, default, environ)
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str] | object = _MISSING, *, environ=None) -> list[str]:
    value = _raw(name, default, environ)
    if isinstance(value, list):
        return value
    return [item.strip() for item in str(value).split(",") if item.strip()]


def env_uri(
    name: str, default: str | object = _MISSING, *, schemes: tuple[str, ...], environ=None
) -> str:
    """A URI with one of ``schemes``: ``mailto:`` needs an address, any other a host."""
    value = str(_raw(name, default, environ)).strip()
    parts = urlsplit(value)
    complete = "@" in parts.path if parts.scheme == "mailto" else bool(parts.netloc)
    # No spaces: the value is written into plain-text files such as security.txt.
    if parts.scheme not in schemes or not complete or any(c.isspace() for c in value):
        kinds = " or ".join("mailto:" if s == "mailto" else f"{s}://" for s in schemes)
        raise ImproperlyConfigured(f"{name} must be a {kinds} address, not {value!r}.")
    return value


def env_secret(name: str, *, min_length: int = 50, environ=None) -> str:
    value = str(_raw(name, _MISSING, environ))
    if len(value) < min_length or len(set(value)) < 5:
        raise ImproperlyConfigured(
            f"{name} must be at least {min_length} random characters "
            '(generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))").'
        )
    return value
