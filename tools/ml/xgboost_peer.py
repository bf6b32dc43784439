#!/usr/bin/env python3
"""The peer of prospect's XGBoost fits: Debian's python3-xgboost trains on the
same training table with the same parameters and predicts the same rows.

  xgboost_peer.py TABLE.csv PARAMS.json ROWS.csv OUT.csv

TABLE.csv: a header of feature names then `label,weight`; one row per training
cell, empty fields for missing values. PARAMS.json: {"params": {...},
"rounds": N, "categorical": [0/1 per feature]}. ROWS.csv: feature values to
predict. OUT.csv: one probability per row of ROWS.csv, %.9g.
"""
import csv
import json
import math
import sys

import numpy as np
import xgboost as xgb


def read_rows(path):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [[float(v) if v != "" else math.nan for v in row] for row in reader]
    return header, np.array(rows, dtype=np.float32).reshape(len(rows), len(header))


def main(argv):
    if len(argv) != 5:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    header, table = read_rows(argv[1])
    with open(argv[2]) as f:
        spec = json.load(f)
    names = header[:-2]
    types = ["c" if c else "q" for c in spec["categorical"]]
    data = xgb.DMatrix(table[:, :-2], label=table[:, -2], weight=table[:, -1], missing=math.nan,
                       feature_names=names, feature_types=types, enable_categorical=True)
    booster = xgb.train(spec["params"], data, num_boost_round=spec["rounds"])
    _, rows = read_rows(argv[3])
    predicted = booster.inplace_predict(rows, missing=math.nan)
    with open(argv[4], "w") as f:
        for p in predicted:
            f.write("%.9g\n" % p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
