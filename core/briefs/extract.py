"""The text of an uploaded brief (.txt, .md, .pdf or .docx), read in memory.

Anything else (another extension, content that is not what the extension claims, a damaged file,
a file without text) is refused with a ValidationError on "file" that says what to do instead.
Nothing is written to disk.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import PurePath
from typing import BinaryIO

from core.errors import ValidationError

MAX_BYTES = 10 * 1024 * 1024
# A .docx is a zip: a small upload can unpack to gigabytes, so the unpacked size is capped too.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
# A brief is a few pages: its text part (images aside) and its paragraphs are bounded too, so a
# crafted file of millions of empty paragraphs is refused before it holds a core and memory.
MAX_DOCUMENT_XML_BYTES = 8 * 1024 * 1024
MAX_BLOCKS = 20_000
EXTENSIONS = (".txt", ".md", ".pdf", ".docx")

# Leading bytes of formats people upload by mistake, to say what the file really is.
_SIGNATURES = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a zip archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a media file (WebP, WAV or AVI)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"ID3", "an MP3 file"),
)
_PDF_BULLETS = re.compile(r"^[ \t]*[\uf0b7\x7f][ \t]*", re.MULTILINE)
# Control characters other than tab and newline (C0, DEL, C1): invisible noise from PDF text
# extraction or from bytes decoded as latin-1.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def extract_text(filename: str, data: bytes | BinaryIO) -> str:
    """The text of a brief file; `data` is its bytes or a binary stream (e.g. an upload)."""
    # Only the base name is shown; a Windows path may arrive with backslashes.
    name = PurePath((filename or "").replace("\\", "/")).name or "the file"
    extension = _extension(name)
    raw = _read_limited(name, data)
    if not raw.strip():
        raise _refuse(f"{name} is empty; upload a brief with text in it, or paste the text")
    readers = {".txt": _text, ".md": _text, ".pdf": _pdf_text, ".docx": _docx_text}
    text = _tidy(readers[extension](name, raw))
    if not text.strip():
        raise _refuse(f"{name} has no text to read; paste the brief's text instead")
    return text


def _extension(name: str) -> str:
    extension = PurePath(name).suffix.lower()
    allowed = ", ".join(EXTENSIONS)
    if extension == ".doc":
        raise _refuse(
            f"{name} is an old Word .doc; save it as .docx (or {allowed}) and upload again"
        )
    if extension not in EXTENSIONS:
        kind = f"{extension} files are" if extension else f"{name} has no extension and is"
        raise _refuse(f"{kind} not supported; upload a {allowed} brief")
    return extension


def _read_limited(name: str, data: bytes | BinaryIO) -> bytes:
    # Read one byte past the limit, so an oversized stream is never read whole into memory.
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data[: MAX_BYTES + 1])
    else:
        raw = data.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise _refuse(
            f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB; upload a smaller file"
        )
    return raw


def _looks_like(raw: bytes) -> str | None:
    return next((kind for magic, kind in _SIGNATURES if raw.startswith(magic)), None)


def _not_what_it_claims(name: str, expected: str, raw: bytes) -> ValidationError:
    kind = _looks_like(raw)
    found = f"it looks like {kind}" if kind else "its content is something else"
    return _refuse(f"{name} is not {expected} ({found}); check you picked the right file")


def _text(name: str, raw: bytes) -> str:
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace")
    if _looks_like(raw) or b"\x00" in raw[:8192]:
        raise _not_what_it_claims(name, "a text file", raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")  # what Windows editors save when not UTF-8
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # decodes any bytes: the last resort


def _pdf_text(name: str, raw: bytes) -> str:
    # The PDF header may follow a little junk (the spec allows 1024 bytes of it).
    if b"%PDF-" not in raw[:1024]:
        raise _not_what_it_claims(name, "a PDF", raw)
    from pypdf import PdfReader  # imported here: only PDF uploads pay for it

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse(f"{name} is password-protected; remove the password or paste the text")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ValidationError:
        raise
    except Exception as error:  # pypdf raises many kinds of errors on damaged files
        raise _refuse(f"{name} could not be read as a PDF; it may be damaged") from error
    if not "".join(pages).strip():
        raise _refuse(f"{name} has no text to read (a scan?); paste the brief's text instead")
    # A page ends with a newline; joining on one more would split a paragraph running on.
    return "\n".join(page.strip("\n") for page in pages)


def _docx_text(name: str, raw: bytes) -> str:
    if not raw.startswith(b"PK\x03\x04"):
        raise _not_what_it_claims(name, "a Word document", raw)
    _check_zip(name, raw)
    import docx  # imported here: only Word uploads pay for it

    try:
        document = docx.Document(io.BytesIO(raw))
        return "\n".join(_docx_lines(name, document))
    except ValidationError:
        raise
    except Exception as error:  # python-docx and lxml raise many kinds of errors
        raise _refuse(f"{name} could not be read as a Word document; it may be damaged") from error


def _check_zip(name: str, raw: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as error:
        raise _refuse(f"{name} could not be read as a Word document; it may be damaged") from error
    if "word/document.xml" not in {entry.filename for entry in entries}:
        raise _refuse(f"{name} is not a Word document (it is another kind of zip file)")
    if sum(entry.file_size for entry in entries) > MAX_UNZIPPED_BYTES:
        raise _refuse(f"{name} unpacks to more than {MAX_UNZIPPED_BYTES // 2**20} MB; too large")
    text_part = next(e for e in entries if e.filename == "word/document.xml")
    if text_part.file_size > MAX_DOCUMENT_XML_BYTES:
        raise _refuse(
            f"{name} holds more than {MAX_DOCUMENT_XML_BYTES // 2**20} MB of text markup; a brief "
            "is a few pages: upload the brief alone"
        )


def _docx_lines(name: str, document) -> list[str]:
    """Paragraphs and tables in document order, as Markdown-like lines the parser reads.

    Blocks are separated by a blank line; list items and table rows stay on adjacent lines so
    they read as one list or one table.
    """
    from docx.table import Table

    # Style names by id, read once: python-docx looks a paragraph's style up among all styles.
    style_names = {style.style_id: (style.name or "").lower() for style in document.styles}
    lines: list[str] = []
    previous_kind = ""
    for count, block in enumerate(document.iter_inner_content(), start=1):
        if count > MAX_BLOCKS:
            raise _refuse(
                f"{name} has more than {MAX_BLOCKS:,} paragraphs and tables; a brief is a few "
                "pages: upload the brief alone"
            )
        if isinstance(block, Table):
            kind, block_lines = "table", _table_lines(block)
        else:
            kind, block_lines = _paragraph_line(block, style_names)
        if not block_lines:
            continue
        if lines and not (kind == previous_kind == "list"):
            lines.append("")
        lines.extend(block_lines)
        previous_kind = kind
    return lines


def _paragraph_line(paragraph, style_names: dict[str, str]) -> tuple[str, list[str]]:
    text = paragraph.text.strip()
    if not text:
        return "empty", []
    style = style_names.get(paragraph._p.style or "", "")
    level = re.fullmatch(r"heading (\d)", style)
    if style == "title":
        return "heading", [f"# {text}"]
    if level:
        return "heading", [f"{'#' * int(level.group(1))} {text}"]
    properties = paragraph._p.pPr  # numbering lives here when a list is not styled "List ..."
    if style.startswith("list") or (properties is not None and properties.numPr is not None):
        return "list", [f"- {text}"]
    return "paragraph", [text]


def _cell_texts(cell) -> list[str]:
    return [p.text.strip() for p in cell.paragraphs if p.text.strip()]


def _row_cells(row) -> list[list[str]]:
    # A merged cell is repeated once per grid column it spans: keep it once.
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(_cell_texts(cell))
    return cells


def _table_lines(table) -> list[str]:
    """A 2-column table as `Field: value` lines; any other as Markdown pipe rows."""
    rows = [cells for cells in map(_row_cells, table.rows) if any(cells)]
    if rows and all(len(cells) == 2 for cells in rows):
        return [line for label, value in rows for line in _field_lines(label, value)]
    lines = []
    for index, cells in enumerate(rows):
        lines.append("| " + " | ".join("; ".join(c).replace("|", "/") for c in cells) + " |")
        if index == 0:
            lines.append("|" + " --- |" * len(cells))
    return lines


def _field_lines(label: list[str], value: list[str]) -> list[str]:
    name = " ".join(label).rstrip(":").strip()
    if not name:
        return value
    if len(value) == 1:
        return [f"{name}: {value[0]}"]
    # Several paragraphs in one cell (e.g. key messages): a label and a bullet each.
    return [f"{name}:"] + [f"- {item}" for item in value]


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # PDF bullets come out as a private-use glyph or DEL: show them as the bullet they were.
    text = _PDF_BULLETS.sub("• ", text)
    text = _CONTROL.sub("", text).replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
