from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kawaltps.elections.models import Election

from .navigation import NEXT_STEPS, home_counts, visible


@login_required
def home(request):
    """The role's home: its counts with the page to act on (``navigation.HOME_COUNTS``), then its steps."""
    user = request.user
    steps = visible(NEXT_STEPS.get(user.role, []), user)
    election = Election.objects.select_related("scope").order_by("-date", "-id").first()
    return render(request, "core/home.html", {
        "steps": steps,
        "counts": home_counts(user, election),
        "election": election,
        "elections": Election.objects.all()[:5],
    })


def health(request):
    from django.http import JsonResponse

    return JsonResponse({"ok": True})


def _error_page(request, status: int, title: str, explanation: str, message: str = ""):
    """An error in the product's language, inside the layout, with a way back (issue 13.3)."""
    from django.shortcuts import render
    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.META.get("HTTP_REFERER", "")
    same_site = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    if not same_site or back == request.build_absolute_uri():
        back = ""
    return render(request, "error.html", {"title": title, "explanation": explanation, "message": message,
                                          "back": back}, status=status)


def permission_denied(request, exception=None):
    """403: what the user may not do here, in words (the message of ``access.require``)."""
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    # access.require's sentence names the action in Indonesian; an English page keeps the general line
    message = str(exception) if exception is not None and get_language() == "id" else ""
    return _error_page(request, 403, _("Akses ditolak"),
                       _("Halaman ini di luar peran atau wilayah tugas Anda."), message)


def page_not_found(request, exception=None):
    """404: never Django's technical text (it names URL patterns)."""
    from django.utils.translation import gettext as _

    arg = exception.args[0] if exception is not None and exception.args else ""
    # our own Http404 messages are sentences for people; Django's ("No Region matches the given
    # query.", the resolver's dict of tried patterns) name internals and are not shown
    message = arg if isinstance(arg, str) and "matches the given query" not in arg else ""
    return _error_page(request, 404, _("Halaman tidak ditemukan"),
                       _("Alamat ini tidak ada, atau data yang dicari (wilayah, TPS, sesi) tidak ada di sini."),
                       message)


def server_error(request):
    """500: the layout when it can still be rendered, else the plain bilingual ``500.html``."""
    from django.utils.translation import gettext as _
    from django.views.defaults import server_error as plain

    try:
        return _error_page(request, 500, _("Terjadi kesalahan di server"),
                           _("Maaf, halaman ini tidak dapat ditampilkan. Kesalahannya sudah tercatat; "
                             "coba lagi sebentar lagi."))
    except Exception:  # the database or a template is what failed: no layout then
        return plain(request)
