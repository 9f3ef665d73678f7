"""Rendering a pack: the same HTML for the page and the PDF (WeasyPrint, with the print
stylesheet), in the pack's languages, and the easy-read version.

Only the pack itself is translated (``translation.override`` around its templates); the
site's header and navigation stay as they are."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from core20.datapacks.models import DataPack
from core20.datapacks.presentation import direction, language, present

STYLESHEET = "datapacks/pack.css"
PDF_CACHE_SECONDS = 60 * 60 * 24
VARIANTS = {"full": "datapacks/_pack_body.html", "easy": "datapacks/_easy_read_body.html"}


def context(pack: DataPack, lang: str) -> dict:
    return {
        "pack": pack,
        "view": present(pack.content),
        "lang": lang,
        "dir": direction(lang),
        "site_name": pack.content.get("site", {}).get("name") or pack.site.name,
    }


def render_body(pack: DataPack, lang: str, variant: str = "full") -> SafeString:
    """The pack's translated content as HTML (headings from <h1>), for a page or the PDF."""
    lang = language(lang)
    with translation.override(lang):
        return mark_safe(render_to_string(VARIANTS[variant], context(pack, lang)))  # noqa: S308


def render_document(pack: DataPack, lang: str, variant: str = "full") -> str:
    """A whole HTML document (html lang and dir set) for the PDF."""
    lang = language(lang)
    with translation.override(lang):
        return render_to_string(
            "datapacks/pack_print.html",
            {**context(pack, lang), "body": render_body(pack, lang, variant)},
        )


def stylesheet_path() -> Path:
    found = finders.find(STYLESHEET)
    return Path(found if isinstance(found, str) else found[0])


def pdf_bytes(pack: DataPack, lang: str, variant: str = "full") -> bytes:
    """The pack as a PDF. A published version never changes, so its PDF is cached once made
    (a PDF takes a second or more to lay out)."""
    lang = language(lang)
    if not pack.is_published:
        return _write_pdf(pack, lang, variant)
    key = f"datapacks:pdf:{pack.pk}:{pack.published_at.timestamp()}:{lang}:{variant}"
    data = cache.get(key)
    if data is None:
        data = _write_pdf(pack, lang, variant)
        cache.set(key, data, PDF_CACHE_SECONDS)
    return data


def _write_pdf(pack: DataPack, lang: str, variant: str) -> bytes:
    from weasyprint import CSS, HTML

    html = render_document(pack, lang, variant)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=str(stylesheet_path()))]
    )
