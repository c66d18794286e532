"""Reading uploaded briefs: the text of every sample format, and a clear refusal for the rest."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from pypdf import PdfWriter

from core.briefs import extract
from core.briefs.extract import MAX_BYTES, extract_text
from core.errors import ValidationError
from tests.utils.factories import SAMPLE_BRIEFS

SAMPLES = SAMPLE_BRIEFS
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_table(document, rows: list[tuple[str, ...]]):
    """A table with these cells; a newline in a value starts another paragraph in its cell."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row_index, row in enumerate(rows):
        for column, value in enumerate(row):
            first, *more = value.split("\n")
            table.cell(row_index, column).text = first
            for paragraph in more:
                table.cell(row_index, column).add_paragraph(paragraph)
    return table


def refusal(filename: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        extract_text(filename, data)
    assert list(caught.value.fields) == ["file"]
    return caught.value.fields["file"]


def test_markdown_sample_is_read_as_written():
    text = extract_text("spring-launch.md", sample("spring-launch.md"))
    assert text.startswith('# Creative Brief — Lumen Sparkling Water: "Taste the Light"')
    assert "**Client:** Lumen Beverages" in text


def test_pdf_sample_shows_its_bullets_and_every_page():
    text = extract_text("spring-launch.pdf", sample("spring-launch.pdf"))
    assert "Key messages\n• Zero sugar, real fruit flavour.\n• Yuzu-ginger" in text
    assert "\x7f" not in text and "\uf0b7" not in text
    # The last section is on page 2, right after page 1's last heading, with no gap.
    assert text.endswith("Music\nUpbeat indie-pop feel, around 110 BPM, no vocals.\nBudget\n"
                         "Production generation budget: $250.")  # fmt: skip


def test_text_sample_is_read_as_written():
    text = extract_text("trailrunner-shoe.txt", sample("trailrunner-shoe.txt"))
    assert text.startswith("CREATIVE BRIEF\n\nBrand: Northpeak Outdoor\n")


def test_docx_sample_keeps_paragraph_order_and_renders_styles_as_headings():
    text = extract_text("trailrunner-shoe.docx", sample("trailrunner-shoe.docx"))
    assert text.startswith("# Creative Brief\n\nBrand: Northpeak Outdoor\n\nProduct: Ridgeline")
    assert "\n\n## Background\n\nNorthpeak is known for hiking boots." in text
    assert text.endswith("Music: Driving percussion, building tension, 120 BPM.")


def test_an_upload_stream_reads_like_bytes():
    with open(SAMPLES / "trailrunner-shoe.docx", "rb") as stream:
        from_stream = extract_text("trailrunner-shoe.docx", stream)
    assert from_stream == extract_text("trailrunner-shoe.docx", sample("trailrunner-shoe.docx"))


def test_docx_two_column_table_becomes_field_lines():
    def build(document):
        document.add_heading("Spring brief", level=1)
        rows = [("Client", "Acme Foods"), ("Objective:", "Sell more soup."),
                ("Key messages", "Hot in a minute.\nNo additives.")]  # fmt: skip
        add_table(document, rows)

    text = extract_text("brief.docx", docx_bytes(build))
    assert text == (
        "# Spring brief\n\nClient: Acme Foods\nObjective: Sell more soup.\n"
        "Key messages:\n- Hot in a minute.\n- No additives."
    )


def test_docx_wider_table_becomes_pipe_rows_with_merged_cells_once():
    def build(document):
        rows = [("Cut", "Length", "Ratio"), ("Hero", "30s", "16:9"), ("", "", "")]
        table = add_table(document, rows)
        table.cell(2, 0).merge(table.cell(2, 2)).text = "All cuts end on the logo | card"

    text = extract_text("brief.docx", docx_bytes(build))
    assert text == (
        "| Cut | Length | Ratio |\n| --- | --- | --- |\n| Hero | 30s | 16:9 |\n"
        "| All cuts end on the logo / card |"
    )


def test_docx_list_items_stay_together_as_bullets():
    def build(document):
        document.add_paragraph("Mandatories")
        document.add_paragraph("Logo at the end.", style="List Bullet")
        document.add_paragraph("No alcohol.", style="List Number")
        document.add_paragraph("")
        document.add_paragraph("Music: calm piano.")

    text = extract_text("brief.docx", docx_bytes(build))
    assert text == "Mandatories\n\n- Logo at the end.\n- No alcohol.\n\nMusic: calm piano."


@pytest.mark.parametrize(
    "data",
    [
        "Tone: café, “warm”".encode("utf-8-sig"),
        "Tone: café, “warm”".encode("cp1252"),
        "Tone: café, “warm”".encode("utf-16"),
        "Tone: café, “warm”".encode(),
    ],
    ids=["utf-8 with BOM", "cp1252", "utf-16 with BOM", "utf-8"],
)
def test_text_in_any_common_encoding_reads_the_same(data):
    assert extract_text("brief.txt", data) == "Tone: café, “warm”"


def test_latin1_bytes_that_are_not_cp1252_still_read():
    # \x81 is undefined in cp1252: latin-1 reads it, as an invisible control that is dropped.
    assert extract_text("brief.md", b"Tone: na\xefve\x81") == "Tone: naïve"


def test_windows_line_endings_become_newlines():
    assert extract_text("brief.txt", b"Brand: Acme\r\nTone: calm\r\n") == "Brand: Acme\nTone: calm"


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("empty.txt", b"", "empty.txt is empty; upload a brief with text in it"),
        ("blank.md", b" \n\n\t\n", "blank.md is empty"),
        ("photo.pdf", PNG, "photo.pdf is not a PDF (it looks like a PNG image)"),
        ("notes.txt", PNG, "notes.txt is not a text file (it looks like a PNG image)"),
        (
            "brief.docx",
            b"%PDF-1.7\n",
            "brief.docx is not a Word document (it looks like a PDF)",
        ),
        (
            "brief.docx",
            b"PK\x03\x04 broken",
            "brief.docx could not be read as a Word document",
        ),
        ("brief.pdf", b"%PDF-1.7\n1 0 obj junk", "brief.pdf could not be read as a PDF"),
        ("brief.png", PNG, ".png files are not supported; upload a .txt, .md, .pdf, .docx"),
        ("brief.doc", b"\xd0\xcf\x11\xe0", "brief.doc is an old Word .doc; save it as .docx"),
        ("README", b"Brand: Acme", "README has no extension and is not supported"),
    ],
    ids=[
        "empty",
        "whitespace",
        "png as pdf",
        "png as txt",
        "pdf as docx",
        "corrupt docx",
        "corrupt pdf",
        "png",
        "old doc",
        "no extension",
    ],  # fmt: skip
)
def test_files_that_cannot_be_read_get_a_clear_message(filename, data, message):
    assert refusal(filename, data).startswith(message)


def test_a_truncated_docx_is_called_damaged():
    half = sample("trailrunner-shoe.docx")[:20_000]
    assert "could not be read as a Word document; it may be damaged" in refusal("t.docx", half)


def test_a_zip_that_is_not_a_word_document_says_so():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sheet.csv", "a,b")
    message = refusal("brief.docx", buffer.getvalue())
    assert message == "brief.docx is not a Word document (it is another kind of zip file)"


def test_a_docx_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(extract, "MAX_UNZIPPED_BYTES", 1000)
    message = refusal("big.docx", sample("trailrunner-shoe.docx"))
    assert message.startswith("big.docx unpacks to more than")


def test_an_oversized_file_is_refused_without_reading_it_all():
    stream = io.BytesIO(b"a" * (MAX_BYTES + 5000))
    with pytest.raises(ValidationError) as caught:
        extract_text("huge.txt", stream)
    assert caught.value.fields["file"] == ("huge.txt is larger than 10 MB; upload a smaller file")
    assert stream.tell() == MAX_BYTES + 1


def pdf_bytes(password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_without_text_asks_for_the_text():
    message = refusal("scan.pdf", pdf_bytes())
    assert message == "scan.pdf has no text to read (a scan?); paste the brief's text instead"


def test_a_password_protected_pdf_says_so():
    message = refusal("locked.pdf", pdf_bytes(password="secret"))
    assert message == "locked.pdf is password-protected; remove the password or paste the text"


def test_a_docx_with_no_text_asks_for_the_text():
    message = refusal("blank.docx", docx_bytes(lambda document: document.add_paragraph("  ")))
    assert message == "blank.docx has no text to read; paste the brief's text instead"


def test_only_the_file_name_is_shown_not_the_path():
    assert refusal("/tmp/uploads/brief.png", PNG).startswith(".png files are not supported")
    assert refusal("C:\\Users\\x\\empty.md", b"").startswith("empty.md is empty")
