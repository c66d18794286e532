"""A Word brief is read within a budget: a crafted file of countless tiny paragraphs, or of
megabytes of text markup, is refused with a message instead of holding a core and memory."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest

from core.briefs.extract import MAX_BLOCKS, MAX_DOCUMENT_XML_BYTES, extract_text
from core.errors import ValidationError


def _docx_with_body(body_xml: str) -> bytes:
    """A real .docx (python-docx's template) whose body is `body_xml`."""
    template = io.BytesIO()
    docx.Document().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for entry in src.infolist():
            data = src.read(entry.filename)
            if entry.filename == "word/document.xml":
                xml = data.decode()
                data = re.sub(r"<w:body>.*</w:body>", f"<w:body>{body_xml}</w:body>", xml,
                              flags=re.S).encode()  # fmt: skip
            dst.writestr(entry, data)
    return out.getvalue()


def _paragraphs(n: int, text: str = "x") -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" * n


def test_a_docx_of_countless_tiny_paragraphs_is_refused(studio_env):
    crafted = _docx_with_body(_paragraphs(MAX_BLOCKS + 1))
    assert len(crafted) < 400_000  # small to upload: it is the unpacked count that matters
    with pytest.raises(ValidationError, match=f"more than {MAX_BLOCKS:,} paragraphs"):
        extract_text("brief.docx", crafted)


def test_a_docx_with_megabytes_of_text_markup_is_refused_before_it_is_parsed(studio_env):
    crafted = _docx_with_body(_paragraphs(MAX_DOCUMENT_XML_BYTES // 30))
    with pytest.raises(ValidationError, match="MB of text markup"):
        extract_text("brief.docx", crafted)


def test_a_long_but_real_brief_is_read_whole(studio_env):
    lines = [f"Point {n}: keep it bright." for n in range(2_000)]
    text = extract_text("brief.docx", _docx_with_body("".join(_paragraphs(1, t) for t in lines)))
    assert text.count("keep it bright.") == 2_000 and "Point 1999" in text
