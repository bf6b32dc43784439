#!/usr/bin/python3
"""Generates the synthetic Lofdal demo survey shipped in rasters/ and vectors/.

SYNTHETIC DATA. Nothing here is a measurement. Every layer is computed from a
documented hidden 'world' placed where the real Lofdal carbonatite complex lies
(Kunene Region, NW Namibia, about 30-35 km west of Khorixas): Huab Complex gneiss
with Damaran cover, NE-trending (045) faults and shear zones, a swarm of short
carbonatite and syenite dykes along them, a central nepheline syenite plug with a
carbonatite core and breccia, and fenite / hematite-carbonate alteration. From that
world a mineralisation potential ('hidden truth') is computed per element (Dy, Tb,
Y; see element_truth), occurrences are sampled from it, and the survey layers
(radiometrics, magnetics, DEM, geology map, soil geochemistry) are derived from the
world plus seeded noise. The formulas and constants are listed in rasters/README.md.

Deterministic: a fixed seed, and every random component draws from its own named
stream, so the same command writes the same bytes with the same GDAL and numpy.

Run with Debian's python3 (it sees the python3-gdal and python3-numpy packages):
    /usr/bin/python3 tools/make_demo_data.py [--out-root .]
"""
import argparse
import json
import math
import os
import zlib

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

SEED = 20261123
EPSG = 32733                        # WGS 84 / UTM zone 33S
X0, Y0, X1, Y1 = 450000.0, 7735000.0, 480000.0, 7765000.0   # 30 x 30 km survey extent
CELL = 25.0                         # analysis grid and DEM (1200 x 1200)
RCELL = 50.0                        # radiometrics and the geology class raster (600 x 600)
PAD = 1000.0                        # margin of the working grid (magnetics reach past the extent)
WX0, WY0, WX1, WY1 = X0 - PAD, Y0 - PAD, X1 + PAD, Y1 + PAD
NW = int(round((WX1 - WX0) / CELL))  # 1280 working cells a side
AP = int(round(PAD / CELL))          # the analysis grid is work[AP:AP+1200, AP:AP+1200]
NA = int(round((X1 - X0) / CELL))    # 1200
PLUG = (465200.0, 7750300.0)        # centre of the nepheline syenite plug
CORE = (465306.0, 7750406.0)        # centre of its carbonatite core (150 m NE of the plug centre)
SATELLITE = (470600.0, 7755300.0)   # a small carbonatite plug in the HREE swarm
SWARM = (469300.0, 7754400.0)       # centre of the HREE-rich dyke swarm, 5.8 km NE of the plug
STRIKE_DEG = 45.0                   # regional strike of faults and dykes, clockwise from north
PLUG_AXES = (1400.0, 950.0)         # syenite plug semi-axes along / across strike (m)
CORE_AXES = (560.0, 400.0)          # carbonatite core semi-axes (m)
SATELLITE_R = 230.0                 # radius of the satellite carbonatite plug (m)
BRECCIA_PIPES = ((467900.0, 7753100.0), (462300.0, 7747600.0), (471800.0, 7756200.0))
BRECCIA_PIPE_R = 180.0
SURVEY_GAP = (462000.0, 7753000.0, 450.0, 350.0)   # radiometric gap: centre, half-widths (m)

UNITS = ("Huab gneiss", "Damaran cover", "Nepheline syenite", "Carbonatite", "Breccia")
GNEISS, COVER, SYENITE, CARBONATITE, BRECCIA = 1, 2, 3, 4, 5
COVER_FACTOR = 0.15                 # truth multiplier under Damaran cover (mineralisation buried)

# Hidden-truth constants per element (see element_truth and rasters/README.md).
TRUTH = {
    # weights of the dyke, NE-fault, hematite-carbonate, fenite, breccia and plug-margin terms,
    # dyke decay length lam (m), noise amplitude and the scale q (see element_truth)
    "Dy": dict(dyke=1.00, lam=200.0, fault=0.25, hc=0.30, fen=0.10, breccia=0.15, margin=0.10,
               noise=0.55, q=1.30),
    "Tb": dict(dyke=1.00, lam=200.0, fault=0.20, hc=0.35, fen=0.05, breccia=0.10, margin=0.05,
               noise=0.55, q=1.30),
    "Y": dict(dyke=0.85, lam=350.0, fault=0.25, hc=0.20, fen=0.25, breccia=0.30, margin=0.45,
              noise=0.55, q=1.40),
}
FAULT_LAMBDA = 500.0                # decay length of the NE-fault term (m)
MARGIN_WIDTH = 0.20                 # width of the plug-margin term, in elliptical radius units
NOISE_SIGMA = 400.0                 # Gaussian kernel sigma of the truth noise (m)
SAMPLING_POWER = 2.0                # occurrences drawn with probability ~ H^k
N_KNOWN, N_UNDISCOVERED = 40, 60
MIN_SPACING = 250.0                 # minimum distance between any two occurrences (m)
THRESHOLDS = {"Dy_ppm": 300.0, "Tb_ppm": 50.0, "Y_ppm": 1500.0}  # an occurrence 'of' an element
# CI chondrite (ppm), McDonough & Sun (1995), Table 1: the soils' other rare earths are drawn
# in chondrite-normalised units (N = ppm / chondrite).
CHONDRITE = {"La": 0.237, "Ce": 0.613, "Pr": 0.0928, "Nd": 0.457, "Sm": 0.148, "Eu": 0.0563,
             "Gd": 0.199, "Tb": 0.0361, "Dy": 0.246, "Ho": 0.0546, "Er": 0.160, "Tm": 0.0247,
             "Yb": 0.161, "Lu": 0.0246, "Y": 1.57}
# Heavy rare earths over Dy (normalised) in the soil background and in the mineralisation.
HREE_BACKGROUND = {"Gd": 1.20, "Ho": 0.95, "Er": 0.90, "Tm": 0.85, "Yb": 0.80, "Lu": 0.78}
HREE_MINERAL = {"Gd": 0.85, "Ho": 0.92, "Er": 0.80, "Tm": 0.68, "Yb": 0.58, "Lu": 0.52}
OTHER_REE_LIMITS = {"Pr": 0.1, "Sm": 0.1, "Eu": 0.05, "Gd": 0.1, "Ho": 0.05, "Er": 0.1,
                    "Tm": 0.05, "Yb": 0.1, "Lu": 0.05}


def stream(name):
    """An independent random stream per component, so changing one leaves the others alone."""
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


# --------------------------------------------------------------------------- grids and fields

class Grid:
    """Cell-centre coordinates of a north-up grid."""

    def __init__(self, x0, y1, cell, ncols, nrows):
        self.x0, self.y1, self.cell, self.ncols, self.nrows = x0, y1, cell, ncols, nrows
        self.xc = x0 + (np.arange(ncols) + 0.5) * cell
        self.yc = y1 - (np.arange(nrows) + 0.5) * cell

    def mesh(self):
        return np.meshgrid(self.xc, self.yc)

    def window(self, xmin, ymin, xmax, ymax):
        """Rows and columns whose centres may lie within the box (clipped to the grid)."""
        j0 = min(self.ncols, max(0, int(math.floor((xmin - self.x0) / self.cell))))
        j1 = min(self.ncols, int(math.ceil((xmax - self.x0) / self.cell)) + 1)
        i0 = min(self.nrows, max(0, int(math.floor((self.y1 - ymax) / self.cell))))
        i1 = min(self.nrows, int(math.ceil((self.y1 - ymin) / self.cell)) + 1)
        return i0, max(i0, i1), j0, max(j0, j1)


def unit(az_deg):
    """Unit vector (east, north) of an azimuth in degrees clockwise from north."""
    a = math.radians(az_deg)
    return math.sin(a), math.cos(a)


def along_across(x, y, origin, az=STRIKE_DEG):
    """Coordinates along strike and across it (positive to the SE) relative to origin."""
    ux, uy = unit(az)
    dx, dy = x - origin[0], y - origin[1]
    return dx * ux + dy * uy, dx * uy - dy * ux


def gaussian_filter(a, sigma_cells, along_cells=None, az=STRIKE_DEG, pad=None):
    """Gaussian low-pass through the FFT; anisotropic (longer along az) when along_cells is set."""
    big = max(sigma_cells, along_cells or 0.0)
    if pad is None:
        pad = int(3 * big) + 1
    ap = np.pad(a, pad, mode="reflect")
    ny, nx = ap.shape
    ky = np.fft.fftfreq(ny)[:, None]
    kx = np.fft.rfftfreq(nx)[None, :]
    if along_cells is None:
        h = np.exp(-2.0 * math.pi ** 2 * sigma_cells ** 2 * (kx ** 2 + ky ** 2))
    else:
        s, c = unit(az)
        ka = kx * s - ky * c          # image rows point south
        kc = kx * c + ky * s
        h = np.exp(-2.0 * math.pi ** 2 * (along_cells ** 2 * ka ** 2 + sigma_cells ** 2 * kc ** 2))
    out = np.fft.irfft2(np.fft.rfft2(ap) * h, s=ap.shape)
    return out[pad:pad + a.shape[0], pad:pad + a.shape[1]]


def smooth_noise(name, shape, sigma_cells, along_cells=None):
    """Spatially correlated noise, zero mean and unit standard deviation."""
    big = max(sigma_cells, along_cells or 0.0)
    pad = int(3 * big) + 1
    w = stream(name).standard_normal((shape[0] + 2 * pad, shape[1] + 2 * pad))
    n = gaussian_filter(w, sigma_cells, along_cells, pad=0)[pad:pad + shape[0], pad:pad + shape[1]]
    n = n - n.mean()
    return n / n.std()


def block_mean(a, f=2):
    return a.reshape(a.shape[0] // f, f, a.shape[1] // f, f).mean(axis=(1, 3))


def upsample(a, f=2):
    return np.repeat(np.repeat(a, f, axis=0), f, axis=1)


def polyline_distance(grid, pts, cutoff):
    """Distance (m) from cell centres to a polyline, in a window around it grown by cutoff.

    Returns (i0, i1, j0, j1, d); cells outside the window are further than cutoff."""
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    i0, i1, j0, j1 = grid.window(min(xs) - cutoff, min(ys) - cutoff, max(xs) + cutoff,
                                 max(ys) + cutoff)
    X = grid.xc[j0:j1][None, :]
    Y = grid.yc[i0:i1][:, None]
    d2 = np.full((i1 - i0, j1 - j0), np.inf)
    for (ax, ay), (bx, by) in zip(pts[:-1], pts[1:]):
        dx, dy = bx - ax, by - ay
        ll = dx * dx + dy * dy
        if ll == 0.0:
            continue
        t = np.clip(((X - ax) * dx + (Y - ay) * dy) / ll, 0.0, 1.0)
        d2 = np.minimum(d2, (X - ax - t * dx) ** 2 + (Y - ay - t * dy) ** 2)
    return i0, i1, j0, j1, np.sqrt(d2)


def min_distance(grid, lines, cutoff):
    """Distance to the nearest of several polylines, capped at cutoff."""
    out = np.full((grid.nrows, grid.ncols), cutoff)
    for pts in lines:
        i0, i1, j0, j1, d = polyline_distance(grid, pts, cutoff)
        np.minimum(out[i0:i1, j0:j1], d, out=out[i0:i1, j0:j1])
    return out


# --------------------------------------------------------------------------- the hidden world

def trace(rng, start, az0, length_back, length_fwd, step, wobble_deg, period, jitter):
    """A gently curved line: azimuth az0 + wobble*sin(2*pi*s/period + phase), marched both ways."""
    phase = rng.uniform(0, 2 * math.pi)

    def march(sign, length):
        pts, (x, y), s = [], start, 0.0
        while s < length:
            az = az0 + wobble_deg * math.sin(2 * math.pi * s * sign / period + phase)
            ux, uy = unit(az)
            x, y, s = x + sign * step * ux, y + sign * step * uy, s + step
            if not (WX0 - 500 < x < WX1 + 500 and WY0 - 500 < y < WY1 + 500):
                break
            pts.append((x + rng.normal(0, jitter), y + rng.normal(0, jitter)))
        return pts

    back = march(-1, length_back)
    fwd = march(1, length_fwd)
    return back[::-1] + [start] + fwd


def make_faults():
    """The fault framework. Each fault: type, trend, name, true trace, mapped traces."""
    rng = stream("faults")
    faults = []
    # The Lofdal corridor: six NE shear zones, the third passing 350 m NW of the plug centre.
    offsets = (-3600.0, -1900.0, -350.0, 1000.0, 2400.0, 3900.0)
    ux, uy = unit(STRIKE_DEG)
    for k, off in enumerate(offsets):
        s0 = rng.uniform(-2000, 2000)
        start = (PLUG[0] + ux * s0 + uy * off, PLUG[1] + uy * s0 - ux * off)
        pts = trace(rng, start, STRIKE_DEG + rng.normal(0, 2), rng.uniform(9000, 16000),
                    rng.uniform(9000, 16000), 600.0, 5.0, rng.uniform(11000, 17000), 15.0)
        faults.append(dict(type="shear_zone", trend="NE", name="Shear zone " + "ABCDEF"[k], pts=pts))
    # Regional NE faults across the whole extent (the first two are shear zones).
    for k in range(16):
        start = (rng.uniform(X0 + 1000, X1 - 1000), rng.uniform(Y0 + 1000, Y1 - 1000))
        half = rng.uniform(1500, 5500)
        pts = trace(rng, start, STRIKE_DEG + rng.normal(0, 6), half, half, 400.0, 4.0,
                    rng.uniform(6000, 10000), 20.0)
        if k < 2:
            faults.append(dict(type="shear_zone", trend="NE", name="Shear zone " + "GH"[k], pts=pts))
        else:
            faults.append(dict(type="fault", trend="NE", name="NE fault %02d" % (k - 1), pts=pts))
    # NW cross faults, biased towards the corridor, and a few N-trending faults.
    for k in range(8):
        a = rng.normal(0, 6000)
        c = rng.normal(0, 5000)
        start = (PLUG[0] + ux * a + uy * c, PLUG[1] + uy * a - ux * c)
        half = rng.uniform(2000, 7000)
        pts = trace(rng, start, 135.0 + rng.normal(0, 8), half, half, 1000.0, 2.0, 9000.0, 25.0)
        faults.append(dict(type="fault", trend="NW", name="NW fault %02d" % (k + 1), pts=pts))
    for k in range(3):
        start = (rng.uniform(X0 + 3000, X1 - 3000), rng.uniform(Y0 + 3000, Y1 - 3000))
        half = rng.uniform(2500, 4500)
        pts = trace(rng, start, 5.0 + rng.normal(0, 5), half, half, 1000.0, 2.0, 9000.0, 25.0)
        faults.append(dict(type="fault", trend="N", name="N fault %02d" % (k + 1), pts=pts))
    # Mapping: traces are mapped a little off (vertex error ~40 m); four regional NE faults are
    # mapped with a gap (alluvium); two are not mapped at all.
    for k, f in enumerate(faults):
        pts = [(x + rng.normal(0, 40), y + rng.normal(0, 40)) for x, y in f["pts"]]
        if f["name"] in ("NE fault 04", "NE fault 10"):
            f["mapped"] = []
        elif f["name"] in ("Shear zone H", "NE fault 06", "NE fault 08", "NE fault 13") and len(pts) > 6:
            cut = int(rng.integers(2, len(pts) - 3))
            f["mapped"] = [pts[:cut + 1], pts[cut + 2:]]
        else:
            f["mapped"] = [pts]
    return faults


def plug_radius(x, y, wobble):
    a, c = along_across(x, y, PLUG)
    return np.hypot(a / PLUG_AXES[0], c / PLUG_AXES[1]) * (1.0 + 0.07 * wobble)


def core_radius(x, y, wobble):
    a, c = along_across(x, y, CORE)
    return np.hypot(a / CORE_AXES[0], c / CORE_AXES[1]) * (1.0 + 0.07 * wobble)


def make_dykes(faults):
    """True dykes: groups 'plug' (around the plug), 'swarm' (HREE swarm NE of the plug) and
    'regional' (along NE faults). Hidden per-dyke fertility w_Dy, w_Tb, w_Y, w_LREE."""
    rng = stream("dykes")
    ux, uy = unit(STRIKE_DEG)
    ne = [f["pts"] for f in faults if f["trend"] == "NE"]
    ne_len = np.array([sum(math.dist(p, q) for p, q in zip(s[:-1], s[1:])) for s in ne])
    dykes = []

    def add(group, cx, cy, az):
        length = float(np.clip(rng.lognormal(math.log(400), 0.6), 100, 2000))
        vx, vy = unit(az)
        a = (cx - vx * length / 2, cy - vy * length / 2)
        b = (cx + vx * length / 2, cy + vy * length / 2)
        if length > 500:
            k = rng.normal(0, 0.03 * length)
            pts = [a, (cx + vy * k, cy - vx * k), b]
        else:
            pts = [a, b]
        p_carb = {"plug": 0.75, "swarm": 0.88, "regional": 0.60}[group]
        rock = "carbonatite" if rng.random() < p_carb else "syenite"
        if rock == "carbonatite":
            width = float(np.clip(rng.lognormal(math.log(2.0), 0.6), 0.3, 15))
            hree = {"plug": rng.uniform(0.35, 0.70), "swarm": rng.uniform(0.75, 1.0),
                    "regional": rng.uniform(0.20, 0.50)}[group]
            wy = {"plug": rng.uniform(0.50, 0.85), "swarm": rng.uniform(0.65, 0.95),
                  "regional": rng.uniform(0.25, 0.50)}[group]
            r = math.hypot(cx - PLUG[0], cy - PLUG[1])
            lree = {"plug": rng.uniform(0.5, 1.0) * math.exp(-r / 4000), "swarm": rng.uniform(0.1, 0.3),
                    "regional": 0.2}[group]
        else:
            width = float(np.clip(rng.lognormal(math.log(4.0), 0.5), 0.5, 20))
            hree, wy, lree = 0.08, 0.10, 0.15
        dykes.append(dict(group=group, rock=rock, width=round(width, 1), pts=pts, length=length,
                          w_dy=hree, w_tb=hree ** 1.4, w_y=wy, w_lree=lree))

    def inside_plug(x, y):
        return float(plug_radius(np.array(x), np.array(y), 0.0)) < 1.15

    n = 0
    while n < 90:
        a = float(np.clip(rng.laplace(0, 2200), -9000, 9000))
        c = rng.normal(-200, 1300)
        x, y = PLUG[0] + ux * a + uy * c, PLUG[1] + uy * a - ux * c
        if inside_plug(x, y):
            continue
        add("plug", x, y, STRIKE_DEG + rng.normal(0, 8))
        n += 1
    n = 0
    while n < 120:
        a, c = rng.normal(0, 1700), rng.normal(0, 800)
        x, y = SWARM[0] + ux * a + uy * c, SWARM[1] + uy * a - ux * c
        if inside_plug(x, y) or math.hypot(x - SATELLITE[0], y - SATELLITE[1]) < SATELLITE_R:
            continue
        add("swarm", x, y, STRIKE_DEG + rng.normal(0, 6))
        n += 1
    n = 0
    while n < 90:
        f = ne[int(rng.choice(len(ne), p=ne_len / ne_len.sum()))]
        k = int(rng.integers(0, len(f) - 1))
        t = rng.random()
        (ax, ay), (bx, by) = f[k], f[k + 1]
        az = math.degrees(math.atan2(bx - ax, by - ay)) % 180.0
        off = rng.normal(0, 200)
        vx, vy = unit(az)
        x, y = ax + t * (bx - ax) + vy * off, ay + t * (by - ay) - vx * off
        if not (X0 < x < X1 and Y0 < y < Y1) or inside_plug(x, y):
            continue
        add("regional", x, y, az + rng.normal(0, 6))
        n += 1
    return dykes


def dyke_fields(grid, dykes):
    """Per-dyke influence fields on the working grid (max over dykes unless noted)."""
    shape = (grid.nrows, grid.ncols)
    f = {k: np.zeros(shape) for k in ("K_Dy", "K_Tb", "K_Y", "radio", "mag", "lree", "carb")}
    f["d_carb"] = np.full(shape, 3000.0)         # distance to the nearest true carbonatite dyke
    lam = {e: TRUTH[e]["lam"] for e in TRUTH}
    for dk in dykes:
        i0, i1, j0, j1, d = polyline_distance(grid, dk["pts"], 3000.0)
        sl = (slice(i0, i1), slice(j0, j1))
        carb = dk["rock"] == "carbonatite"
        for e, w in (("Dy", dk["w_dy"]), ("Tb", dk["w_tb"]), ("Y", dk["w_y"])):
            np.maximum(f["K_" + e][sl], w * np.exp(-d / lam[e]), out=f["K_" + e][sl])
        np.maximum(f["radio"][sl], (1.0 if carb else 0.4) * np.exp(-d / 40.0), out=f["radio"][sl])
        np.maximum(f["mag"][sl], (1.0 if carb else 0.5) * np.exp(-(d / 120.0) ** 2), out=f["mag"][sl])
        np.maximum(f["lree"][sl], dk["w_lree"] * np.exp(-d / 250.0), out=f["lree"][sl])
        if carb:
            np.maximum(f["carb"][sl], np.exp(-d / 100.0), out=f["carb"][sl])
            np.minimum(f["d_carb"][sl], d, out=f["d_carb"][sl])
    return f


def classify_geology(wx, wy, wobble, cover_noise):
    """Lithology codes 1..5 on the 50 m working grid (from 25 m fields, block-averaged)."""
    rho_s = block_mean(plug_radius(wx, wy, wobble))
    rho_c = block_mean(core_radius(wx, wy, wobble))
    x, y = block_mean(wx), block_mean(wy)
    cn = block_mean(cover_noise)
    cover = (((x - 450000.0) * 0.8 + (y - 7735000.0) * 0.6 - 9000.0 + 900.0 * cn) < 0) | \
            (((480000.0 - x) * 0.9 + (y - 7735000.0) * 0.45 - 5000.0 + 700.0 * cn) < 0)
    a, c = along_across(x, y, PLUG)
    theta_cos = np.abs(a / PLUG_AXES[0]) / np.maximum(np.hypot(a / PLUG_AXES[0], c / PLUG_AXES[1]), 1e-9)
    breccia = (rho_s >= 1.0) & (rho_s < 1.22) & (theta_cos > 0.7)
    for bx, by in BRECCIA_PIPES:
        breccia |= np.hypot(x - bx, y - by) < BRECCIA_PIPE_R * (1.0 + 0.1 * cn)
    lith = np.full(x.shape, GNEISS, dtype=np.uint8)
    lith[cover] = COVER
    lith[breccia] = BRECCIA
    lith[rho_s < 1.0] = SYENITE
    lith[(rho_c < 1.0) | (np.hypot(x - SATELLITE[0], y - SATELLITE[1]) < SATELLITE_R)] = CARBONATITE
    return sieve(lith, 10)


def sieve(classes, threshold):
    """Merge connected regions smaller than threshold cells into their largest neighbour."""
    drv = gdal.GetDriverByName("MEM")
    ds = drv.Create("", classes.shape[1], classes.shape[0], 1, gdal.GDT_Byte)
    ds.GetRasterBand(1).WriteArray(classes)
    out = drv.Create("", classes.shape[1], classes.shape[0], 1, gdal.GDT_Byte)
    gdal.SieveFilter(ds.GetRasterBand(1), None, out.GetRasterBand(1), threshold, 4)
    return out.GetRasterBand(1).ReadAsArray()


def classify_alteration(lith50, plug_rho, df, wobble_noise):
    """Alteration codes on the 50 m working grid: 0 none, 10+i fenite, 20+i hematite-carbonate
    (intensity i = 1..3). Fenite rings the plug and dense dyke clusters; hematite-carbonate follows
    the HREE-fertile carbonatite dykes."""
    contact = np.maximum(plug_rho - 1.0, 0.0) * 1150.0          # approx. metres from the contact
    density = gaussian_filter(df["carb"], 12.0)
    density /= np.percentile(density, 99.9)
    fen = np.maximum(np.exp(-contact / 900.0), 1.3 * density) * np.exp(0.3 * wobble_noise)
    hc = (df["K_Dy"] ** 0.5) * np.exp(0.3 * wobble_noise) * (df["K_Dy"] > 0.05)
    fen, hc = block_mean(fen), block_mean(hc)
    alt = np.zeros(fen.shape, dtype=np.uint8)
    for i, t in ((1, 0.30), (2, 0.50), (3, 0.75)):
        alt[fen > t] = 10 + i
    for i, t in ((1, 0.50), (2, 0.62), (3, 0.75)):
        alt[hc > t] = 20 + i
    alt[(lith50 == COVER) | (lith50 == SYENITE) | (lith50 == CARBONATITE)] = 0
    alt = sieve(alt, 6)
    alt[(lith50 == COVER) | (lith50 == SYENITE) | (lith50 == CARBONATITE)] = 0
    return alt


def element_truth(element, c):
    """Hidden mineralisation potential T_e in 0..1 for element 'Dy', 'Tb' or 'Y'.

    c holds the world's component fields on one grid:
      K_e     max over true dykes k of w_k,e * exp(-d_k / lambda_e), d_k metres to dyke k
              (w: hidden per-dyke fertility; swarm dykes highest for Dy, Tb; w_Tb = w_Dy^1.4)
      S       exp(-d_NE / 500), d_NE metres to the nearest true NE fault or shear zone
      A_hc    hematite-carbonate alteration intensity / 3
      A_fen   fenite alteration intensity / 3
      B       1 in breccia, else 0
      M       exp(-((rho - 1) / 0.20)^2), rho the elliptical radius of the syenite plug
      N_e     0.8 * N_0 + 0.6 * N_e', smooth unit-variance noise (400 m), N_0 shared
      C       0.15 under Damaran cover, else 1
    T_e = min(1, C * (a K_e + b S + h A_hc + f A_fen + r B + m M) * exp(s N_e) / q)
    with the constants a, b, h, f, r, m, s, q of TRUTH[element].
    """
    p = TRUTH[element]
    raw = (p["dyke"] * c["K_" + element] + p["fault"] * c["S"] + p["hc"] * c["A_hc"]
           + p["fen"] * c["A_fen"] + p["breccia"] * c["B"] + p["margin"] * c["M"])
    return np.minimum(1.0, c["C"] * raw * np.exp(p["noise"] * c["N_" + element]) / p["q"])


# --------------------------------------------------------------------------- writers

def write_raster(path, values, srs_wkt, geotransform, nodata, description, units, dtype):
    if os.path.exists(path):
        os.remove(path)
    drv = gdal.GetDriverByName("GTiff")
    ds = drv.Create(path, values.shape[1], values.shape[0], 1, dtype,
                    ["COMPRESS=DEFLATE", "ZLEVEL=9",
                     "PREDICTOR=3" if dtype == gdal.GDT_Float32 else "PREDICTOR=2",
                     "TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256"])
    ds.SetGeoTransform(geotransform)
    ds.SetProjection(srs_wkt)
    ds.SetMetadataItem("SOURCE", "synthetic Lofdal demo (tools/make_demo_data.py), not measured data")
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(nodata)
    band.SetDescription(description)
    band.SetUnitType(units)
    band.WriteArray(values)
    ds = None


def new_gpkg(path):
    if os.path.exists(path):
        os.remove(path)
    return ogr.GetDriverByName("GPKG").CreateDataSource(path)


def add_layer(ds, name, srs, geom_type, fields):
    lyr = ds.CreateLayer(name, srs, geom_type, ["SPATIAL_INDEX=YES"])
    for fname, ftype in fields:
        lyr.CreateField(ogr.FieldDefn(fname, ftype))
    return lyr


def line_geometry(pts, digits=1):
    g = ogr.Geometry(ogr.wkbLineString)
    for x, y in pts:
        g.AddPoint_2D(round(x, digits), round(y, digits))
    return g


def clip_lines(pts, extent_geom):
    """Parts of a polyline inside the extent, as lists of (x, y)."""
    g = line_geometry(pts).Intersection(extent_geom)
    parts = []
    if g is None or g.IsEmpty():
        return parts
    geoms = [g] if g.GetGeometryType() == ogr.wkbLineString else \
        [g.GetGeometryRef(i) for i in range(g.GetGeometryCount())]
    for p in geoms:
        if p.GetGeometryType() == ogr.wkbLineString and p.Length() > 50.0:
            parts.append([p.GetPoint_2D(i) for i in range(p.GetPointCount())])
    return parts


def polygonize_into(classes, geotransform, srs, out_layer, make_fields, mask=None):
    """Polygonize a class raster; make_fields(code) gives the output attributes."""
    drv = gdal.GetDriverByName("MEM")
    ds = drv.Create("", classes.shape[1], classes.shape[0], 1, gdal.GDT_Byte)
    ds.SetGeoTransform(geotransform)
    ds.GetRasterBand(1).WriteArray(classes)
    mask_band = None
    if mask is not None:
        mds = drv.Create("", classes.shape[1], classes.shape[0], 1, gdal.GDT_Byte)
        mds.GetRasterBand(1).WriteArray(mask.astype(np.uint8))
        mask_band = mds.GetRasterBand(1)
    mem = ogr.GetDriverByName("Memory").CreateDataSource("")
    tmp = mem.CreateLayer("p", srs, ogr.wkbPolygon)
    tmp.CreateField(ogr.FieldDefn("code", ogr.OFTInteger))
    gdal.Polygonize(ds.GetRasterBand(1), mask_band, tmp, 0, [])
    n = 0
    for feat in tmp:
        out = ogr.Feature(out_layer.GetLayerDefn())
        for k, v in make_fields(feat.GetField("code")).items():
            out.SetField(k, v)
        out.SetGeometry(feat.GetGeometryRef().Clone())
        out_layer.CreateFeature(out)
        n += 1
    return n


def write_geojson(path, features):
    with open(path, "w") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, indent=1)
        f.write("\n")


def ccw(ring):
    area2 = sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1))
    return ring if area2 > 0 else ring[::-1]


def bilinear(field, grid, x, y):
    """Sample a working-grid field at coordinates (x, y) (arrays)."""
    fc = (x - grid.x0) / grid.cell - 0.5
    fr = (grid.y1 - y) / grid.cell - 0.5
    c0 = np.clip(np.floor(fc).astype(int), 0, grid.ncols - 2)
    r0 = np.clip(np.floor(fr).astype(int), 0, grid.nrows - 2)
    tc = np.clip(fc - c0, 0, 1)
    tr = np.clip(fr - r0, 0, 1)
    return ((1 - tr) * (1 - tc) * field[r0, c0] + (1 - tr) * tc * field[r0, c0 + 1]
            + tr * (1 - tc) * field[r0 + 1, c0] + tr * tc * field[r0 + 1, c0 + 1])


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-root", default=os.path.join(os.path.dirname(__file__), ".."))
    args = ap.parse_args()
    rasters = os.path.join(args.out_root, "rasters")
    vectors = os.path.join(args.out_root, "vectors")
    os.makedirs(rasters, exist_ok=True)
    os.makedirs(vectors, exist_ok=True)
    gdal.SetConfigOption("OGR_CURRENT_DATE", "2026-01-01T00:00:00Z")

    utm = osr.SpatialReference()
    utm.ImportFromEPSG(EPSG)
    utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    wgs = osr.SpatialReference()
    wgs.ImportFromEPSG(4326)
    wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_ll = osr.CoordinateTransformation(utm, wgs)
    to_utm = osr.CoordinateTransformation(wgs, utm)

    def lonlat(x, y):
        lo, la = to_ll.TransformPoint(float(x), float(y))[:2]
        return [round(lo, 7), round(la, 7)]

    # ---- the world on the 25 m working grid (extent + 1 km margin)
    work = Grid(WX0, WY1, CELL, NW, NW)
    wx, wy = work.mesh()
    A = (slice(AP, AP + NA), slice(AP, AP + NA))      # analysis grid inside the working grid
    wobble = smooth_noise("plug-outline", wx.shape, 12.0)
    cover_noise = smooth_noise("cover-outline", wx.shape, 80.0)
    faults = make_faults()
    dykes = make_dykes(faults)
    df = dyke_fields(work, dykes)
    d_ne = min_distance(work, [f["pts"] for f in faults if f["trend"] == "NE"], 5000.0)
    rho_s = plug_radius(wx, wy, wobble)
    rho_c = core_radius(wx, wy, wobble)

    lith50w = classify_geology(wx, wy, wobble, cover_noise)               # 640 x 640
    alt50w = classify_alteration(lith50w, rho_s, df,
                                 smooth_noise("alteration", wx.shape, 10.0))
    lith = upsample(lith50w)
    alt = upsample(alt50w)
    cover = lith == COVER

    # Dykes are mapped where they crop out: not under cover, and 75 % of them (50 % of those
    # shorter than 250 m); the others are blind (under soil and sand) but still mineralised.
    rmap = stream("dyke-mapping")
    for dk in dykes:
        mx, my = dk["pts"][len(dk["pts"]) // 2] if len(dk["pts"]) == 3 else \
            ((dk["pts"][0][0] + dk["pts"][1][0]) / 2, (dk["pts"][0][1] + dk["pts"][1][1]) / 2)
        i = int((WY1 - my) // CELL)
        j = int((mx - WX0) // CELL)
        p = 0.75 if dk["length"] >= 250 else 0.5
        dk["mapped"] = bool(rmap.random() < p) and not cover[i, j]

    comp = {
        "K_Dy": df["K_Dy"], "K_Tb": df["K_Tb"], "K_Y": df["K_Y"],
        "S": np.exp(-d_ne / FAULT_LAMBDA),
        "A_hc": np.where(alt >= 20, alt - 20, 0) / 3.0,
        "A_fen": np.where((alt >= 10) & (alt < 20), alt - 10, 0) / 3.0,
        "B": (lith == BRECCIA).astype(float),
        "M": np.exp(-((rho_s - 1.0) / MARGIN_WIDTH) ** 2),
        "C": np.where(cover, COVER_FACTOR, 1.0),
    }
    n0 = smooth_noise("truth-noise-shared", wx.shape, NOISE_SIGMA / CELL)
    for e in TRUTH:
        comp["N_" + e] = 0.8 * n0 + 0.6 * smooth_noise("truth-noise-" + e, wx.shape, NOISE_SIGMA / CELL)
    truth = {e: element_truth(e, comp) for e in TRUTH}
    hree = (truth["Dy"] + truth["Tb"] + truth["Y"]) / 3.0

    ana = Grid(X0, Y1, CELL, NA, NA)
    ax, ay = ana.mesh()
    gt25 = (X0, CELL, 0.0, Y1, 0.0, -CELL)
    gt50 = (X0, RCELL, 0.0, Y1, 0.0, -RCELL)

    # ---- study area: a made-up exploration licence, about 26 x 26 km
    outline = [(452600, 7738400), (459800, 7737600), (466900, 7738300), (472600, 7737800),
               (477400, 7739200), (477700, 7745600), (476800, 7751900), (477600, 7757400),
               (476400, 7762300), (470200, 7762700), (463500, 7761900), (457400, 7762600),
               (452800, 7761800), (452300, 7755400), (453400, 7749800), (452400, 7744100),
               (452600, 7738400)]
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in outline:
        ring.AddPoint_2D(x, y)
    licence = ogr.Geometry(ogr.wkbPolygon)
    licence.AddGeometry(ring)
    mem = gdal.GetDriverByName("MEM").Create("", NA, NA, 1, gdal.GDT_Byte)
    mem.SetGeoTransform(gt25)
    mem.SetProjection(utm.ExportToWkt())
    vds = ogr.GetDriverByName("Memory").CreateDataSource("")
    vl = vds.CreateLayer("l", utm, ogr.wkbPolygon)
    feat = ogr.Feature(vl.GetLayerDefn())
    feat.SetGeometry(licence)
    vl.CreateFeature(feat)
    gdal.RasterizeLayer(mem, [1], vl, burn_values=[1])
    in_licence = mem.GetRasterBand(1).ReadAsArray().astype(bool)
    write_geojson(os.path.join(vectors, "lofdal_study_area.geojson"), [{
        "type": "Feature",
        "properties": {"name": "Lofdal demo licence (synthetic)", "licence": "DEMO-0001"},
        "geometry": {"type": "Polygon", "coordinates": [ccw([lonlat(x, y) for x, y in outline])]}}])

    # ---- occurrences: cells drawn with probability ~ H^k inside the licence; known ones are
    # also more likely near mapped carbonatite dykes (prospectors follow outcrop).
    d_mapped = min_distance(work, [dk["pts"] for dk in dykes
                                   if dk["mapped"] and dk["rock"] == "carbonatite"], 3000.0)[A]
    H = hree[A]
    w_all = np.where(in_licence, H ** SAMPLING_POWER, 0.0)
    w_known = w_all * (0.25 + 0.75 * np.exp(-d_mapped / 250.0))
    rocc = stream("occurrences")
    taken = []

    def draw(weights, n):
        flat = weights.ravel() / weights.sum()
        got = []
        while len(got) < n:
            idx = int(rocc.choice(flat.size, p=flat))
            i, j = divmod(idx, NA)
            x = ana.xc[j] + rocc.uniform(-CELL / 2, CELL / 2)
            y = ana.yc[i] + rocc.uniform(-CELL / 2, CELL / 2)
            if any(math.hypot(x - px, y - py) < MIN_SPACING for px, py in taken):
                continue
            taken.append((x, y))
            got.append((i, j, x, y))
        return got

    known = draw(w_known, N_KNOWN)
    hidden = draw(w_all, N_UNDISCOVERED)
    lree_field = np.maximum(np.exp(-(rho_c / 1.6) ** 2), df["lree"])[A]
    d_carb = df["d_carb"][A]
    lith_a, alt_a = lith[A], alt[A]

    def occurrence_features(cells, prefix, fmt):
        feats = []
        for n, (i, j, x, y) in enumerate(cells):
            z = rocc.standard_normal(5)
            dy = 40.0 * math.exp(2.6 * truth["Dy"][A][i, j] + 0.22 * z[0] + 0.35 * z[3])
            tb = 6.0 * math.exp(2.8 * truth["Tb"][A][i, j] + 0.22 * z[1] + 0.35 * z[3])
            yy = 250.0 * math.exp(2.4 * truth["Y"][A][i, j] + 0.22 * z[2] + 0.35 * z[3])
            lree = 300.0 * math.exp(3.0 * lree_field[i, j] + 0.5 * z[4])
            treo = (1.27 * yy + 1.148 * 5.0 * dy + 1.17 * lree) / 1e4
            if lith_a[i, j] in (SYENITE, CARBONATITE):
                kind = "plug"
            elif lith_a[i, j] == BRECCIA:
                kind = "breccia"
            elif d_carb[i, j] < 150.0:
                kind = "dyke"
            else:
                kind = "alteration"
            feats.append({"type": "Feature", "properties": {
                "name": fmt % (prefix, n + 1), "type": kind,
                "Dy_ppm": round(dy, 1), "Tb_ppm": round(tb, 1), "Y_ppm": round(yy, 0),
                "TREO_pct": round(treo, 2),
                "status": "prospect" if treo >= 0.5 else "showing"},
                "geometry": {"type": "Point", "coordinates": lonlat(x, y)}})
        return feats

    known_f = occurrence_features(known, "Area", "%s %d")
    hidden_f = occurrence_features(hidden, "Hidden", "%s %02d")
    write_geojson(os.path.join(vectors, "lofdal_occurrences.geojson"), known_f)
    write_geojson(os.path.join(vectors, "lofdal_undiscovered_truth.geojson"), hidden_f)

    # ---- geology map (50 m class raster -> polygons) and alteration
    extent_ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ((X0, Y0), (X1, Y0), (X1, Y1), (X0, Y1), (X0, Y0)):
        extent_ring.AddPoint_2D(x, y)
    extent_geom = ogr.Geometry(ogr.wkbPolygon)
    extent_geom.AddGeometry(extent_ring)
    p50 = int(round(PAD / RCELL))
    lith50 = lith50w[p50:p50 + 600, p50:p50 + 600]
    alt50 = alt50w[p50:p50 + 600, p50:p50 + 600]
    ds = new_gpkg(os.path.join(vectors, "lofdal_geology.gpkg"))
    ds.StartTransaction()
    lyr = add_layer(ds, "lithology", utm, ogr.wkbPolygon, [("unit", ogr.OFTString), ("code", ogr.OFTInteger)])
    n_lith = polygonize_into(lith50, gt50, utm, lyr, lambda c: {"unit": UNITS[c - 1], "code": c})
    lyr = add_layer(ds, "alteration", utm, ogr.wkbPolygon,
                    [("type", ogr.OFTString), ("intensity", ogr.OFTInteger)])
    n_alt = polygonize_into(alt50, gt50, utm, lyr,
                            lambda c: {"type": "fenite" if c < 20 else "hematite-carbonate",
                                       "intensity": c % 10}, mask=alt50 > 0)
    ds.CommitTransaction()
    ds = None

    # ---- structure and dykes, as mapped
    ds = new_gpkg(os.path.join(vectors, "lofdal_structure.gpkg"))
    ds.StartTransaction()
    lyr = add_layer(ds, "faults", utm, ogr.wkbLineString,
                    [("type", ogr.OFTString), ("trend", ogr.OFTString), ("name", ogr.OFTString)])
    n_faults = 0
    for f in faults:
        for piece in f["mapped"]:
            for part in clip_lines(piece, extent_geom):
                feat = ogr.Feature(lyr.GetLayerDefn())
                feat.SetField("type", f["type"])
                feat.SetField("trend", f["trend"])
                feat.SetField("name", f["name"])
                feat.SetGeometry(line_geometry(part))
                lyr.CreateFeature(feat)
                n_faults += 1
    ds.CommitTransaction()
    ds = None

    ds = new_gpkg(os.path.join(vectors, "lofdal_dykes.gpkg"))
    ds.StartTransaction()
    lyr = add_layer(ds, "dykes", utm, ogr.wkbLineString, [("rock", ogr.OFTString), ("width_m", ogr.OFTReal)])
    rjit = stream("dyke-position-error")
    n_dykes = 0
    for dk in dykes:
        if not dk["mapped"]:
            continue
        pts = [(x + rjit.normal(0, 10), y + rjit.normal(0, 10)) for x, y in dk["pts"]]
        for part in clip_lines(pts, extent_geom):
            feat = ogr.Feature(lyr.GetLayerDefn())
            feat.SetField("rock", dk["rock"])
            feat.SetField("width_m", dk["width"])
            feat.SetGeometry(line_geometry(part))
            lyr.CreateFeature(feat)
            n_dykes += 1
    ds.CommitTransaction()
    ds = None

    # ---- airborne radiometrics, 50 m (footprint ~75 m, E-W lines 200 m apart)
    expo = (1.0 - cover[A])                                # cover hides the dykes from gamma rays
    bg = lambda table: np.choose(lith_a - 1, table)
    fen_i = np.where((alt_a >= 10) & (alt_a < 20), alt_a - 10, 0)
    hc_i = np.where(alt_a >= 20, alt_a - 20, 0)
    lp = np.exp(-(rho_c[A] / 1.5) ** 2)
    radio = df["radio"][A] * expo
    th = bg((11.0, 6.0, 28.0, 75.0, 35.0)) + 20.0 * radio + 30.0 * lp + 1.5 * fen_i \
        + 2.0 * smooth_noise("eth-geology", (NA, NA), 12.0)
    u = bg((2.4, 1.8, 5.0, 12.0, 6.0)) + 5.0 * radio + 6.0 * lp + 0.6 * hc_i \
        + 0.4 * smooth_noise("eu-geology", (NA, NA), 12.0)
    k = bg((2.4, 0.9, 4.2, 0.6, 3.0)) + 0.55 * fen_i + 0.15 * hc_i - 1.0 * radio \
        + 0.25 * smooth_noise("k-geology", (NA, NA), 12.0)
    rx, ry = Grid(X0, Y1, RCELL, 600, 600).mesh()
    gap = (np.abs(rx - SURVEY_GAP[0]) < SURVEY_GAP[2]) & (np.abs(ry - SURVEY_GAP[1]) < SURVEY_GAP[3])
    line_of_row = np.arange(600) // 4
    rrad = stream("radiometric-noise")
    stats = {}
    for name, field, floor, count, level, digits, desc, units in (
            ("lofdal_eth.tif", th, 0.5, 0.25, 0.30, 1, "eTh", "ppm"),
            ("lofdal_eu.tif", u, 0.1, 0.30, 0.15, 1, "eU", "ppm"),
            ("lofdal_k.tif", k, 0.05, 0.04, 0.04, 2, "K", "%")):
        v = block_mean(gaussian_filter(field, 3.0))
        v = v + count * np.sqrt(np.maximum(v, 0.0)) * rrad.standard_normal(v.shape)
        v = v + (level * rrad.standard_normal(line_of_row.max() + 1))[line_of_row][:, None]
        v = np.round(np.maximum(v, floor), digits).astype(np.float32)
        v[gap] = -9999.0
        stats[name] = v[~gap]
        write_raster(os.path.join(rasters, name), v, utm.ExportToWkt(), gt50, -9999.0, desc, units,
                     gdal.GDT_Float32)

    # ---- magnetics, reduced to pole, on a lon/lat grid (exercises reprojection)
    fabric = 30.0 * smooth_noise("mag-fabric", wx.shape, 10.0, 60.0) \
        + 45.0 * smooth_noise("mag-regional", wx.shape, 120.0)
    basement = 80.0 + fabric - 80.0 * df["mag"] - 25.0 * np.exp(-d_ne / 150.0) - 45.0 * comp["A_hc"] \
        - 55.0 * (1.0 / (1.0 + np.exp((rho_s - 1.0) / 0.05))) \
        + 110.0 * np.exp(-((rho_s - 1.12) / 0.12) ** 2) - 20.0 * (rho_c < 1.0)
    cs = gaussian_filter(cover.astype(float), 8.0)
    mag = basement * (1.0 - cs) + (0.6 * gaussian_filter(basement, 16.0) + 20.0) * cs
    dolerites = (((455000.0, 7745000.0), 50.0, 160.0), ((472000.0, 7741000.0), 40.0, -90.0),
                 ((465000.0, 7761500.0), 95.0, 120.0))
    for (cx, cy), az, amp in dolerites:     # Cretaceous dolerite dykes: cut everything, one reversed
        vx, vy = unit(az)
        pts = [(cx - 40000 * vx, cy - 40000 * vy), (cx + 40000 * vx, cy + 40000 * vy)]
        i0, i1, j0, j1, d = polyline_distance(work, pts, 400.0)
        mag[i0:i1, j0:j1] += amp * np.exp(-(d / 45.0) ** 2)
    mag = gaussian_filter(mag, 2.0)
    corners = [to_ll.TransformPoint(px, py)[:2] for px in (X0, X1) for py in (Y0, Y1)]
    step = 0.00025
    lon0 = math.floor(min(c[0] for c in corners) / step) * step
    lon1 = math.ceil(max(c[0] for c in corners) / step) * step
    lat0 = math.floor(min(c[1] for c in corners) / step) * step
    lat1 = math.ceil(max(c[1] for c in corners) / step) * step
    ncols = int(round((lon1 - lon0) / step))
    nrows = int(round((lat1 - lat0) / step))
    LON, LAT = np.meshgrid(lon0 + (np.arange(ncols) + 0.5) * step, lat1 - (np.arange(nrows) + 0.5) * step)
    pts = np.array(to_utm.TransformPoints(np.column_stack([LON.ravel(), LAT.ravel()]).tolist()))
    mvals = bilinear(mag, work, pts[:, 0], pts[:, 1]).reshape(LON.shape)
    mvals = mvals + 1.5 * stream("mag-noise").standard_normal(mvals.shape)
    mvals = np.round(mvals, 1).astype(np.float32)
    stats["lofdal_mag_rtp.tif"] = mvals.ravel()
    write_raster(os.path.join(rasters, "lofdal_mag_rtp.tif"), mvals, wgs.ExportToWkt(),
                 (lon0, step, 0.0, lat1, 0.0, -step), -99999.0, "magnetics RTP", "nT", gdal.GDT_Float32)

    # ---- DEM, 25 m: a dissected plateau falling to the west, the plug a low hill
    rdem = stream("drainage")
    rivers = []
    for y_start, depth in ((7761000.0, 45.0), (7749500.0, 55.0), (7739500.0, 40.0)):
        x, y, h = X1 + 600.0, y_start + rdem.normal(0, 800), 270.0
        trunk = [(x, y)]
        while x > X0 - 600.0:
            target = 270.0 - float(np.clip((y - y_start) / 60.0, -25.0, 25.0))
            h = target + 0.8 * (h - target) + rdem.normal(0, 15)
            vx, vy = unit(h)
            x, y = x + 300.0 * vx, y + 300.0 * vy
            trunk.append((x, y))
        deps = [depth * (0.6 + 0.4 * (X1 - px) / (X1 - X0)) for px, _ in trunk]
        rivers.append((trunk, deps, 260.0))
        for _ in range(7):
            k0 = int(rdem.integers(3, len(trunk) - 3))
            side = 1 if rdem.random() < 0.5 else -1
            h = 90.0 - side * rdem.uniform(35, 80)
            x, y = trunk[k0]
            trib = [(x, y)]
            for _ in range(int(rdem.uniform(2000, 5000) / 300)):
                h += rdem.normal(0, 10)
                vx, vy = unit(h)
                x, y = x + 300.0 * vx, y + 300.0 * vy
                trib.append((x, y))
            n = len(trib)
            rivers.append((trib, [deps[k0] * (0.45 - 0.25 * m / n) for m in range(n)], 120.0))
    cut = np.zeros((NA, NA))
    for pts, deps, width in rivers:
        for m in range(len(pts) - 1):
            i0, i1, j0, j1, d = polyline_distance(ana, pts[m:m + 2], 3 * width)
            dep = 0.5 * (deps[m] + deps[m + 1])
            np.maximum(cut[i0:i1, j0:j1], dep * np.exp(-(d / width) ** 2), out=cut[i0:i1, j0:j1])
    dem = 960.0 + 55.0 * (ax - 465000.0) / 15000.0 \
        + 30.0 * smooth_noise("dem-regional", (NA, NA), 100.0) \
        + 8.0 * smooth_noise("dem-hills", (NA, NA), 20.0) \
        + 45.0 * np.exp(-(rho_s[A] / 1.1) ** 2) + 2.0 * df["radio"][A] \
        + 12.0 * gaussian_filter(cover[A].astype(float), 6.0) - cut \
        + 1.0 * stream("dem-noise").standard_normal((NA, NA))
    dem = np.round(dem).astype(np.int16)
    stats["lofdal_dem.tif"] = dem.ravel()
    write_raster(os.path.join(rasters, "lofdal_dem.tif"), dem, utm.ExportToWkt(), gt25, -32768,
                 "elevation", "m", gdal.GDT_Int16)

    # ---- soil geochemistry: NW-SE lines 400 m apart, a sample every 100 m
    disp = {e: gaussian_filter(truth[e][A], 250.0 / CELL) for e in TRUTH}
    lree_s = gaussian_filter(lree_field, 250.0 / CELL)
    radio_s = gaussian_filter(df["radio"][A] * expo, 250.0 / CELL)
    radio_s /= radio_s.max()
    rs = stream("soils")
    rr = stream("soils-ree")  # the other rare earths: their own stream, so the columns above stay
    ux, uy = unit(STRIKE_DEG)
    centre = (466800.0, 7751800.0)
    samples = []
    for line in range(48):
        a = -9400.0 + 400.0 * line
        for st in range(121):
            c = -6000.0 + 100.0 * st
            x = centre[0] + ux * a + uy * c
            y = centre[1] + uy * a - ux * c
            if not licence.Contains(ogr.CreateGeometryFromWkt("POINT (%f %f)" % (x, y))):
                continue
            if rs.random() < 0.02:                       # not collected (outcrop, no access)
                continue
            samples.append(["L%03dS%03d" % (line + 1, st + 1), round(x + rs.normal(0, 3)),
                            round(y + rs.normal(0, 3))])

    def assay(x, y, z0):
        i = min(NA - 1, max(0, int((Y1 - y) // CELL)))
        j = min(NA - 1, max(0, int((x - X0) // CELL)))
        z = rs.standard_normal(8)
        f = 0.75 if cover[A][i, j] else 1.0
        yv = 26.0 * f * math.exp(3.6 * disp["Y"][i, j] + 0.30 * z0 + 0.18 * z[0])
        dyv = 3.6 * f * math.exp(4.2 * disp["Dy"][i, j] + 0.30 * z0 + 0.18 * z[1])
        tbv = 0.72 * f * math.exp(4.6 * disp["Tb"][i, j] + 0.30 * z0 + 0.20 * z[2])
        la = 33.0 * f * math.exp(3.2 * lree_s[i, j] + 0.25 * z0 + 0.20 * z[3])
        ce = la * 1.95 * math.exp(0.06 * z[4])
        nd = la * 0.85 * math.exp(0.07 * z[5])
        thv = 10.0 * f * math.exp(1.2 * lree_s[i, j] + 0.8 * radio_s[i, j] + 0.22 * z[6])
        uv = 2.3 * f * math.exp(0.7 * lree_s[i, j] + 0.9 * radio_s[i, j] + 0.28 * z[7])

        def dl(v, limit, digits):
            return "<%g" % limit if v < limit else ("%.*f" % (digits, v))
        return [dl(yv, 1.0, 1), dl(dyv, 2.0, 2), dl(tbv, 0.5, 2), "%.1f" % la, "%.1f" % ce,
                "%.1f" % nd, "%.1f" % thv, "%.2f" % uv] + other_rare_earths(i, j, dyv, ce, nd)

    def other_rare_earths(i, j, dyv, ce, nd):
        """Pr, Sm, Eu, Gd, Ho, Er, Tm, Yb, Lu, drawn around the measured Dy, Ce and Nd in
        chondrite-normalised units (McDonough & Sun 1995 CI): the HREE follow Dy with the
        pattern of the background (Dy/Yb)N 1.25 or of the xenotime-bearing mineralisation
        (Dy/Yb)N 1.7, mixed by the share m of Dy the mineralisation brings; Pr and Sm are
        geometric interpolations between their neighbours; Eu/Eu* is about 0.7."""
        z = rr.standard_normal(9)
        m = 1.0 - math.exp(-4.2 * disp["Dy"][i, j])
        dyn, cen, ndn = dyv / CHONDRITE["Dy"], ce / CHONDRITE["Ce"], nd / CHONDRITE["Nd"]
        hree = {}
        for k, e in enumerate(("Gd", "Ho", "Er", "Tm", "Yb", "Lu")):
            hree[e] = dyn * ((1 - m) * HREE_BACKGROUND[e] + m * HREE_MINERAL[e]) * math.exp(0.08 * z[k])
        prn = math.sqrt(cen * ndn) * math.exp(0.05 * z[6])
        smn = math.sqrt(ndn * hree["Gd"]) * math.exp(0.07 * z[7])
        eun = 0.70 * math.sqrt(smn * hree["Gd"]) * math.exp(0.10 * z[8])
        ppm = {"Pr": prn, "Sm": smn, "Eu": eun, **hree}
        out = []
        for e in ("Pr", "Sm", "Eu", "Gd", "Ho", "Er", "Tm", "Yb", "Lu"):
            v = ppm[e] * CHONDRITE[e]
            out.append("<%g" % OTHER_REE_LIMITS[e] if v < OTHER_REE_LIMITS[e]
                       else ("%.2f" % v if v < 10 else "%.1f" % v))
        return out

    rows = []
    z0s = rs.standard_normal(len(samples))
    for s, z0 in zip(samples, z0s):
        rows.append(s + assay(s[1], s[2], z0))
    # Field duplicates: a second sample dug at the same spot (same coordinates).
    dup_idx = sorted(int(v) for v in rs.choice(len(rows), 8, replace=False))
    for idx in reversed(dup_idx):
        s = samples[idx]
        rows.insert(idx + 1, [s[0] + "FD", s[1], s[2]] + assay(s[1], s[2], z0s[idx] + rs.normal(0, 0.1)))
    # Entries the laboratory could not report.
    bad = sorted(int(v) for v in rs.choice(len(rows), 4, replace=False))
    for idx, (col, text) in zip(bad, ((4, "n.d."), (3, "n.d."), (5, ""), (4, ""))):
        rows[idx][col] = text
    drawn = ["sample_id", "easting", "northing", "Y", "Dy", "Tb", "La", "Ce", "Nd", "Th", "U",
             "Pr", "Sm", "Eu", "Gd", "Ho", "Er", "Tm", "Yb", "Lu"]
    written = ["sample_id", "easting", "northing", "La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb",
               "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Y", "Th", "U"]
    order = [drawn.index(c) for c in written]
    with open(os.path.join(vectors, "lofdal_soils.csv"), "w", newline="") as f:
        f.write(",".join(c if k < 3 else c + "_ppm" for k, c in enumerate(written)) + "\n")
        for r in rows:
            f.write(",".join(str(r[k]) for k in order) + "\n")

    # ---- summary
    def frac_below(col):
        return sum(1 for r in rows if r[col].startswith("<")) / len(rows)
    print("faults %d features, dykes %d mapped of %d (%d carbonatite mapped), lithology %d polygons, "
          "alteration %d polygons" % (n_faults, n_dykes, len(dykes),
                                      sum(1 for d in dykes if d["mapped"] and d["rock"] == "carbonatite"),
                                      n_lith, n_alt))
    print("soils %d rows, below detection: Y %.3f Dy %.3f Tb %.3f" % (
        len(rows), frac_below(3), frac_below(4), frac_below(5)))
    for e in TRUTH:
        t = truth[e][A][in_licence]
        print("truth %s: mean %.3f p50 %.3f p90 %.3f p99 %.3f max %.3f, fraction at 1: %.4f" % (
            e, t.mean(), *np.percentile(t, [50, 90, 99]), t.max(), (t >= 1).mean()))
    for fs, label in ((known_f, "known"), (hidden_f, "undiscovered")):
        sel = {k: {p["properties"]["name"] for p in fs if p["properties"][k] >= v}
               for k, v in THRESHOLDS.items()}
        kinds = {}
        for p in fs:
            kinds[p["properties"]["type"]] = kinds.get(p["properties"]["type"], 0) + 1
        print("%s: %d; above threshold %s; Dy&Tb&Y %d; types %s; prospects %d" % (
            label, len(fs), {k: len(v) for k, v in sel.items()},
            len(sel["Dy_ppm"] & sel["Tb_ppm"] & sel["Y_ppm"]), kinds,
            sum(1 for p in fs if p["properties"]["status"] == "prospect")))
    for name, v in sorted(stats.items()):
        print("%s: min %.1f p5 %.1f p50 %.1f p95 %.1f p99 %.1f max %.1f" % (
            name, v.min(), *np.percentile(v, [5, 50, 95, 99]), v.max()))


if __name__ == "__main__":
    main()
