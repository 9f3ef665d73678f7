from django.db import migrations, models


class Migration(migrations.Migration):
    """Calls made before there were drafts were public from their opening date: they stay
    published. New calls start as drafts."""

    dependencies = [
        ("selection", "0002_application_erased_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="published",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="call",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="draft",
                max_length=10,
            ),
        ),
    ]
