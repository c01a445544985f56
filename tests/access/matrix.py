"""THE authorisation matrix: who gets through at every URL and API operation (issue 14 item 1).

``tests/access/test_matrix.py`` walks Django's URL resolver and the OpenAPI document of ``/api/``,
and for every entry below, every role, in scope and out of scope, and every method, asserts the
answer written here. A URL or API operation without an entry fails the suite with a ready-to-paste
entry; an entry whose URL is gone fails too.

How to add an entry
-------------------
Pages are keyed by the URL's name (``"namespace:name"``); API operations by ``"METHOD /api/path"``
exactly as the OpenAPI document spells the path (``{param}``)::

    "fieldday:checkin": Page(args={"code": "tps"}, GET=scoped(SAKSI, *KOORDS, ADMIN), POST=scoped(SAKSI)),
    "POST /api/fieldday/checkins": Api(body={"tps": "tps"}, POST=scoped(SAKSI)),

- ``args``: the URL's (or API path's) parameters → an object kind of ``tests/access/world.py``
  (``tps``, ``kelurahan``, ``election``, ``photo``, ``submission``, ``discrepancy``, ``dhasil_photo``,
  ``volunteer``, ``session``, ``enrolment``, ``certificate``, ``assignment``, ``mandate``,
  ``mandate_code``, ``mandate_job``, ``import_job``, ``kecamatan``, ``incident``, ``evidence``, ``job``,
  ``photo_upload``, ``kabkota``, ``bawaslu_report``, ``mk_package``, …; add a kind there when you add
  an object). Plain body values that are the same on both sides (``client_id``, ``page_number``,
  ``voters``, ``when``, …) are kinds there too.
  ``query`` / ``body``: the same for query-string or body fields (API bodies are JSON).
  With an object kind the URL is tried with the in-scope object AND the out-of-scope one.
- ``GET=`` / ``POST=`` (and ``PUT``, ``PATCH``, ``DELETE``): who gets through. A method not given
  never widens access: roles that no declared method lets through must be refused; roles that one
  does may get any answer but a 5xx (many read-only views answer POST like GET).
    * ``scoped(ROLE, ...)``: these roles get through on in-scope objects; on out-of-scope ones only
      those of them whose scope is nationwide (admin, clerk, legal, observer).
    * ``anywhere(ROLE, ...)``: these roles get through in and out of scope (public checks, own pages).
    * ``PUBLIC`` (everyone, anonymous included), ``LOGGED_IN`` (every role), ``NOBODY``.
    * combine with ``|``.
- Roles (``tests/access/world.py``): ``anon``, ``admin``, ``koord`` (Jakarta Timur), ``koord_kec``
  (kecamatan Makasar), ``saksi`` (TPS 3175081001001), ``clerk`` (nationwide), ``trainer`` (Jakarta
  Timur), ``legal``, ``observer``, ``relawan`` (the in-scope volunteer themself), ``dpo`` (data
  protection officer). Admin, koordinator and legal clients have passed the second factor.
- ``skip="why"``: the URL is not fit for the generic check (say where it is tested instead).

"Gets through" = any answer but a refusal. Refusals: 401, 403, 404, 405, or a redirect to a login
page. A request an allowed role sends with empty data may be refused as *invalid* (400, 422, a form
with errors): that still passes the permission check. 5xx fails the suite everywhere.

Why the table lives in tests/ and not in ``kawaltps.access``: it is the independent statement of
what the rules must produce. ``access/rules.py`` enforces; deriving the expectations from it would
test it against itself.
"""

from dataclasses import dataclass, field

ADMIN, KOORD, KOORD_KEC, SAKSI, CLERK, TRAINER, LEGAL, OBSERVER, RELAWAN, DPO = (
    "admin", "koord", "koord_kec", "saksi", "clerk", "trainer", "legal", "observer", "relawan", "dpo")
KOORDS = (KOORD, KOORD_KEC)
ALL_ROLES = ("anon", ADMIN, KOORD, KOORD_KEC, SAKSI, CLERK, TRAINER, LEGAL, OBSERVER, RELAWAN, DPO)
NATIONWIDE = frozenset({ADMIN, CLERK, LEGAL, OBSERVER, DPO})


@dataclass(frozen=True)
class Who:
    """Roles that get through on in-scope (``inside``) and out-of-scope (``outside``) objects."""

    inside: frozenset = frozenset()
    outside: frozenset = frozenset()

    def __or__(self, other: "Who") -> "Who":
        return Who(self.inside | other.inside, self.outside | other.outside)

    def allows(self, role: str, side: str) -> bool:
        return role in (self.inside if side == "in" else self.outside)


def scoped(*roles: str) -> Who:
    return Who(frozenset(roles), frozenset(roles) & NATIONWIDE)


def anywhere(*roles: str) -> Who:
    return Who(frozenset(roles), frozenset(roles))


NOBODY = Who()
PUBLIC = anywhere(*ALL_ROLES)
LOGGED_IN = anywhere(*ALL_ROLES[1:])
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Page:
    args: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    GET: Who = NOBODY
    POST: Who = NOBODY
    skip: str = ""

    def who(self, method: str) -> Who:
        return getattr(self, method, NOBODY)

    def expects(self, method: str, role: str, side: str) -> bool | None:
        """True/False: must get through / be refused. None: an undeclared method for a role that a
        declared method lets through (a view that answers POST like GET): anything but a 5xx."""
        declared = [m for m in METHODS if self.who(m) != NOBODY]
        if method in declared:
            return self.who(method).allows(role, side)
        if any(self.who(m).allows(role, side) for m in declared):
            return None
        return False


@dataclass(frozen=True)
class Api(Page):
    body: dict = field(default_factory=dict)
    PUT: Who = NOBODY
    PATCH: Who = NOBODY
    DELETE: Who = NOBODY


RESULTS_READERS = (ADMIN, *KOORDS, SAKSI, LEGAL, OBSERVER)  # VIEW_RESULTS
TOTALS_READERS = (ADMIN, *KOORDS, LEGAL, OBSERVER)  # region totals: a saksi sees only their TPS
DISCREPANCY_READERS = (ADMIN, *KOORDS, LEGAL, OBSERVER)  # VIEW_DISCREPANCIES
EVIDENCE = (ADMIN, *KOORDS, LEGAL)  # EXPORT_EVIDENCE
READINESS = (ADMIN, *KOORDS, TRAINER, OBSERVER)  # VIEW_READINESS
TRAINING = (ADMIN, *KOORDS, TRAINER)  # MANAGE_TRAINING / RECORD_ATTENDANCE
# A Bimtek session of Jakarta Timur (3175) is outside the kecamatan koordinator's scope (317508).
SESSION = (ADMIN, KOORD, TRAINER)
REGISTRY = (ADMIN, *KOORDS, TRAINER)  # the volunteer registry: managers, and trainers (masked)
STAFF = (ADMIN, *KOORDS, SAKSI, CLERK, TRAINER, LEGAL, OBSERVER)
FIELD = (ADMIN, *KOORDS, LEGAL, OBSERVER)  # VIEW_FIELD: the election-day board and incident reports
LEGAL_FILERS = (ADMIN, LEGAL)  # FILE_LEGAL
LEGAL_READERS = (ADMIN, LEGAL, *KOORDS)  # VIEW_LEGAL
MAP_READERS = (ADMIN, *KOORDS, TRAINER, LEGAL, OBSERVER)  # any layer of /peta/ (maps.layers)
PHOTO_ADDERS = (SAKSI, CLERK, ADMIN)  # may add C.Hasil photos to a TPS (results.uploads.authorise)

PAGES: dict[str, Page] = {
    # --- core ---------------------------------------------------------------------------------
    "home": Page(GET=LOGGED_IN),
    "health": Page(GET=PUBLIC),
    "login": Page(GET=PUBLIC, POST=PUBLIC),
    "logout": Page(skip="logs out whoever posts; tests/core/test_pages_browser.py"),
    "set_language": Page(POST=PUBLIC, GET=PUBLIC),
    # --- API documents (operations: API below) --------------------------------------------------
    "api:openapi-json": Page(GET=PUBLIC),
    "api:openapi-view": Page(GET=PUBLIC),
    "api:api-root": Page(),
    # --- accounts (people) ------------------------------------------------------------------------
    # The second-factor pages: any logged-in user may set up or pass a second factor.
    "people:otp_verify": Page(GET=LOGGED_IN, POST=LOGGED_IN),
    "people:otp_enrol": Page(GET=LOGGED_IN, POST=LOGGED_IN),
    "people:otp_recovery": Page(POST=LOGGED_IN),
    "people:access_log": Page(GET=anywhere(ADMIN, DPO)),
    # --- regions --------------------------------------------------------------------------------
    "regions:browse": Page(GET=LOGGED_IN),
    "regions:region": Page(args={"code": "kelurahan"}, GET=scoped(*STAFF)),
    "regions:tps": Page(args={"election": "election", "code": "tps"}, GET=scoped(*STAFF)),
    # Region-name suggestions (JSON) for anyone who may view regions; the answers stay inside their area.
    "regions:search": Page(GET=scoped(*STAFF)),
    # --- results --------------------------------------------------------------------------------
    "results:saksi": Page(GET=scoped(SAKSI)),
    "results:queue_token": Page(GET=LOGGED_IN),
    "results:submit": Page(args={"code": "tps"}, GET=scoped(SAKSI, ADMIN), POST=scoped(SAKSI, ADMIN)),
    "results:entry_queue": Page(GET=scoped(ADMIN, CLERK)),
    "results:entry": Page(args={"code": "tps"}, GET=scoped(ADMIN, CLERK), POST=scoped(ADMIN, CLERK)),
    "results:reconcile_queue": Page(GET=scoped(ADMIN, *KOORDS)),
    "results:reconcile": Page(args={"code": "tps"}, query={"submission": "submission"},
                              GET=scoped(ADMIN, *KOORDS), POST=scoped(ADMIN, *KOORDS)),
    "results:tps": Page(args={"code": "tps"}, GET=scoped(*RESULTS_READERS)),
    "results:photo": Page(args={"pk": "photo"}, GET=scoped(*RESULTS_READERS, CLERK)),
    "results:dashboard": Page(GET=scoped(*RESULTS_READERS)),
    "results:dashboard_region": Page(args={"code": "kelurahan"}, GET=scoped(*TOTALS_READERS)),
    "results:dashboard_json": Page(GET=scoped(*TOTALS_READERS)),
    # "Not a duplicate": RECONCILE_RESULT at the TPS (GET only redirects to the TPS page).
    "results:dismiss_match": Page(args={"code": "tps", "pk": "photo"}, POST=scoped(ADMIN, *KOORDS)),
    # --- recap ----------------------------------------------------------------------------------
    "recap:list": Page(GET=scoped(*DISCREPANCY_READERS)),
    "recap:recompute": Page(POST=scoped(ADMIN, CLERK)),
    "recap:detail": Page(args={"pk": "discrepancy"}, GET=scoped(*DISCREPANCY_READERS)),
    "recap:dossier": Page(args={"pk": "discrepancy"}, GET=scoped(*EVIDENCE)),
    "recap:tps_dossier": Page(args={"code": "tps"}, GET=scoped(*EVIDENCE)),
    "recap:dhasil": Page(GET=scoped(ADMIN, CLERK), POST=scoped(ADMIN, CLERK)),
    "recap:dhasil_photo": Page(args={"pk": "dhasil_photo"}, GET=scoped(ADMIN, CLERK, *DISCREPANCY_READERS)),
    "recap:public_key": Page(GET=PUBLIC),
    # GET ?wilayah= a kecamatan: out of scope, a koordinator is refused (not silently sent to their own).
    # POST is answered like GET but reads ?wilayah= only from the query string, not from the body the
    # matrix posts: a koordinator then gets their own region (margin, coverage) or the 400 "choose a
    # kecamatan" (kit), so POST lets koordinators through on either side and shows nothing outside.
    "recap:margin": Page(query={"wilayah": "kecamatan"}, GET=scoped(*DISCREPANCY_READERS),
                         POST=scoped(*DISCREPANCY_READERS) | anywhere(*KOORDS)),
    "recap:coverage": Page(query={"wilayah": "kecamatan"}, GET=scoped(*DISCREPANCY_READERS),
                           POST=scoped(*DISCREPANCY_READERS) | anywhere(*KOORDS)),
    "recap:plenary_kit": Page(query={"wilayah": "kecamatan"}, GET=scoped(*EVIDENCE),  # EXPORT_EVIDENCE there
                              POST=scoped(*EVIDENCE) | anywhere(*KOORDS)),
    # --- volunteers -----------------------------------------------------------------------------
    "volunteers:list": Page(GET=scoped(*REGISTRY)),
    "volunteers:register": Page(GET=PUBLIC, POST=PUBLIC),
    "volunteers:registered": Page(GET=PUBLIC),
    "volunteers:detail": Page(args={"pk": "volunteer"}, GET=scoped(*REGISTRY)),
    "volunteers:upload": Page(GET=scoped(ADMIN, *KOORDS), POST=scoped(ADMIN, *KOORDS)),
    # An import job is its uploader's (and admin's): "in" is the koordinator's own.
    "volunteers:import_status": Page(args={"pk": "import_job"}, GET=Who(frozenset({ADMIN, KOORD}),
                                                                        frozenset({ADMIN}))),
    "volunteers:template": Page(GET=scoped(ADMIN, *KOORDS)),
    "volunteers:export": Page(GET=scoped(ADMIN, *KOORDS)),
    "volunteers:readiness": Page(GET=scoped(*READINESS)),
    "volunteers:partners": Page(GET=scoped(*READINESS)),
    # UU PDP: a volunteer's own data (404 for a login without a volunteer record) and its withdrawal.
    "volunteers:my_data": Page(GET=anywhere(RELAWAN), POST=anywhere(RELAWAN)),
    # Erasure: MANAGE_VOLUNTEERS and VIEW_PERSONAL_DATA in the volunteer's kelurahan (not the volunteer).
    "volunteers:erase": Page(args={"pk": "volunteer"}, GET=scoped(ADMIN, *KOORDS), POST=scoped(ADMIN, *KOORDS)),
    # --- training (Bimtek) ----------------------------------------------------------------------
    "training:sessions": Page(GET=scoped(*TRAINING) | anywhere(RELAWAN)),  # a volunteer: sent to /bimtek/saya/
    "training:session_create": Page(GET=scoped(*TRAINING), POST=scoped(*TRAINING)),
    "training:session": Page(args={"pk": "session"}, GET=scoped(*SESSION)),
    "training:enrol": Page(args={"pk": "session"}, POST=scoped(*SESSION)),
    "training:mark_present": Page(args={"pk": "session", "enrolment": "enrolment"}, POST=scoped(*SESSION)),
    "training:scan": Page(args={"pk": "session"}, GET=scoped(*SESSION), POST=scoped(*SESSION)),
    "training:session_qr": Page(args={"pk": "session"}, GET=scoped(*SESSION)),
    "training:self_enrol": Page(args={"pk": "session"}, POST=anywhere(RELAWAN)),
    "training:gains": Page(GET=scoped(*READINESS)),
    "training:gains_csv": Page(GET=scoped(*READINESS)),
    "training:mine": Page(GET=anywhere(RELAWAN)),
    "training:checkin": Page(GET=anywhere(RELAWAN), POST=anywhere(RELAWAN)),
    "training:test": Page(args={"enrolment": "enrolment", "kind": "test_kind"}, GET=scoped(RELAWAN),
                          POST=scoped(RELAWAN)),
    "training:test_result": Page(args={"enrolment": "enrolment", "kind": "test_kind"}, GET=scoped(RELAWAN)),
    "training:verify_form": Page(GET=PUBLIC),
    "training:verify": Page(args={"code": "certificate"}, GET=PUBLIC),
    "training:certificate_pdf": Page(args={"code": "certificate"}, GET=scoped(*SESSION, RELAWAN)),
    "training:revoke": Page(args={"code": "certificate"}, POST=scoped(*SESSION)),
    # --- deployment -----------------------------------------------------------------------------
    "deployment:overview": Page(GET=scoped(ADMIN, *KOORDS)),
    "deployment:run": Page(POST=scoped(ADMIN, *KOORDS)),
    "deployment:act": Page(args={"pk": "assignment", "op": "assignment_op"}, POST=scoped(ADMIN, *KOORDS)),
    "deployment:swap": Page(query={"a": "assignment"}, POST=scoped(ADMIN, *KOORDS)),
    "deployment:assign": Page(POST=scoped(ADMIN, *KOORDS)),
    "deployment:gaps": Page(GET=scoped(ADMIN, *KOORDS)),
    "deployment:mandates": Page(GET=scoped(ADMIN, *KOORDS)),
    "deployment:issue": Page(args={"assignment": "assignment"}, POST=scoped(ADMIN, *KOORDS)),
    "deployment:plenary": Page(POST=scoped(ADMIN, *KOORDS)),
    "deployment:mandate_pdf": Page(args={"pk": "mandate"}, GET=scoped(ADMIN, *KOORDS, RELAWAN)),
    "deployment:job_file": Page(args={"job": "mandate_job", "name": "file_name"}, GET=scoped(ADMIN, *KOORDS)),
    "deployment:verify": Page(args={"code": "mandate_code"}, GET=PUBLIC),
    "deployment:mine": Page(GET=anywhere(RELAWAN)),
    "deployment:activation_request": Page(GET=PUBLIC, POST=PUBLIC),
    "deployment:activate": Page(GET=PUBLIC, POST=PUBLIC),
    # --- election day (fieldday) ---------------------------------------------------------------
    "fieldday:saksi": Page(GET=LOGGED_IN),  # a saksi → their TPS page, everyone else → the board (refused there)
    "fieldday:sw": Page(GET=PUBLIC),  # the service worker script
    "fieldday:page": Page(args={"code": "tps"}, GET=scoped(SAKSI, ADMIN)),  # FIELD_REPORT
    "fieldday:checkin": Page(args={"code": "tps"}, POST=scoped(SAKSI, ADMIN)),
    "fieldday:turnout": Page(args={"code": "tps"}, POST=scoped(SAKSI, ADMIN)),
    "fieldday:checklist": Page(args={"code": "tps"}, POST=scoped(SAKSI, ADMIN)),
    "fieldday:incident": Page(args={"code": "tps"}, POST=scoped(SAKSI, *KOORDS, ADMIN)),  # REPORT_INCIDENT
    "fieldday:board": Page(GET=scoped(*FIELD)),
    "fieldday:board_json": Page(GET=scoped(*FIELD)),
    "fieldday:incidents": Page(GET=scoped(*FIELD)),
    # Viewing: VIEW_FIELD at the TPS; a move: HANDLE_INCIDENT there (koordinator, legal, admin).
    "fieldday:incident_detail": Page(args={"pk": "incident"}, GET=scoped(*FIELD), POST=scoped(ADMIN, *KOORDS, LEGAL)),
    # The evidence of a report: board viewers of its TPS, and the TPS's saksi.
    "fieldday:evidence": Page(args={"pk": "evidence"}, GET=scoped(*FIELD, SAKSI)),
    # One-tap backup dispatch: MANAGE_DEPLOYMENT at the backup's TPS (a valid client_id, so the
    # permission is what answers).
    "fieldday:dispatch": Page(query={"assignment": "assignment", "client_id": "client_id"},
                              POST=scoped(ADMIN, *KOORDS)),
    # --- messaging webhooks: providers prove themselves with a signature or token, not a role. Without
    # one every request is refused (403; GET whatsapp = Meta's verification, needs the verify token;
    # GET telegram/sms 405). Signed requests: tests/messaging/test_webhooks.py.
    "messaging:whatsapp": Page(),
    "messaging:telegram": Page(),
    "messaging:sms": Page(),
    # the broadcast page: MANAGE_DEPLOYMENT (the region is checked on send)
    "messaging:broadcasts": Page(GET=scoped(ADMIN, *KOORDS), POST=scoped(ADMIN, *KOORDS)),
    # --- background jobs: admin every job, a koordinator the jobs they started (404 on others) ------
    "jobs:list": Page(GET=scoped(ADMIN, *KOORDS)),
    # "in" = started by the Jakarta Timur koordinator (koord); "out" = by a koordinator elsewhere.
    "jobs:detail": Page(args={"pk": "job"}, GET=Who(frozenset({ADMIN, KOORD}), frozenset({ADMIN}))),
    # --- legal filings: FILE_LEGAL (legal, admin) makes, edits and downloads them; VIEW_LEGAL also lets
    # the koordinator read those inside their area (an MK package is of a kota: the kecamatan
    # koordinator's area is smaller, so only the Jakarta Timur koordinator reads "in").
    "legal:list": Page(GET=scoped(*LEGAL_READERS)),
    "legal:create": Page(GET=scoped(*LEGAL_FILERS), POST=scoped(*LEGAL_FILERS)),
    "legal:report": Page(args={"pk": "bawaslu_report"}, GET=scoped(*LEGAL_READERS), POST=scoped(*LEGAL_FILERS)),
    "legal:report_pdf": Page(args={"pk": "bawaslu_report"}, GET=scoped(*LEGAL_FILERS)),
    "legal:mk": Page(query={"wilayah": "kabkota"}, GET=Who(frozenset({*LEGAL_FILERS, KOORD}), frozenset(LEGAL_FILERS)),
                     POST=scoped(*LEGAL_FILERS)),
    "legal:mk_pdf": Page(args={"pk": "mk_package"}, GET=scoped(*LEGAL_FILERS)),
    # --- analytics ------------------------------------------------------------------------------
    "analytics:quickcount": Page(GET=scoped(ADMIN, LEGAL, OBSERVER)),
    "analytics:draw": Page(POST=scoped(ADMIN)),
    "analytics:forensics": Page(GET=scoped(ADMIN, LEGAL, OBSERVER, *KOORDS)),
    "analytics:plot": Page(args={"kind": "plot_kind", "fmt": "plot_fmt"}, GET=scoped(ADMIN, LEGAL, OBSERVER, *KOORDS)),
    "analytics:bimtek": Page(GET=scoped(*READINESS)),
    # --- maps: whoever may see one layer there (results, discrepancies, readiness, field day); a
    # trainer only readiness (other layers refused: tests/maps/test_permissions.py), a saksi none.
    "maps:page": Page(query={"wilayah": "kecamatan"}, GET=scoped(*MAP_READERS)),
    "maps:data": Page(query={"wilayah": "kecamatan"}, GET=scoped(*MAP_READERS)),
    "maps:shapes": Page(query={"wilayah": "kecamatan"}, GET=scoped(*MAP_READERS)),
}

#: The admin site (every ``admin:`` URL): staff only (others are sent to its login page; admin may
#: still get 403 on a read-only model's add/delete page); its login and logout pages are public.
ADMIN_SITE = Page(GET=anywhere(ADMIN))
ADMIN_PUBLIC = {"admin:login", "admin:logout", "admin:jsi18n", "admin:view_on_site"}

#: The fields every election-day API body carries (``fieldday.api.Base``).
FIELD_BODY = {"tps": "tps", "election": "election", "client_id": "client_id"}

API: dict[str, Api] = {
    "POST /api/auth/token": Api(POST=PUBLIC),
    "POST /api/auth/token/rotate": Api(POST=LOGGED_IN),
    "GET /api/me": Api(GET=LOGGED_IN),
    "GET /api/elections": Api(GET=LOGGED_IN),
    "GET /api/regions/{code}": Api(args={"code": "kelurahan"}, GET=scoped(*STAFF)),
    "GET /api/elections/{slug}/tps/{code}": Api(args={"slug": "election", "code": "tps"}, GET=scoped(*STAFF)),
    "POST /api/results/submissions": Api(body={"tps": "tps"}, POST=scoped(SAKSI, ADMIN, CLERK)),
    "POST /api/results/photos": Api(POST=scoped(SAKSI, ADMIN, CLERK)),
    "POST /api/results/photos/presign": Api(body={"tps": "tps", "election": "election", "client_id": "client_id",
                                                  "page": "page_number"}, POST=scoped(*PHOTO_ADDERS)),
    # An upload: its uploader (the TPS's saksi: "in" is m-saksi's, "out" another saksi's), or anyone who
    # may add photos to its TPS.
    "POST /api/results/photos/uploads/{upload_id}/done": Api(args={"upload_id": "photo_upload"},
                                                             POST=scoped(*PHOTO_ADDERS)),
    "GET /api/results/photos/uploads/{upload_id}": Api(args={"upload_id": "photo_upload"},
                                                       GET=scoped(*PHOTO_ADDERS)),
    "GET /api/results/{election}/tps/{code}": Api(args={"election": "election", "code": "tps"},
                                                  GET=scoped(*RESULTS_READERS)),
    "GET /api/recap/discrepancies": Api(GET=scoped(*DISCREPANCY_READERS)),
    "GET /api/recap/margin": Api(GET=scoped(*DISCREPANCY_READERS)),
    "GET /api/recap/coverage": Api(GET=scoped(*DISCREPANCY_READERS)),
    "GET /api/volunteers/readiness": Api(GET=scoped(*READINESS)),
    "GET /api/volunteers/": Api(GET=scoped(ADMIN, *KOORDS)),
    "GET /api/training/sessions": Api(GET=scoped(*TRAINING)),
    "POST /api/training/sessions/{session_id}/scan": Api(args={"session_id": "session"}, POST=scoped(*SESSION)),
    "GET /api/training/certificates/{code}": Api(args={"code": "certificate"}, GET=PUBLIC),
    "GET /api/deployment/coverage": Api(GET=scoped(ADMIN, *KOORDS)),
    "GET /api/deployment/mine": Api(GET=anywhere(RELAWAN)),  # a volunteer's own posts; 403 for other accounts
    "GET /api/deployment/check/{code}": Api(args={"code": "mandate_code"}, GET=PUBLIC),
    "GET /api/analytics/quickcount": Api(GET=scoped(ADMIN, LEGAL, OBSERVER)),
    "GET /api/analytics/forensics": Api(GET=scoped(ADMIN, LEGAL, OBSERVER, *KOORDS)),
    # Election-day reports from devices: FIELD_REPORT (incidents: REPORT_INCIDENT) at the body's TPS.
    "POST /api/fieldday/checkins": Api(body=FIELD_BODY, POST=scoped(SAKSI, ADMIN)),
    "POST /api/fieldday/turnout": Api(body={**FIELD_BODY, "voters": "voters"}, POST=scoped(SAKSI, ADMIN)),
    "POST /api/fieldday/checklist": Api(body={**FIELD_BODY, "item": "checklist_item", "answer": "answer"},
                                        POST=scoped(SAKSI, ADMIN)),
    "POST /api/fieldday/incidents": Api(body={**FIELD_BODY, "category": "category", "description": "text",
                                              "occurred_at": "when"}, POST=scoped(SAKSI, *KOORDS, ADMIN)),
    # the same with files (multipart: the form fields and a JPEG, see test_matrix.MULTIPART)
    "POST /api/fieldday/checkins/photo": Api(body=FIELD_BODY, POST=scoped(SAKSI, ADMIN)),
    "POST /api/fieldday/incidents/media": Api(body={**FIELD_BODY, "category": "category", "description": "text",
                                                    "occurred_at": "when"}, POST=scoped(SAKSI, *KOORDS, ADMIN)),
    # an incident's evidence by presigned upload: who may report incidents at the incident's TPS
    "POST /api/fieldday/incidents/{incident_id}/evidence/presign": Api(
        args={"incident_id": "incident"}, body={"client_id": "client_id"}, POST=scoped(SAKSI, *KOORDS, ADMIN)),
    "POST /api/fieldday/incidents/{incident_id}/evidence/done": Api(
        args={"incident_id": "incident"}, body={"client_id": "client_id"}, POST=scoped(SAKSI, *KOORDS, ADMIN)),
}
