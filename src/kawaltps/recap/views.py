"""Recap pages: ranked discrepancies, one discrepancy with its photos side by side, dossiers, D.Hasil entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from kawaltps.access import Action, may, require, scope_q
from kawaltps.elections.services import election_for
from kawaltps.regions.lookup import from_request as region_from_request
from kawaltps.regions.models import TPS, Region

from . import dhasil_rows, dossier, signing
from .dhasil import IMAGE_TYPES, MAX_PHOTO_BYTES, DHasilError, add_photo, save_dhasil, sniff_photo
from .discrepancies import ORDERS, VERDICT_TEXT, not_compared_lines, ranked, recompute
from .models import DHasil, DHasilPhoto, Discrepancy, SirekapSnapshot, Step, Tier

SERVED_TYPES = {"application/pdf": "pdf", **dict(IMAGE_TYPES.values())}


LOWER_LABELS = {
    Step.TPS_SIREKAP: _lazy("C.Hasil saksi"),
    Step.SIREKAP_CHANGED: _lazy("Versi sebelumnya"),
    Step.TPS_KECAMATAN: _lazy("Jumlah angka Sirekap per TPS"),
    Step.TPS_KECAMATAN_SAKSI: _lazy("Jumlah C.Hasil saksi kami"),
    Step.DHASIL_KELURAHAN: _lazy("Jumlah angka Sirekap per TPS"),
    Step.DHASIL_KECAMATAN_ROW: _lazy("D.Hasil Kecamatan"),
    Step.DHASIL_KABKOTA_ROW: _lazy("D.Hasil Kab/Kota"),
    Step.VOTERS_SAME_VOTES_UP: _lazy("Jumlah angka Sirekap per TPS"),
    Step.INVALID_DOWN_PASLON_UP: _lazy("Jumlah angka Sirekap per TPS"),
    Step.SIREKAP_REGION: _lazy("Jumlah angka Sirekap per TPS"),
}
UPPER_LABELS = {
    Step.TPS_SIREKAP: _lazy("Resmi (Sirekap)"),
    Step.SIREKAP_CHANGED: _lazy("Versi berikutnya"),
    Step.DHASIL_KELURAHAN: _lazy("Baris kelurahan D.Hasil Kecamatan"),
    Step.DHASIL_KECAMATAN_ROW: _lazy("Baris kecamatan D.Hasil Kab/Kota"),
    Step.DHASIL_KABKOTA_ROW: _lazy("Baris kab/kota D.Hasil Provinsi"),
    Step.VOTERS_SAME_VOTES_UP: _lazy("Baris kelurahan D.Hasil Kecamatan"),
    Step.INVALID_DOWN_PASLON_UP: _lazy("Baris kelurahan D.Hasil Kecamatan"),
    Step.SIREKAP_REGION: _lazy("Halaman wilayah Sirekap"),
}


def _election_or_404(request):
    election = election_for(request)
    if election is None:
        raise Http404(_("Belum ada pemilihan."))
    return election


def _photo_url(pk: int) -> str | None:
    try:
        return reverse("results:photo", args=[pk])
    except NoReverseMatch:
        return None


@login_required
def discrepancy_list(request):
    require(request.user, Action.VIEW_DISCREPANCIES)
    election = _election_or_404(request)
    step = request.GET.get("tahap") or ""
    if step and step not in Step.values:
        step = ""
    region_filter = region_from_request(request)
    prefix = region_filter["code"]
    order = request.GET.get("urut") if request.GET.get("urut") in ORDERS else "dampak"
    qs = ranked(election, step=step or None, prefix=prefix, order=order).filter(
        scope_q(request.user, Action.VIEW_DISCREPANCIES, "code")
    )
    summary = {r["step"]: r for r in qs.order_by().values("step").annotate(n=Count("id"), moved=Sum("votes_moved"))}
    page = Paginator(qs, 50).get_page(request.GET.get("hal"))
    numbers = list(election.candidates.values_list("number", flat=True))
    names = dict(
        Region.objects.filter(code__in={d.code[:10] if d.is_tps else d.code for d in page}).values_list("code", "name")
    )
    for d in page:
        d.region_name = names.get(d.code[:10] if d.is_tps else d.code, "")
        d.delta_list = [d.deltas.get(str(n), 0) for n in numbers]
        d.verdict_label = VERDICT_TEXT.get((d.detail or {}).get("verdict"), "")
    steps = [
        (s.value, s.label, summary.get(s.value, {}).get("n", 0), summary.get(s.value, {}).get("moved", 0)) for s in Step
    ]
    return render(
        request,
        "recap/list.html",
        {
            "election": election,
            "page": page,
            "steps": steps,
            "step": step,
            "prefix": prefix,
            "order": order,
            "region_filter": region_filter,
            "region_query": f"pemilihan={election.slug}&tahap={step}&urut={order}&",
            "numbers": numbers,
            "may_recompute": may(request.user, Action.MANAGE_OFFICIAL_DATA),
            "computed_at": qs.values_list("computed_at", flat=True).first(),
        },
    )


@login_required
@require_POST
def recompute_view(request):
    require(request.user, Action.MANAGE_OFFICIAL_DATA)
    election = _election_or_404(request)
    objs, summary = recompute(election)
    messages.success(request, _("Selisih dihitung ulang: %(n)s ditemukan.") % {"n": len(objs)})
    nc = summary["not_compared"]
    if nc["compared"] < nc["tps"]:
        reasons = "; ".join(f"{x['n']} {x['text']}" for x in not_compared_lines(summary, hint=False))
        messages.warning(
            request,
            _("%(n)s dari %(total)s TPS tidak dibandingkan dengan Sirekap: %(reasons)s.")
            % {"n": nc["tps"] - nc["compared"], "total": nc["tps"], "reasons": reasons},
        )
    return redirect(f"{reverse('recap:list')}?pemilihan={election.slug}")


def _get_discrepancy(request, pk: int, action: Action) -> Discrepancy:
    d = get_object_or_404(Discrepancy.objects.select_related("election"), pk=pk)
    require(request.user, action, d.code)
    return d


@login_required
def discrepancy_detail(request, pk: int):
    d = _get_discrepancy(request, pk, Action.VIEW_DISCREPANCIES)
    election = d.election
    cands = list(election.candidates.order_by("number"))
    rows = [
        {
            "number": c.number,
            "name": c.name,
            "ours": d.ours.get(str(c.number)),
            "official": d.official.get(str(c.number)),
            "delta": d.deltas.get(str(c.number), 0),
        }
        for c in cands
    ]
    ctx = {
        "d": d,
        "election": election,
        "rows": rows,
        "may_export": may(request.user, Action.EXPORT_EVIDENCE, d.code),
        "lower_label": LOWER_LABELS.get(d.step, _("Jumlah tingkat bawah")),
        "upper_label": UPPER_LABELS.get(d.step, _("D.Hasil tingkat atas")),
        "verdict_label": VERDICT_TEXT.get((d.detail or {}).get("verdict"), ""),
    }
    if d.is_tps:
        from kawaltps.results.models import Photo

        photos = Photo.objects.filter(result__election=election, result__code=d.code).select_related("result")
        ctx["witness_photos"] = [
            {"page": p.page, "sha256": p.sha256, "url": _photo_url(p.pk)}
            for p in photos
            if p.result.source == "witness"
        ]
        ctx["snapshots"] = list(
            SirekapSnapshot.objects.filter(election=election, code=d.code)
            .defer("raw", "raw_bytes")
            .order_by("fetched_at", "id")
        )
        latest = max(ctx["snapshots"], key=lambda s: (s.sirekap_ts or s.fetched_at, s.id), default=None)
        ctx["official_images"] = [u for u in (latest.images if latest else []) if u]
        ctx["tps"] = TPS.objects.filter(election=election, code=d.code).select_related("kelurahan").first()
    else:
        ctx["region"] = Region.objects.filter(code=d.code).first()
        ctx["dhasil"] = DHasil.objects.filter(election=election, code=d.code).prefetch_related("photos").first()
        if d.step in (Step.KECAMATAN_KABKOTA, Step.KABKOTA_PROVINSI):
            child_len = {Step.KECAMATAN_KABKOTA: 6, Step.KABKOTA_PROVINSI: 4}[d.step]
            children = DHasil.objects.filter(election=election, code__startswith=d.code).prefetch_related("photos")
            ctx["children"] = [c for c in children if len(c.code) == child_len]
            for c in ctx["children"]:
                c.vote_list = [c.votes.get(str(x.number)) for x in cands]
    return render(request, "recap/detail.html", ctx)


def _zip_response(data: bytes, manifest_hash: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Manifest-SHA256"] = manifest_hash
    return response


@login_required
def discrepancy_dossier(request, pk: int):
    d = _get_discrepancy(request, pk, Action.EXPORT_EVIDENCE)
    data, manifest_hash = dossier.build(dossier.subject_for_discrepancy(d))
    return _zip_response(data, manifest_hash, f"berkas-bukti-{d.election.slug}-{d.code}-{d.step}.zip")


@login_required
def tps_dossier(request, code: str):
    require(request.user, Action.EXPORT_EVIDENCE, code)
    election = _election_or_404(request)
    if not TPS.objects.filter(election=election, code=code).exists():
        raise Http404(_("TPS tidak ditemukan."))
    data, manifest_hash = dossier.build(dossier.subject_for_tps(election, code))
    return _zip_response(data, manifest_hash, f"berkas-bukti-{election.slug}-{code}.zip")


@login_required
def dhasil_photo(request, pk: int):
    photo = get_object_or_404(DHasilPhoto.objects.select_related("dhasil"), pk=pk)
    if not (
        may(request.user, Action.VIEW_DISCREPANCIES, photo.dhasil.code)
        or may(request.user, Action.MANAGE_OFFICIAL_DATA, photo.dhasil.code)
    ):
        raise PermissionDenied(_("Anda tidak berwenang melihat foto ini."))
    # Always a download with the type fixed at upload (never what the bytes might sniff as), so a
    # file that is both a PDF and an HTML page is never rendered inline; <img> tags still show images.
    content_type = photo.content_type if photo.content_type in SERVED_TYPES else "application/octet-stream"
    ext = SERVED_TYPES.get(content_type, "bin")
    response = FileResponse(default_storage.open(photo.file.name, "rb"), content_type=content_type,
                            as_attachment=True, filename=f"dhasil-{photo.dhasil.code}-{photo.pk}.{ext}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def dhasil_entry(request):
    """Enter one region's D.Hasil (numbers per paslon, valid, invalid, photos of the form), and its rows
    per child region (``?tingkat=&kode=`` lists them; :mod:`recap.dhasil_rows`)."""
    require(request.user, Action.MANAGE_OFFICIAL_DATA)
    election = _election_or_404(request)
    cands = list(election.candidates.order_by("number"))
    numbers = [c.number for c in cands]
    errors, values = [], request.GET
    code = (values.get("kode") or "").replace(".", "").strip()
    if code and not may(request.user, Action.MANAGE_OFFICIAL_DATA, code):
        raise PermissionDenied(_("Anda tidak berwenang mengelola data resmi di wilayah ini."))
    regions = list(dhasil_rows.child_regions(election, values.get("tingkat") or "", code)) if code else []
    if request.method == "POST":
        values = request.POST
        code = (request.POST.get("kode") or "").replace(".", "").strip()
        tier = request.POST.get("tingkat") or ""
        if not may(request.user, Action.MANAGE_OFFICIAL_DATA, code or None):
            raise PermissionDenied(_("Anda tidak berwenang mengelola data resmi di wilayah ini."))
        regions = list(dhasil_rows.child_regions(election, tier, code))
        uploads = request.FILES.getlist("foto")
        try:
            kids = dhasil_rows.rows_from_post(request.POST, tier, regions, numbers)
            datas = []
            for u in uploads:  # check every photo (size first, then decoded whole) before saving anything
                if u.size > MAX_PHOTO_BYTES:
                    raise DHasilError(_("foto terlalu besar (maksimum 15 MB)"))
                datas.append(u.read())
                sniff_photo(datas[-1])
            obj = save_dhasil(
                election,
                tier,
                code,
                {str(c.number): request.POST.get(f"paslon_{c.number}") for c in cands},
                valid=request.POST.get("sah"),
                invalid=request.POST.get("tidak_sah"),
                dpt=request.POST.get("dpt"),
                voters=request.POST.get("pengguna"),
                ballots_used=request.POST.get("surat_suara"),
                children=kids,
                user=request.user,
                source="form",
            )
            for data in datas:
                add_photo(obj, data, user=request.user)
        except DHasilError as exc:
            errors.append(str(exc))
        else:
            messages.success(request, _("D.Hasil %(code)s tersimpan.") % {"code": obj.code})
            return redirect(f"{reverse('recap:dhasil')}?pemilihan={election.slug}")
    recent = (
        DHasil.objects.filter(election=election)
        .filter(scope_q(request.user, Action.MANAGE_OFFICIAL_DATA, "code"))
        .select_related("region")
        .annotate(n_photos=Count("photos"))
        .order_by("-updated_at")[:50]
    )
    for r in recent:
        r.vote_list = [r.votes.get(str(c.number)) for c in cands]
    return render(
        request,
        "recap/dhasil.html",
        {
            "election": election,
            "cands": cands,
            "tiers": Tier.choices,
            "errors": errors,
            "values": values,
            "rows": dhasil_rows.row_inputs(values, regions, numbers),
            "paslon_inputs": [(c, values.get(f"paslon_{c.number}", "")) for c in cands],
            "recent": recent,
            "status": 400 if errors else 200,
        },
        status=400 if errors else 200,
    )


def public_key(request):
    """The organisation's public key that signs every evidence dossier: public, no login (a lawyer,
    Bawaslu or a court copies it to check a dossier with ``kawaltps verify-dossier --public-key``)."""
    return render(request, "recap/public_key.html", {"key": signing.public_info()})
