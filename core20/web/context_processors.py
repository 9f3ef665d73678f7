"""Values every page template can use."""

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from core20.web.navigation import navigation_for

PHASE_LABELS = {"alpha": "Alpha", "beta": "Beta", "live": ""}


def service_context() -> dict:
    """The service's name, phase and feedback link: no request, no database, so the 500
    page can use it too."""
    phase = settings.SERVICE_PHASE
    contact = settings.SERVICE_CONTACT
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "SERVICE_PHASE": phase,
        # Empty for a live service: the phase banner is then not shown.
        "SERVICE_PHASE_LABEL": PHASE_LABELS.get(phase, phase.title()),
        # The accessibility statement's feedback section, which gives the contact.
        "FEEDBACK_URL": reverse("web:accessibility") + "#feedback",
        # The contact as a link and as the words to show (the address, or the web page).
        "SERVICE_CONTACT": contact,
        "SERVICE_CONTACT_LABEL": contact.removeprefix("mailto:"),
    }


def service(request):
    """The service context, and the header navigation for this user and page.

    The navigation is lazy: it reads the user's memberships only if a template shows it.
    """
    return {
        **service_context(),
        "navigation": SimpleLazyObject(
            lambda: navigation_for(getattr(request, "user", None), request.path)
        ),
    }
