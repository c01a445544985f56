"""Fewer indexes on the two tables a national import fills (issue 15.6, docs/results-loading.md).

results_tpsresult: 8 indexes maintained per row → 5 (and a partial one of the flagged rows, ~4 %):
election_id (prefix of the unique (election, tps, source) and of (election, source, code)), the
plain code index (the varchar_pattern_ops one serves =, IN and the prefix LIKE) and flagged
(replaced by the partial (election, source) WHERE flagged). results_submission 6 → 4: created_at
(read per result), entered_by_id made partial (WHERE NOT NULL: imports have no user) and the
varchar_pattern_ops copy of the unique client_id (no LIKE on it; Django
adds it for every unique CharField on PostgreSQL, so it is dropped here by name, state unchanged).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _client_id_like(schema_editor) -> str:
    return schema_editor._create_index_name("results_submission", ["client_id"], suffix="_like")


def drop_client_id_like(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {_client_id_like(schema_editor)}")


def create_client_id_like(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {_client_id_like(schema_editor)} "
                              "ON results_submission (client_id varchar_pattern_ops)")


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('elections', '0002_initial'),
        ('regions', '0001_initial'),
        ('results', '0009_photoupload_unconfirmed'),
    ]

    operations = [
        migrations.AlterField(
            model_name='submission',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True),
        ),
        migrations.AlterField(
            model_name='tpsresult',
            name='code',
            field=models.CharField(max_length=13, verbose_name='kode TPS'),
        ),
        migrations.AlterField(
            model_name='tpsresult',
            name='election',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='tps_results', to='elections.election'),
        ),
        migrations.AlterField(
            model_name='tpsresult',
            name='flagged',
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name='tpsresult',
            index=models.Index(fields=['code'], name='results_tpsresult_code_pat', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='tpsresult',
            index=models.Index(condition=models.Q(('flagged', True)), fields=['election', 'source'], name='results_tpsresult_flagged'),
        ),
        migrations.AlterField(
            model_name='submission',
            name='entered_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='result_submissions', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='submission',
            index=models.Index(condition=models.Q(('entered_by__isnull', False)), fields=['entered_by'], name='results_submission_entered_by'),
        ),
        migrations.RunPython(drop_client_id_like, create_client_id_like),
    ]
