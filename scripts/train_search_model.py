"""Train the model shipped for search before register (src/wayhome/services/similar_model.json).

    .venv/bin/python scripts/train_search_model.py [--n 100000] [--seed 1]

Trains wayhome.linkage's Fellegi-Sunter model with ``dedupe`` on the synthetic multi-script data
set of ``benchmarks/synth.py`` (generated if missing) and writes it as JSON. The model has no
extra columns: search before register compares names, sex, birth date and birth place only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = ["id", "given_name", "family_name", "patronymic", "sex", "birth_date", "birth_place"]
OUT = ROOT / "src" / "wayhome" / "services" / "similar_model.json"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    import pandas as pd

    from benchmarks.synth import ensure_dataset
    from wayhome.linkage import dedupe

    frame = pd.read_parquet(ensure_dataset(args.n, args.seed))[COLUMNS]
    model = dedupe(frame, engine="duckdb", threshold=0.9).model
    if model.extras:
        raise SystemExit(f"unexpected extra columns {model.extras}")
    args.out.write_text(model.to_json() + "\n", encoding="utf-8")
    print(model.summary())
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
