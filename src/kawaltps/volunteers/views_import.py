"""The bulk-import page and the status page of an import running as a job.

A small file imports within the request; a large one (``tasks.needs_job``) is stored and imported by
the ``volunteers.import`` job, and the page redirects to ``/relawan/impor/tugas/<id>/``, which
shows its progress (reloading itself every 2 s while it runs) and then the report.
Both need ``MANAGE_VOLUNTEERS``; a job's page is shown only to the user who started it (and admins).
"""

import tempfile
from dataclasses import asdict

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kawaltps.access import Action
from kawaltps.access.views import requires
from kawaltps.jobs.models import Job
from kawaltps.jobs.services import enqueue
from kawaltps.people.models import Role

from . import columns
from .forms import UploadForm
from .importer import import_volunteers
from .tabular import MAX_BYTES, FileRefused
from .tasks import KIND, import_volunteers_job, needs_job, store_upload


@requires(Action.MANAGE_VOLUNTEERS)
@require_http_methods(["GET", "POST"])
def upload(request):
    """Bulk import through the same service as ``kawaltps import-volunteers``."""
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        organisation = form.cleaned_data["organisation"]
        try:
            if upload_file.size > MAX_BYTES:  # refused before its content is read
                raise FileRefused(_("Berkas terlalu besar (%(mb).0f MB); batasnya %(max)d MB.")
                                  % {"mb": upload_file.size / 1024 / 1024, "max": MAX_BYTES // 1024 // 1024})
            suffix = "." + upload_file.name.rsplit(".", 1)[-1][:5] if "." in upload_file.name else ""
            with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
                for chunk in upload_file.chunks():
                    tmp.write(chunk)
                tmp.flush()
                paper = {**asdict(form.paper_consent()), "collected_on": form.cleaned_data["consent_on"].isoformat()}
                if needs_job(tmp.name, upload_file.size):
                    name = store_upload(tmp.name, upload_file.name)
                    job = enqueue(import_volunteers_job, user=request.user, name=name,
                                  filename=upload_file.name, size=upload_file.size,
                                  organisation_id=organisation.pk if organisation else None,
                                  user_id=request.user.pk, consent=paper)
                    return redirect(reverse("volunteers:import_status", args=[job.pk]))
                report = import_volunteers(tmp.name, filename=upload_file.name, size=upload_file.size,
                                           organisation=organisation, user=request.user,
                                           consent=form.paper_consent()).as_dict()
        except FileRefused as exc:
            form.add_error("file", str(exc))
        else:
            if report is not None:
                messages.success(request, _("Impor selesai: %(n)d baru, %(u)d diperbarui, %(r)d ditolak.")
                                 % {"n": report["imported"], "u": report["updated"], "r": report["rejected"]})
    return render(request, "volunteers/upload.html", {"form": form, "report": report,
                                                      "columns": columns, "max_mb": MAX_BYTES // 1024 // 1024},
                  status=400 if form.errors else 200)


@requires(Action.MANAGE_VOLUNTEERS)
def import_status(request, pk):
    """Progress of one import job, then its report (or the reason the file was refused)."""
    job = get_object_or_404(Job, pk=pk, kind=KIND)
    if job.created_by_id != request.user.pk and request.user.role != Role.ADMIN:
        raise Http404(_("Tugas impor tidak ditemukan."))
    running = job.status in (Job.Status.QUEUED, Job.Status.RUNNING)
    return render(request, "volunteers/import_status.html", {
        "job": job, "running": running, "report": job.result if job.status == Job.Status.DONE else None})
