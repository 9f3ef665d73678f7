"""The national defaults: checks and training every site requires unless it says otherwise."""

from django.db import migrations

CHECKS = [
    ("dbs", "DBS check", "An enhanced DBS check for work with adults at risk.", 36, True),
    ("references", "References", "Two references, one from outside the family.", None, True),
    ("right-to-work", "Right to work", "Only for sessional and employed connectors.", None, False),
]
MODULES = [
    ("induction", "Connector induction", "The programme, the role and how the site works.", None),
    ("safeguarding", "Safeguarding adults and children (level 1)", "Spotting and reporting concerns.", 36),
    ("data-protection", "Data protection and confidentiality", "Keeping people's information safe.", 12),
]


def add(apps, schema_editor):
    CheckType = apps.get_model("network", "CheckType")
    TrainingModule = apps.get_model("network", "TrainingModule")
    for position, (code, name, description, months, required) in enumerate(CHECKS):
        CheckType.objects.get_or_create(
            code=code,
            site=None,
            defaults={
                "name": name,
                "description": description,
                "valid_for_months": months,
                "required_by_default": required,
                "position": position,
            },
        )
    for position, (code, title, description, months) in enumerate(MODULES):
        TrainingModule.objects.get_or_create(
            code=code,
            site=None,
            defaults={
                "title": title,
                "description": description,
                "valid_for_months": months,
                "required_by_default": True,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
