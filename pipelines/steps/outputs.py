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


def region_reports(connect: Connect, out: Path, region: str | None = None, everything: bool = False) -> StepResult:
    """The region pages whose inputs changed since they were written (all of them with
    ``everything``), the pages of vanished regions removed, the index and quality.html refreshed
    when every region is asked for."""
    from ..report_pages import update_region_reports

    with connect(read_only=True) as con:
        done = update_region_reports(con, out, region=region, only_changed=not everything)
    metadata = {"pages": len(done.written), "unchanged": len(done.unchanged), "removed": len(done.removed),
                "out_dir": FilePath(out),
                "files": Markdown("\n".join(f"- `{p.name}`" for p in done.written) or "_no page changed_")}
    if not region:
        metadata["quality_page"] = FilePath(out / "quality.html")
    line = f"wrote {len(done.written)} region report(s) to {out}, {len(done.unchanged)} unchanged"
    if done.removed:
        line += f", removed {len(done.removed)} of regions no longer in the warehouse"
    return StepResult({"region_reports": metadata}, warnings=[line])
