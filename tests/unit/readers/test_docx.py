"""Word files: reading order, tables with header rows, exact offsets, and refusals with reasons."""

import io
import shutil
import zipfile

import pytest

from pipelines.readers import RejectedDocument, read_document
from pipelines.readers.docx import OLE_MAGIC
from tests import pdf_factory as pf

TEXT = """临江县2025年国民经济和社会发展统计公报
2025年,全县经济运行总体平稳。初步核算,全年地区生产总值356.2亿元,比上年增长5.6%。
主要指标见下表。
全年一般公共预算收入21.4亿元,增长3.2%。"""
TABLE = [["指标", "单位", "2025年", "比上年增长%"], ["地区生产总值", "亿元", "356.2", "5.6"],
         ["规模以上工业增加值", "亿元", "88.1", "7.1"]]


def _docx_with_table_in_the_middle() -> bytes:
    import docx

    document = docx.Document(io.BytesIO(pf.docx_bytes(TEXT, header="临江县统计局")))
    table = document.add_table(rows=len(TABLE), cols=4)
    for r, row in enumerate(TABLE):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    paragraphs = document.paragraphs
    paragraphs[2]._p.addnext(table._tbl)  # right after "主要指标见下表。"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_paragraphs_and_tables_in_reading_order_with_exact_offsets():
    result = read_document(_docx_with_table_in_the_middle(), "bulletin.docx")
    lines = result.text.split("\n")
    assert lines[:3] == TEXT.splitlines()[:3]
    assert lines[3] == "\t".join(TABLE[0]) and lines[-1] == TEXT.splitlines()[-1]
    (table,) = result.tables
    assert [[c.text for c in row] for row in table.rows] == TABLE
    for row in table.rows:
        for cell in row:
            assert result.text[cell.char_start:cell.char_end] == cell.text
    assert "临江县统计局" not in result.text  # the running header is page furniture
    assert result.media_type.endswith("wordprocessingml.document")


def test_merged_cells_are_read_once_on_the_grid():
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "指标"
    table.cell(0, 2).text = "2025年"
    table.cell(1, 0).text, table.cell(1, 1).text, table.cell(1, 2).text = "地区生产总值", "亿元", "356.2"
    buf = io.BytesIO()
    document.save(buf)
    result = read_document(buf.getvalue(), "t.docx")
    # read once, then an empty cell for the column it spans, so columns stay aligned
    assert [c.text for c in result.tables[0].rows[0]] == ["指标", "", "2025年"]
    assert [c.text for c in result.tables[0].rows[1]] == ["地区生产总值", "亿元", "356.2"]


def test_title_hint_from_core_properties_or_first_line():
    import docx

    document = docx.Document(io.BytesIO(pf.docx_bytes(TEXT)))
    document.core_properties.title = "临江县2025年统计公报"
    buf = io.BytesIO()
    document.save(buf)
    assert read_document(buf.getvalue(), "a.docx").title_hint == "临江县2025年统计公报"
    assert read_document(pf.docx_bytes(TEXT), "a.docx").title_hint == TEXT.splitlines()[0]


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("make, reason", [
    (lambda: pf.docx_bytes(TEXT)[:800], "corrupt or truncated Word file"),
    (lambda: _zip({"xl/workbook.xml": b"<workbook/>"}), "no word/document.xml"),
    (lambda: _zip({"word/document.xml": b"<w:document"}), "corrupt Word file"),
    (lambda: _zip({"word/document.xml": b"\0" * (65 * 1024 * 1024)}), "ZIP bomb"),
    (lambda: OLE_MAGIC + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le"), "encrypted Word file"),
    (lambda: b"hello", "corrupt or truncated Word file"),
])
def test_bad_word_files_are_refused_with_what_is_wrong(make, reason):
    with pytest.raises(RejectedDocument) as info:
        read_document(make(), "report.docx")
    assert reason in info.value.reason


def test_legacy_doc_without_libreoffice_says_how_to_convert(monkeypatch):
    monkeypatch.setenv("ANNUAL_ETL_NO_SOFFICE", "1")
    with pytest.raises(RejectedDocument) as info:
        read_document(OLE_MAGIC + b"\0" * 600, "report.doc")
    assert "libreoffice --headless --convert-to docx" in info.value.reason


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_legacy_doc_is_converted_when_libreoffice_is_installed(tmp_path):
    import subprocess

    source = tmp_path / "b.docx"
    source.write_bytes(pf.docx_bytes(TEXT))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/p", "--convert-to", "doc",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    result = read_document((tmp_path / "b.doc").read_bytes(), "b.doc")
    assert result.media_type == "application/msword"
    assert "全年地区生产总值356.2亿元" in result.text
