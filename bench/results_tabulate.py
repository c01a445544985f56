"""Benchmark: every level (provinsi, kab/kota, kecamatan, kelurahan, + national) of the 2019 election
read through ``tabulation.tabulate`` for both sources, on PostgreSQL.

Target (issue 3): under 2 s. Baseline in the same run: one GROUP BY ROLLUP over the raw rows (the
COPY table ``raw_2019`` that ``bench/results_load_2019.py`` leaves), giving the same four levels and
the national total for both sources. Reuses database ``kawaltps_bench_results`` when it holds the
election; otherwise runs the load bench's child first. Also reports ``rebuild_tallies`` (the
from-scratch recomputation of every region row) for both sources. Prints one JSON document.

    .venv/bin/python bench/results_tabulate.py
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
from _common import PG_ADMIN_URL, fresh_env, run_child, setup_django, shared, timer  # noqa: E402
from results_load_2019 import DATABASE, SLUG, copy_baseline  # noqa: E402

TARGET_SECONDS = 2.0
ROLLUP = """SELECT prov_id, kab_id, kec_id, kel_id, count(*), sum(kp_pas1), sum(kp_pas2), sum(kp_sah), sum(kp_tsah),
                   sum(kpu_pas1), sum(kpu_pas2), sum(kpu_sah), sum(kpu_tsah)
            FROM raw_2019 GROUP BY ROLLUP (prov_id, kab_id, kec_id, kel_id)"""


def child() -> None:
    setup_django()
    from kawaltps.elections.models import Election
    from kawaltps.results.tabulation import national, rebuild_tallies, tabulate

    election = Election.objects.get(slug=SLUG)
    rows = {}
    tabulate(election, 1, "witness")  # warm the connection, as a running server would be
    with timer() as t:
        for source in ("witness", "official"):
            for level in (1, 2, 3, 4):
                rows[(source, level)] = tabulate(election, level, source)
            rows[(source, 0)] = national(rows[(source, 1)])
    with timer() as r:
        for source in ("witness", "official"):
            rebuild_tallies(election, source)
    print(json.dumps({"seconds": round(t.seconds, 3), "rebuild_seconds": round(r.seconds, 2),
                      "rows": {f"{s}_{lv}": len(v) if isinstance(v, list) else 1 for (s, lv), v in rows.items()},
                      "national_witness": rows[("witness", 0)]["votes"]}))


def loaded(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            have = conn.execute("SELECT count(*) FROM elections_election WHERE slug = %s", [SLUG]).fetchone()[0]
            raw = conn.execute("SELECT to_regclass('raw_2019') IS NOT NULL").fetchone()[0]
            return bool(have and raw)
    except psycopg.Error:
        return False


def main() -> None:
    import psycopg

    path = shared("id", "pilpres2019_tps.csv.gz")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + DATABASE
    if not loaded(url):
        from _common import fresh_pg_database

        url = fresh_pg_database(DATABASE)
        run_child(HERE.parent / "results_load_2019.py", ["--child", str(path)], fresh_env(url))
        copy_baseline(path, url)
    result = run_child(HERE, ["--child"], fresh_env(url))
    with psycopg.connect(url) as conn:
        conn.execute("SELECT 1")
        with timer() as b:
            groups = conn.execute(ROLLUP).fetchall()
    print(json.dumps({
        "benchmark": "results_tabulate", "database": "postgresql", "target_seconds": TARGET_SECONDS,
        "seconds": result["seconds"], "within_target": result["seconds"] < TARGET_SECONDS,
        "baseline": {"what": "one GROUP BY ROLLUP(prov, kab, kec, kel) over the raw COPY table, both sources",
                     "seconds": round(b.seconds, 3), "groups": len(groups)},
        "ratio": round(result["seconds"] / b.seconds, 2),
        "tabulate": result,
    }, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child()
    else:
        main()
