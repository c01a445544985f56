"""``/peta/``: kelurahan choropleths, their data and their boundaries.

Who may: a user sees the layers (``maps.layers``) whose action they may take at the region asked
(``?wilayah=``, inside their scope; default their scope, or the election's area for nationwide
roles); no layer there → 403. Rows and TPS are limited to their scope (``scope_q``). Read-only:
GET only (anything else 405).
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kawaltps.access import scope_prefix, scope_q
from kawaltps.elections.services import election_for
from kawaltps.regions.codes import Level
from kawaltps.regions.lookup import resolve as resolve_region
from kawaltps.regions.models import TPS, Region
from kawaltps.volunteers import tilemap

from .layers import GREY, LAYERS, NO_TPS, Layer, allowed_layers, sort_key
from .models import RegionShape

MAX_MARKERS = 2000  # TPS markers drawn at most (a kecamatan has a few hundred; all Jakarta, 14,835)


class BadLayer(ValueError):
    pass


def _area(request, election) -> str:
    """The region code asked for (``?wilayah=``, a code or a name) or the user's scope, at most a
    kelurahan; never wider than the election's area."""
    asked = resolve_region(request.GET.get("wilayah", ""))
    own = scope_prefix(request.user) or ""
    code = (asked if asked.isdigit() else own)[:10]
    scope = (election.scope_id or "") if election is not None else ""
    if scope.startswith(code):
        code = scope
    return code


def _layers(request, code: str) -> tuple[list[Layer], Layer]:
    """The layers this user may see at ``code`` and the one asked for (``?layer=``, default the first)."""
    layers = allowed_layers(request.user, code)
    if not layers:
        raise PermissionDenied(_("Anda tidak berwenang melihat peta di wilayah ini."))
    key = request.GET.get("layer") or layers[0].key
    if key not in LAYERS:
        raise BadLayer(_("Lapisan peta tidak dikenal: %(k)s. Pilih salah satu: %(all)s.") % {
            "k": key[:40], "all": ", ".join(LAYERS)})
    layer = LAYERS[key]
    if layer not in layers:
        raise PermissionDenied(_("Anda tidak berwenang melihat lapisan %(l)s di wilayah ini.") % {"l": layer.label})
    return layers, layer


def _names(code: str) -> dict[str, str]:
    return dict(Region.objects.filter(code__startswith=code[:6] if len(code) >= 6 else code,
                                      level__in=[Level.KABKOTA, Level.KECAMATAN, Level.KELURAHAN])
                .values_list("code", "name"))


def layer_data(election, code: str, layer: Layer, user) -> dict:
    """The answer of ``data.json``: classes, one row per kelurahan (worst first), TPS markers."""
    values = layer.kelurahan(election, code, user)
    for kel in (Region.objects.filter(level=Level.KELURAHAN, code__startswith=code)
                .filter(scope_q(user, layer.action)).values_list("code", flat=True)):
        values.setdefault(kel, NO_TPS)  # every kelurahan of the area is a row, grey when it has no TPS
    names = _names(code)
    shaped = set(RegionShape.objects.filter(region_id__in=list(values)).values_list("region_id", flat=True))
    classes = layer.legend()
    rows = []
    for kel, v in sorted(values.items(), key=sort_key(layer)):
        rows.append({"code": kel, "name": names.get(kel, kel), "kecamatan": names.get(kel[:6], ""),
                     "kota": names.get(kel[:4], ""), "value": v.value, "label": v.label, "detail": str(v.detail),
                     "cls": v.cls, "colour": classes[v.cls]["colour"] if v.cls is not None else GREY,
                     "shape": kel in shaped})
    tps = TPS.objects.filter(election=election, code__startswith=code, latitude__isnull=False,
                             longitude__isnull=False).filter(scope_q(user, layer.action))
    total = tps.count()
    markers = []
    if total and total <= MAX_MARKERS:
        per_tps = layer.tps(election, code, user) if layer.tps else {}
        for c, lat, lon in tps.order_by("code").values_list("code", "latitude", "longitude"):
            v = per_tps.get(c)
            markers.append({"code": c, "lat": lat, "lon": lon, "label": v.label if v else "",
                            "cls": v.cls if v else None})
    return {"election": election.slug, "region": code, "layer": layer.key, "title": str(layer.label),
            "explain": str(layer.explain), "classes": classes, "rows": rows,
            "tps": markers, "tps_with_position": total, "tps_shown": len(markers)}


def _tiles(data: dict, layer: Layer) -> dict | None:
    """The kota tile map of the kelurahan without a boundary (``volunteers.tilemap``), coloured by layer."""
    missing = [r for r in data["rows"] if not r["shape"]]
    if not missing:
        return None
    kec = {r["code"][:6]: r["kecamatan"] for r in missing}
    kota = {r["code"][:4]: r["kota"] for r in missing}
    grid = tilemap.layout([{"code": c, "name": n} for c, n in sorted(kota.items())],
                          [{"code": c, "name": n} for c, n in sorted(kec.items())],
                          [{**r, "target": 0, "coverage": 0} for r in sorted(missing, key=lambda r: r["code"])])
    for t in grid["tiles"]:
        t["fill"] = t["row"]["colour"]
    return grid


@login_required
@require_GET
def page(request):
    election = election_for(request)
    if election is None:
        return render(request, "maps/page.html", {"election": None})
    code = _area(request, election)
    error = None
    try:
        layers, layer = _layers(request, code)
    except BadLayer as exc:
        error = str(exc)
        layers = allowed_layers(request.user, code)
        if not layers:
            raise PermissionDenied(_("Anda tidak berwenang melihat peta di wilayah ini.")) from None
        layer = layers[0]
    data = layer_data(election, code, layer, request.user)
    query = urlencode({"pemilihan": election.slug, "wilayah": code})
    own = scope_prefix(request.user) or ""
    region = Region.objects.filter(code=code).first() if code else None
    up = code[:{10: 6, 6: 4, 4: 2}.get(len(code), 0)] if len(code) > max(len(own), len(election.scope_id or "")) else ""
    return render(request, "maps/page.html", {
        "election": election, "code": code, "region": region, "layers": layers, "layer": layer, "data": data,
        "error": error, "tiles": _tiles(data, layer), "up": up,
        "has_shapes": any(r["shape"] for r in data["rows"]),
        "data_url": f"{reverse('maps:data')}?{query}", "shapes_url": f"{reverse('maps:shapes')}?{query}",
    })


@login_required
@require_GET
def data_json(request):
    election = election_for(request)
    if election is None:
        return JsonResponse({"error": _("Belum ada pemilihan.")}, status=404)
    code = _area(request, election)
    try:
        _all, layer = _layers(request, code)
    except BadLayer as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    response = JsonResponse(layer_data(election, code, layer, request.user))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def shapes_json(request):
    """The boundaries of the kelurahan under the region, as a GeoJSON FeatureCollection (built from
    the stored geometry text, never parsed again)."""
    election = election_for(request)
    code = _area(request, election)
    layers = allowed_layers(request.user, code)
    if not layers:
        raise PermissionDenied(_("Anda tidak berwenang melihat peta di wilayah ini."))
    parts = []
    for kel, name, geojson, lat, lon, area in (
            RegionShape.objects.filter(region__code__startswith=code).order_by("region_id")
            .values_list("region_id", "region__name", "geojson", "label_lat", "label_lon", "area_km2")):
        props = json.dumps({"code": kel, "name": name, "label": [lat, lon], "area_km2": area}, ensure_ascii=False)
        parts.append(f'{{"type":"Feature","id":"{kel}","properties":{props},"geometry":{geojson}}}')
    body = '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=600"
    return response
