"""``{{ url|external_url }}``: the URL if it may be a link (http/https), else ``""`` (core.links)."""

from django import template

from kawaltps.core.links import external_url as _external_url

register = template.Library()


@register.filter
def external_url(value: object) -> str:
    return _external_url(value)
