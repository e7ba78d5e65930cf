"""Generate N distinct report texts from the bundled real ones, deterministically.

Copy ``i`` is a bijection of ``i`` onto (base report, district, year shift):
- the base is one of ``sources/samples/*.txt`` (real report texts);
- the district is swapped for another district of the same city (北京市大兴区 → 北京市海淀区 …);
- every year 20xx (in the text and in dates) is moved back by a multiple of 5 years (0, 5 … 45), more than the span of
  years in the samples, so two copies never report the same year from different sources;
- the last digit of every decimal figure is shifted by an amount that depends only on
  (district, year shift), so copies that describe the same region and years agree with each
  other, as real reports mostly do; the numbers still differ between regions and years.
A base with no district yields fewer variants; a copy that would repeat an earlier one gets a
one-line "转载编号" trailer (same figures, different bytes). Every copy hashes differently
(``generate`` checks).

``conflicting=True`` instead shifts digits independently of region and year, so copies of the
same region and year contradict each other (a stress test for the cross-document checks).

    python benchmarks/generate_reports.py OUT_DIR N [--conflicting]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = REPO_ROOT / "sources" / "samples"

# Districts of the same city, so region codes still resolve (the first one is the original).
_DISTRICTS = {
    "大兴区": ("大兴区", "海淀区", "朝阳区", "丰台区", "通州区", "顺义区", "昌平区", "房山区", "东城区", "西城区",
              "石景山区", "门头沟区", "平谷区", "怀柔区", "密云区", "延庆区"),
    "天河区": ("天河区", "越秀区", "海珠区", "荔湾区", "白云区", "黄埔区", "番禺区", "花都区", "南沙区", "从化区",
              "增城区"),
}
YEAR_SHIFTS = 10  # x 5 years
YEAR_STEP = 5
DIGIT_SHIFTS = 10

_YEAR = re.compile(r"(?<!\d)20[0-4]\d(?!\d)")  # years in text and in dates (2024-02-02)
_DECIMAL = re.compile(r"(?<![\d.])(\d+\.)(\d+)(?![\d.])")


def base_texts(folder: Path = SAMPLES_DIR) -> list[tuple[str, str]]:
    """(stem, text) of every bundled sample report, in name order."""
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]


def _home_district(text: str) -> str | None:
    for district in _DISTRICTS:
        if district in text:
            return district
    return None


def vary(text: str, index: int, bases: int, *, conflicting: bool = False) -> tuple[str, str]:
    """(variant text, a short label) for copy ``index`` of a base report."""
    rest = index // bases
    home = _home_district(text)
    choices = _DISTRICTS.get(home, (None,))
    district_index = rest % len(choices)
    district = choices[district_index]
    rest //= len(choices)
    shift = (rest % YEAR_SHIFTS) * YEAR_STEP
    rest //= YEAR_SHIFTS
    if conflicting:
        digit = rest % DIGIT_SHIFTS
        rest //= DIGIT_SHIFTS
    else:  # the same region and years always get the same figures
        digit = (district_index * 3 + shift // YEAR_STEP * 7) % DIGIT_SHIFTS
    out = text
    if home and district and district != home:
        out = out.replace(home, district)
    if shift:
        out = _YEAR.sub(lambda m: str(int(m.group(0)) - shift), out)
    if digit:
        out = _DECIMAL.sub(lambda m: m.group(1) + m.group(2)[:-1] + str((int(m.group(2)[-1]) + digit) % 10), out)
    if rest:  # beyond the combinations above: a visible, harmless suffix keeps copies distinct
        out = out.rstrip("\n") + f"\n\n（本文第{rest}次转载）\n"
    return out, f"{district or 'x'}-y{shift}-d{digit}-r{rest}"


def generate(out_dir: str | Path, count: int, *, bases: list[tuple[str, str]] | None = None,
             prefix: str = "", conflicting: bool = False) -> list[Path]:
    """Write ``count`` distinct UTF-8 reports into ``out_dir``; return their paths in order."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    bases = bases or base_texts()
    paths: list[Path] = []
    seen: dict[str, int] = {}
    for index in range(count):
        stem, text = bases[index % len(bases)]
        variant, label = vary(text, index, len(bases), conflicting=conflicting)
        data = variant.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()[:16]
        if digest in seen:  # a base with no district or no decimals: make the copy distinct anyway
            variant = variant.rstrip("\n") + f"\n\n（转载编号{index}）\n"
            label += f"-n{index}"
            data = variant.encode("utf-8")
            digest = hashlib.sha256(data).hexdigest()[:16]
        if digest in seen:
            raise RuntimeError(f"copy {index} hashes like copy {seen[digest]}")
        seen[digest] = index
        path = out / f"{prefix}{index:05d}-{stem}-{label}.txt"
        path.write_bytes(data)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("count", type=int)
    parser.add_argument("--conflicting", action="store_true",
                        help="copies of the same region and year contradict each other")
    args = parser.parse_args(argv)
    paths = generate(args.out_dir, args.count, conflicting=args.conflicting)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} reports ({size / 1e6:.1f} MB) to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
