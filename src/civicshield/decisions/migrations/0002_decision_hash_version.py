from django.db import migrations, models


class Migration(migrations.Migration):
    """Rows that exist keep version 1 (the recipe they were hashed with); new rows are written as 2."""

    dependencies = [
        ("decisions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1),
        ),
    ]
