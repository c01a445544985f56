"""Correct the Bimtek bank on every install and add the questions a Pilkada saksi was missing.

Gives the rows seeded by 0002 their keys (matched on module and old text), then ``curriculum.sync``
updates them in place by key (same ids, so past attempts stay readable) and creates the new ones:
question 26 no longer claims a 12.00 break, question 30 teaches the reporter's 2 days (UU 10/2016
Pasal 134 ayat (6)) apart from Bawaslu's 3, question 5 asks what makes a vote valid, and every
question cites its rule. Questions added by hand in the admin are not touched.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from kawaltps.training.curriculum import sync
    from kawaltps.training.migrations._bank_v1 import MODULES as V1

    legacy = {(spec["code"], text): key for spec in V1 for key, text, _choices, _correct in spec["questions"]}
    sync(apps.get_model("training", "Module"), apps.get_model("training", "Question"), legacy=legacy)


class Migration(migrations.Migration):
    dependencies = [("training", "0003_question_key_source_attempt_choice_orders")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
