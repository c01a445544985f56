from kawaltps.training import curriculum
from kawaltps.training.models import Module, Question


def test_five_modules_seeded_by_migration_with_real_questions(db):
    codes = list(Module.objects.values_list("code", flat=True))
    assert codes == ["tata-cara-tps", "hak-kewajiban-saksi", "c-hasil", "kecurangan", "aplikasi-kawal-tps"]
    for module in Module.objects.all():
        questions = list(module.questions.all())
        assert len(questions) >= 5, module.code
        for q in questions:
            assert 0 <= q.correct < len(q.choices) and len(set(q.choices)) == len(q.choices) >= 3


def test_seed_is_idempotent(db):
    before = Question.objects.count()
    assert curriculum.seed() == (0, 0)
    assert Question.objects.count() == before


def test_facts_from_domain(db):
    q = Question.objects.get(text__startswith="Pukul berapa pemungutan suara")
    assert q.choices[q.correct].startswith("07.00–13.00")
    q = Question.objects.get(text__startswith="Berapa lama batas waktu melapor")
    assert q.choices[q.correct].startswith("7 hari")
