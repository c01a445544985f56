from django.http import HttpResponse


def _todo(request, *a, **k):
    return HttpResponse("")


discrepancy_list = discrepancy_detail = discrepancy_dossier = tps_dossier = dhasil_entry = _todo
