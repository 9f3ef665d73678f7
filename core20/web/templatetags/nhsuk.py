"""Template helpers for NHS design system markup.

{% load nhsuk %}
{% breadcrumbs "Home" "web:home" "Sites" "programme:site-list" %}
    NHS breadcrumbs for the pages above this one. Arguments alternate label and link;
    a link is a URL name without arguments ("programme:site-list") or a URL you already
    have ({% url "programme:site-detail" site.pk as site_url %} then site_url).
"""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

_URL_STARTS = ("/", "#", "?", "http://", "https://", "mailto:")


def _link(target: str) -> str:
    target = str(target)
    if target.startswith(_URL_STARTS):
        return target
    try:
        return reverse(target)
    except NoReverseMatch:
        raise template.TemplateSyntaxError(
            f"breadcrumbs: {target!r} is neither a URL nor a URL name without arguments"
        ) from None


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*labels_and_links):
    if len(labels_and_links) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes pairs: label, link, label, link…")
    pairs = zip(labels_and_links[::2], labels_and_links[1::2], strict=True)
    return {"breadcrumbs": [(label, _link(link)) for label, link in pairs]}
