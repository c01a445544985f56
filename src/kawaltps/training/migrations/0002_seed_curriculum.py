"""Seed the five Bimtek modules and their question bank (training.curriculum)."""

from django.db import migrations


def seed(apps, schema_editor):
    from kawaltps.training.curriculum import seed as seed_curriculum

    seed_curriculum(apps.get_model("training", "Module"), apps.get_model("training", "Question"))


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
