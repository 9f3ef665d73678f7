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
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from core20.datapacks.models import DataPack
from core20.datapacks.presentation import direction, language, present
from core20.programme.models import Site
from core20.web.absolute import absolute_url

STYLESHEET = "datapacks/pack.css"
PDF_CACHE_SECONDS = 60 * 60 * 24
VARIANTS = {"full": "datapacks/_pack_body.html", "easy": "datapacks/_easy_read_body.html"}


def interest_url(site: Site, base_url: str = "") -> str:
    """The site's public expression-of-interest form, worked out when the pack is shown (not
    stored with it), so every version links to it; absolute when ``base_url`` is given (a PDF
    is read away from the site). "" where the site takes no expressions of interest (closed:
    it recruits no one, and its form refuses them)."""
    if not site.takes_expressions_of_interest:
        return ""
    path = reverse("network:interest", args=[site.slug])
    return absolute_url(base_url, path) if base_url else path


def site_urls(site: Site, base_url: str = "") -> dict[str, str]:
    """Where a reader goes on from a pack that cannot say who lives in the site's areas: the
    site's public page (what it does, how to take part) and all its published data packs (a
    newer version may say more); absolute when ``base_url`` is given, as for a PDF."""
    paths = {
        "site_url": reverse("programme:site-detail", args=[site.slug]),
        "site_packs_url": reverse("datapacks:site", args=[site.slug]),
    }
    if base_url:
        return {key: absolute_url(base_url, path) for key, path in paths.items()}
    return paths


def full_pack_url(pack: DataPack, lang: str, base_url: str = "") -> str:
    """The full version of this pack in the reader's language (the easy read sends readers
    there for the details of where its figures come from); absolute when ``base_url`` is
    given, as for a PDF."""
    path = f"{reverse('datapacks:pack', args=[pack.site.slug, pack.pk])}?lang={lang}"
    return absolute_url(base_url, path) if base_url else path


def context(pack: DataPack, lang: str, base_url: str = "") -> dict:
    return {
        "pack": pack,
        "view": present(pack.content),
        "lang": lang,
        "dir": direction(lang),
        "site_name": pack.content.get("site", {}).get("name") or pack.site.name,
        "interest_url": interest_url(pack.site, base_url),
        "full_pack_url": full_pack_url(pack, lang, base_url),
        **site_urls(pack.site, base_url),
    }


def render_body(
    pack: DataPack, lang: str, variant: str = "full", *, base_url: str = ""
) -> SafeString:
    """The pack's translated content as HTML (headings from <h1>), for a page or the PDF."""
    lang = language(lang)
    with translation.override(lang):
        return mark_safe(  # noqa: S308
            render_to_string(VARIANTS[variant], context(pack, lang, base_url))
        )


def render_document(pack: DataPack, lang: str, variant: str = "full", *, base_url: str = "") -> str:
    """A whole HTML document (html lang and dir set) for the PDF; its links are absolute
    on ``base_url``."""
    lang = language(lang)
    with translation.override(lang):
        return render_to_string(
            "datapacks/pack_print.html",
            {
                **context(pack, lang, base_url),
                "body": render_body(pack, lang, variant, base_url=base_url),
            },
        )


def stylesheet_path() -> Path:
    found = finders.find(STYLESHEET)
    return Path(found if isinstance(found, str) else found[0])


def pdf_bytes(pack: DataPack, lang: str, variant: str = "full", *, base_url: str = "") -> bytes:
    """The pack as a PDF, its links absolute on ``base_url``. A published version never
    changes, so its PDF is cached once made (a PDF takes a second or more to lay out); the
    key holds what the links depend on (the address, whether the site still recruits)."""
    lang = language(lang)
    if not pack.is_published:
        return _write_pdf(pack, lang, variant, base_url)
    key = ":".join(
        [
            "datapacks:pdf",
            str(pack.pk),
            str(pack.published_at.timestamp()),
            lang,
            variant,
            base_url,
            interest_url(pack.site, base_url),
        ]
    )
    data = cache.get(key)
    if data is None:
        data = _write_pdf(pack, lang, variant, base_url)
        cache.set(key, data, PDF_CACHE_SECONDS)
    return data


def _write_pdf(pack: DataPack, lang: str, variant: str, base_url: str) -> bytes:
    from weasyprint import CSS, HTML

    html = render_document(pack, lang, variant, base_url=base_url)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=str(stylesheet_path()))]
    )
