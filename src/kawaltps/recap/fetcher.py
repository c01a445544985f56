"""A polite fetcher of an election's Sirekap pages, resumable after a crash.

Rules:
- Politeness: at most ``rate`` requests per second (requests are spaced ``1/rate`` apart, one at a
  time), a ``User-Agent`` naming the project, retries of a failed request (network error, HTTP 429
  or 5xx) after ``backoff · 2^attempt`` seconds (or the server's ``Retry-After``, at most 60 s), at
  most ``retries`` times. A 404 or another 4xx is not retried.
- Progress lives in the database: a ``FetchJob`` has one ``FetchItem`` per page (the election's TPS
  and the provinsi/kabkota/kecamatan pages above them). A batch of pages is stored together with
  its items' ``done`` state in one transaction, so after a crash ``--resume`` continues with the
  pages still pending (and the failed ones); a page fetched twice is the same snapshot (same SHA-256).
- Each page is judged like an imported file (``recap.importer.read_document``): a bad page is marked
  failed with its reason and the fetch goes on.
- KPU's published recapitulation page of each province of the election (``hr``, item code ``hr<prov>``;
  ``recap.hr``: format assumed, see there) is fetched after the TPS pages and stored as the D.Hasil
  Provinsi with its kab/kota rows; a bad page or one for an unknown region is failed with its reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from django.db import transaction
from django.utils import timezone

from kawaltps.core.numbers import is_ascii_digits
from kawaltps.elections.models import Election
from kawaltps.regions.models import TPS

from .hr import hr_path, parse_hr, store_hr
from .models import FetchItem, FetchJob
from .sirekap import SirekapError, load_json, race_path
from .snapshots import key_map, rebuild_official_tallies, store_region, store_tps

USER_AGENT = "KawalTPS/0.1 (+https://github.com/; pemantauan rekapitulasi; sopan: 1 permintaan sekaligus)"
RACES = {
    "pilkada_gubernur": ("pkwkp", True),
    "pilkada_bupati_walikota": ("pkwkk", True),
    "pilpres": ("ppwp", False),
}


HR = "hr"  # FetchItem code prefix of an hr page ("hr31")


@dataclass
class FetchReport:
    job_id: int
    fetched: int = 0
    failed: list[dict] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    remaining: int = 0
    tallies_rebuilt: bool = False
    notes: list[dict] = field(default_factory=list)  # stored with a remark (an hr page that differs)

    def as_dict(self) -> dict:
        return {
            "job": self.job_id,
            "fetched": self.fetched,
            "statuses": self.statuses,
            "failed": self.failed,
            "notes": self.notes,
            "remaining": self.remaining,
            "tallies_rebuilt": self.tallies_rebuilt,
        }


class Throttle:
    """Space calls ``1/rate`` seconds apart."""

    def __init__(self, rate: float, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.clock, self.sleep, self.next_at = clock, sleep, 0.0

    def wait(self) -> None:
        now = self.clock()
        if now < self.next_at:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


def start_job(election: Election, base_url: str, *, rate: float, resume: bool) -> FetchJob:
    """The job to run: the last unfinished one for this election and URL when resuming, else a new one."""
    race, _ = RACES.get(election.kind, ("ppwp", False))
    base_url = base_url.rstrip("/")
    if resume:
        job = FetchJob.objects.filter(election=election, base_url=base_url, state=FetchJob.State.RUNNING).first()
        if job:
            return job
    job = FetchJob.objects.create(election=election, base_url=base_url, race=race, rate=rate)
    codes = list(TPS.objects.filter(election=election).values_list("code", flat=True))
    regions = sorted({c[:n] for c in codes for n in (2, 4, 6)})
    hr = [f"{HR}{p}" for p in sorted({c[:2] for c in codes})]  # KPU's recapitulation page of each province
    FetchItem.objects.bulk_create([FetchItem(job=job, code=c) for c in regions + sorted(codes) + hr],
                                  batch_size=2000)
    return job


def get_with_retries(
    client: httpx.Client, url: str, *, throttle: Throttle, retries: int, backoff: float, sleep=time.sleep
) -> bytes:
    """GET ``url`` politely; raises SirekapError with an Indonesian reason when it finally fails."""
    last = ""
    for attempt in range(retries + 1):
        throttle.wait()
        try:
            resp = client.get(url)
        except httpx.HTTPError as exc:
            last = f"gagal terhubung: {type(exc).__name__}"
            resp = None
        if resp is not None:
            if resp.status_code == 200:
                return resp.content
            if resp.status_code != 429 and resp.status_code < 500:
                raise SirekapError(f"HTTP {resp.status_code} untuk {url}")
            last = f"HTTP {resp.status_code}"
            retry_after = resp.headers.get("Retry-After", "")
            if is_ascii_digits(retry_after) and len(retry_after) < 6 and attempt < retries:
                sleep(min(int(retry_after), 60))
                continue
        if attempt < retries:
            sleep(backoff * (2**attempt))
    raise SirekapError(f"{last} setelah {retries + 1} percobaan")


def run(
    election: Election,
    base_url: str,
    *,
    rate: float = 2.0,
    resume: bool = False,
    retries: int = 4,
    backoff: float = 1.0,
    batch: int = 50,
    transport: httpx.BaseTransport | None = None,
    on_progress: Callable[[int], None] | None = None,
    sleep=time.sleep,
) -> FetchReport:
    """Fetch every pending page of the (new or resumed) job; returns what happened."""
    from .importer import read_document

    job = start_job(election, base_url, rate=rate, resume=resume)
    _, pilkada = RACES.get(election.kind, ("ppwp", False))
    keys = key_map(election)
    tps_codes = set(TPS.objects.filter(election=election).values_list("code", flat=True))
    report = FetchReport(job.id)
    throttle = Throttle(rate, sleep=sleep)
    pending = list(job.items.exclude(state=FetchItem.State.DONE).order_by("code").values_list("id", "code"))
    with httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        timeout=30,
        transport=transport,
        follow_redirects=True,
    ) as client:
        for start in range(0, len(pending), batch):
            chunk = pending[start : start + batch]
            parsed, names, tps_ids, region_docs, done_ids, failed = [], [], [], [], [], {}
            hr_docs = []
            for item_id, code in chunk:
                hr = code.startswith(HR)
                path = hr_path(code[len(HR):], job.race, pilkada) if hr else race_path(code, job.race, pilkada)
                url = f"{job.base_url}/{path}"
                try:
                    data = get_with_retries(
                        client, url, throttle=throttle, retries=retries, backoff=backoff, sleep=sleep
                    )
                    if hr:
                        hr_docs.append((item_id, url, parse_hr(load_json(data), keys, code[len(HR):], data)))
                        done_ids.append(item_id)
                        continue
                    kind, doc = read_document(election, data, f"{code}.json", keys, tps_codes)
                except SirekapError as exc:
                    failed[item_id] = (code, str(exc))
                    continue
                if kind == "tps":
                    parsed.append(doc)
                    names.append(url)
                    tps_ids.append((item_id, code))
                else:
                    region_docs.append(doc)
                done_ids.append(item_id)
            with transaction.atomic():
                refused: dict[int, str] = {}
                statuses = (store_tps(election, parsed, sources=names, actor="fetch-sirekap", refused=refused)
                            if parsed else [])
                for i, reason in refused.items():  # a PSU round without a first round: failed, nothing stored
                    item_id, code = tps_ids[i]
                    failed[item_id] = (code, reason)
                    done_ids.remove(item_id)
                statuses = [s for s in statuses if s != "error"]
                for item_id, url, doc in hr_docs:
                    status, reason = store_hr(election, doc, source=url, actor="fetch-sirekap")
                    if status == "error":
                        failed[item_id] = (f"{HR}{doc.code}", reason)
                        done_ids.remove(item_id)
                        continue
                    statuses.append(status)
                    if reason:
                        report.notes.append({"code": doc.code, "status": status, "reason": reason})
                statuses += [store_region(election, d, source=job.base_url) for d in region_docs]
                FetchItem.objects.filter(id__in=done_ids).update(state=FetchItem.State.DONE, updated_at=timezone.now())
                for item_id, (_code, reason) in failed.items():
                    FetchItem.objects.filter(id=item_id).update(
                        state=FetchItem.State.FAILED, error=reason, updated_at=timezone.now()
                    )
            for s in statuses:
                report.statuses[s] = report.statuses.get(s, 0) + 1
            report.fetched += len(done_ids)
            report.failed += [{"code": c, "reason": r} for c, r in failed.values()]
            if on_progress:
                on_progress(len(chunk))
    report.remaining = job.items.exclude(state=FetchItem.State.DONE).count()
    FetchJob.objects.filter(id=job.id).update(
        state=FetchJob.State.DONE if report.remaining == 0 else FetchJob.State.RUNNING,
        finished_at=timezone.now() if report.remaining == 0 else None,
    )
    if report.statuses.get("new") or report.statuses.get("changed"):
        report.tallies_rebuilt = rebuild_official_tallies(election)
    return report
