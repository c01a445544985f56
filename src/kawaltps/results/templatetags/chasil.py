"""``{% live_sums_json %}``: the sums the C.Hasil form checks while typing (``results.checks.LIVE_SUMS``)."""

import json

from django import template

from kawaltps.results.checks import live_sums

register = template.Library()


@register.simple_tag
def live_sums_json() -> str:
    return json.dumps(live_sums(), ensure_ascii=False)
