"""The assignment optimiser: certified saksi → TPS slots as a min-cost flow (OR-Tools), plus a greedy baseline.

**Distance** is hierarchical (TPS have no coordinates in our data): 0 = the TPS where the saksi votes,
1 = same kelurahan, 2 = same kecamatan, 3 = same kabupaten/kota, 4 = same provinsi. A saksi's home is
the kelurahan of their voting TPS when known, else their domicile kelurahan. Kemendagri codes carry no
adjacency, so "neighbouring kecamatan" is approximated by "same kota" (distance 3).

**Model** (one network per kota, or per provinsi when someone accepts distance 4, because no arc
crosses it): source → each saksi (capacity 1: one TPS per person) → hubs → TPS → sink.
A saksi has at most five arcs: to their voting TPS (cost 0) and to the hub of their kelurahan,
kecamatan, kota, provinsi (cost 10 × level, up to their maximum distance); a hub reaches every TPS
below it at no cost. This represents the dense "every saksi × every TPS in reach" graph exactly with
O(saksi + TPS) arcs. Each TPS sends flow to the sink through one arc per wanted slot, with a
*negative* cost (a reward) in three tiers that distance can never outweigh:

- first saksi: 100,000 + 1,000 × weight  (every TPS gets one before any gets a second),
- further saksi: 10,000 + 100 × weight,
- backup: 1,000 + 100 × weight.

A zero-cost source → sink arc lets people stay unassigned. The minimum-cost flow therefore covers the
most TPS (the highest priority weights first when people are short), then gives the wanted number of
saksi, then backups, and among all such plans the one with the least total distance. A saksi's
current TPS gets a direct arc one unit cheaper, so a re-run keeps unchanged what it need not change.
"""

from dataclasses import dataclass, field

import numpy as np

DIST_UNIT = 10
R_FIRST, R_FIRST_W = 100_000, 1_000
R_MORE, R_MORE_W = 10_000, 100
R_BACKUP, R_BACKUP_W = 1_000, 100
KIND_SAKSI, KIND_BACKUP = 0, 1
PREFIX = {1: 10, 2: 6, 3: 4, 4: 2}  # distance level → code prefix length shared


@dataclass
class Problem:
    """Arrays, one row per TPS and per saksi (all NumPy, built vectorised from the database)."""

    tps_codes: np.ndarray  # U13
    tps_weight: np.ndarray  # int, ≥ 1
    tps_saksi_open: np.ndarray  # saksi slots still open (wanted − pinned)
    tps_backup_open: np.ndarray
    vol_ids: np.ndarray  # int64
    vol_home: np.ndarray  # U10 kelurahan
    vol_voting: np.ndarray  # U13, '' when unknown
    vol_max: np.ndarray  # int, maximum distance 0–4
    vol_current: np.ndarray = field(default=None)  # U13 current TPS ('' none), for stability


@dataclass
class Solution:
    vol_index: np.ndarray  # index into Problem.vol_*
    tps_index: np.ndarray  # index into Problem.tps_*
    kind: np.ndarray  # KIND_SAKSI / KIND_BACKUP
    distance: np.ndarray


def distance(home_kel: np.ndarray, voting: np.ndarray, tps: np.ndarray) -> np.ndarray:
    """Hierarchical distance between saksi (home kelurahan, voting TPS) and TPS codes, vectorised."""
    home_kel = np.asarray(home_kel, dtype="U10")
    tps = np.asarray(tps, dtype="U13")
    out = np.full(len(tps), 5, dtype=np.int16)
    for level in (4, 3, 2, 1):
        n = PREFIX[level]
        same = home_kel.astype(f"U{n}") == tps.astype(f"U{n}")
        out[same] = level
    out[np.asarray(voting, dtype="U13") == tps] = 0
    return out


def _components(p: Problem) -> tuple[int, list[tuple[np.ndarray, np.ndarray]]]:
    width = 2 if (len(p.vol_max) and p.vol_max.max() >= 4) else 4
    tkey = p.tps_codes.astype(f"U{width}")
    vkey = p.vol_home.astype(f"U{width}")
    keys, tinv = np.unique(tkey, return_inverse=True)
    vpos = np.searchsorted(keys, vkey)
    vpos[vpos >= len(keys)] = 0
    vin = keys[vpos] == vkey if len(keys) else np.zeros(len(vkey), bool)
    torder = np.argsort(tinv, kind="stable")
    tbounds = np.searchsorted(tinv[torder], np.arange(len(keys) + 1))
    vsel = np.where(vin)[0]
    vorder = vsel[np.argsort(vpos[vsel], kind="stable")]
    vbounds = np.searchsorted(vpos[vorder], np.arange(len(keys) + 1))
    out = [(torder[tbounds[i]:tbounds[i + 1]], vorder[vbounds[i]:vbounds[i + 1]]) for i in range(len(keys))]
    return width, out


def solve(p: Problem) -> Solution:
    """Solve every component; see the module docstring for the model."""
    parts = []
    _, comps = _components(p)
    for tix, vix in comps:
        if len(tix) and len(vix):
            parts.append(_solve_component(p, tix, vix))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Solution(empty, empty, empty.astype(np.int8), empty.astype(np.int16))
    return Solution(*(np.concatenate([s[i] for s in parts]) for i in range(4)))


def _solve_component(p: Problem, tix: np.ndarray, vix: np.ndarray):
    from ortools.graph.python import min_cost_flow

    nt, nv = len(tix), len(vix)
    codes = p.tps_codes[tix]
    home = p.vol_home[vix]
    vmax = p.vol_max[vix]
    # hubs: level 1..4 (kelurahan, kecamatan, kota, provinsi) over TPS and homes
    S, T = 0, 1
    v0 = 2
    t0 = v0 + nv
    next_node = t0 + nt
    hub_of_tps, hub_of_vol, hub_keys, hub_base = {}, {}, {}, {}
    for level in (1, 2, 3, 4):
        n = PREFIX[level]
        keys, inv = np.unique(np.concatenate([codes.astype(f"U{n}"), home.astype(f"U{n}")]), return_inverse=True)
        hub_keys[level] = keys
        hub_base[level] = next_node
        hub_of_tps[level] = next_node + inv[:nt]
        hub_of_vol[level] = next_node + inv[nt:]
        next_node += len(keys)
    tails, heads, caps, costs = [], [], [], []

    def arcs(t, h, c, k):
        t, h, c, k = np.broadcast_arrays(*(np.asarray(x, dtype=np.int64) for x in (t, h, c, k)))
        tails.append(t.ravel())
        heads.append(h.ravel())
        caps.append(c.ravel())
        costs.append(k.ravel())

    vnodes = v0 + np.arange(nv)
    arcs(np.full(nv, S), vnodes, 1, 0)
    arcs([S], [T], nv, 0)
    # saksi → own voting TPS (cost 0), and → current TPS (stability: one unit cheaper than its distance)
    pos = {c: i for i, c in enumerate(codes.tolist())}
    voting = p.vol_voting[vix].tolist()
    vt = [(i, pos[c]) for i, c in enumerate(voting) if c in pos]
    if vt:
        a = np.array(vt)
        arcs(v0 + a[:, 0], t0 + a[:, 1], 1, 0)
    if p.vol_current is not None:
        cur = p.vol_current[vix].tolist()
        ct = [(i, pos[c]) for i, c in enumerate(cur) if c and c in pos and c != voting[i]]
        if ct:
            a = np.array(ct)
            d = distance(home[a[:, 0]], p.vol_voting[vix][a[:, 0]], codes[a[:, 1]]).astype(np.int64)
            ok = d <= vmax[a[:, 0]]
            arcs(v0 + a[ok, 0], t0 + a[ok, 1], 1, d[ok] * DIST_UNIT - 1)
    first_hub_arc = sum(len(x) for x in tails)
    hub_arc_level = []
    for level in (1, 2, 3, 4):
        ok = vmax >= level
        arcs(vnodes[ok], hub_of_vol[level][ok], 1, level * DIST_UNIT)
        hub_arc_level.append((level, np.where(ok)[0]))
    # hub tree: provinsi → kota → kecamatan → kelurahan → TPS, free and uncapacitated (nv)
    arcs(hub_of_tps[1], t0 + np.arange(nt), nv, 0)
    for level in (2, 3, 4):
        n_child = PREFIX[level - 1]
        child_keys = hub_keys[level - 1]
        parent_idx = np.searchsorted(hub_keys[level], child_keys.astype(f"U{PREFIX[level]}"))
        arcs(hub_base[level] + parent_idx, hub_base[level - 1] + np.arange(len(child_keys)), nv, 0)
        del n_child
    # TPS → sink: slot rewards
    w = p.tps_weight[tix].astype(np.int64)
    sopen = p.tps_saksi_open[tix]
    bopen = p.tps_backup_open[tix]
    tnodes = t0 + np.arange(nt)
    has_first = sopen >= 1
    arcs(tnodes[has_first], T, 1, -(R_FIRST + R_FIRST_W * w[has_first]))
    more = np.maximum(sopen - 1, 0)
    ok = more > 0
    arcs(tnodes[ok], T, more[ok], -(R_MORE + R_MORE_W * w[ok]))
    ok = bopen > 0
    arcs(tnodes[ok], T, bopen[ok], -(R_BACKUP + R_BACKUP_W * w[ok]))

    tail = np.concatenate(tails)
    head = np.concatenate(heads)
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tail, head, np.concatenate(caps), np.concatenate(costs))
    mcf.set_nodes_supplies(np.array([S, T]), np.array([nv, -nv]))
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not solve (status {status})")
    flow = mcf.flows(np.arange(len(tail)))
    used = flow > 0
    # Decompose: direct saksi → TPS arcs are final; saksi entering a hub are passed down the tree.
    vol_of = np.full(nt, -1)
    result_v, result_t = [], []
    direct = used[:first_hub_arc] & (tail[:first_hub_arc] >= v0) & (tail[:first_hub_arc] < t0) \
        & (head[:first_hub_arc] >= t0) & (head[:first_hub_arc] < t0 + nt)
    result_v.append(tail[:first_hub_arc][direct] - v0)
    result_t.append(head[:first_hub_arc][direct] - t0)
    del vol_of
    pool: dict[int, list[int]] = {}
    ent = used & (tail >= v0) & (tail < t0) & (head >= hub_base[1])
    for v, h in zip((tail[ent] - v0).tolist(), head[ent].tolist(), strict=True):
        pool.setdefault(h, []).append(v)
    tree = used & (tail >= hub_base[1]) & ~((tail >= v0) & (tail < t0))
    down = sorted(zip(tail[tree].tolist(), head[tree].tolist(), flow[tree].tolist(), strict=True),
                  key=lambda x: -x[0])  # parents first: higher levels have higher node numbers
    tv, tt = [], []
    for parent, child, f in down:
        members = pool.get(parent, [])
        moved, pool[parent] = members[:f], members[f:]
        if child >= hub_base[1]:
            pool.setdefault(child, []).extend(moved)
        else:
            tv.extend(moved)
            tt.extend([child - t0] * len(moved))
    result_v.append(np.array(tv, dtype=np.int64))
    result_t.append(np.array(tt, dtype=np.int64))
    lv = np.concatenate(result_v).astype(np.int64)
    lt = np.concatenate(result_t).astype(np.int64)
    gv, gt = vix[lv], tix[lt]
    dist = distance(p.vol_home[gv], p.vol_voting[gv], p.tps_codes[gt])
    kind = _kinds(gt, dist, p.tps_saksi_open)
    return gv, gt, kind, dist


def _kinds(tps_index: np.ndarray, dist: np.ndarray, saksi_open: np.ndarray) -> np.ndarray:
    """Per TPS, the nearest ``saksi_open`` people are saksi, the rest backups."""
    order = np.lexsort((dist, tps_index))
    ts = tps_index[order]
    starts = np.r_[0, np.flatnonzero(np.diff(ts)) + 1]
    rank = np.arange(len(ts)) - np.repeat(starts, np.diff(np.r_[starts, len(ts)]))
    kind = np.where(rank < saksi_open[ts], KIND_SAKSI, KIND_BACKUP).astype(np.int8)
    out = np.empty_like(kind)
    out[order] = kind
    return out


def greedy(p: Problem) -> Solution:
    """Baseline, nearest-first: TPS by TPS (highest weight first; all first saksi, then further saksi,
    then backups), take the nearest free saksi: one who votes there, else one from the same
    kelurahan, kecamatan, kota (within their maximum distance). No look-ahead."""
    nv = len(p.vol_ids)
    queues: dict[tuple[int, str], list[int]] = {}
    voting = p.vol_voting.tolist()
    for i in np.argsort(p.vol_ids, kind="stable").tolist():
        if voting[i]:
            queues.setdefault((0, voting[i]), []).append(i)
    homes = p.vol_home.tolist()
    vmax = p.vol_max.tolist()
    for level in (1, 2, 3, 4):
        n = PREFIX[level]
        for i in range(nv):
            if vmax[i] >= level:
                queues.setdefault((level, homes[i][:n]), []).append(i)
    heads = {k: 0 for k in queues}
    used = np.zeros(nv, dtype=bool)
    codes = p.tps_codes.tolist()
    order = np.lexsort((p.tps_codes, -p.tps_weight)).tolist()
    sopen, bopen = p.tps_saksi_open.tolist(), p.tps_backup_open.tolist()
    tiers = [[(t, 1) for t in order if sopen[t] >= 1],
             [(t, sopen[t] - 1) for t in order if sopen[t] > 1],
             [(t, bopen[t]) for t in order if bopen[t] > 0]]
    rv, rt = [], []
    for tier in tiers:
        for t, want in tier:
            code = codes[t]
            for _ in range(want):
                found = -1
                for level in (0, 1, 2, 3, 4):
                    key = (level, code if level == 0 else code[:PREFIX[level]])
                    q = queues.get(key)
                    if not q:
                        continue
                    h = heads[key]
                    while h < len(q) and used[q[h]]:
                        h += 1
                    heads[key] = h
                    if h < len(q):
                        found = q[h]
                        break
                if found < 0:
                    break
                used[found] = True
                rv.append(found)
                rt.append(t)
    gv = np.array(rv, dtype=np.int64)
    gt = np.array(rt, dtype=np.int64)
    dist = distance(p.vol_home[gv], p.vol_voting[gv], p.tps_codes[gt])
    return Solution(gv, gt, _kinds(gt, dist, p.tps_saksi_open), dist)


def coverage(p: Problem, s: Solution, saksi_wanted: np.ndarray | None = None,
             pinned_saksi: np.ndarray | None = None, pinned_backup: np.ndarray | None = None) -> dict:
    """TPS with the wanted number of saksi, with a backup, with none; mean and maximum distance."""
    nt = len(p.tps_codes)
    saksi = np.bincount(s.tps_index[s.kind == KIND_SAKSI], minlength=nt)
    backup = np.bincount(s.tps_index[s.kind == KIND_BACKUP], minlength=nt)
    if pinned_saksi is not None:
        saksi = saksi + pinned_saksi
    if pinned_backup is not None:
        backup = backup + pinned_backup
    wanted = saksi_wanted if saksi_wanted is not None else p.tps_saksi_open
    return {
        "tps": int(nt),
        "full": int((saksi >= wanted).sum()),
        "with_saksi": int((saksi > 0).sum()),
        "with_backup": int((backup > 0).sum()),
        "none": int((saksi == 0).sum()),
        "assigned": int(len(s.vol_index)),
        "mean_distance": round(float(s.distance.mean()), 4) if len(s.distance) else None,
        "max_distance": int(s.distance.max()) if len(s.distance) else None,
    }
