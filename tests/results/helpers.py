"""A consistent C.Hasil for tests: every arithmetic check passes."""


def good_form(votes=(120, 30, 150), invalid=10, dpt_l=250, dpt_p=260) -> tuple[dict, dict]:
    """(votes, numbers) for a TPS with DPT ``dpt_l``+``dpt_p`` where every rule passes."""
    valid = sum(votes)
    total = valid + invalid
    men = total // 2
    women = total - men
    dptb_l, dpk_l = 2, 1
    numbers = {
        "dpt_l": dpt_l,
        "dpt_p": dpt_p,
        "dpt_j": dpt_l + dpt_p,
        "pengguna_dpt_l": men - dptb_l - dpk_l,
        "pengguna_dpt_p": women,
        "pengguna_dpt_j": total - dptb_l - dpk_l,
        "pengguna_dptb_l": dptb_l,
        "pengguna_dptb_p": 0,
        "pengguna_dptb_j": dptb_l,
        "pengguna_dpk_l": dpk_l,
        "pengguna_dpk_p": 0,
        "pengguna_dpk_j": dpk_l,
        "pengguna_total_l": men,
        "pengguna_total_p": women,
        "pengguna_total_j": total,
        "surat_diterima": dpt_l + dpt_p + 13,
        "surat_digunakan": total,
        "surat_rusak": 2,
        "surat_tidak_digunakan": dpt_l + dpt_p + 13 - total - 2,
        "pengguna_disabilitas_l": 1,
        "pengguna_disabilitas_p": 1,
        "pengguna_disabilitas_j": 2,
        "suara_sah": valid,
        "suara_tidak_sah": invalid,
        "suara_total": total,
    }
    return {str(i + 1): v for i, v in enumerate(votes)}, numbers
