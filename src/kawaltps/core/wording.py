"""Internal codes said in words: audit actions and stored before/after values (issue 13.3).

A page or PDF never shows ``results.disputed`` or ``{'status': 'trained'}``: it shows
``action_label(code)`` and ``describe_values(after)``. An action not listed here is shown by its
family (``assignment_*`` → "Penugasan diubah") or, unknown, as "Perubahan tercatat", never as code.
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "results.submit": _("C.Hasil dikirim saksi"),
    "results.first_entry": _("Entri pertama dari foto"),
    "results.verified": _("Entri kedua cocok: terverifikasi"),
    "results.disputed": _("Entri berbeda: masuk rekonsiliasi"),
    "results.final": _("Diputuskan supervisor: final"),
    "results.photo": _("Foto C.Hasil diunggah"),
    "results.photo_duplicate": _("Foto yang sama dipakai di TPS lain"),
    "official_from_sirekap": _("Angka resmi diambil dari Sirekap"),
    "dhasil_entered": _("D.Hasil dientri"),
    "dhasil_photo_added": _("Foto D.Hasil ditambahkan"),
    "import": _("Impor hasil"),
    "volunteer_register": _("Relawan mendaftar"),
    "volunteer_import": _("Relawan diimpor"),
    "volunteer_import_update": _("Data relawan diperbarui dari impor"),
    "volunteer_status": _("Status relawan berubah"),
    "volunteer_duplicate_registration": _("Pendaftaran ganda"),
    "bimtek_session_create": _("Sesi Bimtek dibuat"),
    "bimtek_enrol": _("Terdaftar di sesi Bimtek"),
    "bimtek_attendance": _("Hadir di Bimtek"),
    "bimtek_pre_test": _("Pre-test dikerjakan"),
    "bimtek_post_test": _("Post-test dikerjakan"),
    "bimtek_certificate_issue": _("Sertifikat terbit"),
    "bimtek_certificate_revoke": _("Sertifikat dicabut"),
    "account_activate": _("Akun diaktifkan"),
    "activation_code_issue": _("Kode aktivasi dikirim"),
    "availability_load": _("Ketersediaan relawan dimuat"),
    "priorities_load": _("Prioritas TPS dimuat"),
    "mandate_issue": _("Surat mandat terbit"),
    "mandate_issue_bulk": _("Surat mandat terbit (massal)"),
    "mandate_revoked": _("Surat mandat dicabut"),
    "mandate_replaced": _("Surat mandat diganti"),
    "assignment_assign": _("Ditugaskan ke TPS"),
    "assignment_release": _("Penugasan dilepas"),
    "assignment_pin": _("Penugasan dikunci"),
    "assignment_swap": _("Penugasan ditukar"),
    "assignment_promote": _("Cadangan menjadi saksi"),
}
FAMILIES = {
    "results.": _("Hasil TPS berubah"), "assignment_": _("Penugasan diubah"), "mandate_": _("Surat mandat berubah"),
    "bimtek_": _("Bimtek"), "volunteer_": _("Data relawan berubah"), "dhasil_": _("D.Hasil berubah"),
}
# Stored keys and values of before/after said in words.
KEY_LABELS = {"status": _("status"), "state": _("status"), "kind": _("jenis"), "tps_code": _("TPS"),
              "reason": _("alasan")}
VALUE_LABELS = {
    "registered": _("Terdaftar"), "trained": _("Terlatih"), "certified": _("Tersertifikasi"),
    "assigned": _("Ditugaskan"), "received": _("Diterima"), "entered": _("Dientri"),
    "verified": _("Terverifikasi"), "disputed": _("Berbeda"), "final": _("Final"),
    "official": _("Resmi (diterbitkan KPU)"),
    "active": _("aktif"), "released": _("dilepas"), "revoked": _("dicabut"), "replaced": _("diganti"),
    "valid": _("berlaku"), "saksi": _("saksi"), "backup": _("cadangan"), True: _("ya"), False: _("tidak"),
}


def action_label(code: object) -> str:
    """The action in words; never the code itself."""
    code = str(code or "")
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    for prefix, label in FAMILIES.items():
        if code.startswith(prefix):
            return str(label)
    return str(_("Perubahan tercatat"))


def value_label(value: object) -> str:
    """A stored value in words (states, statuses, booleans); other values as they are."""
    if value is None or value == "":
        return "–"
    try:
        if value in VALUE_LABELS:
            return str(VALUE_LABELS[value])
    except TypeError:  # unhashable (a list or dict)
        pass
    if isinstance(value, list | tuple):
        return ", ".join(value_label(v) for v in value)
    return str(value)


def describe_values(values: object) -> str:
    """``{'status': 'trained'}`` → ``status: Terlatih``; keys without a label are left out."""
    if not isinstance(values, dict):
        return ""
    parts = [f"{KEY_LABELS[k]}: {value_label(v)}" for k, v in values.items() if k in KEY_LABELS]
    return " · ".join(parts)
