"""Seed the five Bimtek modules and their first question bank (frozen in ``_bank_v1``).

The bank has been corrected since (``0004_curriculum_corrections``); this migration keeps seeding the
first version so every install, new or old, reaches today's bank through the same steps.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from kawaltps.training.migrations._bank_v1 import MODULES

    Module = apps.get_model("training", "Module")
    Question = apps.get_model("training", "Question")
    for order, spec in enumerate(MODULES, start=1):
        module, _ = Module.objects.get_or_create(
            code=spec["code"], defaults={"title": spec["title"], "description": spec["description"], "order": order})
        existing = set(Question.objects.filter(module=module).values_list("text", flat=True))
        Question.objects.bulk_create([Question(module=module, text=text, choices=choices, correct=correct)
                                      for _key, text, choices, correct in spec["questions"] if text not in existing])


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
