"""The question bank: seeded and corrected by migrations, every question cites its rule, facts as in DOMAIN.md."""

import re
from collections import Counter

import pytest

from kawaltps.training import curriculum
from kawaltps.training.migrations import _bank_v1
from kawaltps.training.models import Module, Question

BREAK_AT_NOON = re.compile(r"(istirahat|rehat|jeda)[^.;]{0,60}12[.:]00|12[.:]00[^.;]{0,60}(istirahat|rehat)", re.I)


def _texts(q: dict | Question) -> list[str]:
    if isinstance(q, dict):
        return [q["text"], *q["choices"]]
    return [q.text, *q.choices]


def by_key(key: str) -> Question:
    return Question.objects.get(key=key)


def right(key: str) -> str:
    q = by_key(key)
    return q.choices[q.correct]


def test_five_modules_seeded_by_migration_with_real_questions(db):
    codes = list(Module.objects.values_list("code", flat=True))
    assert codes == ["tata-cara-tps", "hak-kewajiban-saksi", "c-hasil", "kecurangan", "aplikasi-kawal-tps"]
    for module in Module.objects.all():
        questions = list(module.questions.all())
        assert len(questions) >= 5, module.code
        for q in questions:
            assert 0 <= q.correct < len(q.choices) and len(set(q.choices)) == len(q.choices) >= 3


def test_database_matches_the_bank(db):
    bank = {q["key"]: q for q in curriculum.questions()}
    rows = {q.key: q for q in Question.objects.select_related("module").filter(active=True)}
    assert set(rows) == set(bank)
    for key, spec in bank.items():
        q = rows[key]
        assert (q.module.code, q.text, q.choices, q.correct, q.source) == (
            spec["module"], spec["text"], spec["choices"], spec["correct"], spec["source"]), key


def test_seed_is_idempotent(db):
    before = Question.objects.count()
    assert curriculum.seed() == (0, 0)
    assert curriculum.sync().updated == 0
    assert Question.objects.count() == before


def test_every_question_cites_its_rule(db):
    for q in curriculum.questions():
        assert q["source"].strip(), q["key"]
        assert re.search(r"\b(UU|PKPU|Perbawaslu)\b|Kawal TPS", q["source"]), q["key"]
    assert not Question.objects.filter(active=True, source="").exists()


def test_no_question_claims_a_noon_break(db):
    for q in curriculum.questions():
        assert not any(BREAK_AT_NOON.search(t) for t in _texts(q)), q["key"]
    for q in Question.objects.filter(active=True):
        assert not any(BREAK_AT_NOON.search(t) for t in _texts(q)), q.key
    # the pattern does catch the old question 26
    old = next(t for s in _bank_v1.MODULES for k, *t in s["questions"] if k == "jam-rawan")
    assert BREAK_AT_NOON.search(old[1][old[2]])


def test_corrected_questions(db):
    # 26: no break; the risk windows are the DPK hour, the gap before counting, night counting, the trip to the PPK
    answer = right("jam-rawan")
    assert "12.00–13.00" in answer and "DPK" in answer and "malam" in answer and "PPK" in answer
    assert right("jam-pemungutan").startswith("07.00–13.00") and "tanpa jeda" in right("jam-pemungutan")
    # 30: the reporter's 2 days to complete a report, apart from Bawaslu's 3 days to act (UU 10/2016 Pasal 134)
    assert right("laporan-kurang-lengkap") == "Paling lama 2 hari"
    assert by_key("laporan-kurang-lengkap").source == "UU 10/2016 Pasal 134 ayat (6)"
    assert right("bawaslu-tindak-lanjut").startswith("Paling lama 3 hari")
    assert by_key("bawaslu-tindak-lanjut").source == "UU 10/2016 Pasal 134 ayat (5)"
    assert right("batas-lapor").startswith("7 hari") and "ayat (4)" in by_key("batas-lapor").source
    # 5: a valid vote needs the KPPS chair's signature AND a mark on one pair
    q5 = by_key("suara-sah-syarat")
    assert "suara" in q5.text and "DAN dicoblos" in right("suara-sah-syarat") and "Pasal 94" in q5.source
    assert any("di mana pun tanda coblosnya" in c for c in q5.choices if c != right("suara-sah-syarat"))


@pytest.mark.parametrize("key,fact", [
    ("coblos-dua-kali-satu-kolom", "sah untuk paslon"),  # valid vote
    ("coblos-dua-paslon", "tidak sah"),  # invalid votes
    ("surat-suara-tulisan", "tidak sah"),
    ("psu-kpps-minta-tanda", "pemungutan suara ulang"),  # PSU triggers
    ("psu-atau-hitung-ulang", "lebih dari satu kali"),
    ("hitung-ulang-pemicu", "Penghitungan ulang"),  # recount
    ("dpk-alamat", "sesuai alamat di e-KTP"),  # the DPK address rule
    ("dpk-luar-wilayah", "tidak dapat memilih di TPS ini"),
    ("salinan-cocok-plano", "C.Hasil plano"),  # salinan against plano before signing
    ("salinan-beda-plano", "sebelum menandatangani"),
    ("pleno-ppk-peran", "mencocokkan"),  # the saksi at the PPK plenary
    ("pleno-ppk-keberatan", "pembetulan"),
    ("pleno-ppk-salinan", "salinan berita acara"),
])
def test_what_a_pilkada_saksi_needs(db, key, fact):
    assert fact in right(key)


def test_right_answers_are_not_stored_first(db):
    positions = Counter(Question.objects.filter(active=True).values_list("correct", flat=True))
    assert positions[0] < sum(positions.values()) / 2, positions


def test_sync_updates_by_key_in_place_and_leaves_hand_made_questions(db):
    """An install holding the first bank (keyless rows with the old texts) gets the corrections in place."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("kawaltps.training.migrations.0004_curriculum_corrections")
    # back to the first bank, as 0002 left it
    Question.objects.all().delete()
    for spec in _bank_v1.MODULES:
        module = Module.objects.get(code=spec["code"])
        for _key, text, choices, correct in spec["questions"]:
            Question.objects.create(module=module, text=text, choices=choices, correct=correct)
    old26 = Question.objects.get(text__startswith='Kapan "jam rawan"')
    hand_made = Question.objects.create(module=old26.module, text="Soal buatan koordinator?", choices=["a", "b", "c"],
                                        correct=2)
    migration.forwards(apps, None)
    assert by_key("jam-rawan").pk == old26.pk and "12.00–13.00" in right("jam-rawan")
    hand_made.refresh_from_db()
    assert hand_made.key is None and hand_made.active and hand_made.text == "Soal buatan koordinator?"
    assert Question.objects.filter(key__isnull=False).count() == len(curriculum.questions())
    assert Question.objects.count() == len(curriculum.questions()) + 1
    migration.forwards(apps, None)  # running again changes nothing
    assert curriculum.sync().updated == 0


def test_a_question_removed_from_the_bank_is_deactivated_not_deleted(db, monkeypatch):
    from kawaltps.training import bank

    gone = by_key("nihil")
    trimmed = [{**m, "questions": [q for q in m["questions"] if q["key"] != "nihil"]} for m in bank.MODULES]
    monkeypatch.setattr(curriculum, "MODULES", trimmed)
    assert curriculum.sync().deactivated == 1
    gone.refresh_from_db()
    assert gone.active is False


@pytest.mark.django_db(transaction=True)
def test_migrations_correct_an_existing_install():
    """Through the real migrations: an install at 0002 (first bank, with an attempt that drew question 26)
    migrates to the latest and holds the corrected bank, same ids."""
    import importlib

    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("training")
    call_command("migrate", "training", "0002", verbosity=0)
    old = MigrationExecutor(connection).loader.project_state(("training", "0002_seed_curriculum")).apps
    OldQuestion = old.get_model("training", "Question")
    OldQuestion.objects.all().delete()
    importlib.import_module("kawaltps.training.migrations.0002_seed_curriculum").seed(old, None)
    old26 = OldQuestion.objects.get(text__startswith='Kapan "jam rawan"')
    assert "istirahat pukul 12.00" in old26.choices[old26.correct]
    try:
        call_command("migrate", "training", latest[0][1], verbosity=0)
        q = Question.objects.get(pk=old26.pk)
        assert q.key == "jam-rawan" and not BREAK_AT_NOON.search(" ".join(_texts(q))) and q.source
        assert Question.objects.filter(active=True).count() == len(curriculum.questions())
    finally:
        call_command("migrate", verbosity=0)


def test_admin_lists_questions_with_key_and_source(client, users):
    client.force_login(users["admin"])
    page = client.get("/admin/training/question/?q=jam-rawan").content.decode()
    assert "UU 1/2015" in page and "jam-rawan" in page
    client.force_login(users["trainer"])
    assert client.get("/admin/training/question/").status_code == 302  # not staff: sent to the admin login
