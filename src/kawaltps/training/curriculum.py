"""The Bimtek curriculum in the database: modules and questions kept in step with ``bank.MODULES``.

Rules change between elections, so the bank is data (``bank.py``) and reaches the database through
:func:`sync`, which data migrations call with historical models:

- modules are matched on ``code``, questions on ``key``; a matched row is updated in place (its id,
  and so every test attempt that drew it, is kept), a missing one is created;
- rows seeded before questions had keys are adopted by their old text (``legacy`` maps
  (module code, text) → key), so a corrected question replaces the wrong one instead of joining it;
- a keyed question that left the bank is deactivated, never deleted (attempts refer to it);
- questions added by hand in the admin (no key) are left alone.

Each question's right answer is placed at a position derived from its key (:func:`place`), so the
stored order does not put it first; the test itself shows every attempt its own order (``exams``).
"""

import zlib
from collections.abc import Mapping
from dataclasses import dataclass

from .bank import MODULES

__all__ = ["MODULES", "SyncResult", "place", "questions", "seed", "sync"]


def place(key: str, right: str, wrong: list[str]) -> tuple[list[str], int]:
    """The choices with the right answer inserted at a position fixed by the key, and that position."""
    position = zlib.crc32(key.encode()) % (len(wrong) + 1)
    return wrong[:position] + [right] + wrong[position:], position


def questions() -> list[dict]:
    """Every question of the bank with its module code, ``choices`` and ``correct`` index."""
    out = []
    for spec in MODULES:
        for item in spec["questions"]:
            choices, correct = place(item["key"], item["right"], item["wrong"])
            out.append({**item, "module": spec["code"], "choices": choices, "correct": correct})
    return out


@dataclass
class SyncResult:
    modules_created: int = 0
    created: int = 0
    updated: int = 0
    deactivated: int = 0


def sync(module_model=None, question_model=None,
         legacy: Mapping[tuple[str, str], str] | None = None) -> SyncResult:
    """Bring the database's modules and questions in line with the bank (see the module docstring).

    Accepts historical models so a data migration can call it; only fields the model has are written.
    """
    if module_model is None:
        from .models import Module as module_model
        from .models import Question as question_model
    fields = {f.name for f in question_model._meta.get_fields()}
    result = SyncResult()
    wanted: set[str] = set()
    for order, spec in enumerate(MODULES, start=1):
        module, created = module_model.objects.get_or_create(
            code=spec["code"], defaults={"title": spec["title"], "description": spec["description"], "order": order})
        result.modules_created += created
        if not created and (module.title, module.description) != (spec["title"], spec["description"]):
            module.title, module.description = spec["title"], spec["description"]
            module.save(update_fields=["title", "description"])
        for (code, text), key in (legacy or {}).items():
            if code == spec["code"]:
                question_model.objects.filter(module=module, key__isnull=True, text=text).update(key=key)
        for item in spec["questions"]:
            wanted.add(item["key"])
            choices, correct = place(item["key"], item["right"], item["wrong"])
            values = {"module": module, "text": item["text"], "choices": choices, "correct": correct,
                      "source": item["source"], "active": True}
            values = {k: v for k, v in values.items() if k in fields}
            row = question_model.objects.filter(key=item["key"]).first()
            if row is None:  # a hand-made row with this very text becomes the keyed one
                row = question_model.objects.filter(module=module, key__isnull=True, text=item["text"]).first()
            if row is None:
                question_model.objects.create(key=item["key"], **values)
                result.created += 1
            elif row.key != item["key"] or any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                row.key = item["key"]
                row.save()
                result.updated += 1
    result.deactivated = (question_model.objects.filter(key__isnull=False, active=True)
                          .exclude(key__in=wanted).update(active=False))
    return result


def seed(module_model=None, question_model=None) -> tuple[int, int]:
    """:func:`sync`, reporting (modules created, questions created); used by the demo and tests."""
    result = sync(module_model, question_model)
    return result.modules_created, result.created
