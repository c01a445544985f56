"""Forms of the Bimtek pages (labels and messages in Indonesian)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kawaltps.access import Action
from kawaltps.access.rules import scope_q
from kawaltps.people.models import Role, User
from kawaltps.regions.codes import Level
from kawaltps.regions.models import Region

from .models import Module, Session


class SessionForm(forms.ModelForm):
    region = forms.ModelChoiceField(Region.objects.none(),
                                    label=_("Wilayah (kota, kecamatan atau kelurahan)"))
    trainer = forms.ModelChoiceField(User.objects.none(), label=_("Pelatih"))
    modules = forms.ModelMultipleChoiceField(Module.objects.all(), label=_("Modul"),
                                             widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Session
        fields = ["title", "date", "start_time", "end_time", "place", "region", "trainer", "organisation",
                  "capacity", "pass_score", "modules"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].queryset = Region.objects.filter(
            scope_q(user, Action.MANAGE_TRAINING), level__gte=Level.KABKOTA).order_by("code")
        self.fields["region"].label_from_instance = (
            lambda r: f"{r.dotted_code} {r.get_level_display()} {r.name}")
        trainers = User.objects.filter(role=Role.TRAINER, is_active=True).order_by("username")
        if user.role == Role.TRAINER:
            trainers = trainers.filter(pk=user.pk)
        self.fields["trainer"].queryset = trainers
        self.fields["trainer"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["modules"].initial = list(Module.objects.values_list("pk", flat=True))
        if user.role == Role.TRAINER:
            self.fields["trainer"].initial = user.pk

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Jam selesai harus setelah jam mulai."))
        return data


class TokenForm(forms.Form):
    token = forms.CharField(label=_("Kode QR (pindai, atau tempel/ketik kodenya)"), max_length=300,
                            widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}))


class EnrolForm(forms.Form):
    who = forms.CharField(label=_("NIK atau nomor telepon relawan"), max_length=30)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pencabutan"), max_length=200)
