"""Account actions: each names who does it and records an audit event in the same transaction."""

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp import devices_for_user

from core20.accounts.models import ApiToken, Membership, User
from core20.accounts.tokens import TOKEN_PREFIX, hash_token, new_raw_token
from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.web.absolute import absolute_url

logger = logging.getLogger(__name__)


@transaction.atomic
def create_user(*, email: str, full_name: str, password: str | None, by: User | None) -> User:
    user = User(email=email, full_name=full_name, username=email.strip().lower())
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=user,
        changes={"email": user.email, "full_name": full_name},
    )
    return user


@transaction.atomic
def grant_role(
    *, user: User, role: str, site=None, organisation=None, by: User | None
) -> Membership:
    membership = Membership(
        user=user, role=role, site=site, organisation=organisation, created_by=by
    )
    membership.full_clean()
    membership.save()
    user.forget_memberships()
    record(
        actor=by,
        verb=AuditEvent.Verb.GRANT,
        obj=user,
        site=site,
        changes={"role": membership.get_role_display(), "scope": membership.scope_label},
        summary=f"{membership.get_role_display()} for {membership.scope_label}",
    )
    return membership


@transaction.atomic
def revoke_role(*, membership: Membership, by: User) -> None:
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    membership.user.forget_memberships()
    record(
        actor=by,
        verb=AuditEvent.Verb.REVOKE,
        obj=membership.user,
        site=membership.site,
        changes={"role": membership.get_role_display(), "scope": membership.scope_label},
        summary=f"{membership.get_role_display()} for {membership.scope_label}",
    )


@transaction.atomic
def create_api_token(
    *, user: User, name: str, by: User, days: int = ApiToken.DEFAULT_LIFETIME
) -> tuple[ApiToken, str]:
    """Returns the token and its raw value, which is shown to the user once and never stored.
    The token stops working ``days`` days from now (one of ``ApiToken.LIFETIMES``)."""
    if days not in ApiToken.LIFETIMES:
        raise ValueError(f"A token lasts one of {sorted(ApiToken.LIFETIMES)} days, not {days}")
    raw = new_raw_token()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[len(TOKEN_PREFIX) :][: ApiToken.PREFIX_LENGTH],
        token_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    record(
        actor=by,
        verb=AuditEvent.Verb.TOKEN_CREATE,
        obj=token,
        summary=f"API token “{name}”, expires {timezone.localdate(token.expires_at):%-d %B %Y}",
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: User) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        actor=by, verb=AuditEvent.Verb.TOKEN_REVOKE, obj=token, summary=f"API token “{token.name}”"
    )


@transaction.atomic
def confirm_two_factor(*, device, by: User) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(
        actor=by, verb=AuditEvent.Verb.TWO_FACTOR_ENROL, obj=by, summary="Authenticator app set up"
    )


def reset_two_factor(*, user: User, by: User, base: str) -> None:
    """Remove ``user``'s authenticator (they lost their phone, say), so that they set one up
    again at their next sign-in; sessions verified with it must verify again. National admins
    only, and never their own: a second person confirms who is asking. The person is told by
    email, so that a reset they did not ask for does not go unnoticed."""
    if user.pk == by.pk:
        raise ValidationError("Ask another national administrator to reset your two-factor sign-in")
    devices = list(devices_for_user(user, confirmed=None))
    if not devices:
        raise ValidationError(f"{user.full_name} has no two-factor sign-in to reset")
    with transaction.atomic():
        for device in devices:
            device.delete()
        record(
            actor=by,
            verb=AuditEvent.Verb.TWO_FACTOR_RESET,
            obj=user,
            summary="Authenticator app removed: set up again at next sign-in",
        )
        if user.email:
            transaction.on_commit(lambda: _tell_two_factor_reset(user, by, base))


def _tell_two_factor_reset(user: User, by: User, base: str) -> None:
    _security_notice(
        user,
        subject="Your Core20 Connect two-factor sign-in has been reset",
        template="accounts/email/two_factor_reset.txt",
        context={"by": by, "sign_in_url": absolute_url(base, reverse("accounts:login"))},
    )


def _security_notice(user: User, *, subject: str, template: str, context: dict) -> None:
    """Tell ``user`` by email of a change to how they sign in. The change stands either way:
    a mail server being down must not undo it, so a failure to send is logged."""
    from core20.mail import automated_email

    message = automated_email(
        subject=subject, template=template, context={"user": user, **context}, to=user.email
    )
    try:
        message.send()
    except Exception:
        logger.exception("Failed to send %r to user %s", subject, user.pk)


@transaction.atomic
def erase_account(
    *, user: User, by: User | None, reason: str, roles: Iterable[Membership] = ()
) -> User:
    """Anonymise a person's account when their personal details are erased: it can no longer
    sign in and holds no name, address, password, two-factor key or API token. The row stays
    so that what they recorded keeps its author (shown as the anonymous label). ``roles``
    are current roles to end with it (recorded in the same event, under the anonymous label);
    any other current role refuses the erasure: end those first."""
    ending = {m.pk for m in roles}
    if user.memberships.filter(ended_at__isnull=True).exclude(pk__in=ending).exists():
        raise ValueError(f"{user} still holds a role; end it before erasing the account.")
    ended = Membership.objects.filter(pk__in=ending, ended_at__isnull=True)
    ended_roles = [str(m) for m in ended.select_related("site", "organisation")]
    ended.update(ended_at=timezone.now())
    user.forget_memberships()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    user.api_tokens.all().delete()
    label = f"Former user {user.pk}"
    user.full_name = label
    user.first_name = user.last_name = ""
    user.email = user.username = f"erased-{user.pk}@erased.invalid"
    user.set_unusable_password()
    user.is_active = False
    user.erased_at = timezone.now()
    user.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.DELETE,
        obj=user,
        object_label=label,
        changes={"roles ended": ended_roles} if ended_roles else {},
        summary=reason,
    )
    return user


@transaction.atomic
def set_digest_frequency(*, user: User, frequency: str, by: User) -> None:
    """How often ``user`` gets the "waiting for you" email (core20.web.digest)."""
    if frequency not in User.DigestFrequency.values:
        raise ValueError(f"Unknown digest frequency {frequency!r}.")
    before = user.get_digest_frequency_display()
    user.digest_frequency = frequency
    user.save(update_fields=["digest_frequency"])
    record(
        actor=by,
        verb=AuditEvent.Verb.UPDATE,
        obj=user,
        changes={"waiting for you emails": [before, user.get_digest_frequency_display()]},
        summary=f"“Waiting for you” emails: {user.get_digest_frequency_display()}",
    )


PasswordHow = Literal["change", "reset", "first"]
PASSWORD_SUMMARIES: dict[str, str] = {
    "change": "Changed their password",
    "reset": "Chose a new password from a reset link",
    "first": "Chose their first password from an invitation",
}


def set_password(*, user: User, password: str, how: PasswordHow, by: User, base: str) -> None:
    """Save ``user``'s new password (already validated by the form), audited.

    ``how``: ``change`` (signed in, knowing the current one), ``reset`` (an emailed reset
    link) or ``first`` (an invitation's link). Except for a first password, the person is then
    told by email, so that a change they did not make does not go unnoticed; ``base`` is the
    service's address for the email's link (``core20.web.absolute.base_url``).
    """
    if how not in PASSWORD_SUMMARIES:
        raise ValueError(f"Unknown way of setting a password: {how!r}")
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        verb = AuditEvent.Verb.PASSWORD_RESET
        if how == "change":
            verb = AuditEvent.Verb.PASSWORD_CHANGE
        record(
            actor=by,
            verb=verb,
            obj=user,
            summary=PASSWORD_SUMMARIES[how],
        )
        if how != "first" and user.email:
            changed_at = timezone.now()
            transaction.on_commit(lambda: _tell_password_changed(user, changed_at, base))


def _tell_password_changed(user: User, changed_at, base: str) -> None:
    _security_notice(
        user,
        subject="Your Core20 Connect password has changed",
        template="accounts/email/password_changed.txt",
        context={
            "changed_at": timezone.localtime(changed_at),
            "reset_url": absolute_url(base, reverse("accounts:password-reset")),
        },
    )
