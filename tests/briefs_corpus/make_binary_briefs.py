"""Writes the corpus's binary briefs: pdf_northway.pdf and docx_skyforge.docx.

Run from the repo root: .venv/bin/python tests/briefs_corpus/make_binary_briefs.py

The DOCX is made with python-docx (Title, Heading 2, List Bullet styles and two tables, as Word
users write them). No PDF writer is installed in the venv (no reportlab, fpdf or LibreOffice), so
the PDF is written by hand: one A4 page, Helvetica in WinAnsi encoding, long paragraphs wrapped
into visual lines the way a word processor's export leaves them for a text extractor.
The PDF comes out byte-identical on every run; the DOCX differs only in its zip timestamps.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent

# --- PDF ----------------------------------------------------------------------------------------

# (style, text): "title" and "bold" lines are set in Helvetica-Bold; "wrap" paragraphs are broken
# into lines; "bullet" items are indented after a bullet.
PDF_BRIEF = [
    ("title", "Creative Brief"),
    ("bold", "Northway Credit Union \u2014 \u201cMoney, Minus the Jargon\u201d"),
    ("gap", ""),
    ("plain", "Prepared for: Campaign Studio \u00a0\u00a0|\u00a0\u00a0 Date: 9 January 2026"),
    ("gap", ""),
    ("wrap", "Client: Northway Credit Union"),
    (
        "wrap",
        "Objective: Open 3,000 new checking accounts among under-30s in Minnesota and "
        "Wisconsin by the end of Q2 2026.",
    ),
    (
        "wrap",
        "Audience: First-jobbers aged 21\u201329 who feel talked down to by big banks and "
        "manage their money entirely on their phones.",
    ),
    ("plain", "Key messages:"),
    ("bullet", "No monthly fees, ever"),
    ("bullet", "Real people answer the phone in under two minutes"),
    ("bullet", "Profits go back to members, not shareholders"),
    (
        "wrap",
        "Tone: Honest, warm and plain-spoken \u2014 the friend who is good with money, not a "
        "finance bro. Brand colours stay as they are: Northway green #00875A and white.",
    ),
    ("wrap", "Call to action: \u201cJoin Northway in five minutes.\u201d"),
    (
        "wrap",
        "Deliverables: 20-second spots in 9:16 and 1:1 for Instagram, TikTok and Snapchat, "
        "with burned-in captions (most people watch with the sound off).",
    ),
    (
        "wrap",
        "Mandatories: \u201cFederally insured by NCUA\u201d legal line; Equal Housing "
        "Opportunity logo on the end card.",
    ),
    ("wrap", "Music: Mellow hip-hop instrumental, around 90 BPM."),
    ("wrap", "Budget: $35,000"),
]
PAGE_W, PAGE_H, MARGIN, SIZE, LEADING, WRAP = 595, 842, 56, 10.5, 15, 92


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")  # WinAnsiEncoding: curly quotes, dashes and bullets included
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _pdf_lines() -> list[tuple[str, float, str]]:
    """(font, x, text) per visual line; "" text for a blank line."""
    lines: list[tuple[str, float, str]] = []
    for style, text in PDF_BRIEF:
        if style == "gap":
            lines.append(("F1", MARGIN, ""))
        elif style in ("title", "bold"):
            lines.append(("F2", MARGIN, text))
        elif style == "bullet":
            lines.append(("F1", MARGIN + 12, "\u2022  " + text))
        elif style == "wrap":
            lines += [("F1", MARGIN, line) for line in textwrap.wrap(text, WRAP)]
        else:
            lines.append(("F1", MARGIN, text))
    return lines


def make_pdf(path: Path) -> None:
    ops, y = [], PAGE_H - MARGIN
    for font, x, text in _pdf_lines():
        if text:
            size = 16 if text == PDF_BRIEF[0][1] else SIZE
            ops.append(b"BT /%s %g Tf 1 0 0 1 %g %g Tm %s Tj ET" % (
                font.encode(), size, x, y, _pdf_string(text)))  # fmt: skip
        y -= LEADING
    content = b"\n".join(ops)
    fonts = {"F1": "Helvetica", "F2": "Helvetica-Bold"}
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << "
        b"/F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>" % (PAGE_W, PAGE_H),
        *(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
            % name.encode()
            for name in fonts.values()
        ),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Title (Northway brief) /Producer (make_binary_briefs.py) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, len(objects), xref)  # fmt: skip
    path.write_bytes(bytes(out))


# --- DOCX ---------------------------------------------------------------------------------------


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.author = "Kestrel Games"
    document.add_paragraph("Skyforge Tactics \u2014 Season\u00a03 launch brief", style="Title")

    info = document.add_table(rows=0, cols=2)
    info.style = "Table Grid"
    for label, value in (
        ("Client", "Kestrel Games"),
        ("Campaign", "Ember Tide"),
        ("Brief owner", "Lena Okafor, UA & Brand Lead"),
        ("Date", "2 March 2026"),
    ):
        cells = info.add_row().cells
        cells[0].text, cells[1].text = label, value

    def section(heading: str, *paragraphs: str, bullets: tuple[str, ...] = ()) -> None:
        document.add_paragraph(heading, style="Heading 2")
        for text in paragraphs:
            document.add_paragraph(text)
        for text in bullets:
            document.add_paragraph(text, style="List Bullet")

    section(
        "Objective",
        "Bring lapsed players back: 150,000 reactivations in the first two weeks of Season\u00a03.",
    )
    section(
        "Audience",
        "Mid-core mobile gamers, mostly 18\u201334, who played Skyforge Tactics in 2024 and "
        "drifted off to other games.",
    )
    section(
        "Key messages",
        bullets=(
            "New fire faction: the Ember Legion",
            "Cross-play with PC",
            "500 free gems for returning players",
        ),
    )
    section(
        "Look and feel",
        "Epic and loud, but with a wink \u2014 cinematic-trailer energy that doesn\u2019t take "
        "itself too seriously. Lean on the Season\u00a03 colours, ember red #D7263D and "
        "midnight #1B1B3A.",
    )
    document.add_paragraph("Deliverables", style="Heading 2")
    specs = document.add_table(rows=1, cols=3)
    specs.style = "Table Grid"
    for cell, text in zip(specs.rows[0].cells, ("Length", "Ratio", "Where"), strict=True):
        cell.text = text
    for row in (("30 s", "16:9", "YouTube"), ("15 s", "9:16", "TikTok, YouTube Shorts")):
        for cell, text in zip(specs.add_row().cells, row, strict=True):
            cell.text = text
    section("Call to action", "\u201cReturn to the Tide \u2014 play free now.\u201d")
    section(
        "Must-haves",
        bullets=(
            "PEGI 12 rating on the end card",
            "In-game footage labelled \u2018Gameplay footage\u2019",
        ),
    )
    section("Audio", "Orchestral hybrid with heavy drums; end on the Skyforge horn motif.")
    section("Budget", "About $120k, including VO.")
    document.save(path)


if __name__ == "__main__":
    make_pdf(HERE / "pdf_northway.pdf")
    make_docx(HERE / "docx_skyforge.docx")
    print("wrote", HERE / "pdf_northway.pdf", "and", HERE / "docx_skyforge.docx")
