#!/usr/bin/env python3
"""Checks `prospect anomalies` on the demo soils against numpy: every sample's
value (element, chondrite-normalised index, Eu/Eu*, sums, clr, ilr balance) is
recomputed here from the CSV with the same value rule ("<x" is x / 2), and every
threshold (median + k MAD, Tukey's fence, the concentration-number break) from
those values with numpy's own median, percentile and polyfit. The GeoPackage
is read with sqlite3, not GDAL.

Usage: anomalies_numpy_check.py PROSPECT SOURCE_DIR WORK_DIR"""
import csv
import math
import os
import shutil
import sqlite3
import subprocess
import sys

import numpy as np

prospect, source, work = sys.argv[1:4]
soils = os.path.join(source, "vectors", "lofdal_soils.csv")
# CI chondrite, McDonough & Sun (1995) Table 1, typed in again here.
C = {"La": 0.237, "Ce": 0.613, "Pr": 0.0928, "Nd": 0.457, "Sm": 0.148, "Eu": 0.0563,
     "Gd": 0.199, "Tb": 0.0361, "Dy": 0.246, "Ho": 0.0546, "Er": 0.160, "Tm": 0.0247,
     "Yb": 0.161, "Lu": 0.0246, "Y": 1.57}
LREE = ["La", "Ce", "Pr", "Nd", "Sm", "Eu"]
HREE = ["Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Y"]

rows = list(csv.DictReader(open(soils, newline="")))


def ppm(text):
    text = text.strip()
    if text.startswith("<"):
        return float(text[1:]) / 2
    try:
        return float(text)
    except ValueError:
        return math.nan


X = {e: np.array([ppm(r[e + "_ppm"]) for r in rows]) for e in C}
N = {e: X[e] / C[e] for e in C}
with np.errstate(divide="ignore", invalid="ignore"):
    logs = np.log(np.stack([X[e] for e in ("Dy", "La", "Ce", "Nd", "Y")]))
    expected = {
        "Dy_ppm": X["Dy"],
        "(Dy/Yb)N": N["Dy"] / N["Yb"],
        "(La/Yb)N": N["La"] / N["Yb"],
        "Eu/Eu*": N["Eu"] / np.sqrt(N["Sm"] * N["Gd"]),
        "Ce/Ce*": N["Ce"] / np.sqrt(N["La"] * N["Pr"]),
        "HREE/LREE": sum(X[e] for e in HREE) / sum(X[e] for e in LREE),
        "Y/Ho": X["Y"] / X["Ho"],
        # clr of Dy within Dy, La, Ce, Nd, Y: ln Dy minus the mean of the five logs
        "clr(Dy_ppm, La_ppm, Ce_ppm, Nd_ppm, Y_ppm)": logs[0] - logs.mean(axis=0),
        # ilr balance of (Dy, Y) against (La, Ce, Nd): sqrt(2*3/5) ln(g1/g2)
        "balance(Dy_ppm, Y_ppm | La_ppm, Ce_ppm, Nd_ppm)":
            math.sqrt(6 / 5) * (logs[[0, 4]].mean(axis=0) - logs[[1, 2, 3]].mean(axis=0)),
    }


# Principal components of the clr of the fifteen rare earths (samples with every
# one measured): numpy's eigh of the covariance, largest first, each loading
# vector's largest element made positive.
REE = ["La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Y"]
P = np.stack([X[e] for e in REE], axis=1)
whole = np.all(np.isfinite(P) & (P > 0), axis=1)
Z = np.log(P[whole]); Z -= Z.mean(axis=1, keepdims=True)
w, V = np.linalg.eigh(np.cov(Z, rowvar=False))
V = V[:, np.argsort(w)[::-1]]
for k in range(V.shape[1]):
    if V[np.argmax(np.abs(V[:, k])), k] < 0:
        V[:, k] = -V[:, k]
for k in (0, 1):
    score = np.full(len(rows), np.nan)
    score[whole] = (Z - Z.mean(axis=0)) @ V[:, k]
    expected[f"PC{k + 1}"] = score


def threshold(values, method, k, log):
    v = values[np.isfinite(values)]
    if log:
        v = np.log10(v)
    back = (lambda t: 10 ** t) if log else (lambda t: t)
    if method == "mad":
        m = np.median(v)
        return back(m + k * 1.4826 * np.median(np.abs(v - m)))
    if method == "tukey":
        q1, q3 = np.percentile(v, [25, 75])  # linear interpolation: R's type 7
        return back(q3 + k * (q3 - q1))
    # concentration-number: distinct values, highest first; two least-squares lines
    x = np.unique(v)[::-1]
    y = np.log10([np.count_nonzero(v >= t) for t in x])
    m = max(5, len(x) // 20)
    sse = []
    # the low segment starts at or above the median: anomalies are the minority
    for s in range(m, len(x) - m + 1):
        if x[s] < np.median(v):
            break
        e = 0.0
        for a, b in ((0, s), (s, len(x))):
            fit = np.polyfit(x[a:b], y[a:b], 1)
            e += float(np.sum((y[a:b] - np.polyval(fit, x[a:b])) ** 2))
        sse.append(e)
    return back(x[m + int(np.argmin(sse))]), x, sse, m


failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(out, values, method, k=None, log=True):
    shutil.rmtree(out, ignore_errors=True)
    cmd = [prospect, "anomalies", soils, "--crs", "EPSG:32733", "--out", out, "--quiet",
           "--method", method]
    for label, is_index in values:
        if label.startswith("PC"):
            continue
        cmd += ["--index" if is_index else "--field", label]
    if any(label.startswith("PC") for label, _ in values):
        cmd += ["--pca", "rare_earths", "--components", "2"]
    if k:
        cmd += ["--k", str(k)]
    if not log:
        cmd.append("--no-log")
    subprocess.run(cmd, check=True)
    db = sqlite3.connect(os.path.join(out, "anomalies.gpkg"))
    for (label, _), row in zip(values, csv.DictReader(open(os.path.join(out, "thresholds.csv")))):
        layer = row["layer"]
        got = dict(((sid, (val, t, a)) for sid, val, t, a in
                    db.execute(f'SELECT sample_id, value, threshold, anomalous FROM "{layer}"')))
        want = expected[label]
        vals = np.array([got[r["sample_id"]][0] if got[r["sample_id"]][0] is not None else np.nan
                         for r in rows], dtype=float)
        both = np.isfinite(want)
        check(np.array_equal(both, np.isfinite(vals)), f"{label}: the same samples have a value")
        # relative, or absolute for log-ratios near zero
        rel = np.max(np.abs(vals[both] - want[both]) / np.maximum(np.abs(want[both]), 1.0))
        check(rel < (1e-9 if label.startswith("PC") else 1e-12), f"{label}: {both.sum()} sample values equal numpy's (max error {rel:.1e})")
        t = float(row["threshold"])
        if method == "cn":
            ref, x, sse, m = threshold(want, method, k or 0, log)
            # Near-ties in the error may fall either way between two summation orders.
            s = int(np.searchsorted(-x, -math.log10(t)))
            ok = abs(t - ref) <= 1e-5 * ref or (
                m <= s < m + len(sse) and sse[s - m] <= min(sse) * (1 + 1e-9))
            check(ok, f"{label}: concentration-number break {t:.6g} (numpy {ref:.6g})")
        else:
            ref = threshold(want, method, k or (2 if method == "mad" else 1.5), log)
            # thresholds.csv keeps 6 significant digits
            check(abs(t - ref) <= 5e-6 * abs(ref), f"{label}: {method} threshold {t:.6g} (numpy {ref:.6g})")
        anomalous = np.array([got[r["sample_id"]][2] == 1 for r in rows])
        exact_t = np.array([got[r["sample_id"]][1] for r in rows if got[r["sample_id"]][1] is not None])
        check(np.all(exact_t == exact_t[0]), f"{label}: one threshold in the layer")
        check(np.array_equal(anomalous, both & (want > exact_t[0])),
              f"{label}: anomalous exactly where the value is above the threshold ({anomalous.sum()})")


run(os.path.join(work, "mad"), [("Dy_ppm", False), ("(Dy/Yb)N", True), ("(La/Yb)N", True),
                                ("Eu/Eu*", True), ("Ce/Ce*", True), ("HREE/LREE", True),
                                ("Y/Ho", True)], "mad")
run(os.path.join(work, "tukey"), [("clr(Dy_ppm, La_ppm, Ce_ppm, Nd_ppm, Y_ppm)", False),
                                  ("balance(Dy_ppm, Y_ppm | La_ppm, Ce_ppm, Nd_ppm)", False)],
    "tukey", log=False)
run(os.path.join(work, "mad3"), [("Dy_ppm", False)], "mad", k=3)
run(os.path.join(work, "cn"), [("Dy_ppm", False), ("HREE/LREE", True)], "cn")
# PC scores are log-ratios already: their thresholds are of the scores themselves.
run(os.path.join(work, "pca"), [("PC1", False), ("PC2", False)], "mad", log=False)
# clr values of one sample over all its parts sum to zero
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
