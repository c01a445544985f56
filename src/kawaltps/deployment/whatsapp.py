"""Ready-to-send WhatsApp texts: one per saksi, one per kelurahan group (for the coordinator)."""

from urllib.parse import quote

from kawaltps.regions.codes import dotted
from kawaltps.regions.models import TPS, Region

from .models import Assignment, Mandate
from .rules import WHAT_TO_BRING

__all__ = ["WHAT_TO_BRING", "kelurahan_text", "map_link", "saksi_text"]


def map_link(tps: TPS) -> str:
    """A maps link: coordinates when known, else a search for the address and kelurahan."""
    if tps.latitude is not None and tps.longitude is not None:
        return f"https://www.google.com/maps/search/?api=1&query={tps.latitude},{tps.longitude}"
    q = ", ".join(x for x in (tps.address, f"Kelurahan {tps.kelurahan.name}") if x)
    return "https://www.google.com/maps/search/?api=1&query=" + quote(q)


def saksi_text(a: Assignment, verify_url=None) -> str:
    """Everything the saksi needs on the morning: TPS, address, map, what to bring, mandate."""
    tps = a.tps
    mandate = Mandate.objects.filter(assignment=a, status=Mandate.Status.VALID).first()
    role = "saksi" if a.kind == Assignment.Kind.SAKSI else "saksi cadangan"
    lines = [f"Halo {a.volunteer.name}, Anda bertugas sebagai {role} di TPS {tps.number:03d} "
             f"{tps.kelurahan.name} ({dotted(tps.code[:10])}), {a.election.name}, "
             f"{a.election.date:%d-%m-%Y}.",
             f"Alamat: {tps.address or '-'}", f"Peta: {map_link(tps)}", "Bawa:"]
    lines += [f"- {x}" for x in WHAT_TO_BRING]
    if mandate and verify_url:
        lines.append(f"Surat mandat: {mandate.number} (cek: {verify_url(mandate.verification_code)})")
    elif a.kind == Assignment.Kind.SAKSI:
        lines.append("Surat mandat: belum terbit, hubungi koordinator.")
    return "\n".join(lines)


def kelurahan_text(election, kelurahan_code: str) -> str:
    """The group message for one kelurahan: every TPS with its saksi, backup and address."""
    kel = Region.objects.get(code=kelurahan_code)
    rows = (Assignment.objects.filter(election=election, status=Assignment.Status.ACTIVE,
                                      tps_code__startswith=kelurahan_code)
            .select_related("volunteer").order_by("tps_code", "kind", "id"))
    by_tps: dict[str, list[Assignment]] = {}
    for a in rows:
        by_tps.setdefault(a.tps_code, []).append(a)
    lines = [f"Penugasan saksi {election.name} · Kelurahan {kel.name} ({dotted(kel.code)})", ""]
    for tps in TPS.objects.filter(election=election, kelurahan_id=kelurahan_code).select_related("kelurahan"):
        people = by_tps.get(tps.code, [])
        saksi = ", ".join(a.volunteer.name for a in people if a.kind == Assignment.Kind.SAKSI) or "BELUM ADA"
        backup = ", ".join(a.volunteer.name for a in people if a.kind == Assignment.Kind.BACKUP) or "-"
        lines.append(f"TPS {tps.number:03d}: saksi {saksi}; cadangan {backup}; {tps.address or '-'}")
    lines += ["", "Bawa: " + "; ".join(WHAT_TO_BRING)]
    return "\n".join(lines)
