"""The steps after the checks: the marts (one transaction) and the region pages."""

from __future__ import annotations

from pathlib import Path

from .base import Connect, FilePath, Markdown, StepResult


def build_marts(connect: Connect, names: tuple[str, ...]) -> StepResult:
    """Every mart (with its staging views) and its build record, in one transaction."""
    from .. import marts
    from ..freshness import record_mart_build

    with connect() as con:
        con.execute("BEGIN")
        try:
            counts = {name: marts.build_mart(con, name) for name in names}
            for name in names:
                record_mart_build(con, name)  # same transaction: a mart and its record go together
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        previews = {name: marts.mart_preview_markdown(con, name) for name in names}
    return StepResult({name: {"row_count": counts[name], "preview": Markdown(previews[name])} for name in names})


def region_reports(connect: Connect, out: Path, region: str | None = None) -> StepResult:
    """One HTML page per region (and quality.html when every region is written)."""
    from ..report import write_region_reports

    with connect(read_only=True) as con:
        written = write_region_reports(con, out, region=region)
    metadata = {"pages": len(written), "out_dir": FilePath(out),
                "files": Markdown("\n".join(f"- `{p.name}`" for p in written) or "_no region with facts_")}
    if not region:
        metadata["quality_page"] = FilePath(out / "quality.html")
    return StepResult({"region_reports": metadata}, warnings=[f"wrote {len(written)} region report(s) to {out}"])
