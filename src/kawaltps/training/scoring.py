"""Scoring rules of the Bimtek tests, as small named functions (thresholds are data).

- A test draws ``QUESTIONS_PER_MODULE`` active questions from the bank for each module of the session.
- Each attempt shows every question's choices in its own random order; an answer is the display
  position chosen, graded through that stored order (:func:`grade_position`), never a bank index
  sent by the browser.
- The score is the share of correct answers, 0–100, rounded to one decimal; an unanswered question
  counts as wrong. Per-module scores are computed the same way over that module's questions.
- The post-test passes when its score is **at least** the session's ``pass_score`` (default 70).
- The gain of a volunteer is post-test score minus pre-test score (only volunteers with both).
- Training "does not work" where the mean gain is below ``LOW_GAIN`` points, or the post-test pass
  rate is below ``LOW_PASS_RATE``; a negative mean gain is flagged on its own.
"""

import random
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_noop

QUESTIONS_PER_MODULE = 2
DEFAULT_PASS_SCORE = 70
LOW_GAIN = 10.0  # points, mean post − pre
LOW_PASS_RATE = 0.6  # share of post-tests that pass
MIN_GROUP_SIZE = 5  # fewer takers than this: shown, never flagged


def draw_questions(bank: Mapping[int, list[int]], seed: str,
                   per_module: int = QUESTIONS_PER_MODULE) -> list[int]:
    """Question ids drawn from ``bank`` (module id → active question ids), per module, reproducibly."""
    rng = random.Random(seed)
    drawn: list[int] = []
    for module_id in sorted(bank):
        ids = sorted(bank[module_id])
        drawn += rng.sample(ids, min(per_module, len(ids)))
    return drawn


def shuffled_order(n: int, rng: random.Random) -> list[int]:
    """A random display order of ``n`` choices: position → the bank's choice index."""
    order = list(range(n))
    rng.shuffle(order)
    return order


def is_order_of(order, n: int) -> bool:
    """Whether ``order`` is a display order of exactly ``n`` choices (each bank index once)."""
    return isinstance(order, list) and sorted(order) == list(range(n))


def grade_position(order: list[int] | None, position: int) -> int | None:
    """The bank's choice index shown at display ``position``, or None if the order has no such position."""
    if not order or not 0 <= position < len(order):
        return None
    return order[position]


def percent(correct: int, total: int) -> float:
    return round(100.0 * correct / total, 1) if total else 0.0


def score_answers(questions: Iterable[tuple[int, str, int]], answers: Mapping[str, int | None]
                  ) -> tuple[float, dict[str, float]]:
    """Score answers against ``questions`` = (question id, module code, correct index).

    ``answers`` maps str(question id) → chosen index. Returns (score, {module code: score}).
    """
    right: dict[str, int] = {}
    total: dict[str, int] = {}
    for qid, module, correct in questions:
        total[module] = total.get(module, 0) + 1
        right[module] = right.get(module, 0) + (answers.get(str(qid)) == correct)
    score = percent(sum(right.values()), sum(total.values()))
    return score, {m: percent(right[m], total[m]) for m in total}


def passes(score: float | None, pass_score: int = DEFAULT_PASS_SCORE) -> bool:
    """A post-test passes when its score is at least the pass score (70 passes at 70, 69.9 fails)."""
    return score is not None and score >= pass_score


def gain_flags(mean_gain: float | None, pass_rate: float | None, n: int) -> list[str]:
    """Why a group's training looks ineffective (Indonesian labels); empty when it looks fine."""
    if n < MIN_GROUP_SIZE:
        return []
    flags = []
    if mean_gain is not None and mean_gain < 0:
        flags.append(gettext_noop("nilai turun"))
    elif mean_gain is not None and mean_gain < LOW_GAIN:
        flags.append(gettext_noop("kenaikan rendah"))
    if pass_rate is not None and pass_rate < LOW_PASS_RATE:
        flags.append(gettext_noop("kelulusan rendah"))
    return flags
