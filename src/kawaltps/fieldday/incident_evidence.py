"""Incident photos and videos by presigned upload (``evidence.uploads``, purpose ``incident``).

The same rules and store as the files sent with the report (``services.report_incident``): who may
add a file is who may report an incident at its TPS (``REPORT_INCIDENT``), at most ``MAX_FILES``
per incident; a checked file is attached to the incident with an audit record
(``fieldday.incident_evidence``, its SHA-256).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kawaltps.access import Action, require
from kawaltps.audit.services import record_change
from kawaltps.evidence import uploads

from .models import Incident
from .services import MAX_FILES

PURPOSE = "incident"


def target(user, incident_id) -> tuple:
    """``(election, tps_code)`` of the incident, if ``user`` may report incidents at its TPS."""
    incident = Incident.objects.select_related("election").filter(pk=incident_id).first()
    if incident is None:
        raise ValidationError(_("Laporan kejadian tidak ditemukan."))
    require(user, Action.REPORT_INCIDENT, incident.tps_code)
    return incident.election, incident.tps_code


def attach(incident_id, evidence_file, user) -> None:
    """Link a checked file to its incident (in the check's transaction) and record it."""
    incident = Incident.objects.select_related("election").get(pk=incident_id)
    if incident.evidence.filter(pk=evidence_file.pk).exists():
        return
    incident.evidence.add(evidence_file)
    record_change(user=user, obj=incident, code=incident.tps_code, election_slug=incident.election.slug,
                  action="fieldday.incident_evidence", after={"evidence": evidence_file.sha256, "source": "presigned"})


def count(incident_id) -> int:
    return Incident.evidence.through.objects.filter(incident_id=incident_id).count()


def register() -> None:
    uploads.PURPOSES[PURPOSE] = uploads.Purpose(target=target, attach=attach, count=count, max_files=MAX_FILES)
