import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def from_audit(apps, schema_editor):
    """Claims already sent for approval: who submitted them, from their audit events (the
    latest SUBMIT event of each claim), so the rule on preparers holds for them too."""
    ExpenseClaim = apps.get_model("hours", "ExpenseClaim")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    submitted = ExpenseClaim.objects.exclude(submitted_at=None).filter(submitted_by=None)
    ids = {str(pk): pk for pk in submitted.values_list("pk", flat=True)}
    if not ids:
        return
    events = (
        AuditEvent.objects.filter(
            object_type="hours.ExpenseClaim", verb="submit", object_id__in=list(ids)
        )
        .exclude(actor_id=None)
        .order_by("created_at", "pk")
        .values_list("object_id", "actor_id")
    )
    actor_of = dict(events)  # the latest event of each claim wins
    existing = set(User.objects.filter(pk__in=set(actor_of.values())).values_list("pk", flat=True))
    for object_id, actor_id in actor_of.items():
        if actor_id in existing:
            ExpenseClaim.objects.filter(pk=ids[object_id]).update(submitted_by_id=actor_id)


class Migration(migrations.Migration):
    dependencies = [
        ("hours", "0001_initial"),
        ("audit", "0002_more_verbs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="expenseclaim",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(from_audit, migrations.RunPython.noop),
    ]
