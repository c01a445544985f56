"""Who may see a volunteer's personal data (NIK, phone, address), and the masked view for others.

Rule (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi: data minimisation and purpose
limitation): the unmasked values are shown only to users with ``Action.VIEW_PERSONAL_DATA`` whose
scope contains the volunteer's home kelurahan, i.e. the volunteer's own coordinators (a
koordinator whose region code is a prefix of the kelurahan code) and admins, and to the volunteer
themself. Everyone else who may see the volunteer at all (a trainer of their area) sees them
masked: ``3174••••••••0001``, ``0812••••5678``.
"""

from kawaltps.access import Action, may

from .models import Volunteer
from .nik import display_phone, mask_address, mask_nik, mask_phone


def may_see_personal_data(user, volunteer: Volunteer) -> bool:
    if volunteer.user_id and getattr(user, "pk", None) == volunteer.user_id:
        return True
    return may(user, Action.VIEW_PERSONAL_DATA, volunteer.kelurahan_id)


def personal_view(user, volunteer: Volunteer) -> dict:
    """``{"nik", "phone", "address", "masked"}`` as this user may see them."""
    if may_see_personal_data(user, volunteer):
        return {"nik": volunteer.nik, "phone": display_phone(volunteer.phone), "address": volunteer.address,
                "whatsapp": f"https://wa.me/{volunteer.phone}", "masked": False}
    return {"nik": mask_nik(volunteer.nik), "phone": mask_phone(volunteer.phone),
            "address": mask_address(volunteer.address), "whatsapp": "", "masked": True}
