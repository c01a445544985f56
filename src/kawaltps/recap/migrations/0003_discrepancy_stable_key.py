"""Discrepancy.key (step + code [+ Sirekap version]), unique per election, so a finding keeps its id
across recomputes; first_found_at; computed_at set on every recompute."""

import django.utils.timezone
from django.db import migrations, models


def fill_keys(apps, schema_editor):
    Discrepancy = apps.get_model("recap", "Discrepancy")
    for d in Discrepancy.objects.only("id", "step", "code").iterator():
        # rows of the old scheme; a sirekap_changed key also names its version, unknown here: the next
        # recompute replaces these rows with keyed ones
        key = f"{d.step}:{d.code}" if d.step != "sirekap_changed" else f"{d.step}:{d.code}:lama{d.pk}"
        Discrepancy.objects.filter(pk=d.pk).update(key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("recap", "0002_snapshot_raw_bytes"),
    ]

    operations = [
        migrations.AddField(
            model_name="discrepancy",
            name="key",
            field=models.CharField(default="", max_length=80, verbose_name="kunci temuan"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddField(
            model_name="discrepancy",
            name="first_found_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, verbose_name="pertama ditemukan"
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="discrepancy",
            name="computed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="terakhir dihitung"),
        ),
        migrations.AddConstraint(
            model_name="discrepancy",
            constraint=models.UniqueConstraint(fields=("election", "key"), name="one_discrepancy_per_key"),
        ),
    ]
