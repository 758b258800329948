#!/usr/bin/env python3
"""Stand-in for `strata generate`: a synthetic 3D-cadastre district as CSV (Python 3, stdlib).

    python3 tools/postgis/standin_district.py --units 100000 --seed 1 --out district.csv
    python3 tools/postgis/standin_district.py --units 2000 --out d.csv --expected d.expected.json

Writes the layout `strata generate` will write (UTF-8, header, comma separated, WKT quoted):

    unit_code,kind,parent_plot,z_bottom,z_top,wkt

* one `plot` row per planning plot (empty z, rectangular POLYGON, parent_plot = its own id);
* one `unit` row per prism part (a unit may have several rows with the same unit_code).

Layout, in EPSG:4548 metres: blocks of rectangular plots (2-5 rows x 3-6 columns, sides
40-120 m in half metres, plots of a block share edges), blocks separated by roads. Per plot:

* a surface unit (GB) z 17.5-35, the whole plot; 10 % are a MULTIPOLYGON of two halves;
* 0-3 underground units (GX) z 11.5-17.5, 5.5-11.5, -0.5-5.5 (touching vertically), the whole
  plot (touching the neighbour plots' layers at the shared edges); 20 % have two parts;
* 0-2 above-ground units (GS) z 35-47.5, 47.5-60, the plot inset by 5 m; 30 % with a courtyard
  hole.

Touching (shared faces) is everywhere and is not overlap. Injected on top, at random plots:

* `overlap`: a unit inside its plot crossing a layer boundary (z 14-20) -> overlaps;
* `passage`: a deep unit (z -8.5 to -0.5) reaching 12 m under the road -> outside its plot only;
* `encroach`: a unit reaching 6 m into the east neighbour plot (z 17.5-25) -> overlaps and
  outside its plot.

Deterministic: same arguments, same bytes. Exactly --units distinct unit codes.

--expected FILE also writes the conflict-check answers, computed independently here from the
rectangles (every footprint is a set of disjoint axis-aligned rectangles): overlapping part pairs
of different units, unit pairs, the sum of overlap volumes, parts outside their parent plot and
the volume outside.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import defaultdict

HEADER = ["unit_code", "kind", "parent_plot", "z_bottom", "z_top", "wkt"]
COUNTY = "110112"
SURFACE_Z = (17.5, 35.0)
UNDER_Z = [(11.5, 17.5), (5.5, 11.5), (-0.5, 5.5)]
ABOVE_Z = [(35.0, 47.5), (47.5, 60.0)]
SLOT_X, SLOT_Y = 800.0, 650.0  # block pitch: the largest block is 720 x 600 m, roads >= 50 m
SLOTS_PER_ROW = 100


def fmt(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def ring(x0, y0, x1, y1, ccw=True):
    pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    if not ccw:
        pts.reverse()
    return "(" + ",".join(f"{fmt(x)} {fmt(y)}" for x, y in pts) + ")"


def rect_wkt(r):
    return "POLYGON(" + ring(*r) + ")"


def holed_wkt(outer, hole):
    return "POLYGON(" + ring(*outer) + "," + ring(*hole, ccw=False) + ")"


def multi_wkt(rects):
    return "MULTIPOLYGON(" + ",".join("(" + ring(*r) + ")" for r in rects) + ")"


def holed_rects(o, h):
    """A rectangle with a rectangular hole as four disjoint rectangles."""
    x0, y0, x1, y1 = o
    hx0, hy0, hx1, hy1 = h
    return [(x0, y0, x1, hy0), (x0, hy1, x1, y1), (x0, hy0, hx0, hy1), (hx1, hy0, x1, hy1)]


class Codes:
    """28-character real-estate unit codes: county 6 + district 3 + sub-district 3 + parcel
    feature code 2 (G + B/S/X) + sequence 5 + fixture code 1 + fixture number 8."""

    def __init__(self):
        self.seq = defaultdict(int)

    def next(self, block: int, letter: str) -> str:
        district, sub = 1 + block // 999, 1 + block % 999
        self.seq[(block, letter)] += 1
        n = self.seq[(block, letter)]
        fixture = "F" if letter == "S" else "W"
        fixnum = f"{n:04d}0001" if fixture == "F" else "00000000"
        code = f"{COUNTY}{district:03d}{sub:03d}G{letter}{n:05d}{fixture}{fixnum}"
        assert len(code) == 28, code
        return code


def generate(n_units: int, seed: int):
    """Returns (rows, parts, plots, stats); parts: (code, plot, zb, zt, [rects])."""
    rng = random.Random(seed)
    codes = Codes()
    base_x = 420000.0 + rng.randrange(0, 2000) * 0.5
    base_y = 4320000.0 + rng.randrange(0, 2000) * 0.5
    rows, parts, plots = [], [], {}
    stats = defaultdict(int)
    units = 0
    block = 0
    while units < n_units:
        ox = base_x + (block % SLOTS_PER_ROW) * SLOT_X
        oy = base_y + (block // SLOTS_PER_ROW) * SLOT_Y
        ncols, nrows = rng.randint(3, 6), rng.randint(2, 5)
        widths = [rng.randrange(80, 241) * 0.5 for _ in range(ncols)]
        heights = [rng.randrange(80, 241) * 0.5 for _ in range(nrows)]
        xs = [ox]
        for w in widths:
            xs.append(xs[-1] + w)
        ys = [oy]
        for h in heights:
            ys.append(ys[-1] + h)
        for r in range(nrows):
            for c in range(ncols):
                if units >= n_units:
                    break
                x0, y0, x1, y1 = xs[c], ys[r], xs[c + 1], ys[r + 1]
                pid = f"P{block + 1:05d}-{r + 1}{c + 1}"
                plot = (x0, y0, x1, y1)
                plots[pid] = plot
                rows.append(["", "plot", pid, "", "", rect_wkt(plot)])
                stats["plots"] += 1
                plot_units = []  # (letter, zb, zt, [(wkt, [rects])], tag)

                if rng.random() < 0.10:  # surface unit in two halves
                    xm = round((x0 + x1) / 2)
                    halves = [(x0, y0, xm - 2, y1), (xm + 2, y0, x1, y1)]
                    plot_units.append(("B", *SURFACE_Z, [(multi_wkt(halves), halves)], "surface"))
                else:
                    plot_units.append(("B", *SURFACE_Z, [(rect_wkt(plot), [plot])], "surface"))
                for zb, zt in UNDER_Z[: rng.randint(0, 3)]:
                    if rng.random() < 0.20:  # two parts side by side
                        xm = round((x0 + x1) / 2)
                        a, b = (x0, y0, xm, y1), (xm, y0, x1, y1)
                        plot_units.append(("X", zb, zt, [(rect_wkt(a), [a]), (rect_wkt(b), [b])], "under"))
                    else:
                        plot_units.append(("X", zb, zt, [(rect_wkt(plot), [plot])], "under"))
                for zb, zt in ABOVE_Z[: rng.randint(0, 2)]:
                    inner = (x0 + 5, y0 + 5, x1 - 5, y1 - 5)
                    if rng.random() < 0.30:
                        cx, cy = round((x0 + x1) / 2), round((y0 + y1) / 2)
                        hole = (cx - 10, cy - 10, cx + 10, cy + 10)
                        plot_units.append(("S", zb, zt, [(holed_wkt(inner, hole), holed_rects(inner, hole))], "above"))
                    else:
                        plot_units.append(("S", zb, zt, [(rect_wkt(inner), [inner])], "above"))

                u = rng.random()
                if u < 0.006:  # overlap across a layer boundary, inside the plot
                    w, h = min(20.0, x1 - x0 - 10), min(20.0, y1 - y0 - 10)
                    rx = x0 + 5 + rng.randrange(0, int((x1 - x0 - 10 - w) * 2) + 1) * 0.5
                    ry = y0 + 5 + rng.randrange(0, int((y1 - y0 - 10 - h) * 2) + 1) * 0.5
                    rr = (rx, ry, rx + w, ry + h)
                    plot_units.append(("X", 14.0, 20.0, [(rect_wkt(rr), [rr])], "inj_overlap"))
                elif u < 0.009 and r == 0:  # deep passage under the south road
                    rr = (x0 + 10, y0 - 12, x0 + 20, y0 + 10)
                    plot_units.append(("X", -8.5, -0.5, [(rect_wkt(rr), [rr])], "inj_passage"))
                elif u < 0.012 and c < ncols - 1:  # reaches into the east neighbour
                    ry = y0 + (y1 - y0) / 2 - 5
                    rr = (x1 - 10, ry, x1 + 6, ry + 10)
                    plot_units.append(("B", 17.5, 25.0, [(rect_wkt(rr), [rr])], "inj_encroach"))

                for letter, zb, zt, prism_parts, tag in plot_units:
                    if units >= n_units:
                        break
                    code = codes.next(block, letter)
                    units += 1
                    stats[tag] += 1
                    for wkt, rects in prism_parts:
                        rows.append([code, "unit", pid, fmt(zb), fmt(zt), wkt])
                        parts.append((code, pid, zb, zt, rects))
                        stats["unit_parts"] += 1
        block += 1
    stats["units"] = units
    stats["blocks"] = block
    return rows, parts, plots, dict(stats)


def rect_overlap(a, b):
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def expected(parts, plots):
    """The conflict-check answers, by brute force over a grid of 200 m cells."""
    cell = 200.0
    grid = defaultdict(list)
    boxes = []
    for i, (_, _, _, _, rects) in enumerate(parts):
        bx = (min(r[0] for r in rects), min(r[1] for r in rects),
              max(r[2] for r in rects), max(r[3] for r in rects))
        boxes.append(bx)
        for gx in range(int(bx[0] // cell), int(bx[2] // cell) + 1):
            for gy in range(int(bx[1] // cell), int(bx[3] // cell) + 1):
                grid[(gx, gy)].append(i)
    seen = set()
    pairs = 0
    vol = 0.0
    unit_pairs = set()
    for members in grid.values():
        for ii, i in enumerate(members):
            ci, _, zbi, zti, ri = parts[i]
            for j in members[ii + 1:]:
                cj, _, zbj, ztj, rj = parts[j]
                if ci == cj:
                    continue
                dz = min(zti, ztj) - max(zbi, zbj)
                if dz <= 0:
                    continue
                key = (i, j) if i < j else (j, i)
                if key in seen:
                    continue
                area = sum(rect_overlap(a, b) for a in ri for b in rj)
                seen.add(key)
                if area > 0:
                    pairs += 1
                    vol += area * dz
                    unit_pairs.add((min(ci, cj), max(ci, cj)))
    out_parts = 0
    out_vol = 0.0
    for code, pid, zb, zt, rects in parts:
        p = plots[pid]
        outside = sum((r[2] - r[0]) * (r[3] - r[1]) - rect_overlap(r, p) for r in rects)
        if outside > 0:
            out_parts += 1
            out_vol += outside * (zt - zb)
    return {
        "overlap_part_pairs": pairs,
        "overlap_unit_pairs": len(unit_pairs),
        "overlap_volume_m3": round(vol, 3),
        "outside_parts": out_parts,
        "outside_volume_m3": round(out_vol, 3),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=100000, help="number of units (distinct codes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="CSV file to write ('-' for stdout)")
    ap.add_argument("--expected", help="also write the conflict-check answers as JSON here")
    a = ap.parse_args(argv)
    if a.units < 1:
        ap.error("--units must be at least 1")
    rows, parts, plots, stats = generate(a.units, a.seed)
    f = sys.stdout if a.out == "-" else open(a.out, "w", encoding="utf-8", newline="")
    try:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(HEADER)
        w.writerows(rows)
    finally:
        if f is not sys.stdout:
            f.close()
    summary = dict(stats)
    if a.expected:
        exp = expected(parts, plots)
        exp.update(units=stats["units"], unit_parts=stats["unit_parts"], plots=stats["plots"], seed=a.seed)
        with open(a.expected, "w", encoding="utf-8") as g:
            json.dump(exp, g, indent=1, sort_keys=True)
            g.write("\n")
        summary.update(exp)
    print(" ".join(f"{k}={v}" for k, v in sorted(summary.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
