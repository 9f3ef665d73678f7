"""Connectors invited to sign in before they were made active were given their *Community
connector* role at the site at once, so they could record activities and insights there
before their checks and training were done. The role is now current only while the record
is active (``actions.sync_role``; ``invite_connector`` no longer gives it earlier). End
those roles now, with the same audit event as a move, recorded by the system; they get
the role again when they are made active. Only where the person has no active record at
that site."""

from django.db import migrations
from django.utils import timezone

NOT_YET_ACTIVE = ("interested", "conversation", "checks", "training")


def end_roles(apps, schema_editor):
    Connector = apps.get_model("network", "Connector")
    Membership = apps.get_model("accounts", "Membership")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    now = timezone.now()
    records = Connector.objects.filter(
        status__in=NOT_YET_ACTIVE, user__isnull=False, erased_at__isnull=True
    ).select_related("site", "user")
    for connector in records:
        active_there = Connector.objects.filter(
            site=connector.site, user=connector.user, status="active"
        )
        if active_there.exists():
            continue
        memberships = Membership.objects.filter(
            user=connector.user, role="connector", site=connector.site, ended_at__isnull=True
        )
        for membership in memberships:
            membership.ended_at = now
            membership.save(update_fields=["ended_at"])
            user = connector.user
            AuditEvent.objects.create(
                actor_label="System",
                verb="revoke",
                object_type="accounts.User",
                object_id=str(user.pk),
                object_label=(user.full_name or user.username)[:300],
                site_id=connector.site_id,
                site_label=connector.site.name[:300],
                changes={"role": "Community connector", "scope": connector.site.name},
                summary=(
                    f"Community connector for {connector.site.name}: their connector record "
                    f"there is at the {connector.status} stage, not active yet"
                )[:500],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_end_roles_of_paused_and_left"),
        ("accounts", "0006_apitoken_expires_at"),
        ("audit", "0003_account_security_verbs"),
    ]

    operations = [migrations.RunPython(end_roles, migrations.RunPython.noop)]
