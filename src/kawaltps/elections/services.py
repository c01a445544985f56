"""Looking up elections."""

from django.http import Http404
from django.utils.translation import gettext as _

from .models import Election


def election_for(request, slug: str | None = None) -> Election | None:
    """The election named by ``slug`` or ``?pemilihan=``, else the most recent one (None if none)."""
    slug = slug or request.GET.get("pemilihan")
    if slug:
        try:
            return Election.objects.select_related("scope").get(slug=slug)
        except Election.DoesNotExist:
            raise Http404(_("Pemilihan %(slug)s tidak ada.") % {"slug": slug[:50]}) from None
    return Election.objects.select_related("scope").order_by("-date", "-id").first()
