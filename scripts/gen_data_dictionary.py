"""Write docs/data_dictionary.md from the warehouse's own table and column comments.

    python scripts/gen_data_dictionary.py                 # a scratch in-memory warehouse
    python scripts/gen_data_dictionary.py --warehouse F   # an existing warehouse, read-only
    python scripts/gen_data_dictionary.py --check         # exit 1 when the committed file is stale

The scratch warehouse creates the declared tables with their comments (warehouse/schema/*.yml),
loads core.indicators and builds the empty marts, so the dictionary needs no ingested data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import duckdb  # noqa: E402

from pipelines import docs  # noqa: E402

DEFAULT_OUT = REPO_ROOT / "docs" / "data_dictionary.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", help="read an existing DuckDB warehouse instead of a scratch one")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output file (default: docs/data_dictionary.md)")
    parser.add_argument("--check", action="store_true", help="do not write; fail when the file differs")
    args = parser.parse_args(argv)

    if args.warehouse:
        con = duckdb.connect(args.warehouse, read_only=True)
    else:
        con = duckdb.connect()
        docs.scratch_warehouse(con)
    try:
        text = docs.data_dictionary_markdown(con)
    finally:
        con.close()
    out = Path(args.out)
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out} is out of date: run python scripts/gen_data_dictionary.py", file=sys.stderr)
            return 1
        print(f"{out} is up to date")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
