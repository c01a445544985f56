"""Capturing a C.Hasil: submissions, double entry, reconciliation.

The state of a TPS result (``TpsResult.state``), step by step::

    received   a photo arrived, no numbers yet
    entered    the first entry: a saksi's submission from the TPS, or a clerk's first entry
    verified   a blind second entry by a DIFFERENT clerk matched the numbers that count
    disputed   a second entry (clerk, or another saksi device) differed → reconciliation queue
    final      a supervisor (Action.RECONCILE_RESULT) decided the numbers

Decision table for :func:`submit` (``first`` = the result has no numbers yet):

- first, any kind               → numbers := submission, state := entered
- entered, clerk, same person   → refused (the second entry must be by another person)
- entered, clerk, other person  → equal: verified; different: disputed (numbers that count stay)
- entered/verified, saksi       → equal: unchanged; different: disputed
- verified/disputed/final, clerk→ refused: nothing left to enter for the TPS
- disputed/final, saksi         → kept as evidence, state unchanged

Every submission is kept (append-only) with its own flags. ``client_id`` (made by the device) is
unique: a retry returns the first Submission, also when two copies race (the unique constraint
decides, the loser reads the winner's row). The transaction writes only the TPS's own rows: the
TpsResult (locked for the whole transaction), the Submission, the audit record (who, when, before,
after) and one pending ``TallyDelta`` (``tally.apply_change``); region rows are folded later
(``tally.fold_pending``), so submissions for different TPS never wait for each other.

Lean path (``tests/results/test_submit_queries.py`` bounds it): the lookup of the result, its lock
and the replay check are one query; a missing result row is created with one INSERT … SELECT from
the TPS register; the candidates and form labels are looked up once per request.
On PostgreSQL, a device's API submission (bearer token) takes ``fastpath.py`` instead: the same
:func:`transition` in two statements.
"""

from collections.abc import Callable, Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.access import Action, may, require
from kawaltps.audit.services import record_change
from kawaltps.regions.models import TPS

from . import photos as photo_service
from .attestation import DOCUMENTS, clean_attestation
from .checks import ATTESTATION_CODES, PHOTO_DUPLICATE, run_attestation_checks, run_checks
from .models import Photo, Source, State, Submission, TpsResult, summary_columns
from .tally import apply_change, contribution
from .validation import check_client_id, check_page, clean_form

K = Submission.Kind
CLERK_KINDS = {K.CLERK_FIRST, K.CLERK_SECOND}


def _same(a_votes, a_numbers, b_votes, b_numbers) -> bool:
    return {str(k): v for k, v in a_votes.items()} == {str(k): v for k, v in b_votes.items()} and dict(
        a_numbers
    ) == dict(b_numbers)


def _snapshot(result: TpsResult) -> dict:
    snap = {"state": result.state, "votes": result.votes, "numbers": result.numbers, "flags": result.flags}
    if result.attestation:  # only when said (fastpath.py neither reads nor changes it)
        snap["attestation"] = result.attestation
    return snap


def _set_numbers(result: TpsResult, votes: dict, numbers: dict, failures: list[str]) -> list[str]:
    result.votes = votes
    result.numbers = numbers
    for column, value in summary_columns(numbers).items():
        setattr(result, column, value)
    keep = [c for c in result.flags if c == PHOTO_DUPLICATE or c in ATTESTATION_CODES]
    result.flags = failures + keep
    result.flagged = bool(result.flags)
    return failures


def result_for(election, tps: TPS, source: str = Source.WITNESS) -> TpsResult:
    """The TPS's result row, created (state received) if absent; safe when two requests race.
    A created row appends its ``TallyDelta`` (``tps_received`` +1) in the same transaction."""
    try:
        return TpsResult.objects.get(election=election, tps=tps, source=source)
    except TpsResult.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            result = TpsResult.objects.create(election=election, tps=tps, code=tps.code, source=source)
            apply_change(contribution(None), result)
            return result
    except IntegrityError:
        return TpsResult.objects.get(election=election, tps=tps, source=source)


def _get_tps(election, tps_code: str) -> TPS:
    try:
        return TPS.objects.get(election=election, code=str(tps_code).replace(".", ""))
    except TPS.DoesNotExist:
        raise ValidationError(
            {"tps": _("TPS %(code)s tidak ada dalam pemilihan ini.") % {"code": tps_code}}
        ) from None


def _replay(client_id: str, election, tps_code: str) -> Submission | None:
    sub = Submission.objects.select_related("result").filter(client_id=client_id).first()
    if sub is None:
        return None
    if sub.result.election_id != election.pk or sub.result.code != tps_code:
        raise ValidationError({"client_id": _("Id kiriman ini sudah dipakai untuk TPS lain.")})
    sub.replayed = True
    return sub


def _create_result(election, tps_code: str, source: str) -> bool:
    """INSERT the TPS's result row (state received) from the TPS register; nothing if it exists
    (a concurrent creator wins) or if the election has no such TPS. One query, no savepoint.
    True when this call inserted it (its tally contribution is then the caller's delta)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO results_tpsresult (election_id, tps_id, code, source, state, votes, numbers, flags, "
            "flagged, version, updated_at) SELECT election_id, id, code, %s, %s, '{}', '{}', '[]', %s, 0, %s "
            "FROM regions_tps WHERE election_id = %s AND code = %s ON CONFLICT DO NOTHING",
            [source, State.RECEIVED, False, now, election.pk, tps_code],
        )
        return cur.rowcount == 1


def _lock_result(election, tps_code: str, client_id: str, source: str = Source.WITNESS) -> TpsResult:
    """The TPS's result row locked for this transaction (created when missing), with its TPS and
    ``seen`` (True when ``client_id`` is already stored): one query when the row exists.

    Locks only the result row (``of=self``): never the election or the TPS, which every submission
    of the election shares.
    """
    qs = (
        TpsResult.objects.select_for_update(of=("self",))
        .select_related("tps")
        .annotate(seen=Exists(Submission.objects.filter(client_id=client_id)))
        .filter(election=election, code=tps_code, source=source)
        .order_by()
    )
    result = next(iter(qs), None)
    if result is None:
        created = _create_result(election, tps_code, source)
        result = next(iter(qs.all()), None)  # .all(): a fresh query, not qs's cached miss
        if result is None:
            raise ValidationError(
                {"tps": _("TPS %(code)s tidak ada dalam pemilihan ini.") % {"code": tps_code}}
            )
        result.created_now = created  # counted nowhere yet: the submission's delta starts from nothing
    result.election = election
    return result


def _authorise(user, kind: str, tps_code: str) -> None:
    if kind == K.SAKSI:
        require(user, Action.SUBMIT_RESULT, tps_code)
    elif kind in CLERK_KINDS:
        require(user, Action.ENTER_RESULT, tps_code)
    else:
        raise ValidationError({"kind": _("Jenis kiriman tidak dikenal.")})


def submit(
    user,
    election,
    tps_code: str,
    kind: str,
    votes: Mapping,
    numbers: Mapping,
    client_id: str,
    photos: Iterable[tuple] = (),
    note: str = "",
    attestation: Mapping | None = None,
) -> Submission:
    """Record one C.Hasil entry for a TPS and move its state (see the module's decision table).

    ``kind`` is ``saksi`` or ``clerk_first``/``clerk_second`` (a clerk's entry: the service decides
    whether it is the first or the blind second one). ``photos`` are ``(page, upload)`` pairs.
    Returns the Submission (``.replayed`` is True when ``client_id`` was seen before; ``.action``
    is the audit action of a new one, read by ``outcomes.outcome_of``). ``photos`` may also be
    ``(page, upload, document)`` (``attestation.DOCUMENTS``); ``attestation`` is what the form says
    beside the numbers (``attestation.clean_attestation``: signatures, keberatan, salinan). Raises
    ``PermissionDenied`` or ``ValidationError`` (Indonesian) and then changes nothing.
    """
    tps_code = str(tps_code).replace(".", "")
    _authorise(user, kind, tps_code)
    client_id = check_client_id(client_id)
    votes, numbers = clean_form(election, votes, numbers)
    attestation = clean_attestation(election, attestation)
    prepared = [(check_page(election, page), photo_service.prepare(upload), check_document(rest))
                for page, upload, *rest in photos]
    try:
        with transaction.atomic():
            result = _lock_result(election, tps_code, client_id)
            replay = _replay(client_id, election, tps_code) if result.seen else None
            if replay:
                return replay
            return _submit_locked(user, election, result, kind, votes, numbers, client_id, prepared, note,
                                  attestation)
    except IntegrityError:
        replay = _replay(client_id, election, tps_code)  # the same client_id won a race: return its row
        if replay is None:
            raise
        return replay
    except (PermissionDenied, ValidationError):
        # A retry racing its first copy may see the result already moved on (the lock query's
        # snapshot predates the winner): answer with the stored submission, not a refusal.
        replay = _replay(client_id, election, tps_code)
        if replay is None:
            raise
        return replay


def check_document(rest) -> str:
    """A photo's document (``attestation.DOCUMENTS``; ``salinan`` when not given), else ValidationError."""
    document = rest[0] if rest else "salinan"
    if document not in DOCUMENTS:
        raise ValidationError({"document": _("Jenis dokumen foto tidak dikenal.")})
    return document


def _attest(result: TpsResult, attestation: Mapping | None) -> list[str]:
    """Record what this entry's form says beside the numbers on the result (the latest that said any
    wins) and refresh the result's attestation flags; returns this entry's own attestation flags."""
    if not attestation:  # nothing said: the result's attestation and its flags stay as they are
        return []
    result.attestation = dict(attestation)
    current = [f.code for f in run_attestation_checks(result.attestation)]
    result.flags = [c for c in result.flags if c not in ATTESTATION_CODES] + current
    result.flagged = bool(result.flags)
    return [f.code for f in run_attestation_checks(attestation)]


def transition(result: TpsResult, tps, election, kind: str, votes: dict, numbers: dict,
               entered_before: Callable[[], bool], attestation: Mapping | None = None
               ) -> tuple[str, str, list[str]]:
    """Apply the module's decision table to ``result`` in memory (state, numbers, flags).

    ``entered_before()`` says whether the user already has a submission for this result (asked
    only for a clerk's second entry). Returns ``(kind, audit action, the submission's flags)``;
    raises ``ValidationError``/``PermissionDenied`` when the entry is refused. Shared by the ORM
    path below and the PostgreSQL single-statement path (``fastpath.py``).
    """
    is_clerk = kind in CLERK_KINDS
    action = "results.submit"
    flags = [f.code for f in run_checks(election, tps, votes, numbers)]
    if result.state == State.RECEIVED:
        kind = K.CLERK_FIRST if is_clerk else kind
        _set_numbers(result, votes, numbers, flags)
        result.state = State.ENTERED
        action = "results.first_entry"
    elif is_clerk:
        if result.state != State.ENTERED:
            raise ValidationError(
                _("TPS ini tidak menunggu entri lagi (status: %(state)s).")
                % {"state": result.get_state_display()}
            )
        if entered_before():
            raise PermissionDenied(
                _("Entri kedua harus dilakukan petugas lain, bukan petugas entri pertama.")
            )
        kind = K.CLERK_SECOND
        same = _same(votes, numbers, result.votes, result.numbers)
        result.state = State.VERIFIED if same else State.DISPUTED
        action = "results.verified" if same else "results.disputed"
    elif result.state in (State.ENTERED, State.VERIFIED):
        if not _same(votes, numbers, result.votes, result.numbers):
            result.state = State.DISPUTED
            action = "results.disputed"
    flags = flags + _attest(result, attestation)
    result.version += 1
    return kind, action, flags


def _save_entry(user, election, result: TpsResult, kind: str, votes: dict, numbers: dict, flags: list[str],
                client_id: str, note: str, action: str, snap: dict, reason: str = "",
                attestation: Mapping | None = None) -> Submission:
    """Store one entry in the caller's transaction: its Submission, the changed result row and the
    audit record (``snap`` before; after, with the submission's id and kind)."""
    sub = Submission.objects.create(
        result=result,
        client_id=client_id,
        kind=kind,
        entered_by=user,
        votes=votes,
        numbers=numbers,
        flags=flags,
        attestation=dict(attestation or {}),
        note=note,
    )
    result.save()
    record_change(
        user=user,
        obj=result,
        code=result.code,
        election_slug=election.slug,
        action=action,
        before=snap,
        after={**_snapshot(result), "submission": sub.pk, "kind": kind},
        reason=reason,
    )
    return sub


def _submit_locked(user, election, result, kind, votes, numbers, client_id, prepared, note, attestation=None):
    before = contribution(None if getattr(result, "created_now", False) else result)
    snap = _snapshot(result)
    kind, action, flags = transition(result, result.tps, election, kind, votes, numbers,
                                     lambda: result.submissions.filter(entered_by=user).exists(), attestation)
    sub = _save_entry(user, election, result, kind, votes, numbers, flags, client_id, note, action, snap,
                      attestation=attestation)
    for page, prep, document in prepared:
        photo_service.store(result, prep, page, user=user, submission=sub, document=document)
    apply_change(before, result)  # one pending TallyDelta row; no shared region row is written
    sub.replayed = False
    sub.action = action  # what the transition did (outcomes.outcome_of tells the saksi)
    return sub


def add_photo(user, election, tps_code: str, page: int, upload, document: str = "salinan") -> Photo:
    """Attach one page photo to a TPS (its saksi, or a clerk); a new result starts as ``received``.
    ``document`` says which paper it shows (``attestation.DOCUMENTS``)."""
    tps_code = str(tps_code).replace(".", "")
    if not may(user, Action.ENTER_RESULT, tps_code):
        require(user, Action.SUBMIT_RESULT, tps_code)
    page = check_page(election, page)
    document = check_document([document])
    tps = _get_tps(election, tps_code)
    prepared = photo_service.prepare(upload)
    result = result_for(election, tps)
    with transaction.atomic():
        result = TpsResult.objects.select_for_update(of=("self",)).get(pk=result.pk)
        result.election = election
        return photo_service.store(result, prepared, page, user=user, document=document)


def reconcile(
    user, result: TpsResult, client_id: str, votes: Mapping, numbers: Mapping, note: str = ""
) -> Submission:
    """A supervisor's decision on a TPS: these numbers count, the state becomes ``final``.

    Allowed for users with ``Action.RECONCILE_RESULT`` on the TPS, on an entered, disputed or
    verified result. Idempotent by ``client_id`` like :func:`submit`.
    """
    require(user, Action.RECONCILE_RESULT, result.code)
    client_id = check_client_id(client_id)
    election, tps = result.election, result.tps
    replay = _replay(client_id, election, result.code)
    if replay:
        return replay
    votes, numbers = clean_form(election, votes, numbers)
    try:
        with transaction.atomic():
            locked = TpsResult.objects.select_for_update(of=("self",)).get(pk=result.pk)
            locked.election = election
            replay = _replay(client_id, election, result.code)
            if replay:
                return replay
            if locked.state not in (State.ENTERED, State.DISPUTED, State.VERIFIED):
                raise ValidationError(
                    _("TPS ini tidak bisa diputuskan (status: %(state)s).")
                    % {"state": locked.get_state_display()}
                )
            before, snap = contribution(locked), _snapshot(locked)
            flags = _set_numbers(locked, votes, numbers, [f.code for f in run_checks(election, tps, votes, numbers)])
            locked.state = State.FINAL
            locked.version += 1
            sub = _save_entry(user, election, locked, K.RECONCILE, votes, numbers, flags, client_id, note,
                              "results.final", snap, reason=note)
            apply_change(before, locked)  # one pending TallyDelta row
            sub.replayed = False
            return sub
    except IntegrityError:
        replay = _replay(client_id, election, result.code)
        if replay is None:
            raise
        return replay


def entries_to_compare(result: TpsResult) -> list[Submission]:
    """The entries a supervisor compares: every non-decision submission, oldest first."""
    return list(result.submissions.exclude(kind=K.RECONCILE).select_related("entered_by"))


def needs_entry_q(user):
    """TpsResults a clerk may enter now: received (first entry) or entered by someone else (blind second)."""
    from django.db.models import Q

    return Q(state=State.RECEIVED) | (Q(state=State.ENTERED) & ~Q(submissions__entered_by=user))
