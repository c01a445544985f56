"""``/tugas/``: background jobs with their progress and failures (admin: every job; koordinator:
the jobs they started — ``access.visibility.visible_jobs_q``)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawaltps.access import Action
from kawaltps.access.views import requires
from kawaltps.access.visibility import visible_jobs_q

from .models import Job

KIND_LABELS = {
    "results.import": gettext_lazy("Impor hasil"), "results.fold": gettext_lazy("Penjumlahan total wilayah"),
    "recap.dossier": gettext_lazy("Berkas bukti"), "recap.fetch_sirekap": gettext_lazy("Pengambilan Sirekap"),
    "deployment.mandates": gettext_lazy("Surat mandat"), "deployment.assign": gettext_lazy("Penugasan saksi"),
    "volunteers.import": gettext_lazy("Impor relawan"), "analytics.forensics": gettext_lazy("Laporan forensik"),
    "results.verify_photo": gettext_lazy("Verifikasi foto"),
    "evidence.verify_upload": gettext_lazy("Verifikasi berkas bukti"), "jobs.ping": gettext_lazy("Uji antrean"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, _("Tugas lain")))


@requires(Action.VIEW_JOBS)
def job_list(request):
    """The latest jobs, newest first; ``?status=failed`` (or queued/running/done) filters."""
    status = request.GET.get("status", "")
    if status and status not in Job.Status.values:
        raise Http404(_("Status tugas tidak dikenal."))
    jobs = Job.objects.filter(visible_jobs_q(request.user))
    counts = {s: jobs.filter(status=s).count() for s in Job.Status.values}
    if status:
        jobs = jobs.filter(status=status)
    page = Paginator(jobs.order_by("-created_at"), 50).get_page(request.GET.get("halaman"))
    rows = [{"job": j, "label": kind_label(j.kind)} for j in page]
    running = any(j.status in (Job.Status.QUEUED, Job.Status.RUNNING) for j in page)
    return render(request, "jobs/list.html", {
        "rows": rows, "page": page, "status": status, "running": running,
        "statuses": [(s, label, counts[s]) for s, label in Job.Status.choices]})


@requires(Action.VIEW_JOBS)
def job_detail(request, pk):
    """One job: status, progress, the failure message, its result."""
    job = get_object_or_404(Job.objects.filter(visible_jobs_q(request.user)), pk=pk)
    return render(request, "jobs/detail.html", {
        "job": job, "label": kind_label(job.kind), "running": job.status in (Job.Status.QUEUED, Job.Status.RUNNING),
        "result_items": sorted((k, v) for k, v in (job.result or {}).items() if not isinstance(v, (list, dict)))})
