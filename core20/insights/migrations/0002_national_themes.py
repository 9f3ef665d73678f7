"""The national theme list insights are tagged with (sites add their own)."""

from django.db import migrations

NATIONAL_THEMES = [
    "Access and appointments",
    "Communication and information",
    "Cost of living",
    "Culture and faith",
    "Digital exclusion",
    "Discrimination and racism",
    "Fear and mistrust",
    "Language and interpreting",
    "Transport and travel",
    "Waiting times",
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("insights", "Theme")
    for name in NATIONAL_THEMES:
        Theme.objects.get_or_create(name=name, site=None)


def remove_themes(apps, schema_editor):
    apps.get_model("insights", "Theme").objects.filter(
        site=None, name__in=NATIONAL_THEMES, insights__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]

    operations = [migrations.RunPython(add_themes, remove_themes)]
