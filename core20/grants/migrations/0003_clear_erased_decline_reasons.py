"""Applications erased before erasure cleared the reason for declining them lose it now."""

from django.db import migrations


def clear(apps, schema_editor):
    Application = apps.get_model("grants", "Application")
    Application.objects.filter(erased_at__isnull=False).exclude(decline_reason="").update(
        decline_reason=""
    )


class Migration(migrations.Migration):
    dependencies = [("grants", "0002_application_erased_at")]

    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
