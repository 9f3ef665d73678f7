"""Knowledge hub and mailing-list actions.

Resources (KNOWLEDGE_MANAGE): each action validates everything (the model, the link's
scheme, the file's type, size and content), saves and records an audit event in one
transaction, so a mistake leaves nothing half-saved.

The mailing list (anyone may sign up; MAILING_LIST_SEND to send notices):

- ``sign_up``: records the address with the consent wording and time, and emails a signed
  confirmation link (double opt-in). Nothing is sent to the address until it is confirmed.
  Sign-ups not confirmed within the link's lifetime are deleted at the next sign-up.
- ``confirm``: the link's signature, age and consent time must all match.
- ``unsubscribe``: deletes the subscriber and keeps only a hash of the address
  (``Suppression``); works without signing in, from the signed link.
- ``queue_mailing``: a national admin sends a notice; a background task
  (core20.knowledge.tasks.send_mailing) emails each confirmed subscriber once and records
  how many it reached.

Audit events about subscribers never contain their address, and are recorded without an
actor even when the person happens to be signed in: the audit log cannot be changed, and it
must not keep a record of who subscribed after they unsubscribe. ``by`` is taken so that
every write names who asked for it, as everywhere else.
"""

from collections.abc import Mapping
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core20.accounts.authorization import require_permission
from core20.accounts.permissions import Permission
from core20.audit.models import AuditEvent
from core20.audit.recording import diff, record, snapshot
from core20.knowledge import emails, files, tokens
from core20.knowledge.models import (
    RESERVED_SLUGS,
    Mailing,
    Resource,
    Subscriber,
    Suppression,
    private_storage,
)

RESOURCE_FIELDS = (
    "kind",
    "title",
    "slug",
    "summary",
    "body",
    "link",
    "link_text",
    "clinical_areas",
    "published",
    "published_on",
    "event_on",
    "starts_at",
    "ends_at",
)
FILE = "file"  # an uploaded file to store (not a model field name in ``data``)
REMOVE_FILE = "remove_file"
MAILING_FIELDS = ("subject", "body")

CONSENT_TEXT = (
    "I agree to Core20 Connect emailing me updates about the Core20PLUS Connectors "
    "programme, such as when a new wave opens for expressions of interest. I can "
    "unsubscribe at any time using the link in every email."
)
RESEND_AFTER = timedelta(minutes=10)


# ---- resources ----

WEBINAR_LINK_NEEDED = (
    "Enter the web address to join the webinar or watch its recording. If the joining link "
    "is not ready yet, enter the date of the webinar and leave the link blank"
)
RECORDING_LINK_NEEDED = (
    "Enter the web address of the webinar's recording or page, or untick Show this on the "
    "knowledge hub to keep it as a draft until you have one"
)
ONLY_WEBINARS_HAVE_A_DATE = (
    "Only webinars have a date. Remove the date, or choose Webinar as the type of resource"
)
ONLY_WEBINARS_HAVE_A_TIME = (
    "Only webinars have a time. Remove the time, or choose Webinar as the type of resource"
)
TIME_WITHOUT_DATE = "Enter the date of the webinar, or remove the time"
END_WITHOUT_START = "Enter the start time, or remove the end time"
END_BEFORE_START = "The end time must be after the start time"
LINK_TEXT_WITHOUT_LINK = "Enter the web address the link text is for, or remove the text"
TAKEN_TITLE = (
    "Another resource already has this title, so its web address is taken. Change the title, "
    "or enter a different web address"
)


def link_and_date_errors(
    *,
    kind: str,
    link: str,
    link_text: str,
    event_on,
    starts_at=None,
    ends_at=None,
    publishing: bool = True,
) -> dict[str, str]:
    """What is wrong with a resource's link, date and times, by field name (empty when
    nothing is).

    Only webinars have a date. A webinar needs its link (to join it, or its recording) unless
    its date is today or later: organisers often list a webinar before the joining link
    exists, and the page then says joining details will follow.

    A webinar that has taken place needs its recording's link only when it is being
    published (``publishing``: added as published, or a draft being published). Once it is on
    the hub its date passes by itself, so changing its title or summary must not ask for a
    recording there may not be yet; its page says there is no recording yet.

    A webinar's start and end times (UK time) are optional: one still to come without them
    says "time to be confirmed". An end time needs a start time before it, and times need
    the date."""
    errors = {}
    if event_on is not None and kind != Resource.Kind.WEBINAR:
        errors["event_on"] = ONLY_WEBINARS_HAVE_A_DATE
    if starts_at is not None or ends_at is not None:
        time_field = "starts_at" if starts_at is not None else "ends_at"
        if kind != Resource.Kind.WEBINAR:
            errors[time_field] = ONLY_WEBINARS_HAVE_A_TIME
        elif event_on is None:
            errors[time_field] = TIME_WITHOUT_DATE
        elif starts_at is None:
            errors["starts_at"] = END_WITHOUT_START
        elif ends_at is not None and ends_at <= starts_at:
            errors["ends_at"] = END_BEFORE_START
    if kind == Resource.Kind.WEBINAR and not (link or "").strip():
        if event_on is None:
            errors["link"] = WEBINAR_LINK_NEEDED
        elif event_on < timezone.localdate() and publishing:
            errors["link"] = RECORDING_LINK_NEEDED
    if link_text and not link:
        errors["link_text"] = LINK_TEXT_WITHOUT_LINK
    return errors


def _readable(resource: Resource) -> dict:
    data = snapshot(resource, RESOURCE_FIELDS)
    data["kind"] = resource.get_kind_display()
    data["file"] = resource.file_name or ""
    for name in ("starts_at", "ends_at"):
        value = getattr(resource, name)
        data[name] = f"{value:%H:%M}" if value is not None else None
    return data


def _check_fields(data: Mapping, allowed) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")


def is_publishing(resource: Resource, published) -> bool:
    """Whether saving ``resource`` (as it is in the database) with ``published`` puts it on
    the hub now: added as published, or a draft being published."""
    return bool(published) and not (resource.pk and resource.published)


def _prepare(resource: Resource, data: Mapping) -> tuple[list, dict, object]:
    """Set the plain fields; return the clinical areas, errors found so far, and the file."""
    data = dict(data)
    publishing = is_publishing(resource, data.get("published", resource.published))
    areas = list(data.pop("clinical_areas", resource.clinical_areas.all() if resource.pk else []))
    upload = data.pop(FILE, None)
    remove = data.pop(REMOVE_FILE, False)
    errors: dict[str, list[str]] = {}
    from_title = False
    if "slug" in data or not resource.slug:
        slug = (data.get("slug") or "").strip().lower()
        if not slug:
            title = data.get("title", resource.title) or ""
            slug = slugify(title)[:200].strip("-")
            from_title = True
        data["slug"] = slug
    for name, value in data.items():
        setattr(resource, name, value)
    if resource.slug in RESERVED_SLUGS:
        errors["slug"] = [f"“{resource.slug}” is used by the service itself. Enter another."]
    elif (
        from_title
        and resource.slug
        and Resource.objects.filter(slug=resource.slug).exclude(pk=resource.pk).exists()
    ):
        # The web address was made from the title: say so about the title, which the person
        # filled in, not about the web address they left blank.
        errors["title"] = [TAKEN_TITLE]
    if upload is not None:
        try:
            files.check_upload(upload)
        except ValidationError as exc:
            errors["file"] = exc.messages
    for name, message in link_and_date_errors(
        kind=resource.kind,
        link=resource.link,
        link_text=resource.link_text,
        event_on=resource.event_on,
        starts_at=resource.starts_at,
        ends_at=resource.ends_at,
        publishing=publishing,
    ).items():
        errors[name] = [message]
    if resource.published and resource.published_on is None:
        resource.published_on = timezone.localdate()
    if remove and upload is None:
        upload = False  # remove the current file
    return areas, errors, upload


def _full_clean(resource: Resource, errors: Mapping) -> None:
    found: dict[str, list] = {}
    try:
        resource.full_clean(exclude=["file"])
    except ValidationError as exc:
        found.update(exc.update_error_dict({}))
    if TAKEN_TITLE in errors.get("title", ()):
        found.pop("slug", None)  # the same problem, already said about the title
    for name, messages in errors.items():
        found.setdefault(name, []).extend(messages)
    if found:
        raise ValidationError(found)


def _store_file(resource: Resource, upload) -> str | None:
    """Attach the upload (or remove the file when ``upload`` is False); returns the old
    file's name, to delete once the change is committed."""
    old = resource.file.name or None
    if upload is False:
        resource.file = None
        resource.file_name = ""
        resource.file_size = None
        return old
    if upload is None:
        return None
    resource.file.save(upload.name, upload, save=False)
    resource.file_name = upload.name[:200]
    resource.file_size = upload.size
    return old


@transaction.atomic
def create_resource(*, data: Mapping, by) -> Resource:
    require_permission(by, Permission.KNOWLEDGE_MANAGE)
    _check_fields(data, (*RESOURCE_FIELDS, FILE, REMOVE_FILE))
    resource = Resource(created_by=by, updated_by=by)
    areas, errors, upload = _prepare(resource, data)
    _full_clean(resource, errors)
    new_file = None
    if upload:
        _store_file(resource, upload)
        new_file = resource.file.name
    try:
        resource.save()
        resource.clinical_areas.set(areas)
        record(
            actor=by,
            verb=AuditEvent.Verb.CREATE,
            obj=resource,
            changes={
                k: [None, v] for k, v in _readable(resource).items() if v not in (None, "", [])
            },
        )
    except Exception:  # not saved after all: do not leave the file behind
        if new_file:
            private_storage.delete(new_file)
        raise
    return resource


@transaction.atomic
def update_resource(*, resource: Resource, data: Mapping, by) -> Resource:
    require_permission(by, Permission.KNOWLEDGE_MANAGE)
    _check_fields(data, (*RESOURCE_FIELDS, FILE, REMOVE_FILE))
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    before = _readable(resource)
    areas, errors, upload = _prepare(resource, data)
    _full_clean(resource, errors)
    old_file = _store_file(resource, upload)
    resource.updated_by = by
    resource.save()
    resource.clinical_areas.set(areas)
    changes = diff(before, _readable(resource))
    if upload:
        changes["file"] = [before["file"], resource.file_name + " (new upload)"]
    if changes:
        record(actor=by, verb=AuditEvent.Verb.UPDATE, obj=resource, changes=changes)
    if old_file and upload is not None:
        transaction.on_commit(lambda: private_storage.delete(old_file))
    return resource


# ---- the mailing list ----


def purge_unconfirmed() -> int:
    """Delete sign-ups never confirmed within the link's lifetime; how many. Run by the
    daily jobs (core20.web.daily) and before each sign-up."""
    cutoff = timezone.now() - timedelta(days=tokens.CONFIRM_DAYS)
    count, _ = Subscriber.objects.filter(
        confirmed_at__isnull=True, consented_at__lt=cutoff
    ).delete()
    return count


@transaction.atomic
def sign_up(
    *, email: str, name: str = "", organisation: str = "", consent: bool, base_url: str, by=None
) -> Subscriber | None:
    """Record a sign-up and email the confirmation link (after the transaction commits).

    The same page follows whatever the address's state, so the form does not reveal who is
    on the list: a new or pending address gets a confirmation link (at most one every ten
    minutes), a confirmed one a note that it is already subscribed."""
    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = ["Enter your email address"]
    if consent is not True:
        errors["consent"] = ["Tick the box to agree to receive emails from Core20 Connect"]
    if errors:
        raise ValidationError(errors)
    purge_unconfirmed()
    now = timezone.now()
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is not None and subscriber.is_confirmed:
        message = emails.already_subscribed(subscriber, base_url)
        transaction.on_commit(lambda: emails.send([message]))
        return subscriber
    if (
        subscriber is not None
        and subscriber.confirmation_sent_at
        and (now - subscriber.confirmation_sent_at < RESEND_AFTER)
    ):
        return subscriber  # a link was sent moments ago
    created = subscriber is None
    subscriber = subscriber or Subscriber(email=email)
    subscriber.name = (name or "").strip()[:200]
    subscriber.organisation = (organisation or "").strip()[:200]
    subscriber.consent_text = CONSENT_TEXT
    subscriber.consented_at = now
    subscriber.confirmation_sent_at = now
    try:
        subscriber.full_clean(exclude=["email_hash"], validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(
            {
                k: ["Enter an email address in the correct format, like name@example.org"]
                if k == "email"
                else v
                for k, v in exc.message_dict.items()
            }
        ) from exc
    subscriber.save()
    record(
        actor=None,  # never who: see the module docstring
        verb=AuditEvent.Verb.CREATE if created else AuditEvent.Verb.UPDATE,
        object_type=Subscriber._meta.label,
        object_id=subscriber.pk,
        object_label="Mailing list sign-up",
        summary="Signed up to the stakeholder mailing list (waiting for confirmation)",
    )
    message = emails.confirmation(subscriber, base_url)
    transaction.on_commit(lambda: emails.send([message]))
    return subscriber


class LinkNotValid(Exception):
    """A confirmation or unsubscribe link that is wrong, expired or already used."""


@transaction.atomic
def confirm(*, token: str, by=None) -> Subscriber:
    data = tokens.read_confirm_token(token)
    if data is None:
        raise LinkNotValid
    subscriber = Subscriber.objects.select_for_update().filter(email_hash=data["h"]).first()
    if subscriber is None or abs(subscriber.consented_at.timestamp() - data["c"]) > 0.001:
        raise LinkNotValid
    if subscriber.is_confirmed:
        return subscriber
    subscriber.confirmed_at = timezone.now()
    subscriber.save(update_fields=["confirmed_at"])
    # A new, confirmed consent replaces an earlier unsubscribe.
    Suppression.objects.filter(email_hash=subscriber.email_hash).delete()
    record(
        actor=None,  # never who: see the module docstring
        verb=AuditEvent.Verb.UPDATE,
        object_type=Subscriber._meta.label,
        object_id=subscriber.pk,
        object_label="Mailing list subscriber",
        summary="Confirmed a stakeholder mailing list sign-up",
    )
    return subscriber


@transaction.atomic
def unsubscribe(*, token: str, by=None) -> bool:
    """Take the address off the list. Returns False if it was not on it (the link still
    works: the address stays suppressed). Raises LinkNotValid for a bad link."""
    hashed = tokens.read_unsubscribe_token(token)
    if hashed is None:
        raise LinkNotValid
    deleted, _ = Subscriber.objects.filter(email_hash=hashed).delete()
    Suppression.objects.get_or_create(email_hash=hashed)
    if deleted:
        record(
            actor=None,  # never who: see the module docstring
            verb=AuditEvent.Verb.DELETE,
            object_type=Subscriber._meta.label,
            object_label="Mailing list subscriber",
            summary="Unsubscribed from the stakeholder mailing list (only a hash is kept)",
        )
    return bool(deleted)


def recipients():
    """Confirmed subscribers whose address has not been suppressed."""
    return (
        Subscriber.objects.filter(confirmed_at__isnull=False)
        .exclude(email_hash__in=Suppression.objects.values("email_hash"))
        .order_by("pk")
    )


# ---- notices ----


def _check_mailing(mailing: Mailing) -> None:
    errors = {}
    try:
        mailing.full_clean(
            exclude=["status", "base_url", "task_id", "error", "recipient_count", "failed_count"]
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_mailing(*, data: Mapping, by) -> Mailing:
    require_permission(by, Permission.MAILING_LIST_SEND)
    _check_fields(data, MAILING_FIELDS)
    mailing = Mailing(created_by=by, **data)
    _check_mailing(mailing)
    mailing.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=mailing,
        changes={"subject": [None, mailing.subject]},
        summary="Drafted a notice to the stakeholder mailing list",
    )
    return mailing


@transaction.atomic
def update_mailing(*, mailing: Mailing, data: Mapping, by) -> Mailing:
    require_permission(by, Permission.MAILING_LIST_SEND)
    _check_fields(data, MAILING_FIELDS)
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if mailing.status != Mailing.Status.DRAFT:
        raise ValidationError("This notice has been sent, so it cannot be changed.")
    before = snapshot(mailing, MAILING_FIELDS)
    for name, value in data.items():
        setattr(mailing, name, value)
    _check_mailing(mailing)
    changes = diff(before, snapshot(mailing, MAILING_FIELDS))
    if changes:
        mailing.save()
        record(actor=by, verb=AuditEvent.Verb.UPDATE, obj=mailing, changes=changes)
    return mailing


@transaction.atomic
def queue_mailing(*, mailing: Mailing, base_url: str, by) -> Mailing:
    """Send a draft notice to every confirmed subscriber, as a background task."""
    require_permission(by, Permission.MAILING_LIST_SEND)
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if mailing.status != Mailing.Status.DRAFT:
        raise ValidationError(
            f"This notice is {mailing.get_status_display().lower()}: it can only be sent once."
        )
    mailing.status = Mailing.Status.QUEUED
    mailing.base_url = base_url
    mailing.queued_at = timezone.now()
    mailing.queued_by = by
    mailing.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.UPDATE,
        obj=mailing,
        changes={"status": [Mailing.Status.DRAFT.label, Mailing.Status.QUEUED.label]},
        summary="Sent a notice to the stakeholder mailing list",
    )
    pk = mailing.pk

    def enqueue():
        from core20.knowledge.tasks import send_mailing

        result = send_mailing.enqueue(pk)
        Mailing.objects.filter(pk=pk).update(task_id=str(result.id)[:100])

    transaction.on_commit(enqueue)
    return mailing


BATCH = 100


def deliver(mailing_id: int) -> Mailing:
    """Email the notice to each confirmed subscriber once (called by the task). Claims the
    notice first, so running twice cannot send it twice."""
    claimed = Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.QUEUED).update(
        status=Mailing.Status.SENDING
    )
    mailing = Mailing.objects.select_related("queued_by").get(pk=mailing_id)
    if not claimed:
        return mailing
    total = recipients().count()
    sent = failed = 0
    error = ""
    batch = []
    try:
        for subscriber in recipients().iterator(chunk_size=BATCH):
            batch.append(emails.notice(mailing, subscriber))
            if len(batch) >= BATCH:
                count = emails.send(batch)
                sent += count
                failed += len(batch) - count
                batch = []
        if batch:
            count = emails.send(batch)
            sent += count
            failed += len(batch) - count
        status = Mailing.Status.SENT
    except Exception as exc:  # the mail server failed part-way: say so, keep the counts
        failed = max(total - sent, len(batch))
        status = Mailing.Status.FAILED
        error = f"{type(exc).__name__}: {exc}"[:2000]
    with transaction.atomic():
        Mailing.objects.filter(pk=mailing_id).update(
            status=status,
            sent_at=timezone.now(),
            recipient_count=sent,
            failed_count=failed,
            error=error,
        )
        mailing.refresh_from_db()
        record(
            actor=mailing.queued_by,
            verb=AuditEvent.Verb.UPDATE,
            obj=mailing,
            changes={
                "status": [Mailing.Status.SENDING.label, mailing.get_status_display()],
                "recipient_count": [None, sent],
            },
            summary=f"Notice emailed to {sent} subscriber{'s' if sent != 1 else ''}"
            + (f"; {failed} could not be sent" if failed else ""),
        )
    return mailing
