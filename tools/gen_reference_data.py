#!/usr/bin/env python3
"""Generate Strata's bundled reference data (Python 3.11, standard library only).

    python3 tools/gen_reference_data.py            # write the files, run the checks
    python3 tools/gen_reference_data.py --check    # run the checks, write nothing

Writes, relative to the repository root:

    data/wengcheng/wengcheng.geojson           GeoJSON survey profile
    data/dazhongsi/dazhongsi.geojson           GeoJSON survey profile
    data/dazhongsi/east-passage.city.json      CityJSON 2.0 (free-form solid)

Each project is described below as a small layout in LOCAL metres (east = +x, north = +y,
origin at the south-west corner of the project's plot; heights are already in the 1985
national height datum), then shifted by a fixed offset to CGCS2000 / 3-degree Gauss-Kruger
CM 117E (EPSG:4548). The geometry is an illustrative reconstruction from published figures,
not a survey: see data/README.md.

Every unit in the description carries the six-direction neighbours and the volume that were
worked out by hand (they are repeated in data/README.md). The script recomputes them from the
geometry and stops with an error if they disagree, so the hand-worked tables, the declared
`sixto_units` and the geometry cannot drift apart.

Checks run on the written files (re-read from disk): every ring closed, exterior rings
counter-clockwise and holes clockwise (RFC 7946), unit codes 28 characters (GB/T 37346-2019
layout), z_top > z_bottom, every part inside its parent plot (the east passage excepted: the
part outside is measured), no two units overlapping (a building inside its own land parcel
excepted), the CityJSON solid closed (every edge used twice, in opposite directions), its faces
planar, its signed volume positive. Output is deterministic: same script, same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CRS_URN = "urn:ogc:def:crs:EPSG::4548"
CRS_URL = "https://www.opengis.net/def/crs/EPSG/0/4548"
HEIGHT_DATUM = "EPSG:5737"
MM = Decimal("0.001")
EPS = 1e-6

DIRECTIONS = ("up", "down", "east", "west", "south", "north")


# --------------------------------------------------------------------------------------------
# Small 2D / 3D helpers (local metres; all layouts use whole or half metres)
# --------------------------------------------------------------------------------------------

def rect(x0, y0, x1, y1):
    """Axis-aligned rectangle as a closed counter-clockwise ring."""
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


def cw(ring):
    """The same ring, clockwise (for holes)."""
    return list(reversed(ring))


def signed_area(ring):
    """Shoelace; positive for counter-clockwise. Works relative to the first vertex."""
    x0, y0 = ring[0]
    s = 0.0
    for (ax, ay), (bx, by) in zip(ring, ring[1:]):
        s += (ax - x0) * (by - y0) - (bx - x0) * (ay - y0)
    return s / 2.0


def polygon_area(rings):
    return abs(signed_area(rings[0])) - sum(abs(signed_area(h)) for h in rings[1:])


def is_convex(ring):
    pts = ring[:-1]
    n = len(pts)
    sign = 0
    for i in range(n):
        ax, ay = pts[i]
        bx, by = pts[(i + 1) % n]
        cx, cy = pts[(i + 2) % n]
        c = (bx - ax) * (cy - by) - (by - ay) * (cx - bx)
        if abs(c) > EPS:
            s = 1 if c > 0 else -1
            if sign and s != sign:
                return False
            sign = s
    return True


def clip_convex(subject, clipper):
    """Sutherland-Hodgman: `subject` (closed ring, any simple polygon) clipped by the convex
    closed ring `clipper`. The result's area is the area of the intersection."""
    if signed_area(clipper) < 0:
        clipper = cw(clipper)
    out = subject[:-1]
    cpts = clipper[:-1]
    for i in range(len(cpts)):
        ax, ay = cpts[i]
        bx, by = cpts[(i + 1) % len(cpts)]

        def inside(p):
            return (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) >= -EPS

        def cross_pt(p, q):
            d1 = (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax)
            d2 = (bx - ax) * (q[1] - ay) - (by - ay) * (q[0] - ax)
            t = d1 / (d1 - d2)
            return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))

        inp, out = out, []
        if not inp:
            break
        for j in range(len(inp)):
            p, q = inp[j - 1], inp[j]
            if inside(q):
                if not inside(p):
                    out.append(cross_pt(p, q))
                out.append(q)
            elif inside(p):
                out.append(cross_pt(p, q))
    return out + out[:1] if out else []


def intersection_area(rings_a, rings_b):
    """Area of (polygon with holes) A intersected with B; one of them must be a convex
    polygon without holes."""
    if len(rings_b) == 1 and is_convex(rings_b[0]):
        clipper, subject = rings_b[0], rings_a
    elif len(rings_a) == 1 and is_convex(rings_a[0]):
        clipper, subject = rings_a[0], rings_b
    else:
        raise ValueError("intersection_area: neither polygon is convex without holes")
    total = 0.0
    for k, ring in enumerate(subject):
        c = clip_convex(ring, clipper)
        a = abs(signed_area(c)) if len(c) >= 4 else 0.0
        total += a if k == 0 else -a
    return total


def sub(a, b):
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def cross(a, b):
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def dot(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def vector_area(ring):
    """Newell vector area of a closed 3D ring (|v| = area, direction = normal)."""
    nx = ny = nz = 0.0
    for p, q in zip(ring, ring[1:]):
        nx += (p[1] - q[1]) * (p[2] + q[2])
        ny += (p[2] - q[2]) * (p[0] + q[0])
        nz += (p[0] - q[0]) * (p[1] + q[1])
    return (nx / 2.0, ny / 2.0, nz / 2.0)


@dataclass
class Face:
    """A planar face: closed 3D rings, the first the outer boundary (counter-clockwise seen
    from outside the solid), the others holes (clockwise)."""
    rings: list

    def normal_area(self):
        v = [0.0, 0.0, 0.0]
        for r in self.rings:
            a = vector_area(r)
            v = [v[0] + a[0], v[1] + a[1], v[2] + a[2]]
        return tuple(v)

    def axis(self):
        """(axis index, +1/-1) if the face is perpendicular to x, y or z, else None."""
        n = self.normal_area()
        m = math.sqrt(dot(n, n))
        for i in range(3):
            if abs(abs(n[i]) - m) < 1e-9 * max(1.0, m):
                return i, (1 if n[i] > 0 else -1)
        return None


def solid_volume(faces):
    """Divergence theorem: (1/3) * sum over faces of (point on face . vector area)."""
    v = 0.0
    for f in faces:
        v += dot(f.rings[0][0], f.normal_area())
    return v / 3.0


def prism_faces(rings, zb, zt):
    """Faces of a footprint (exterior CCW, holes CW) extruded from zb to zt, outward."""
    faces = []
    faces.append(Face([[(x, y, zt) for x, y in r] for r in rings]))              # top, +z
    faces.append(Face([[(x, y, zb) for x, y in reversed(r)] for r in rings]))    # bottom, -z
    for r in rings:
        for (ax, ay), (bx, by) in zip(r, r[1:]):   # material on the left: wall faces right
            faces.append(Face([[(ax, ay, zb), (bx, by, zb), (bx, by, zt), (ax, ay, zt),
                                (ax, ay, zb)]]))
    return faces


def clip_convex_polyhedron(faces, n, d):
    """Keep the part of a convex polyhedron where n . p <= d. Returns the new faces
    (including the cap)."""
    def val(p):
        return dot(n, p) - d

    out, cap = [], []
    for f in faces:
        ring = f.rings[0][:-1]
        res = []
        for j in range(len(ring)):
            p, q = ring[j - 1], ring[j]
            vp, vq = val(p), val(q)
            if vq <= EPS:
                if vp > EPS:
                    t = vp / (vp - vq)
                    x = tuple(p[k] + t * (q[k] - p[k]) for k in range(3))
                    res.append(x)
                    cap.append(x)
                res.append(q)
            elif vp <= EPS:
                t = vp / (vp - vq)
                x = tuple(p[k] + t * (q[k] - p[k]) for k in range(3))
                res.append(x)
                cap.append(x)
        if len(res) >= 3:
            out.append(Face([res + res[:1]]))
    if len(cap) >= 3:
        c = tuple(sum(p[k] for p in cap) / len(cap) for k in range(3))
        u = sub(cap[0], c)
        w = cross(n, u)
        cap = sorted(set(cap), key=lambda p: math.atan2(dot(sub(p, c), w), dot(sub(p, c), u)))
        ring = cap + cap[:1]
        if dot(vector_area(ring), n) < 0:
            ring = list(reversed(ring))
        out.append(Face([ring]))
    return out


# --------------------------------------------------------------------------------------------
# Transverse Mercator on the CGCS2000 ellipsoid (used only to check the site offsets)
# --------------------------------------------------------------------------------------------

def gauss_kruger(lon, lat, lon0=117.0):
    a, f = 6378137.0, 1 / 298.257222101
    e2 = f * (2 - f)
    ep2 = e2 / (1 - e2)
    phi = math.radians(lat)
    big_n = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
    t = math.tan(phi) ** 2
    c = ep2 * math.cos(phi) ** 2
    aa = math.radians(lon - lon0) * math.cos(phi)
    m = a * ((1 - e2 / 4 - 3 * e2 ** 2 / 64 - 5 * e2 ** 3 / 256) * phi
             - (3 * e2 / 8 + 3 * e2 ** 2 / 32 + 45 * e2 ** 3 / 1024) * math.sin(2 * phi)
             + (15 * e2 ** 2 / 256 + 45 * e2 ** 3 / 1024) * math.sin(4 * phi)
             - (35 * e2 ** 3 / 3072) * math.sin(6 * phi))
    x = big_n * (aa + (1 - t + c) * aa ** 3 / 6
                 + (5 - 18 * t + t * t + 72 * c - 58 * ep2) * aa ** 5 / 120) + 500000.0
    y = m + big_n * math.tan(phi) * (aa * aa / 2 + (5 - t + 9 * c + 4 * c * c) * aa ** 4 / 24
                                     + (61 - 58 * t + t * t + 600 * c - 330 * ep2) * aa ** 6 / 720)
    return x, y


# --------------------------------------------------------------------------------------------
# The description of the two projects
# --------------------------------------------------------------------------------------------

@dataclass
class Plot:
    plot_id: str
    name: str
    land_use: str
    outline: list              # local, closed CCW ring
    ground_elevation: float
    green_space: bool


@dataclass
class Part:
    rings: list                # local footprint: exterior CCW, holes CW
    z_bottom: float
    z_top: float
    level: str | None = None
    extra: dict = field(default_factory=dict)   # per-part extra attributes
    model: bool = True                          # write the unit's model fields on this part


@dataclass
class FreeForm:
    """A general closed polyhedron: local vertices and faces (vertex indices, outward)."""
    vertices: list
    faces: list


@dataclass
class Unit:
    code: str
    model: dict                # model fields (stratum, name, holder, ... sixto)
    parts: list                # Part or one FreeForm
    extra: dict = field(default_factory=dict)   # unit-level extras, written on the first part
    # hand-worked (see data/README.md): volume in m3, neighbours {dir: {code: shared m2}}
    volume: float = 0.0
    neighbours: dict = field(default_factory=dict)
    outside_parent_m3: float = 0.0


@dataclass
class Project:
    key: str
    title: str
    origin: tuple              # (easting, northing) of local (0, 0), as decimal strings
    centre_lonlat: tuple       # the real site, to check the offset against
    centre_local: tuple
    ground_elevation: float
    survey_result_code: str
    plots: list
    units: list


def sixto(up, down, east, west, south, north):
    return {"up": up, "down": down, "east": east, "west": west, "south": south, "north": north}


def sixto_units(**kw):
    return {d: sorted(kw.get(d, [])) for d in DIRECTIONS}


# ---- Wengcheng site park, Tongzhou (plot VIII-09) ------------------------------------------
#
#   Plot: 210 m (E-W) x 140 m (N-S), north-west corner chamfered 20 m x 20 m.
#   Ground 20.0 m; 2.5 m planting soil; roof slab top 17.5 m.
#   Surface GB00001: the whole plot, 17.5 .. 35.0 m.
#   B1 (11.5 .. 17.5 m): GX00001 commercial  x 40..110, y 40..100
#                        GX00002 public (B1) x 110..170, y 40..100
#   B2 ( 2.5 .. 11.5 m): GX00003 metro        x 40..170, y 40..70
#                        GX00002 public (B2) x 40..170, y 70..100
#
#          y=140 +--\-------------------------------------------+
#                 /  (chamfer)                                  |
#          y=100  |      +-----------------+-----------+        |
#                 |      | B1 GX00001      | B1 GX00002|        |
#           y=70  |      |  (B2: GX00002 north strip)  |        |   GB00001 over all
#                 |      | (B2: GX00003 metro south)   |        |
#           y=40  |      +-----------------+-----------+        |
#            y=0  +------x=40-----------x=110-------x=170-------+ x=210

W = "110112003005"
W_PLOT = "VIII-09"
W_SURVEY = "DCJG-110112-2024-0007"

WENGCHENG = Project(
    key="wengcheng",
    title="Wengcheng site park (瓮城遗址公园), Tongzhou, plot VIII-09 — illustrative reconstruction",
    origin=("474241.356", "4418953.912"),
    centre_lonlat=(116.70, 39.905),
    centre_local=(105.0, 70.0),
    ground_elevation=20.0,
    survey_result_code=W_SURVEY,
    plots=[
        Plot(W_PLOT, "通州运河商务区VIII-09地块（瓮城遗址公园）",
             "G1 park green space 公园绿地 (surface); layered underground: metro station, "
             "site museum, convenience services, commercial",
             [(0, 0), (210, 0), (210, 140), (20, 140), (0, 120), (0, 0)], 20.0, True),
    ],
    units=[
        Unit(
            code=W + "GB00001W00000000",
            model={
                "stratum": "surface",
                "name": "瓮城遗址公园地表（绿地及广场附属设施）",
                "right_type": "state_construction_land_use",
                "holder": "北京市通州区园林绿化局",
                "use": "green space and plaza facilities 绿地及广场附属设施",
                "supply_method": "allocation",
                "parent_plot": W_PLOT,
                "survey_result_code": W_SURVEY,
                "sixto": sixto(
                    "上至高程35.00米（地面以上15米）",
                    "下至高程17.50米（地下结构顶板顶面，其上覆土2.50米），其下为地下一层宗地GX00001、GX00002",
                    "东至VIII-09地块东界址线",
                    "西至VIII-09地块西界址线",
                    "南至VIII-09地块南界址线",
                    "北至VIII-09地块北界址线（西北角切角）"),
                "sixto_units": sixto_units(down=[W + "GX00001W00000000", W + "GX00002W00000000"]),
                "note": "To be allocated (划拨) to the landscaping department after the underground "
                        "works are finished (待地下工程完成后划拨至园林绿化部门).",
            },
            parts=[Part([[(0, 0), (210, 0), (210, 140), (20, 140), (0, 120), (0, 0)]], 17.5, 35.0)],
            volume=511000.0,
            neighbours={"down": {W + "GX00001W00000000": 4200.0, W + "GX00002W00000000": 3600.0}},
        ),
        Unit(
            code=W + "GX00001W00000000",
            model={
                "stratum": "under",
                "name": "地下经营性设施（地下商业）",
                "right_type": "state_construction_land_use",
                "holder": "北京北投通城建设开发有限公司",
                "use": "underground commercial facilities 地下商业设施",
                "supply_method": "listing",
                "term_years": 40,
                "parent_plot": W_PLOT,
                "survey_result_code": W_SURVEY,
                "sixto": sixto(
                    "上至高程17.50米（顶板顶面），与地表宗地GB00001相接",
                    "下至高程11.50米，与地下二层宗地GX00002、GX00003相接",
                    "东至地下一层宗地GX00002西侧分界面",
                    "西至地下结构外墙外侧",
                    "南至地下结构外墙外侧",
                    "北至地下结构外墙外侧"),
                "sixto_units": sixto_units(
                    up=[W + "GB00001W00000000"],
                    down=[W + "GX00002W00000000", W + "GX00003W00000000"],
                    east=[W + "GX00002W00000000"]),
            },
            parts=[Part([rect(40, 40, 110, 100)], 11.5, 17.5, "B1")],
            volume=25200.0,
            neighbours={"up": {W + "GB00001W00000000": 4200.0},
                        "down": {W + "GX00002W00000000": 2100.0, W + "GX00003W00000000": 2100.0},
                        "east": {W + "GX00002W00000000": 360.0}},
        ),
        Unit(
            code=W + "GX00002W00000000",
            model={
                "stratum": "under",
                "name": "地下公益设施（便民服务空间、遗址博物馆）",
                "right_type": "state_construction_land_use",
                "holder": "北京北投通城建设开发有限公司",
                "use": "underground public facilities: convenience services and site museum "
                       "便民服务空间、遗址博物馆",
                "supply_method": "listing",
                "parent_plot": W_PLOT,
                "survey_result_code": W_SURVEY,
                "sixto": sixto(
                    "上至高程17.50米（地下一层部分，与地表宗地GB00001相接）；地下二层部分上至高程11.50米（与GX00001相接）",
                    "下至高程2.50米（地下二层底板底面）；地下一层部分下至高程11.50米（与GX00003相接）",
                    "东至地下结构外墙外侧",
                    "西至地下一层宗地GX00001东侧分界面；地下二层部分西至地下结构外墙外侧",
                    "南至地下二层宗地GX00003北侧分界面；地下一层部分南至地下结构外墙外侧",
                    "北至地下结构外墙外侧"),
                "sixto_units": sixto_units(
                    up=[W + "GB00001W00000000", W + "GX00001W00000000"],
                    down=[W + "GX00003W00000000"],
                    west=[W + "GX00001W00000000"],
                    south=[W + "GX00003W00000000"]),
                "note": "Supplied by listing together with the underground commercial facilities "
                        "(GX00001) to the winning bidder, to be bought back by the relevant public "
                        "body after construction (随地下经营性设施一并挂牌供应给竞得人，建成后由相关单位回购).",
            },
            parts=[
                Part([rect(110, 40, 170, 100)], 11.5, 17.5, "B1"),
                Part([rect(40, 70, 170, 100)], 2.5, 11.5, "B2", model=False),
            ],
            volume=56700.0,
            neighbours={"up": {W + "GB00001W00000000": 3600.0, W + "GX00001W00000000": 2100.0},
                        "down": {W + "GX00003W00000000": 1800.0},
                        "west": {W + "GX00001W00000000": 360.0},
                        "south": {W + "GX00003W00000000": 1170.0}},
        ),
        Unit(
            code=W + "GX00003W00000000",
            model={
                "stratum": "under",
                "name": "通运门站（轨道交通换乘站）",
                "right_type": "state_construction_land_use",
                "holder": "轨道交通建设单位（示意）",
                "use": "metro transfer station 轨道交通换乘站",
                "supply_method": "allocation",
                "parent_plot": W_PLOT,
                "survey_result_code": W_SURVEY,
                "sixto": sixto(
                    "上至高程11.50米，与地下一层宗地GX00001、GX00002相接",
                    "下至高程2.50米（地下二层底板底面）",
                    "东至车站东端墙外侧（区间隧道接口）",
                    "西至车站西端墙外侧（区间隧道接口）",
                    "南至地下结构外墙外侧",
                    "北至地下二层宗地GX00002南侧分界面"),
                "sixto_units": sixto_units(
                    up=[W + "GX00001W00000000", W + "GX00002W00000000"],
                    north=[W + "GX00002W00000000"]),
                "note": "Holder and supply method are illustrative.",
            },
            parts=[Part([rect(40, 40, 170, 70)], 2.5, 11.5, "B2")],
            extra={"metro_lines": "6 (in service); S6, 103 (planned)"},
            volume=35100.0,
            neighbours={"up": {W + "GX00001W00000000": 2100.0, W + "GX00002W00000000": 1800.0},
                        "north": {W + "GX00002W00000000": 1170.0}},
        ),
    ],
)

# ---- Dazhongsi sports park underground car park, Haidian -----------------------------------
#
#   Park plot: x 0..210, y 0..180, north-west corner chamfered 20 m x 20 m (37,600 m2).
#   Douyin plot: x 210..310, y 0..180 (east of the park, sharing the line x = 210).
#   Ground 50.5 m; 3.0 m planting soil; roof slab top 47.5 m.
#   Surface GB00001: park plot minus two holes, 47.5 .. 65.5 m.
#   GB00002 (47.5 .. 65.5 m): part A refuse station land  x 170..200, y 20..42
#                             part B entrance pavilion land x 60..96,  y 150..172
#   Buildings (50.5 .. 56.5 m): F0001 x 172.5..197.5, y 21..41  (500 m2)
#                               F0002 x 63..93,       y 151..171 (600 m2)
#   Car park GX00001: x 50..160, y 50..140; B1 41.5 .. 47.5 m, B2 36.0 .. 41.5 m.
#   East passage GX00002 (CityJSON): x 160..240, y 91..99; floor 42.0 -> 43.0 m,
#   ceiling 46.0 -> 47.0 m (4.0 m above the floor); x 210..240 lies in the Douyin plot.

D = "110108012004"
D_PARK = "dazhongsi-sports-park"
D_DOUYIN = "douyin-plot"
D_SURVEY = "DCJG-110108-2024-0015"
D_HOLES = [rect(170, 20, 200, 42), rect(60, 150, 96, 172)]
D_PARK_OUTLINE = [(0, 0), (210, 0), (210, 180), (20, 180), (0, 160), (0, 0)]
D_PASSAGE = FreeForm(
    vertices=[(160, 91, 42.0), (240, 91, 43.0), (240, 99, 43.0), (160, 99, 42.0),
              (160, 91, 46.0), (240, 91, 47.0), (240, 99, 47.0), (160, 99, 46.0)],
    faces=[[0, 3, 2, 1],      # floor, normal down (sloped)
           [4, 5, 6, 7],      # ceiling, normal up (sloped)
           [0, 1, 5, 4],      # south wall, y = 91
           [1, 2, 6, 5],      # east end, x = 240 (in the Douyin plot)
           [2, 3, 7, 6],      # north wall, y = 99
           [3, 0, 4, 7]],     # west end, x = 160 (on the car park's B1 east face)
)
CMC = "北京市海淀区城市管理委员会"

DAZHONGSI = Project(
    key="dazhongsi",
    title="Dazhongsi sports park underground car park (大钟寺体育公园地下停车场), Haidian — "
          "illustrative reconstruction",
    origin=("443761.567", "4425648.518"),
    centre_lonlat=(116.343, 39.964),
    centre_local=(105.0, 90.0),
    ground_elevation=50.5,
    survey_result_code=D_SURVEY,
    plots=[
        Plot(D_PARK, "大钟寺体育公园", "G1 park green space 公园绿地",
             D_PARK_OUTLINE, 50.5, True),
        Plot(D_DOUYIN, "抖音地块", "B2 business 商务用地 (illustrative)",
             rect(210, 0, 310, 180), 50.5, False),
    ],
    units=[
        Unit(
            code=D + "GB00001W00000000",
            model={
                "stratum": "surface",
                "name": "大钟寺体育公园地表绿地",
                "right_type": "state_construction_land_use",
                "holder": "北京市海淀区园林绿化局",
                "use": "park green space 公园绿地",
                "supply_method": "allocation",
                "parent_plot": D_PARK,
                "survey_result_code": D_SURVEY,
                "sixto": sixto(
                    "上至高程65.50米（地面以上15米）",
                    "下至高程47.50米（停车场顶板顶面，其上覆土3.00米），其下为地下停车场宗地GX00001",
                    "东至公园地块东界址线，邻抖音地块；地块内两处地上设施用地GB00002除外",
                    "西至公园地块西界址线",
                    "南至公园地块南界址线",
                    "北至公园地块北界址线（西北角切角）"),
                "sixto_units": sixto_units(
                    down=[D + "GX00001W00000000"],
                    east=[D + "GB00002W00000000"], west=[D + "GB00002W00000000"],
                    south=[D + "GB00002W00000000"], north=[D + "GB00002W00000000"]),
                "note": "The footprint has two holes where the above-ground facilities' land "
                        "(GB00002) lies.",
            },
            parts=[Part([D_PARK_OUTLINE] + [cw(h) for h in D_HOLES], 47.5, 65.5)],
            volume=650664.0,
            neighbours={"down": {D + "GX00001W00000000": 9900.0},
                        "east": {D + "GB00002W00000000": 792.0},
                        "west": {D + "GB00002W00000000": 792.0},
                        "south": {D + "GB00002W00000000": 1188.0},
                        "north": {D + "GB00002W00000000": 1188.0}},
        ),
        Unit(
            code=D + "GB00002W00000000",
            model={
                "stratum": "surface",
                "name": "公园地上设施用地（垃圾储存转运站、出入口及管理用房）",
                "right_type": "state_construction_land_use",
                "holder": CMC,
                "use": "above-ground facilities: refuse storage and transfer, entrance and "
                       "management 地上配套设施",
                "supply_method": "allocation",
                "parent_plot": D_PARK,
                "survey_result_code": D_SURVEY,
                "sixto": sixto(
                    "上至高程65.50米（地面以上15米）",
                    "下至高程47.50米",
                    "东至用地界址线，与绿地宗地GB00001相邻",
                    "西至用地界址线，与绿地宗地GB00001相邻",
                    "南至用地界址线，与绿地宗地GB00001相邻",
                    "北至用地界址线，与绿地宗地GB00001相邻"),
                "sixto_units": sixto_units(
                    east=[D + "GB00001W00000000"], west=[D + "GB00001W00000000"],
                    south=[D + "GB00001W00000000"], north=[D + "GB00001W00000000"]),
            },
            parts=[
                Part([D_HOLES[0]], 47.5, 65.5,
                     extra={"part_name": "refuse storage and transfer station land 垃圾储存转运站用地"}),
                Part([D_HOLES[1]], 47.5, 65.5,
                     extra={"part_name": "entrance and management pavilion land 出入口及管理用房用地"}),
            ],
            volume=26136.0,
            neighbours={"east": {D + "GB00001W00000000": 792.0},
                        "west": {D + "GB00001W00000000": 792.0},
                        "south": {D + "GB00001W00000000": 1188.0},
                        "north": {D + "GB00001W00000000": 1188.0}},
        ),
        Unit(
            code=D + "GB00002F00010001",
            model={
                "stratum": "surface",
                "level": "F1",
                "name": "垃圾储存转运站",
                "right_type": "house_ownership",
                "holder": CMC,
                "use": "refuse storage and transfer station 垃圾储存转运",
                "parent_plot": D_PARK,
                "survey_result_code": D_SURVEY,
                "sixto": sixto("上至高程56.50米（屋面）", "下至高程50.50米（室外地坪）",
                               "东至建筑外墙外侧", "西至建筑外墙外侧",
                               "南至建筑外墙外侧", "北至建筑外墙外侧"),
                "sixto_units": sixto_units(),
            },
            parts=[Part([rect(172.5, 21, 197.5, 41)], 50.5, 56.5)],
            extra={"floor_area_m2": 500.0, "storeys": 1},
            volume=3000.0,
        ),
        Unit(
            code=D + "GB00002F00020001",
            model={
                "stratum": "surface",
                "level": "F1",
                "name": "出入口及管理用房",
                "right_type": "house_ownership",
                "holder": CMC,
                "use": "car park entrance and management pavilion 出入口及管理用房",
                "parent_plot": D_PARK,
                "survey_result_code": D_SURVEY,
                "sixto": sixto("上至高程56.50米（屋面）", "下至高程50.50米（室外地坪）",
                               "东至建筑外墙外侧", "西至建筑外墙外侧",
                               "南至建筑外墙外侧", "北至建筑外墙外侧"),
                "sixto_units": sixto_units(),
            },
            parts=[Part([rect(63, 151, 93, 171)], 50.5, 56.5)],
            extra={"floor_area_m2": 600.0, "storeys": 1},
            volume=3600.0,
        ),
        Unit(
            code=D + "GX00001W00000000",
            model={
                "stratum": "under",
                "name": "大钟寺体育公园地下停车场",
                "right_type": "state_construction_land_use",
                "holder": CMC,
                "use": "public parking, new-energy charging, ride-hailing pick-up, refuse storage "
                       "and transfer 公益性停车、新能源充电、网约车接送客、垃圾储存转运",
                "supply_method": "allocation",
                "parent_plot": D_PARK,
                "survey_result_code": D_SURVEY,
                "sixto": sixto(
                    "上至高程47.50米（顶板顶面），与地表绿地宗地GB00001相接",
                    "下至高程36.00米（地下二层底板底面）",
                    "东至地下结构外墙外侧；地下一层东侧与地下通道宗地GX00002相接（接口宽8.00米、高4.00米）",
                    "西至地下结构外墙外侧",
                    "南至地下结构外墙外侧",
                    "北至地下结构外墙外侧"),
                "sixto_units": sixto_units(up=[D + "GB00001W00000000"],
                                           east=[D + "GX00002W00000000"]),
                "note": "Layered allocation (分层划拨) of underground land under public green space.",
            },
            parts=[
                Part([rect(50, 50, 160, 140)], 41.5, 47.5, "B1", extra={"floor_area_m2": 9900.0}),
                Part([rect(50, 50, 160, 140)], 36.0, 41.5, "B2", extra={"floor_area_m2": 9900.0}),
            ],
            extra={"parking_spaces": 510, "construction_start": "2024-06-15",
                   "planned_completion": "2025-04-30"},
            volume=113850.0,
            neighbours={"up": {D + "GB00001W00000000": 9900.0},
                        "east": {D + "GX00002W00000000": 32.0}},
        ),
        Unit(
            code=D + "GX00002W00000000",
            model={
                "stratum": "under",
                "level": "B1",
                "name": "东侧地下联通通道（接抖音地块）",
                "right_type": "state_construction_land_use",
                "holder": CMC,
                "use": "underground passage to the Douyin plot: ride-hailing passengers and "
                       "temporary refuse transport 地下联通通道（网约车接送、垃圾暂存运输）",
                "supply_method": "allocation",
                "parent_plot": D_PARK,
                "survey_result_code": D_SURVEY,
                "height_datum": HEIGHT_DATUM,
                "sixto": sixto(
                    "上至通道顶板顶面，高程46.00米（西端）至47.00米（东端）",
                    "下至通道底板底面，高程42.00米（西端）至43.00米（东端）",
                    "东至抖音地块内通道接驳端面（越出公园地块东界30.00米）",
                    "西至地下停车场宗地GX00001地下一层东侧外墙外侧",
                    "南至通道南侧外墙外侧",
                    "北至通道北侧外墙外侧"),
                "sixto_units": sixto_units(west=[D + "GX00001W00000000"]),
                "note": "The east 30 m of the 80 m passage lie beyond the park's east boundary, under "
                        "the Douyin plot (东侧地下通道与抖音地块联通).",
            },
            parts=[D_PASSAGE],
            extra={"floor_area_m2": 640.0},
            volume=2560.0,
            neighbours={"west": {D + "GX00001W00000000": 32.0}},
            outside_parent_m3=960.0,
        ),
    ],
)

PROJECTS = [WENGCHENG, DAZHONGSI]

MODEL_ORDER = ["stratum", "level", "name", "right_type", "holder", "use", "supply_method",
               "term_years", "term_start", "term_end", "parent_plot", "survey_result_code",
               "height_datum", "sixto", "sixto_units", "note"]


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------

class Num:
    """A number written exactly as given (fixed millimetres)."""

    def __init__(self, text):
        self.text = text


def real(project, x, y):
    ox, oy = (Decimal(v) for v in project.origin)
    return (Num(str((ox + Decimal(str(x))).quantize(MM))),
            Num(str((oy + Decimal(str(y))).quantize(MM))))


def scalar(v):
    return not isinstance(v, (dict, list))


def dumps(obj, indent=0):
    pad = "  " * indent
    if isinstance(obj, Num):
        return obj.text
    if isinstance(obj, float):
        return repr(round(obj, 3))
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{pad}  {json.dumps(k, ensure_ascii=False)}: {dumps(v, indent + 1)}"
                 for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if not obj:
            return "[]"
        if all(scalar(v) for v in obj):
            return "[" + ", ".join(dumps(v, indent + 1) for v in obj) + "]"
        inline = "[" + ", ".join(dumps(v, indent + 1) for v in obj) + "]"
        if "\n" not in inline and len(inline) + len(pad) <= 96 and \
                not any(isinstance(v, dict) for v in obj):
            return inline
        items = [pad + "  " + dumps(v, indent + 1) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj, ensure_ascii=False)


def geojson_rings(project, rings):
    return [[list(real(project, x, y)) for x, y in r] for r in rings]


def unit_features(project, unit):
    feats = []
    for i, part in enumerate(unit.parts):
        if isinstance(part, FreeForm):
            continue
        props = {"kind": "unit", "unit_code": unit.code,
                 "z_bottom": float(part.z_bottom), "z_top": float(part.z_top)}
        if part.level:
            props["level"] = part.level
        if part.model:
            for k in MODEL_ORDER:
                if k in unit.model and not (k == "level" and part.level):
                    props[k] = unit.model[k]
        props.update(part.extra)
        if i == 0:
            props.update(unit.extra)
        suffix = part.level or (f"P{i + 1}" if len(unit.parts) > 1 else "")
        fid = unit.code[12:19] if unit.code[19] == "W" else unit.code[12:]
        feats.append({
            "type": "Feature",
            "id": fid + (f"-{suffix}" if suffix else ""),
            "properties": props,
            "geometry": {"type": "Polygon", "coordinates": geojson_rings(project, part.rings)},
        })
    return feats


def project_geojson(project):
    feats = []
    for p in project.plots:
        feats.append({
            "type": "Feature",
            "id": f"plot-{p.plot_id}",
            "properties": {"kind": "plot", "plot_id": p.plot_id, "name": p.name,
                           "land_use": p.land_use, "ground_elevation": p.ground_elevation,
                           "green_space": p.green_space},
            "geometry": {"type": "Polygon", "coordinates": geojson_rings(project, [p.outline])},
        })
    for u in project.units:
        feats.extend(unit_features(project, u))
    return {
        "type": "FeatureCollection",
        "name": project.title,
        "crs": {"type": "name", "properties": {"name": CRS_URN}},
        "height_datum": HEIGHT_DATUM,
        "ground_elevation": project.ground_elevation,
        "features": feats,
    }


def passage_cityjson(project, unit):
    ff = unit.parts[0]
    ox, oy = (Decimal(v) for v in project.origin)
    reals = [(ox + Decimal(str(x)), oy + Decimal(str(y)), Decimal(str(z)))
             for x, y, z in ff.vertices]
    translate = [min(v[k] for v in reals).quantize(MM) for k in range(3)]
    verts = [[int(((v[k] - translate[k]) / MM).to_integral_value()) for k in range(3)]
             for v in reals]
    extent = [min(v[k] for v in reals) for k in range(3)] + [max(v[k] for v in reals)
                                                             for k in range(3)]
    attrs = {"unit_code": unit.code}
    for k in MODEL_ORDER:
        if k in unit.model:
            attrs[k] = unit.model[k]
    attrs.update(unit.extra)
    return {
        "type": "CityJSON",
        "version": "2.0",
        "transform": {"scale": [Num("0.001"), Num("0.001"), Num("0.001")],
                      "translate": [Num(str(t)) for t in translate]},
        "metadata": {
            "title": "Dazhongsi sports park car park, east underground passage (GX00002) — "
                     "illustrative reconstruction",
            "referenceSystem": CRS_URL,
            "geographicalExtent": [Num(str(e.quantize(MM))) for e in extent],
        },
        "CityObjects": {
            unit.code: {
                "type": "GenericCityObject",
                "attributes": attrs,
                "geometry": [{
                    "type": "Solid",
                    "lod": "2",
                    "boundaries": [[[f] for f in ff.faces]],
                }],
            }
        },
        "vertices": verts,
    }


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------

CODE_RE = re.compile(r"^(\d{6})(\d{3})(\d{3})([GJZ][A-Z])(\d{5})([FLQW])(\d{8})$")
STRATUM_LETTER = {"B": "surface", "S": "above", "X": "under"}


class CheckError(Exception):
    pass


def require(cond, msg):
    if not cond:
        raise CheckError(msg)


def check_code(code, stratum):
    require(len(code) == 28, f"{code}: {len(code)} characters, not 28")
    m = CODE_RE.match(code)
    require(m is not None, f"{code}: does not follow GB/T 37346-2019 layout")
    feat, fixture, number = m.group(4), m.group(6), m.group(7)
    require(fixture != "W" or number == "00000000", f"{code}: W fixture with a unit number")
    require(fixture != "F" or (number[:4] != "0000" and number[4:] != "0000"),
            f"{code}: F fixture needs building and unit numbers")
    require(STRATUM_LETTER.get(feat[1]) == stratum,
            f"{code}: stratum {stratum!r} disagrees with parcel feature code {feat}")


def check_ring(ring, exterior, where):
    pts = [(float(x), float(y)) for x, y in ring]
    require(len(pts) >= 4, f"{where}: fewer than 4 positions")
    require(ring[0] == ring[-1], f"{where}: ring not closed")
    a = signed_area(pts)
    require(a > 0 if exterior else a < 0,
            f"{where}: {'exterior' if exterior else 'hole'} ring wrongly oriented")


def check_geojson_file(path):
    doc = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    require(doc["type"] == "FeatureCollection", f"{path}: not a FeatureCollection")
    require(doc["crs"]["properties"]["name"] == CRS_URN, f"{path}: wrong crs")
    for i, f in enumerate(doc["features"]):
        where = f"{path.name} feature {f.get('id', i)}"
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for poly in polys:
            for k, ring in enumerate(poly):
                check_ring(ring, k == 0, f"{where} ring {k}")
                for x, y in ring:
                    require(x.as_tuple().exponent >= -3 and y.as_tuple().exponent >= -3,
                            f"{where}: more than 3 decimals")
        p = f["properties"]
        if p.get("kind", "unit") == "unit":
            require(p["z_top"] > p["z_bottom"], f"{where}: z_top <= z_bottom")
            if "stratum" in p:
                check_code(p["unit_code"], p["stratum"])
            require(len(p["unit_code"]) == 28, f"{where}: unit code not 28 characters")
    return doc


def check_cityjson_file(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    require(doc["type"] == "CityJSON" and doc["version"] == "2.0", f"{path}: not CityJSON 2.0")
    sc, tr = doc["transform"]["scale"], doc["transform"]["translate"]
    verts = [tuple(v[k] * sc[k] + tr[k] for k in range(3)) for v in doc["vertices"]]
    volumes = {}
    for oid, obj in doc["CityObjects"].items():
        check_code(obj["attributes"]["unit_code"], obj["attributes"]["stratum"])
        for geom in obj["geometry"]:
            require(geom["type"] == "Solid", f"{oid}: expected a Solid")
            for s, shell in enumerate(geom["boundaries"]):
                edges = {}
                for surface in shell:
                    require(len(surface) == 1, f"{oid}: unexpected inner ring")
                    ring = surface[0]
                    for a, b in zip(ring, ring[1:] + ring[:1]):
                        edges[(a, b)] = edges.get((a, b), 0) + 1
                for (a, b), n in edges.items():
                    require(n == 1 and edges.get((b, a)) == 1,
                            f"{oid} shell {s}: edge {a}-{b} not used exactly twice, "
                            f"in opposite directions")
                # planarity: all vertices of a face within 1e-6 m of its plane
                c0 = verts[shell[0][0][0]]
                faces = []
                for surface in shell:
                    ring = [tuple(verts[i][k] - c0[k] for k in range(3)) for i in surface[0]]
                    ring = ring + ring[:1]
                    n = vector_area(ring)
                    m = math.sqrt(dot(n, n))
                    for p in ring:
                        require(abs(dot(sub(p, ring[0]), n)) / m < 1e-6,
                                f"{oid}: face {surface} not planar")
                    faces.append(Face([ring]))
                vol = solid_volume(faces)
                require(vol > 0 if s == 0 else vol < 0, f"{oid} shell {s}: wrong orientation")
                volumes[oid] = volumes.get(oid, 0.0) + vol
    return doc, volumes


def unit_faces(part):
    if isinstance(part, FreeForm):
        return [Face([[part.vertices[i] for i in f] + [part.vertices[f[0]]]]) for f in part.faces]
    return prism_faces(part.rings, part.z_bottom, part.z_top)


def project_on_plane(face, axis):
    keep = [k for k in range(3) if k != axis]
    return [[(p[keep[0]], p[keep[1]]) for p in r] for r in face.rings]


AXIS_DIR = {(2, 1): "up", (2, -1): "down", (0, 1): "east", (0, -1): "west",
            (1, 1): "north", (1, -1): "south"}


def computed_neighbours(units):
    """Six-direction neighbours from the geometry: faces of different units lying in the
    same axis-aligned plane with opposite normals, and their shared area."""
    faces = []
    for u in units:
        for part in u.parts:
            for f in unit_faces(part):
                ax = f.axis()
                if ax is not None:
                    faces.append((u.code, ax, f.rings[0][0][ax[0]], f))
    result = {u.code: {} for u in units}
    for i, (ua, (axa, sa), ca, fa) in enumerate(faces):
        for ub, (axb, sb), cb, fb in faces:
            if ua == ub or axa != axb or sa != -sb or abs(ca - cb) > EPS:
                continue
            area = intersection_area(project_on_plane(fa, axa), project_on_plane(fb, axb))
            if area > EPS:
                d = AXIS_DIR[(axa, sa)]
                result[ua].setdefault(d, {})
                result[ua][d][ub] = result[ua][d].get(ub, 0.0) + area
    return result


def bbox(part):
    pts = [v for f in unit_faces(part) for r in f.rings for v in r]
    return [min(p[k] for p in pts) for k in range(3)], [max(p[k] for p in pts) for k in range(3)]


def check_project(project):
    lines = []
    cx, cy = gauss_kruger(*project.centre_lonlat)
    ox, oy = (float(v) for v in project.origin)
    dist = math.hypot(ox + project.centre_local[0] - cx, oy + project.centre_local[1] - cy)
    require(dist < 1.0, f"{project.key}: offset puts the centre {dist:.1f} m from the site")
    plots = {p.plot_id: p for p in project.plots}
    for p in project.plots:
        require(signed_area(p.outline) > 0, f"plot {p.plot_id}: outline not CCW")
    neigh = computed_neighbours(project.units)
    for u in project.units:
        check_code(u.code, u.model["stratum"])
        faces = [f for part in u.parts for f in unit_faces(part)]
        vol = sum(solid_volume(unit_faces(part)) for part in u.parts)
        require(abs(vol - u.volume) < 1e-6,
                f"{u.code}: volume {vol} m3 from geometry, {u.volume} m3 worked by hand")
        require(faces, u.code)
        # declared six-direction neighbours == hand-worked table == geometry
        declared = {d: set(v) for d, v in u.model["sixto_units"].items()}
        hand = {d: set(v) for d, v in u.neighbours.items()}
        got = {d: set(v) for d, v in neigh[u.code].items()}
        for d in DIRECTIONS:
            require(declared.get(d, set()) == got.get(d, set()),
                    f"{u.code} {d}: sixto_units {sorted(declared.get(d, set()))} but geometry "
                    f"gives {sorted(got.get(d, set()))}")
            require(hand.get(d, set()) == got.get(d, set()),
                    f"{u.code} {d}: hand-worked neighbours differ from geometry")
            for other, area in neigh[u.code].get(d, {}).items():
                require(abs(area - u.neighbours[d][other]) < 1e-6,
                        f"{u.code} {d} {other}: shared area {area} m2 from geometry, "
                        f"{u.neighbours[d][other]} m2 worked by hand")
        # inside the parent plot
        plot = plots[u.model["parent_plot"]]
        outside = 0.0
        for part in u.parts:
            if isinstance(part, FreeForm):
                clipped = unit_faces(part)
                pts = plot.outline
                for (ax_, ay_), (bx_, by_) in zip(pts, pts[1:]):
                    n = (by_ - ay_, -(bx_ - ax_), 0.0)      # outward normal of the edge
                    clipped = clip_convex_polyhedron(clipped, n, dot(n, (ax_, ay_, 0.0)))
                outside += solid_volume(unit_faces(part)) - solid_volume(clipped)
            else:
                inside = intersection_area(part.rings, [plot.outline])
                outside += (polygon_area(part.rings) - inside) * (part.z_top - part.z_bottom)
        require(abs(outside - u.outside_parent_m3) < 1e-6,
                f"{u.code}: {outside} m3 outside plot {plot.plot_id}, expected "
                f"{u.outside_parent_m3}")
        area = "+".join(f"{polygon_area(p.rings):g}" for p in u.parts if isinstance(p, Part))
        if not area:
            area = "(free-form)"
        lines.append((u.code, u.model["stratum"], len(u.parts), area, vol, outside))
    # no two units overlap, except a building (F) inside its own land parcel
    parts = [(u.code, p) for u in project.units for p in u.parts]
    for i, (ca, pa) in enumerate(parts):
        for cb, pb in parts[i + 1:]:
            if ca == cb:
                continue
            (lo_a, hi_a), (lo_b, hi_b) = bbox(pa), bbox(pb)
            if any(min(hi_a[k], hi_b[k]) - max(lo_a[k], lo_b[k]) <= EPS for k in range(3)):
                continue
            require(isinstance(pa, Part) and isinstance(pb, Part),
                    f"{ca} / {cb}: free-form bounding boxes overlap, check by hand")
            shared = intersection_area(pa.rings, pb.rings)
            if shared <= EPS:
                continue
            fixture_in_parcel = (ca[:19] == cb[:19] and "F" in (ca[19], cb[19])
                                 and "W" in (ca[19], cb[19]))
            require(fixture_in_parcel, f"{ca} and {cb} overlap")
            inner = pa if ca[19] == "F" else pb
            outer = pb if ca[19] == "F" else pa
            require(abs(intersection_area(inner.rings, outer.rings) - polygon_area(inner.rings))
                    < EPS and outer.z_bottom <= inner.z_bottom and inner.z_top <= outer.z_top,
                    f"{ca} / {cb}: building not inside its land parcel")
    return lines


def planning_figures(project):
    out = []
    for plot in project.plots:
        if not plot.green_space:
            continue
        plot_area = polygon_area([plot.outline])
        under = [p for u in project.units if u.model["stratum"] == "under"
                 and u.model["parent_plot"] == plot.plot_id for p in u.parts]
        # union of the underground footprints inside the plot: the layouts stack parts on
        # identical or disjoint rectangles, so the union is computed on a 0.5 m raster
        cells = set()
        for p in under:
            if isinstance(p, FreeForm):
                xs = [v[0] for v in p.vertices]
                ys = [v[1] for v in p.vertices]
                x0, x1 = min(xs), min(max(xs), max(x for x, _ in plot.outline))
                y0, y1 = min(ys), max(ys)
                ring = rect(x0, y0, x1, y1)
            else:
                ring = p.rings[0]
            xs = [x for x, _ in ring]
            ys = [y for _, y in ring]
            require(len(ring) == 5 and len(set(xs)) == 2 and len(set(ys)) == 2,
                    "planning_figures: underground footprints must be rectangles")
            for i in range(int(min(xs) * 2), int(max(xs) * 2)):
                for j in range(int(min(ys) * 2), int(max(ys) * 2)):
                    cells.add((i, j))
        proj = len(cells) * 0.25
        roof = max(p.z_top for p in under if isinstance(p, Part))
        out.append(f"  {plot.plot_id}: plot area {plot_area:g} m2, underground projection "
                   f"{proj:g} m2 = {100 * proj / plot_area:.2f} % (<= 30 %), planting soil "
                   f"{plot.ground_elevation - roof:.2f} m (>= 2 m)")
    return out


# --------------------------------------------------------------------------------------------

def write(path, text, check_only):
    path = ROOT / path
    if check_only:
        require(path.exists() and path.read_text(encoding="utf-8") == text,
                f"{path.relative_to(ROOT)} is not what the generator writes")
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="verify the committed files are up to date; write nothing")
    args = ap.parse_args(argv)
    try:
        rows, figures = [], []
        for project in PROJECTS:
            rows += check_project(project)
            figures += planning_figures(project)
        p = write("data/wengcheng/wengcheng.geojson",
                  dumps(project_geojson(WENGCHENG)) + "\n", args.check)
        check_geojson_file(p)
        p = write("data/dazhongsi/dazhongsi.geojson",
                  dumps(project_geojson(DAZHONGSI)) + "\n", args.check)
        check_geojson_file(p)
        passage = next(u for u in DAZHONGSI.units if isinstance(u.parts[0], FreeForm))
        p = write("data/dazhongsi/east-passage.city.json",
                  dumps(passage_cityjson(DAZHONGSI, passage)) + "\n", args.check)
        _, vols = check_cityjson_file(p)
        require(abs(vols[passage.code] - passage.volume) < 1e-3,
                f"CityJSON passage volume {vols[passage.code]} m3, expected {passage.volume}")
    except CheckError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"{'unit':<30}{'stratum':<9}{'parts':>5}  {'area m2':<16}{'volume m3':>12}"
          f"{'outside plot m3':>17}")
    for code, stratum, nparts, area, vol, outside in rows:
        print(f"{code:<30}{stratum:<9}{nparts:>5}  {area:<16}{vol:>12,.1f}{outside:>17,.1f}")
    print("planning rules (toolbox item 20):")
    print("\n".join(figures))
    print("all checks passed" + ("" if args.check else "; files written"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
