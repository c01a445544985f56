"""Record every showing of unmasked personal data (issue 14 item 4): who, whose, when, which page.

Call :func:`record` wherever a view, export or API answer carries a NIK, phone number or address
unmasked (``volunteers.privacy.personal_view`` says whether it is). One INSERT per call, however many
people: a list page logs its whole page at once.
"""

from collections.abc import Iterable

from .models import PersonalDataView

FIELDS = "nik,phone,address"


def record(viewer, subjects: Iterable, path: str = "", fields: str = FIELDS,
           model: str = "volunteers.Volunteer") -> int:
    """Log that ``viewer`` saw ``fields`` of each of ``subjects`` (objects with ``pk`` and ``name``)."""
    rows = [PersonalDataView(viewer=viewer if getattr(viewer, "pk", None) else None, subject_model=model,
                             subject_id=str(s.pk), subject_label=str(getattr(s, "name", s))[:200],
                             fields=fields, path=path[:300])
            for s in subjects]
    PersonalDataView.objects.bulk_create(rows)
    return len(rows)
