"""Validating what a C.Hasil entry carries: the paslon votes, the form's other numbers, the
device's ``client_id``. Shared by :mod:`.services` (ORM path) and :mod:`.fastpath` (PostgreSQL).

Rules: every paslon of the election needs a vote count; the form's other numbers are optional (any
subset of the form type's keys, ``elections.form_types``); every value follows the shared count rule
(``kawaltps.core.numbers.parse_count``: ASCII digits, ``"1.234"`` is 1234) and is no larger than
``MAX_VALUE``. Errors are Indonesian, keyed by field.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kawaltps.core.numbers import NumberError, parse_count

MAX_VALUE = 100_000  # beyond any TPS (a tighter bound than core.numbers.MAX_COUNT); checks flag the implausible


def _to_int(value, label: str, errors: dict, key: str) -> int | None:
    """One value through the shared count rule (:func:`kawaltps.core.numbers.parse_count`)."""
    try:
        return parse_count(value, field=label, maximum=MAX_VALUE)
    except NumberError as exc:
        errors[key] = str(exc)
        return None


def clean_form(election, votes: Mapping, numbers: Mapping) -> tuple[dict, dict]:
    """Validate the paslon votes (every paslon required) and the form's other numbers (any subset).

    Returns clean ``(votes, numbers)`` with int values; raises ``ValidationError`` (a dict field →
    Indonesian message) on unknown fields, non-integers, negatives or absurdly large values.
    """
    errors: dict[str, str] = {}
    if not isinstance(votes, Mapping) or not isinstance(numbers, Mapping):
        raise ValidationError(_("Format isian tidak sah."))
    candidates = candidate_numbers(election)
    clean_votes = {}
    for key in sorted(set(map(str, votes)) - candidates):
        errors[f"paslon_{key}"] = _("Paslon nomor %(n)s tidak ada dalam pemilihan ini.") % {"n": key}
    for number in sorted(candidates, key=int):
        value = _to_int(
            votes.get(number, votes.get(int(number))),
            _("Suara paslon %(n)s") % {"n": number},
            errors,
            f"paslon_{number}",
        )
        if value is None and f"paslon_{number}" not in errors:
            errors[f"paslon_{number}"] = _("Suara paslon %(n)s wajib diisi.") % {"n": number}
        clean_votes[number] = value
    labels = _labels(election.form_type)
    clean_numbers = {}
    for key, value in numbers.items():
        if key not in labels:
            errors[str(key)] = _("Isian %(key)s tidak dikenal pada formulir ini.") % {"key": key}
            continue
        value = _to_int(value, labels[key], errors, key)
        if value is not None:
            clean_numbers[key] = value
    if errors:
        raise ValidationError(errors)
    return clean_votes, clean_numbers


def candidate_numbers(election) -> set[str]:
    """The election's paslon numbers as strings, looked up once per Election instance (request)."""
    numbers = getattr(election, "_candidate_numbers", None)
    if numbers is None:
        numbers = {str(n) for n in election.candidates.order_by().values_list("number", flat=True)}
        election._candidate_numbers = numbers
    return numbers


_LABELS: dict[str, dict[str, str]] = {}


def _labels(form_type: str) -> dict[str, str]:
    """Form key (``dpt_l``, ``suara_sah``, …) → its label, per form type (built once per process)."""
    labels = _LABELS.get(form_type)
    if labels is None:
        from kawaltps.elections.form_types import form_type as get_form

        labels = {}
        for f in get_form(form_type).fields:
            for suffix, col in (("_l", " (L)"), ("_p", " (P)"), ("_j", " (J)")) if f.lpj else (("", ""),):
                labels[f.key + suffix] = str(f.label) + col
        _LABELS[form_type] = labels
    return labels


def check_client_id(client_id: str) -> str:
    """The device's idempotency key, stripped: 1 to 64 characters."""
    client_id = str(client_id or "").strip()
    if not client_id or len(client_id) > 64:
        raise ValidationError(
            {"client_id": _("Id kiriman (client_id) wajib diisi, paling panjang 64 karakter.")}
        )
    return client_id


def check_page(election, page) -> int:
    """A photo's page number: 1 to the form type's page count (ASCII digits only), else ValidationError."""
    pages = election.form.pages
    try:
        number = parse_count(page, field="page", maximum=pages) if not isinstance(page, int) else page
    except NumberError:
        number = None
    if number is None or not 1 <= number <= pages:
        raise ValidationError({"page": _("Halaman harus 1 sampai %(n)s.") % {"n": pages}})
    return number
