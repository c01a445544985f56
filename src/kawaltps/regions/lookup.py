"""Find a region by what a coordinator types: a code (3175, 31.75.08) or a name (Makasar, Jakarta Timur).

Rules (issue 13.4):

- digits (dots allowed) are a code and returned undotted;
- otherwise the text is a name, compared without case and without the level words KPU and
  Kemendagri put in front ("KOTA ADM.", "KAB.", "KOTA", "KEC.", "KEL."); an exact name wins, the
  widest region first (a kota before a kelurahan of the same name); else the only region whose name
  contains the text; several or none: no code, and ``suggest`` offers the candidates;
- ``suggest(text)`` lists at most ``limit`` regions whose name contains the text, widest first, with
  the kota/kecamatan they lie in, for the ``<datalist>`` of every region filter (``/wilayah/cari/``).
"""

import re

from django.db.models.functions import Length

from .codes import dotted
from .models import Region

_PREFIX = re.compile(r"^(kota\s+adm(inistrasi)?\.?|kabupaten|kab\.?|kota|kecamatan|kec\.?|kelurahan|kel\.?|desa)\s+",
                     re.IGNORECASE)


def _bare(text: str) -> str:
    return _PREFIX.sub("", " ".join(text.split())).strip()


def resolve(text: str | None) -> str:
    """The undotted code for ``text`` ('' when blank or not found uniquely)."""
    text = (text or "").strip()
    plain = text.replace(".", "").replace(" ", "")
    if plain.isascii() and plain.isdigit():
        return plain[:13]
    name = _bare(text)
    if len(name) < 2:
        return ""
    found = list(Region.objects.filter(name__icontains=name).order_by(Length("code"), "code")
                 .values_list("code", "name")[:500])
    exact = [code for code, n in found if _bare(n).casefold() == name.casefold()]
    if exact:
        return exact[0]
    return found[0][0] if len(found) == 1 else ""


def suggest(text: str | None, limit: int = 12, within: str = "") -> list[dict]:
    """Regions whose name contains ``text`` (inside ``within``), widest first: code, name, where."""
    name = _bare(text or "")
    if len(name) < 2:
        return []
    rows = list(Region.objects.filter(name__icontains=name, code__startswith=within)
                .order_by(Length("code"), "name").values("code", "name", "parent__name")[:limit])
    return [{"code": r["code"], "dotted": dotted(r["code"]), "name": r["name"], "in": r["parent__name"] or ""}
            for r in rows]


def name_of(code: str) -> str:
    """What a filter box shows back for a code: the region's name, or the code itself."""
    if not code:
        return ""
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code


_LEVEL_WORD = {2: "Provinsi", 4: "", 6: "Kecamatan", 10: "Kelurahan"}  # kota names carry "KOTA ADM."/"KAB."


def place_name(code: str) -> str:
    """A code as a person reads it in a document: ``TPS 012 Kelurahan Cipinang, Kecamatan Jatinegara``
    for a TPS, ``Kecamatan Jatinegara, KOTA ADM. JAKARTA TIMUR`` for a region. A region missing from
    the register keeps its dotted code (never 13 raw digits) so the reader can still find the place."""
    code = (code or "").strip()
    if len(code) == 13:
        return f"TPS {code[-3:]} {place_name(code[:10])}"
    if not code:
        return ""
    parent = {10: code[:6], 6: code[:4], 4: code[:2]}.get(len(code), "")
    names = dict(Region.objects.filter(code__in=[code, parent]).values_list("code", "name"))
    if code not in names:
        return dotted(code)
    parts = [f"{_LEVEL_WORD.get(len(code), '')} {names[code]}".strip()]
    if parent in names and len(code) > 4:
        parts.append(f"{_LEVEL_WORD.get(len(parent), '')} {names[parent]}".strip())
    return ", ".join(parts)


def from_request(request, param: str = "wilayah") -> dict:
    """A page's region filter: ``code`` to filter on, ``text`` to show back in the box, and when the
    text named no region uniquely, ``choices`` (links the template offers: "did you mean …")."""
    text = (request.GET.get(param) or "").strip()[:120]
    code = resolve(text)
    choices = suggest(text) if text and not code else []
    return {"code": code, "text": text, "choices": choices, "unknown": bool(text) and not code}
