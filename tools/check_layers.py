#!/usr/bin/env python3
"""Checks that each folder of src/ and include/prospect/ includes only the
folders at or below its own layer (docs/architecture.md). Prints every include
that reaches upward and exits 1 if there is one."""
import pathlib
import re
import sys

# Lowest first; a folder may include its own layer and those before it.
LAYERS = ["core", "geochem", "models", "spec", "validate", "raster", "vector", "output", "evidence",
          "config", "pipeline", "kinds", "run", "cli"]
RANK = {name: i for i, name in enumerate(LAYERS)}

root = pathlib.Path(__file__).resolve().parent.parent
upward = []
for base in (root / "src", root / "include" / "prospect"):
    for path in sorted(base.rglob("*.[ch]pp")):
        layer = path.relative_to(base).parts[0]
        if layer not in RANK:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.match(r'#include "prospect/([a-z_]+)/', line)
            if match and RANK.get(match.group(1), -1) > RANK[layer]:
                upward.append(f"{path.relative_to(root)}:{number}: {layer}/ includes {match.group(1)}/")
for line in upward:
    print(line)
sys.exit(1 if upward else 0)
