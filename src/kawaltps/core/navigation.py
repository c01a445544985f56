"""The menu and the per-role home page, as data each capability app adds to.

A menu item shows only to users who may take its action (``kawaltps.access``). Apps append to
``MENU``, ``NEXT_STEPS`` and ``HOME_COUNTS`` from their ``AppConfig.ready``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kawaltps.access import Action, may
from kawaltps.people.models import Role


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    action: Action | None = None
    description: str = ""
    order: int = 50
    roles: frozenset | None = None  # shown only to these roles (None: every role the action allows)

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


MENU: list[Link] = [
    Link(_("Beranda"), "home", order=0),
    Link(_("Wilayah & TPS"), "regions:browse", Action.VIEW_REGION, order=10),
]

# What each role does next, shown on its home page.
NEXT_STEPS: dict[str, list[Link]] = {
    Role.ADMIN: [
        Link(_("Kelola pemilihan dan paslon"), "admin:elections_election_changelist", Action.MANAGE_ELECTIONS,
             _("Atur pemilihan, paslon, dan formulir C.Hasil.")),
        Link(_("Kelola pengguna dan peran"), "admin:people_user_changelist", Action.MANAGE_USERS,
             _("Beri peran dan wilayah tugas kepada koordinator, saksi, dan petugas.")),
        Link(_("Telusuri wilayah dan TPS"), "regions:browse", Action.VIEW_REGION,
             _("Dari provinsi sampai TPS, dengan DPT-nya.")),
    ],
    Role.KOORDINATOR: [
        Link(_("Telusuri wilayah Anda"), "regions:browse", Action.VIEW_REGION,
             _("Lihat kelurahan dan TPS di wilayah tugas Anda.")),
    ],
    Role.SAKSI: [
        Link(_("TPS Anda"), "regions:browse", Action.VIEW_REGION,
             _("Periksa kode TPS dan DPT tempat Anda bertugas.")),
    ],
    Role.CLERK: [],
    Role.TRAINER: [],
    Role.LEGAL: [],
    Role.OBSERVER: [
        Link(_("Telusuri wilayah dan TPS"), "regions:browse", Action.VIEW_REGION, _("Hanya baca.")),
    ],
}


def visible(links: list[Link], user) -> list[tuple[Link, str]]:
    out = []
    for link in sorted(links, key=lambda item: item.order):
        url = link.url()
        if link.roles is not None and not (user.is_superuser or getattr(user, "role", None) in link.roles):
            continue
        if url and (link.action is None or may(user, link.action)):
            out.append((link, url))
    return out


@dataclass(frozen=True)
class Count:
    """One "what needs me now" line of a home page: ``38`` ``TPS menunggu entri`` → the page to act on.

    ``n`` None shows ``text`` alone (e.g. "TPS tugas Anda: TPS 001 Pinangranti"); ``urgent`` marks
    work waiting for this user (drawn first and highlighted when ``n`` > 0).
    """

    n: int | None
    text: str
    url: str
    urgent: bool = False


# Each function(user, election) returns the Counts it has for that user (by role/permission), or [].
HOME_COUNTS: list[Callable] = []


def home_counts(user, election) -> list[Count]:
    """Every app's counts for this user, urgent ones with work first."""
    out = [c for fn in HOME_COUNTS for c in fn(user, election)]
    return sorted(out, key=lambda c: not (c.urgent and (c.n is None or c.n > 0)))
