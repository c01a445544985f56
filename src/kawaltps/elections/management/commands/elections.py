from kawaltps.core.commands import JsonCommand
from kawaltps.core.formatting import number
from kawaltps.elections.models import Election


class Command(JsonCommand):
    help = "List the elections with their slugs, candidates and TPS counts."

    def handle(self, *args, **options):
        rows = []
        for e in Election.objects.prefetch_related("candidates"):
            rows.append({"slug": e.slug, "name": e.name, "kind": e.kind, "date": e.date.isoformat(),
                         "scope": e.scope_id, "form_type": e.form_type, "tps": e.tps_set.count(),
                         "candidates": [{"number": c.number, "name": c.name} for c in e.candidates.all()]})
        text = "\n".join(f"{r['slug']:<28} {r['date']}  {number(r['tps']):>8} TPS  {r['name']}" for r in rows)
        self.emit(rows, text or "Belum ada pemilihan. Jalankan `kawaltps demo` atau buat lewat /admin/.")
