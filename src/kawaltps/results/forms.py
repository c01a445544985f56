"""The C.Hasil entry form as data for templates, and reading it back from a POST.

Rows follow the election's form type (``elections.form_types``), page 2 (the votes) first since
that is what a saksi must get right; the candidate rows come from the election's paslon. Values
are passed to :func:`kawaltps.results.validation.clean_form` as typed, which validates them.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class Cell:
    name: str
    label: str
    value: object = ""
    error: str = ""


@dataclass
class Row:
    label: str
    cells: list[Cell]


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)
    page: int = 1


def form_sections(election, votes: dict | None = None, numbers: dict | None = None,
                  errors: dict | None = None) -> list[Section]:
    """Sections of inputs (``paslon_<n>`` and the form's keys) with current values and errors."""
    votes, numbers, errors = votes or {}, numbers or {}, errors or {}

    def cell(name, label, value):
        return Cell(name, label, "" if value is None else value, " ".join(errors.get(name, [])))

    paslon = Section(_("Halaman 2 · Perolehan suara"), page=2)
    for c in election.candidates.all():
        key = f"paslon_{c.number}"
        paslon.rows.append(Row(f"{c.number:02d} {c.name}", [cell(key, "", votes.get(str(c.number)))]))
    sections: dict[str, Section] = {}
    for f in election.form.fields:
        if f.page == 2:
            paslon.rows.append(Row(f.label, [cell(f.key, "", numbers.get(f.key))]))
            continue
        section = sections.setdefault(f.section, Section(f"{_('Halaman')} {f.page} · {f.section}", page=f.page))
        if f.lpj:
            section.rows.append(Row(f.label, [cell(f"{f.key}_{c}", c.upper(), numbers.get(f"{f.key}_{c}"))
                                              for c in ("l", "p", "j")]))
        else:
            section.rows.append(Row(f.label, [cell(f.key, "", numbers.get(f.key))]))
    return [paslon, *sections.values()]


def field_labels(election) -> dict[str, str]:
    """Form key → its label on the form, with (L)/(P)/(J) for the voter rows."""
    labels = {}
    for f in election.form.fields:
        for suffix, col in (("_l", " (L)"), ("_p", " (P)"), ("_j", " (J)")) if f.lpj else (("", ""),):
            labels[f.key + suffix] = f.label + col
    return labels


def read_post(election, data) -> tuple[dict, dict]:
    """``(votes, numbers)`` as typed in a POST; blank inputs are left out."""
    votes = {}
    for number in election.candidates.values_list("number", flat=True):
        value = data.get(f"paslon_{number}", "").strip()
        votes[str(number)] = value
    numbers = {}
    for key in election.form.keys():
        value = data.get(key, "").strip()
        if value != "":
            numbers[key] = value
    return votes, numbers


def error_dict(exc) -> dict[str, list[str]]:
    """A ValidationError as field → messages (``__all__`` for the general ones)."""
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}
