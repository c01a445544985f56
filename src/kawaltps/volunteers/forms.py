"""Forms: public self-registration (with consent) and the bulk-import upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kawaltps.people.models import Organisation
from kawaltps.regions.codes import Level
from kawaltps.regions.models import Region

from .nik import InvalidNik, InvalidPhone, normalise_phone, parse_nik

CONSENT_TEXT = _(
    "Saya menyetujui pemrosesan data pribadi saya (nama, NIK, nomor telepon/WhatsApp, alamat, kelurahan) "
    "oleh Kawal TPS untuk: (1) memeriksa identitas saya sebagai relawan dan saksi, (2) menghubungi saya "
    "untuk Bimtek dan penugasan di TPS, (3) menerbitkan surat mandat dan sertifikat saksi. Data ini hanya "
    "dilihat koordinator wilayah saya dan admin, tidak dibagikan kepada pihak lain, dan dapat saya minta "
    "untuk dihapus (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi).")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def kelurahan_choices() -> list:
    """Kelurahan grouped by kecamatan (and kota), for a select a phone can handle."""
    regions = Region.objects.filter(level__in=[Level.KABKOTA, Level.KECAMATAN]).values_list("code", "name")
    names = dict(regions)
    groups: dict[str, list] = {}
    for code, name in Region.objects.filter(level=Level.KELURAHAN).values_list("code", "name").order_by("code"):
        label = f"{names.get(code[:4], '')} · {names.get(code[:6], '')}"
        groups.setdefault(label, []).append((code, name))
    return [("", _("— pilih kelurahan —")), *groups.items()]


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Nama lengkap (sesuai KTP)"), max_length=150)
    nik = forms.CharField(label=_("NIK (16 angka pada KTP)"), max_length=24,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    phone = forms.CharField(label=_("Nomor WhatsApp"), max_length=24,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel",
                                                          "placeholder": "08…"}))
    kelurahan = forms.ChoiceField(label=_("Kelurahan tempat tinggal"))
    address = forms.CharField(label=_("Alamat (opsional)"), max_length=255, required=False)
    organisation = forms.ModelChoiceField(label=_("Organisasi (ormas) yang mengajak Anda"), required=False,
                                          queryset=Organisation.objects.all(), empty_label=_("— tidak ada —"))
    available = forms.BooleanField(label=_("Saya bersedia bertugas pada hari pemungutan suara"), required=False,
                                   initial=True)
    consent = forms.BooleanField(label=CONSENT_TEXT, required=True, error_messages={
        "required": _("Pendaftaran memerlukan persetujuan Anda atas pemrosesan data pribadi.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].choices = kelurahan_choices()

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Nama wajib diisi."))
        return name

    def clean_nik(self):
        try:
            return parse_nik(self.cleaned_data["nik"]).value
        except InvalidNik as exc:
            raise forms.ValidationError(_sentence(str(exc))) from None

    def clean_phone(self):
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except InvalidPhone as exc:
            raise forms.ValidationError(_sentence(str(exc))) from None


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas daftar relawan (CSV atau XLSX)"))
    organisation = forms.ModelChoiceField(label=_("Organisasi untuk baris tanpa kolom organisasi"),
                                          required=False, queryset=Organisation.objects.all(),
                                          empty_label=_("— tidak ada —"))
