"""Foundation endpoints: tokens, who am I, elections, regions, TPS."""

from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from kawaltps.access import Action, require
from kawaltps.api.auth import token_auth
from kawaltps.elections.models import Election
from kawaltps.people import twofactor
from kawaltps.people.models import ApiToken
from kawaltps.regions.aggregation import child_tps_stats
from kawaltps.regions.codes import Level
from kawaltps.regions.models import TPS, Region

router = Router(tags=["dasar"])


class TokenIn(Schema):
    username: str
    password: str
    device: str = "device"
    otp: str = ""  # the authenticator's code (or a recovery code): required for admin, koordinator, legal


class TokenOut(Schema):
    token: str
    username: str
    role: str
    expires_at: str


class MeOut(Schema):
    username: str
    name: str
    role: str
    region: str | None
    tps_code: str | None
    organisation: str | None


class CandidateOut(Schema):
    number: int
    name: str


class ElectionOut(Schema):
    slug: str
    name: str
    kind: str
    date: str
    scope: str | None
    form_type: str
    max_dpt_per_tps: int
    candidates: list[CandidateOut]


class ChildOut(Schema):
    code: str
    name: str
    level: int
    tps: int
    dpt: int


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None
    children: list[ChildOut]


class TPSOut(Schema):
    code: str
    election: str
    kelurahan: str
    number: int
    dpt_l: int
    dpt_p: int
    dpt: int
    address: str
    latitude: float | None
    longitude: float | None


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: dict, 429: dict},
             summary="Tukar nama pengguna + sandi dengan token perangkat (berlaku 30 hari)")
def issue_token(request, data: TokenIn):
    """Rate-limited like the web login (``core.throttle``: 429 after too many failures)."""
    user = authenticate(request, username=data.username, password=data.password)
    if user is None:
        raise HttpError(401, "Nama pengguna atau kata sandi salah.")
    if not twofactor.code_ok_for_token(request, user, data.otp):
        raise HttpError(401, "Kode verifikasi dua langkah (otp) salah atau belum diisi.")
    token, key = ApiToken.issue(user, data.device)
    return {"token": key, "username": user.username, "role": user.role,
            "expires_at": token.expires_at.isoformat(timespec="seconds")}


@router.post("/auth/token/rotate", response={200: TokenOut}, auth=[token_auth],
             summary="Ganti token perangkat ini dengan token baru (token lama langsung tidak berlaku)")
def rotate_token(request):
    """Bearer only: revokes every live token of this user with the calling token's device name."""
    current = ApiToken.lookup(request.headers["Authorization"].split(" ", 1)[1].strip())
    token, key, _revoked = ApiToken.rotate(request.user, current.name)
    return {"token": key, "username": request.user.username, "role": request.user.role,
            "expires_at": token.expires_at.isoformat(timespec="seconds")}


@router.get("/me", response=MeOut)
def me(request):
    u = request.user
    return {"username": u.username, "name": u.get_full_name(), "role": u.role, "region": u.region_id,
            "tps_code": u.tps_code or None, "organisation": str(u.organisation) if u.organisation else None}


def _election_out(e: Election) -> dict:
    return {"slug": e.slug, "name": e.name, "kind": e.kind, "date": e.date.isoformat(), "scope": e.scope_id,
            "form_type": e.form_type, "max_dpt_per_tps": e.max_dpt_per_tps,
            "candidates": [{"number": c.number, "name": c.name} for c in e.candidates.all()]}


@router.get("/elections", response=list[ElectionOut])
def elections(request):
    return [_election_out(e) for e in Election.objects.prefetch_related("candidates")]


@router.get("/regions/{code}", response=RegionOut, summary="Satu wilayah dengan anak-anaknya (TPS dan DPT per anak)")
def region(request, code: str, election: str | None = None):
    require(request.user, Action.VIEW_REGION, code)
    r = get_object_or_404(Region, code=code)
    stats = {}
    if election and r.level < Level.KELURAHAN:
        e = get_object_or_404(Election, slug=election)
        stats = child_tps_stats(e, r)
    empty = {"tps": 0, "dpt": 0}
    children = [{"code": c.code, "name": c.name, "level": c.level, **stats.get(c.code, empty)}
                for c in r.children.all()]
    return {"code": r.code, "name": r.name, "level": r.level, "parent": r.parent_id, "children": children}


@router.get("/elections/{slug}/tps/{code}", response=TPSOut)
def tps(request, slug: str, code: str):
    require(request.user, Action.VIEW_REGION, code)
    t = get_object_or_404(TPS, election__slug=slug, code=code)
    return {"code": t.code, "election": slug, "kelurahan": t.kelurahan_id, "number": t.number, "dpt_l": t.dpt_l,
            "dpt_p": t.dpt_p, "dpt": t.dpt, "address": t.address, "latitude": t.latitude, "longitude": t.longitude}
