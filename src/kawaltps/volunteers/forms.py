"""Forms: public self-registration (with consent) and the bulk-import upload."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawaltps.people.models import Organisation
from kawaltps.regions.codes import Level
from kawaltps.regions.models import Region

from . import consent
from .nik import InvalidNik, InvalidPhone, normalise_phone, parse_nik

CONSENT_LABEL = _("Saya telah membaca naskah di atas dan menyetujui pemrosesan data pribadi saya.")
GUARDIAN_FIELDS = ("guardian_name", "guardian_relation", "guardian_consent")


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
    consent = forms.BooleanField(label=CONSENT_LABEL, required=True, error_messages={
        "required": _("Pendaftaran memerlukan persetujuan Anda atas pemrosesan data pribadi.")})
    guardian_name = forms.CharField(label=_("Nama orang tua/wali (wajib bila Anda di bawah 18 tahun)"),
                                    max_length=150, required=False)
    guardian_relation = forms.CharField(label=_("Hubungan dengan orang tua/wali (mis. ayah, ibu, wali)"),
                                        max_length=60, required=False)
    guardian_consent = forms.BooleanField(label=_("Saya, orang tua/wali pendaftar, menyetujui naskah di atas."),
                                          required=False)

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

    def clean(self):
        """Under 18 by the NIK's birth date: the guardian's name, relation and consent are required
        (UU 27/2022 Pasal 25)."""
        data = super().clean()
        nik = data.get("nik")
        if nik and consent.is_minor(parse_nik(nik).birth_date):
            if not (data.get("guardian_name", "").strip() and data.get("guardian_relation", "").strip()
                    and data.get("guardian_consent")):
                raise forms.ValidationError(_("Pendaftar di bawah 18 tahun memerlukan persetujuan orang tua/wali: "
                                              "isi nama dan hubungan orang tua/wali, dan centang persetujuannya."))
        else:
            data["guardian_name"] = data["guardian_relation"] = ""
        return data

    def clean_phone(self):
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except InvalidPhone as exc:
            raise forms.ValidationError(_sentence(str(exc))) from None


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas daftar relawan (CSV atau XLSX)"))
    consent_by = forms.CharField(label=_("Persetujuan data pribadi dikumpulkan oleh"), max_length=150,
                                 help_text=_("Nama orang yang mengumpulkan formulir persetujuan bertanda tangan."))
    consent_on = forms.DateField(label=_("Tanggal pengumpulan persetujuan"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    consent_paper = forms.CharField(label=_("Tempat formulir kertas disimpan"), max_length=255,
                                    help_text=_("Mis. map Bimtek Makasar, sekretariat Pokja."))
    organisation = forms.ModelChoiceField(label=_("Organisasi untuk baris tanpa kolom organisasi"),
                                          required=False, queryset=Organisation.objects.all(),
                                          empty_label=_("— tidak ada —"))

    def clean_consent_on(self):
        day = self.cleaned_data["consent_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Tanggal persetujuan tidak boleh di masa depan."))
        return day

    def paper_consent(self) -> consent.PaperConsent:
        d = self.cleaned_data
        return consent.PaperConsent(d["consent_by"].strip(), d["consent_on"], d["consent_paper"].strip())
