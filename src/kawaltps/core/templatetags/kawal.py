"""``{% load kawal %}``: the one display format of ``kawaltps.core.formatting`` in templates.

``{{ n|angka }}`` 14.835 · ``{{ x|desimal:2 }}`` 0,96 · ``{{ p|persen }}`` 45,3% ·
``{{ dt|waktu }}`` 27-11-2024 14.05 WIB · ``{{ d|tanggal }}`` 27-11-2024 · ``{{ dt|jam }}`` 14.05 WIB ·
``{{ n|paslon }}`` Paslon 01 · ``{{ action|tindakan }}`` an audit action in words ·
``{{ after|perubahan }}`` stored values in words.
"""

from django import template

from kawaltps.core import formatting
from kawaltps.core.wording import action_label, describe_values

register = template.Library()


@register.filter
def angka(value: object) -> str:
    return formatting.number(value)


@register.filter
def desimal(value: object, places: int = 1) -> str:
    return formatting.decimal(value, int(places))


@register.filter
def persen(value: object, places: int = 1) -> str:
    return formatting.percent(value, int(places))


@register.filter
def waktu(value) -> str:
    return formatting.when(value)


@register.filter
def tanggal(value) -> str:
    return formatting.day(value)


@register.filter
def jam(value, seconds: bool = False) -> str:
    return formatting.clock(value, bool(seconds))


@register.filter
def paslon(value: object) -> str:
    return formatting.paslon(value)


@register.filter
def tindakan(value: object) -> str:
    return action_label(value)


@register.filter
def perubahan(value: object) -> str:
    """Stored before/after values in words: ``{'status': 'trained'}`` → ``status: Terlatih``."""
    return describe_values(value)
