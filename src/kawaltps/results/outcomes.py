"""What happened to one C.Hasil sending, in plain words for the saksi (defects issue #8 item 3).

:func:`outcome_of` reads it from the stored Submission and the audit action of its transition
(``services.transition``), so the page, the offline queue's acknowledgement and the API say the
same thing::

    replayed (client id seen before)          → duplicate  "sudah diterima sebelumnya"
    first numbers for the TPS                  → received   "tercatat sebagai angka TPS ini"
    same numbers as those recorded             → matched    "sama dengan yang sudah tercatat"
    a clerk's matching second entry            → verified
    different numbers: TPS to reconciliation   → disputed   "BERBEDA … antrean rekonsiliasi"
    TPS already disputed or final              → kept       "disimpan sebagai bukti, angka tidak berubah"
"""

from enum import StrEnum

from django.utils.translation import gettext as _

from .models import State, Submission


class Outcome(StrEnum):
    RECEIVED = "received"
    MATCHED = "matched"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    KEPT = "kept"
    DUPLICATE = "duplicate"


#: Outcomes the saksi must notice (shown as a warning, not a success).
WARNINGS = {Outcome.DISPUTED, Outcome.KEPT}


def outcome_of(sub: Submission) -> Outcome:
    """The outcome of ``sub`` as returned by ``services.submit`` (see the module's table)."""
    if getattr(sub, "replayed", False):
        return Outcome.DUPLICATE
    action = getattr(sub, "action", "")
    if action == "results.first_entry":
        return Outcome.RECEIVED
    if action == "results.disputed":
        return Outcome.DISPUTED
    if action == "results.verified":
        return Outcome.VERIFIED
    if sub.result.state in (State.ENTERED, State.VERIFIED):
        return Outcome.MATCHED
    return Outcome.KEPT


def state_sentence(state: str) -> str:
    """Where the TPS stands now, in one sentence."""
    return {
        State.RECEIVED: _("TPS ini baru punya foto, belum ada angka."),
        State.ENTERED: _("Angka TPS ini tercatat dan menunggu dicocokkan dengan foto oleh petugas."),
        State.VERIFIED: _("Angka TPS ini sudah terverifikasi."),
        State.DISPUTED: _("Kiriman untuk TPS ini berbeda; koordinator akan membandingkan dan memutuskan "
                          "(rekonsiliasi)."),
        State.FINAL: _("Angka TPS ini sudah diputuskan koordinator (final)."),
    }.get(state, "")


def saksi_message(sub: Submission) -> str:
    """The sentence(s) the saksi reads after sending ``sub``: what happened and what comes next."""
    outcome = outcome_of(sub)
    state = sub.result.state
    text = {
        Outcome.RECEIVED: _("C.Hasil Anda diterima dan tercatat sebagai angka TPS ini. Berikutnya petugas "
                            "mencocokkan angka dengan foto."),
        Outcome.MATCHED: _("C.Hasil Anda diterima: angkanya sama dengan yang sudah tercatat untuk TPS ini."),
        Outcome.VERIFIED: _("Entri diterima dan cocok: angka TPS ini terverifikasi."),
        Outcome.DISPUTED: _("C.Hasil Anda diterima, tetapi angkanya BERBEDA dengan yang sudah tercatat untuk "
                            "TPS ini. TPS ini masuk antrean rekonsiliasi: koordinator akan membandingkan "
                            "kiriman dan foto lalu memutuskan. Simpan lembar C.Hasil Anda."),
        Outcome.KEPT: _("C.Hasil Anda disimpan sebagai bukti, tetapi tidak mengubah angka TPS ini.") + " "
        + state_sentence(state),
        Outcome.DUPLICATE: _("Kiriman ini sudah diterima sebelumnya; tidak dicatat dua kali.") + " "
        + state_sentence(state),
    }[outcome]
    if sub.flags and outcome != Outcome.DUPLICATE:
        text += " " + _("Periksa lagi: %(n)s pemeriksaan gagal.") % {"n": len(sub.flags)}
    return text.strip()
