"""Spam protection for public forms that need no account (connector expressions of interest,
applicant accounts, micro-grant applications): a field people never see (``website``: the
template hides it; robots fill every field) and a minimum time between the page being shown
and the form being sent (``started``, signed so that it cannot be forged or reused after a
day).

No third-party CAPTCHA: it would send visitors' data elsewhere and fail many accessibility
needs. A form sets ``SALT`` (one per form) and ``SPAM_MESSAGE``, calls ``add_spam_fields()``
at the end of ``__init__`` and ``check_spam(cleaned_data)`` in ``clean()``. Tests set
``MIN_SECONDS`` to 0.
"""

import time

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError


class SpamCheckMixin:
    MIN_SECONDS = 3
    MAX_SECONDS = 24 * 60 * 60
    SALT = "core20.web.spam"
    SPAM_MESSAGE = "We could not send your form. Wait a few seconds, check it and try again"

    def add_spam_fields(self) -> None:
        self.fields["website"] = forms.CharField(
            label="Leave this field empty",
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields["started"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=self.SALT)

    def check_spam(self, data) -> None:
        """Raise a form-wide ValidationError (one message, whatever the reason, so that robots
        learn nothing) unless the form looks sent by a person."""
        if data.get("website"):
            raise ValidationError(self.SPAM_MESSAGE, code="honeypot")
        try:
            started = float(
                signing.loads(data.get("started") or "", salt=self.SALT, max_age=self.MAX_SECONDS)
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise ValidationError(self.SPAM_MESSAGE, code="started") from None
        if time.time() - started < self.MIN_SECONDS:
            raise ValidationError(self.SPAM_MESSAGE, code="too_fast")
