"""Chain the existing history by hash and make it append-only (triggers on PostgreSQL and SQLite)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def chain_existing(apps, schema_editor):
    from kawaltps.audit.chain import FIELDS, GENESIS, compute_hash

    ChangeRecord = apps.get_model("audit", "ChangeRecord")
    prev, batch = GENESIS, []
    for seq, rec in enumerate(ChangeRecord.objects.order_by("occurred_at", "id").iterator(chunk_size=5000), 1):
        rec.seq, rec.prev_hash = seq, prev
        rec.hash = prev = compute_hash(prev, {f: getattr(rec, f) for f in FIELDS})
        batch.append(rec)
        if len(batch) >= 5000:
            ChangeRecord.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
            batch = []
    ChangeRecord.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])


def install_triggers(apps, schema_editor):
    from kawaltps.audit import schema

    schema.install(schema_editor.connection)


def uninstall_triggers(apps, schema_editor):
    from kawaltps.audit import schema

    schema.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="changerecord", name="user",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                    to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name="changerecord", name="occurred_at",
            field=models.DateTimeField(db_index=True, verbose_name="waktu"),
        ),
        migrations.AddField(model_name="changerecord", name="seq",
                            field=models.BigIntegerField(null=True, verbose_name="urutan rantai")),
        migrations.AddField(model_name="changerecord", name="prev_hash",
                            field=models.CharField(default="", max_length=64), preserve_default=False),
        migrations.AddField(model_name="changerecord", name="hash",
                            field=models.CharField(default="", max_length=64), preserve_default=False),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(model_name="changerecord", name="seq",
                              field=models.BigIntegerField(unique=True, verbose_name="urutan rantai")),
        migrations.AlterModelOptions(
            name="changerecord",
            options={"ordering": ["seq"], "verbose_name": "catatan perubahan",
                     "verbose_name_plural": "catatan perubahan"},
        ),
        migrations.RunPython(install_triggers, uninstall_triggers),
    ]
