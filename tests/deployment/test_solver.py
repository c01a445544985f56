"""The optimiser on its own: distances, coverage against the greedy baseline, priorities, capacities."""

import numpy as np

from kawaltps.deployment import solver


def problem(tps, vols, saksi=1, backup=1, weights=None, vmax=3, current=None):
    n = len(tps)
    return solver.Problem(
        tps_codes=np.array(tps, dtype="U13"), tps_weight=np.array(weights or [1] * n),
        tps_saksi_open=np.full(n, saksi), tps_backup_open=np.full(n, backup),
        vol_ids=np.arange(len(vols)), vol_home=np.array([h for h, _ in vols], dtype="U10"),
        vol_voting=np.array([v for _, v in vols], dtype="U13"), vol_max=np.full(len(vols), vmax),
        vol_current=None if current is None else np.array(current, dtype="U13"))


def test_distance_is_hierarchical():
    tps = ["3175081001001", "3175081001002", "3175081002001", "3175071001001", "3171011001001", "3201011001001"]
    d = solver.distance(np.array(["3175081001"] * 6), np.array(["3175081001001"] * 6), np.array(tps))
    assert d.tolist() == [0, 1, 2, 3, 4, 5]


def test_min_cost_flow_beats_greedy_on_the_same_input():
    rng = np.random.default_rng(7)
    kels = [f"31750{k}100{j}" for k in range(1, 4) for j in range(1, 5)]
    tps = [f"{k}{i:03d}" for k in kels for i in range(1, 16)]
    vt = [tps[i] for i in rng.integers(0, len(tps), 150)]
    vols = [(v[:10], v if rng.random() < 0.8 else "") for v in vt]
    p = problem(tps, vols)
    s, g = solver.solve(p), solver.greedy(p)
    cs, cg = solver.coverage(p, s), solver.coverage(p, g)
    assert cs["with_saksi"] >= cg["with_saksi"]
    assert cs["mean_distance"] < cg["mean_distance"]
    assert len(set(s.vol_index.tolist())) == len(s.vol_index)  # one TPS per person
    assert np.bincount(s.tps_index).max() <= 2  # 1 saksi + 1 backup


def test_every_tps_gets_a_saksi_before_any_gets_a_backup():
    tps = ["3175081001001", "3175081001002"]
    vols = [("3175081001", "3175081001001"), ("3175081001", "3175081001001")]
    s = solver.solve(problem(tps, vols))
    assert sorted(s.tps_index.tolist()) == [0, 1]
    assert (s.kind == solver.KIND_SAKSI).all()


def test_priority_weight_wins_when_people_are_short():
    tps = ["3175081001001", "3175081001002"]
    s = solver.solve(problem(tps, [("3175081001", "")], weights=[1, 5]))
    assert s.tps_index.tolist() == [1]


def test_maximum_distance_is_respected():
    tps = ["3175081002001"]  # another kelurahan of the same kecamatan: distance 2
    assert len(solver.solve(problem(tps, [("3175081001", "")], vmax=1)).vol_index) == 0
    assert solver.solve(problem(tps, [("3175081001", "")], vmax=2)).distance.tolist() == [2]


def test_current_assignment_is_kept_on_a_tie():
    tps = ["3175081001001", "3175081001002"]
    vols = [("3175081001", "")]
    for cur in tps:
        s = solver.solve(problem(tps, vols, backup=0, current=[cur]))
        assert p_code(tps, s) == cur


def p_code(tps, s):
    return tps[int(s.tps_index[0])]


def test_components_are_solved_separately_per_kota():
    tps = ["3175081001001", "3171011001001"]
    vols = [("3175081001", ""), ("3171011001", "")]
    s = solver.solve(problem(tps, vols, backup=0))
    pairs = dict(zip(s.vol_index.tolist(), s.tps_index.tolist(), strict=True))
    assert pairs == {0: 0, 1: 1}
