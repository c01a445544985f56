"""An append-only history of every change that matters: who, when, what, before and after.

Rows are never updated or deleted: triggers in the database refuse it (``audit.schema``), and every
row carries ``seq``, ``prev_hash`` and ``hash``, which chain it to the one before (``audit.chain``),
so an edit, a deletion or an insertion behind the application's back is found by
``kawaltps audit verify``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeRecord(models.Model):
    occurred_at = models.DateTimeField(_("waktu"), db_index=True)
    # No database constraint and no ON DELETE action: deleting or anonymising a user never touches
    # the log (an UPDATE would be refused by the trigger); the id stays, as the hash covers it.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+")
    actor = models.CharField(_("pelaku"), max_length=150, help_text=_("nama pengguna, atau perintah/sistem"))
    subject = models.CharField(_("objek"), max_length=60, help_text=_("mis. results.Submission"))
    object_id = models.CharField(max_length=64)
    code = models.CharField(_("kode wilayah/TPS"), max_length=13, blank=True, db_index=True)
    election_slug = models.CharField(max_length=80, blank=True, db_index=True)
    action = models.CharField(_("tindakan"), max_length=40)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    seq = models.BigIntegerField(_("urutan rantai"), unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["subject", "object_id"])]
        verbose_name = _("catatan perubahan")
        verbose_name_plural = _("catatan perubahan")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action} {self.subject}#{self.object_id}"
