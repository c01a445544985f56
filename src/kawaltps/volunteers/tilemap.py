"""A tile map of kelurahan for the readiness page: no boundary data, just an honest grid.

Each kota is a block placed roughly where it lies (Kepulauan Seribu top-left, Jakarta Utara top,
Barat / Pusat / Timur across the middle, Selatan at the bottom); inside a block each kecamatan is
a row of squares, one per kelurahan in code order. A square's colour is the kelurahan's coverage
(certified saksi ÷ target), in five steps. Other provinces fall back to one row of blocks.
"""

TILE, GAP, LABEL = 14, 2, 16
# (column, row) of each Jakarta kota block.
JAKARTA_LAYOUT = {"3101": (0, 0), "3172": (1, 0), "3173": (0, 1), "3171": (1, 1), "3175": (2, 1),
                  "3174": (1, 2)}
STEPS = [(0.2, "#b3261e", "< 20%"), (0.5, "#e4572e", "20–49%"), (0.8, "#f2a541", "50–79%"),
         (1.0, "#9bc53d", "80–99%"), (None, "#1e7b34", "100%")]
NO_TPS = "#d0d4d9"


def colour(row: dict) -> str:
    if not row["target"]:
        return NO_TPS
    for limit, fill, _ in STEPS:
        if limit is None or row["coverage"] < limit:
            return fill
    return STEPS[-1][1]


def legend() -> list[tuple[str, str]]:
    return [(fill, label) for _, fill, label in STEPS] + [(NO_TPS, "tanpa TPS")]


def layout(kota: list[dict], kecamatan: list[dict], kelurahan: list[dict]) -> dict:
    """SVG geometry: ``{"width", "height", "blocks": [{x, y, label}], "tiles": [{x, y, fill, row}]}``."""
    kec_by_kota: dict[str, list[dict]] = {}
    for k in kecamatan:
        kec_by_kota.setdefault(k["code"][:4], []).append(k)
    kel_by_kec: dict[str, list[dict]] = {}
    for k in kelurahan:
        kel_by_kec.setdefault(k["code"][:6], []).append(k)
    sizes = {}
    for k in kota:
        kecs = kec_by_kota.get(k["code"], [])
        cols = max((len(kel_by_kec.get(c["code"], [])) for c in kecs), default=1)
        sizes[k["code"]] = (cols * (TILE + GAP), LABEL + max(len(kecs), 1) * (TILE + GAP))
    places = {c: JAKARTA_LAYOUT.get(c, (i, 3)) for i, c in enumerate(sizes)}
    if any(c not in JAKARTA_LAYOUT for c in sizes):
        places = {c: (i, 0) for i, c in enumerate(sizes)}
    col_w: dict[int, int] = {}
    row_h: dict[int, int] = {}
    for c, (x, y) in places.items():
        col_w[x] = max(col_w.get(x, 0), sizes[c][0])
        row_h[y] = max(row_h.get(y, 0), sizes[c][1])
    pad = 12
    col_x = {x: sum(col_w[i] + pad for i in sorted(col_w) if i < x) for x in col_w}
    row_y = {y: sum(row_h[i] + pad for i in sorted(row_h) if i < y) for y in row_h}
    blocks, tiles = [], []
    names = {k["code"]: k["name"] for k in kota}
    for c, (bx, by) in places.items():
        x0, y0 = col_x[bx], row_y[by]
        blocks.append({"x": x0, "y": y0 + 11, "label": names[c], "code": c})
        for r, kec in enumerate(kec_by_kota.get(c, [])):
            for i, kel in enumerate(kel_by_kec.get(kec["code"], [])):
                tiles.append({"x": x0 + i * (TILE + GAP), "y": y0 + LABEL + r * (TILE + GAP),
                              "fill": colour(kel), "row": kel, "kecamatan": kec["name"]})
    width = max(sum(col_w.values()) + pad * (len(col_w) - 1), 320)  # room for a kota's name
    height = sum(row_h.values()) + pad * (len(row_h) - 1)
    return {"width": width, "height": height, "blocks": blocks, "tiles": tiles, "tile": TILE,
            "max_px": width * 2}
