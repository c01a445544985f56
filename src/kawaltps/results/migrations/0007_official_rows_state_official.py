"""Official (KPU) rows were stored as ``verified``; that word means two of our clerks agreed (issue 11).
They become ``official``. Tallies are unchanged: ``official`` counts exactly as ``verified`` did
(``results.tally.ENTERED``/``VERIFIED``), so no TallyDelta is needed."""

from django.db import migrations


def forwards(apps, schema_editor):
    TpsResult = apps.get_model("results", "TpsResult")
    TpsResult.objects.filter(source="official", state="verified").update(state="official")


def backwards(apps, schema_editor):
    TpsResult = apps.get_model("results", "TpsResult")
    TpsResult.objects.filter(source="official", state="official").update(state="verified")


class Migration(migrations.Migration):
    dependencies = [("results", "0006_alter_tpsresult_state")]
    operations = [migrations.RunPython(forwards, backwards)]
