"""Landing: every offered file is archived once, hashed, and accounted for."""

import os

from pipelines.landing import Archive, discover, document_id_for, land_paths

REPORT = "规模以上工业总产值完成844.1亿元,全市第六,同比下降17.7%。".encode("utf-8")


def test_same_bytes_under_two_names_are_one_document_with_two_sources(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_bytes(REPORT)
    (src / "副本 'b'; c.txt").write_bytes(REPORT)
    archive = Archive(tmp_path / "archive")
    records, offers = land_paths([src], archive)
    (record,) = records
    assert record.document_id == document_id_for(REPORT)[0] == record.document_id[:16]
    assert len(offers) == 2 and set(record.offers) == {str(src / "a.txt"), str(src / "副本 'b'; c.txt")}
    assert archive.read_bytes(record.document_id) == REPORT


def test_landing_twice_keeps_the_first_identity(tmp_path):
    (tmp_path / "r.txt").write_bytes(REPORT)
    archive = Archive(tmp_path / "archive")
    first = land_paths([tmp_path / "r.txt"], archive)[0][0]
    second = land_paths([tmp_path / "r.txt"], archive)[0][0]
    assert (first.document_id, first.offered_at, first.source_path) == (second.document_id, second.offered_at,
                                                                          second.source_path)
    assert len(list((tmp_path / "archive").rglob("*"))) == 3  # folder, blob, sidecar


def test_symlink_out_of_the_sources_root_is_refused_unread(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"password")
    root = tmp_path / "sources"
    root.mkdir()
    os.symlink(outside, root / "link.txt")
    (record,), _ = land_paths([root], Archive(tmp_path / "archive"))
    assert record.reject_reason.startswith("refused: link.txt points outside the sources root")
    assert record.sha256 is None and len(record.document_id) == 16  # an id from the path, not the bytes


def test_folders_offer_supported_files_but_named_files_are_always_offered(tmp_path):
    (tmp_path / "r.html").write_bytes(b"<html></html>")
    (tmp_path / "notes.xlsx").write_bytes(b"x")
    (tmp_path / "manifest.csv").write_text("file,source_url\n")
    assert [p.name for p, _ in discover([tmp_path])] == ["r.html"]
    assert [p.name for p, _ in discover([tmp_path / "notes.xlsx"])] == ["notes.xlsx"]


def test_manifest_gives_source_url_and_publication_date(tmp_path):
    (tmp_path / "r.txt").write_bytes(REPORT)
    (tmp_path / "manifest.csv").write_text(
        "file,title,published_on,source_url\nr.txt,大兴区报告,2024-02-02,http://www.bjdx.gov.cn/x.html\n", encoding="utf-8")
    (record,), _ = land_paths([tmp_path], Archive(tmp_path / "archive"))
    assert (record.source_url, record.published_on, record.title) == ("http://www.bjdx.gov.cn/x.html", "2024-02-02",
                                                                     "大兴区报告")
