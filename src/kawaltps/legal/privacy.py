"""Who reads the reporter's address and phone in the clear.

Rule (the ``volunteers.privacy`` rule, UU 27/2022 data minimisation): those who file the report
(``Action.FILE_LEGAL``) and those who may see personal data where the report lies
(``Action.VIEW_PERSONAL_DATA`` at its TPS or region: the area's koordinator, admin) see them as
entered; everyone else who may see the report sees them masked (``0812••••5678``, ``••••``).
The PDF, the filing itself, is only for those who file.
"""

from kawaltps.access import Action, may
from kawaltps.volunteers.nik import mask_address, mask_phone

from .models import BawasluReport


def may_see_reporter(user, report: BawasluReport) -> bool:
    return may(user, Action.FILE_LEGAL, report.code or None) or may(user, Action.VIEW_PERSONAL_DATA,
                                                                     report.code or None)


def reporter_view(user, report: BawasluReport) -> dict:
    """``{"name", "address", "phone", "masked"}`` as ``user`` may see them."""
    if may_see_reporter(user, report):
        return {"name": report.reporter_name, "address": report.reporter_address, "phone": report.reporter_phone,
                "masked": False}
    return {"name": report.reporter_name, "address": mask_address(report.reporter_address),
            "phone": mask_phone(report.reporter_phone) if report.reporter_phone else "", "masked": True}
