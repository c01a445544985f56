import pytest

from kawaltps.training import scoring


@pytest.mark.parametrize("score,pass_score,expected", [
    (70, 70, True), (69.9, 70, False), (100, 70, True), (0, 70, False), (80, 85, False), (85, 85, True),
    (None, 70, False),
])
def test_pass_boundary(score, pass_score, expected):
    assert scoring.passes(score, pass_score) is expected


def test_score_answers_overall_and_per_module():
    questions = [(1, "a", 0), (2, "a", 1), (3, "b", 2), (4, "b", 3), (5, "b", 0)]
    score, per_module = scoring.score_answers(questions, {"1": 0, "2": 0, "3": 2, "4": 3})  # 5 unanswered
    assert score == 60.0
    assert per_module == {"a": 50.0, "b": 66.7}


def test_draw_is_reproducible_and_per_module():
    bank = {1: [10, 11, 12, 13], 2: [20, 21, 22], 3: [30]}
    drawn = scoring.draw_questions(bank, "5:pre")
    assert drawn == scoring.draw_questions(bank, "5:pre")
    assert len(drawn) == 5 and drawn[-1] == 30
    assert sum(q in bank[1] for q in drawn) == 2


def test_gain_flags():
    assert scoring.gain_flags(-3.0, 0.9, 10) == ["nilai turun"]
    assert scoring.gain_flags(5.0, 0.5, 10) == ["kenaikan rendah", "kelulusan rendah"]
    assert scoring.gain_flags(25.0, 0.8, 10) == []
    assert scoring.gain_flags(-30.0, 0.0, 4) == []  # too few to judge
