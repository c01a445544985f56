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


def test_display_order_and_grading_by_position():
    import random

    order = scoring.shuffled_order(4, random.Random(3))
    assert sorted(order) == [0, 1, 2, 3] and scoring.is_order_of(order, 4)
    assert [scoring.grade_position(order, p) for p in range(4)] == order
    assert scoring.grade_position(order, 4) is None and scoring.grade_position(order, -1) is None
    assert scoring.grade_position(None, 0) is None and scoring.grade_position([], 0) is None
    assert not scoring.is_order_of([0, 0, 1, 2], 4) and not scoring.is_order_of([0, 1, 2], 4)
    assert not scoring.is_order_of(None, 4) and not scoring.is_order_of({"0": 1}, 4)


def test_orders_are_spread_over_positions():
    import random

    rng = random.Random(11)
    firsts = [scoring.shuffled_order(4, rng)[0] for _ in range(4000)]
    assert all(800 < firsts.count(i) < 1200 for i in range(4))
