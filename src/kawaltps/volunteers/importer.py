"""Bulk import of volunteers from a coordinator's CSV/XLSX list (``kawaltps import-volunteers``, upload page).

Every data row ends in exactly one of: *imported* (a new volunteer), *updated*, *unchanged*,
*merged* (a further row of a person already in the file), or *rejected* with its row number and an
Indonesian reason. Fully blank rows are skipped and counted. The counts imported/updated/unchanged
are of people, so ``rows = imported + updated + unchanged + merged + rejected``.
Nothing is written until every row has been read and checked, so a file refused half-way (a
formula on row 80,000) imports nothing.

Duplicates (the same person twice) are never doubled:

1. Within the file, rows sharing a NIK or a phone number are one person; later rows override
   earlier ones (an empty optional cell overrides nothing). A row whose NIK belongs to one person
   of the file and whose phone to another is rejected as a conflict.
2. Against the registry, the person's NIK and phone are looked up: a match on either is the same
   volunteer and is updated with the file's values; a NIK matching one volunteer and a phone
   matching another is a conflict, and the person's rows are rejected.

So re-importing the same file changes nothing (every row *unchanged*). The volunteer's status is
never changed by an import. Reasons name the row and the column, never the NIK or phone itself,
and nothing personal is logged (UU PDP).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from kawaltps.access import Action
from kawaltps.access.rules import scope_prefix
from kawaltps.audit.services import record_change, record_changes
from kawaltps.core.numbers import is_ascii_digits
from kawaltps.people.models import Organisation
from kawaltps.regions.codes import Level
from kawaltps.regions.models import Region

from . import columns
from .consent import PaperConsent, is_minor, paper_records
from .models import Volunteer
from .nik import InvalidNik, InvalidPhone, normalise_phone, parse_nik
from .tabular import FileRefused, open_table

FIELDS = ["name", "nik", "phone", "address", "kelurahan_id", "organisation_id", "available_on_election_day"]
PERSONAL = {"nik", "phone", "address"}


@dataclass
class RowError:
    row: int
    reason: str


@dataclass
class ImportReport:
    filename: str = ""
    rows: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    blank: int = 0
    rejected: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"file": self.filename, "rows": self.rows, "imported": self.imported, "updated": self.updated,
                "unchanged": self.unchanged, "merged": self.merged, "rejected": len(self.rejected),
                "blank": self.blank,
                "ignored_columns": self.ignored_columns,
                "rejected_rows": [{"row": e.row, "reason": e.reason} for e in self.rejected]}


@dataclass
class _Person:
    """One person of the file: the merged values of its rows."""

    rows: list[int]
    values: dict
    niks: set = field(default_factory=set)
    phones: set = field(default_factory=set)


class _Lookups:
    """Kelurahan and organisations, loaded once for the whole file."""

    def __init__(self, scope: str):
        self.scope = scope
        self.codes: set[str] = set()
        self.by_name: dict[str, list[str]] = {}
        for code, name in Region.objects.filter(level=Level.KELURAHAN).values_list("code", "name"):
            self.codes.add(code)
            self.by_name.setdefault(columns.normalise_place(name), []).append(code)
        self.orgs: dict[str, int] = {}
        for pk, name, short in Organisation.objects.values_list("pk", "name", "short_name"):
            self.orgs[" ".join(name.lower().split())] = pk
            if short:
                self.orgs.setdefault(" ".join(short.lower().split()), pk)

    def kelurahan(self, value: str) -> str:
        """The kelurahan code for a code (dotted or not) or a name unique within the scope."""
        compact = value.replace(".", "").replace(" ", "")
        if is_ascii_digits(compact):
            if len(compact) != 10 or compact not in self.codes:
                raise ValueError("kode kelurahan tidak dikenal")
            code = compact
        else:
            found = self.by_name.get(columns.normalise_place(value), [])
            in_scope = [c for c in found if c.startswith(self.scope)]
            if not found:
                raise ValueError(f"kelurahan '{value[:60]}' tidak dikenal")
            if len(in_scope) > 1:
                raise ValueError(f"nama kelurahan '{value[:60]}' ada di beberapa kecamatan; gunakan kodenya")
            code = (in_scope or found)[0]
        if not code.startswith(self.scope):
            raise ValueError("kelurahan di luar wilayah tugas Anda")
        return code

    def organisation(self, value: str) -> int:
        pk = self.orgs.get(" ".join(value.lower().split()))
        if pk is None:
            raise ValueError(f"organisasi '{value[:60]}' tidak dikenal")
        return pk


def _check_row(cells: list, pos: dict[str, int], lookups: _Lookups, default_org: int | None) -> dict:
    """The row's values, or ValueError with an Indonesian reason naming the column."""

    def cell(key):
        i = pos.get(key)
        return cells[i] if i is not None and i < len(cells) else None

    name = columns.text(cell("nama"))
    if not name:
        raise ValueError("nama kosong")
    if len(name) > 150:
        raise ValueError("nama terlalu panjang (maks. 150 huruf)")
    try:
        parsed = parse_nik(cell("nik"))
    except InvalidNik as exc:
        raise ValueError(str(exc)) from None
    nik = parsed.value
    if is_minor(parsed.birth_date):
        raise ValueError("di bawah 18 tahun menurut NIK: daftarkan lewat formulir pendaftaran dengan "
                         "persetujuan orang tua/wali (UU PDP Pasal 25)")
    try:
        phone = normalise_phone(cell("telepon"))
    except InvalidPhone as exc:
        raise ValueError(str(exc)) from None
    kel = columns.text(cell("kelurahan"))
    if not kel:
        raise ValueError("kelurahan kosong")
    kelurahan = lookups.kelurahan(kel)
    org_text = columns.text(cell("organisasi"))
    org = lookups.organisation(org_text) if org_text else default_org
    address = columns.text(cell("alamat"))
    if len(address) > 255:
        raise ValueError("alamat terlalu panjang (maks. 255 huruf)")
    available = columns.parse_available(cell("bersedia"))
    values = {"name": name, "nik": nik, "phone": phone, "kelurahan_id": kelurahan}
    # Optional values only count when given, so an empty cell never erases what is known.
    if org is not None:
        values["organisation_id"] = org
    if address:
        values["address"] = address
    if available is not None:
        values["available_on_election_day"] = available
    return values


def import_volunteers(path: str | Path, *, filename: str | None = None,
                      organisation: Organisation | None = None, user=None, actor: str = "",
                      size: int | None = None,
                      progress: Callable[[int], None] | None = None,
                      on_total: Callable[[int], None] | None = None,
                      consent: PaperConsent | None = None) -> ImportReport:
    """Import ``path``; raise :class:`FileRefused` (nothing imported) for a bad file.

    ``user`` (if given) limits kelurahan to the user's scope for managing volunteers; ``organisation``
    is used for rows whose ``organisasi`` cell is empty; ``progress(n)`` is called as rows are read,
    ``on_total(n)`` once with the approximate number of rows. Every new volunteer gets a consent
    record (``consent.paper_records``: who collected the paper forms, when, where they are kept).
    """
    table = open_table(path, filename, size)
    if on_total:
        on_total(table.size_hint)
    report = ImportReport(filename=filename or Path(path).name)
    pos, report.ignored_columns, duplicates = columns.map_header(table.header)
    if duplicates:
        raise FileRefused(f"Kolom {', '.join(sorted(set(duplicates)))} muncul lebih dari sekali.")
    required = [c for c in columns.REQUIRED if not (c == "organisasi" and organisation is not None)]
    missing = [c for c in required if c not in pos]
    if missing:
        raise FileRefused(f"Kolom wajib tidak ada: {', '.join(missing)} (lihat templat).")
    scope = ""
    if user is not None:
        from kawaltps.access import may

        scope = scope_prefix(user)
        if scope is None or not may(user, Action.MANAGE_VOLUNTEERS):
            raise FileRefused("Anda tidak berwenang mengelola relawan.")
    lookups = _Lookups(scope)
    default_org = organisation.pk if organisation else None

    # 1. Read and check every row; group rows of the same person (by NIK or phone).
    people: list[_Person] = []
    by_nik: dict[str, int] = {}
    by_phone: dict[str, int] = {}
    rejected: dict[int, str] = {}
    pending = 0
    for number, cells in table.rows:
        pending += 1
        if pending >= 1000 and progress:
            progress(pending)
            pending = 0
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            report.blank += 1
            continue
        report.rows += 1
        try:
            values = _check_row(cells, pos, lookups, default_org)
        except ValueError as exc:
            rejected[number] = str(exc)
            continue
        a, b = by_nik.get(values["nik"]), by_phone.get(values["phone"])
        if a is not None and b is not None and a != b:
            rejected[number] = (f"NIK sama dengan baris {people[a].rows[0]} tetapi nomor telepon sama dengan "
                                f"baris {people[b].rows[0]}; periksa kedua baris")
            continue
        index = a if a is not None else b
        if index is None:
            people.append(_Person([number], values))
            index = len(people) - 1
        else:
            people[index].rows.append(number)
            people[index].values.update(values)
        people[index].niks.add(values["nik"])
        people[index].phones.add(values["phone"])
        by_nik[values["nik"]] = index
        by_phone[values["phone"]] = index
    if progress and pending:
        progress(pending)
    if report.rows == 0:
        raise FileRefused("Berkas kosong: tidak ada baris data di bawah judul kolom.")

    # 2. Match each person against the registry.
    existing = {row[0]: dict(zip(["pk", *FIELDS], row, strict=True))
                for row in Volunteer.objects.values_list("pk", *FIELDS).iterator(chunk_size=5000)}
    db_nik = {v["nik"]: pk for pk, v in existing.items()}
    db_phone = {v["phone"]: pk for pk, v in existing.items()}
    claimed: dict[int, int] = {}
    creates, updates = [], []
    now = timezone.now()
    for person in people:
        v = person.values
        a, b = db_nik.get(v["nik"]), db_phone.get(v["phone"])
        if a is not None and b is not None and a != b:
            for r in person.rows:
                rejected[r] = "NIK cocok dengan satu relawan terdaftar dan nomor telepon dengan relawan lain"
            continue
        target = a if a is not None else b
        if target is None:
            creates.append((person, Volunteer(**{"available_on_election_day": True, **v}, created_at=now,
                                              updated_at=now)))
            continue
        if target in claimed:
            for r in person.rows:
                rejected[r] = f"relawan terdaftar yang sama sudah diperbarui oleh baris {claimed[target]}"
            continue
        claimed[target] = person.rows[0]
        current = existing[target]
        if scope and not current["kelurahan_id"].startswith(scope):
            for r in person.rows:
                rejected[r] = "relawan ini terdaftar di luar wilayah tugas Anda"
            continue
        changed = [f for f, value in v.items() if current[f] != value]
        if not changed:
            report.unchanged += 1
            report.merged += len(person.rows) - 1
            continue
        updates.append((person, target, v, changed))

    # 3. Write everything in one transaction, with the history.
    report.rejected = [RowError(r, reason) for r, reason in sorted(rejected.items())]
    with transaction.atomic():
        objs = [obj for _, obj in creates]
        Volunteer.objects.bulk_create(objs, batch_size=2000)
        paper_records(objs, consent, actor=actor or (user.get_username() if getattr(user, "pk", None) else "impor"))
        report.imported = len(creates)
        report.merged += sum(len(p.rows) - 1 for p, _ in creates)
        if updates:
            to_save = []
            fields = set()
            for _, pk, v, changed in updates:
                obj = Volunteer(pk=pk, **{f: existing[pk][f] for f in FIELDS})
                for f in changed:
                    setattr(obj, f, v[f])
                obj.updated_at = now
                fields.update(changed)
                to_save.append(obj)
            Volunteer.objects.bulk_update(to_save, [*sorted(fields), "updated_at"], batch_size=1000)
            report.updated = len(updates)
            report.merged += sum(len(p.rows) - 1 for p, *_ in updates)
            acting = user if getattr(user, "pk", None) else None
            who = actor or (user.get_username() if acting else "system")
            record_changes([
                dict(user=acting, actor=who, subject="volunteers.Volunteer", object_id=str(pk),
                             code=v["kelurahan_id"], action="volunteer_import_update",
                             before={f: existing[pk][f] for f in changed if f not in PERSONAL},
                             after={f: v[f] for f in changed if f not in PERSONAL},
                             reason=f"impor {report.filename}; kolom diubah: {', '.join(sorted(changed))}")
                for _, pk, v, changed in updates])
        record_change(user=user, actor=actor, subject="volunteers.Import", object_id=report.filename[:64],
                      code=lookups.scope, action="volunteer_import",
                      after={k: val for k, val in report.as_dict().items() if k != "rejected_rows"},
                      reason=f"impor {report.filename}")
    return report
