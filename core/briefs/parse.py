"""The offline brief parser: text in, BriefFields out. Deterministic; no network, no model.

Three passes over the text:
1. lines: bullets made one kind, PDF line wraps joined, pipe tables turned into `Field: value`
   lines (or one bullet a row);
2. sections: runs of lines under a label (a heading, a `Field:` line, a table row) or under none
   (prose);
3. fields: labels map to fields through SYNONYMS; format, palette and budget are read out of the
   words; a field still empty is looked for in the prose with a few cue phrases.
A field found nowhere stays empty, and BriefFields.missing names it: nothing is invented.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from core.briefs import prose
from core.briefs.fields import ASPECT_RATIOS, MAX_DURATION_S, BriefFields, normalise_hex
from core.briefs.prose import sentences as _sentences
from core.briefs.prose import unquote as _unquote

# label (normalised: lowercase, '&' -> 'and', punctuation -> space) -> (field, rank).
# Within a field, rank 0 comes first: the key message before the supporting points.
# "format" is not a field: its text is where duration, aspect ratios and platforms are read.
_SYNONYM_TABLE = (
    ("title", 0, "campaign, campaign name, campaign title, title, working title, project name"),
    ("title", 0, "project"),
    ("brand", 0, "client, brand, advertiser, brand name, client name, company"),
    ("objective", 0, "objective, objectives, goal, goals, aim, aims, purpose, business objective"),
    ("audience", 0, "audience, target audience, audiences, target group, target market, who"),
    ("audience", 0, "target, tgt, targeting"),
    ("key_messages", 0, "key message, key messages, main message, core message, proposition"),
    ("key_messages", 0, "key points, key point, what to say, messages, message, takeaways, msgs"),
    ("key_messages", 1, "supporting points, supporting point, supporting messages, proof points"),
    ("key_messages", 1, "reasons to believe, rtb, rtbs"),
    ("tone", 0, "tone, tone and style, tone of voice, style, look and feel, mood, tone and manner"),
    ("tone", 0, "feel, vibe, ton"),
    ("call_to_action", 0, "call to action, cta, end line, closing line, sign off line, sign off"),
    ("call_to_action", 0, "tagline, strapline, end frame line, final line"),
    ("mandatories", 0, "mandatories, mandatory, must, musts, must haves, must have, must include"),
    ("mandatories", 0, "requirements, legal, legals, dos and donts, non negotiables"),
    ("music", 0, "music, music direction, audio, soundtrack, sound and music"),
    ("budget_usd", 0, "budget, budget usd, production budget"),
    ("palette", 0, "palette, colours, colors, colour palette, color palette, cols"),
    ("format", 0, "format, formats, deliverables, deliverable, specs, specifications, duration"),
    ("format", 0, "length, runtime, aspect ratio, aspect ratios, ratio, platform, platforms"),
    ("format", 0, "channel, channels, placement, placements, sizes, size, len, fmts, where"),
)
# Labels people phrase as questions or sentences ("What are we trying to achieve?", "Three
# things people should take away"): words that name the field anywhere in a short label.
_LABEL_KEYWORDS = (
    ("title", 0, r"\bcampaign\b.*\bname\b|\bname of the campaign\b"),
    ("brand", 0, r"\b(?:company|brand) name\b|\bcompany or brand\b"),
    ("objective", 0, r"\bachieve\b|\bwant out of\b"),
    (
        "audience",
        0,
        r"\b(?:talking|speaking) to\b|\bwho (?:is|are) (?:it|this|we)\b|\bwho its for\b",
    ),
    ("audience", 0, r"\btrying to reach\b|\bwho\b.*\b(?:reach|for)\b"),
    ("key_messages", 1, r"\bbelieve\b|\bproof\b"),
    ("key_messages", 0, r"\bremember\b"),
    # "Messages we need to land", not "Forwarded message"
    ("key_messages", 0, r"\bmost important\b|\bto say\b|\btake ?away\b|\bmessages? (?:we|to)\b"),
    ("key_messages", 0, r"\b(?:key|main|core) \w* ?messages?\b|^messages?\b"),
    ("tone", 0, r"\bfeel\b"),
    ("call_to_action", 0, r"\b(?:closing|end|final) line\b|\bsign off\b|\bdo after\b"),
    ("format", 0, r"\bhow long\b|\baspect ratio|\bwhere will it (?:run|go|live)\b"),
    ("mandatories", 0, r"\bmust\b|\bmandator"),
    ("music", 0, r"\bmusic\b"),
    ("budget_usd", 0, r"\bbudget\b"),
    ("palette", 0, r"\bcolou?rs\b|\bpalette\b"),
)
_MAX_KEYWORD_LABEL_WORDS = 12
SYNONYMS: dict[str, tuple[str, int]] = {
    label.strip(): (name, rank)
    for name, rank, labels in _SYNONYM_TABLE
    for label in labels.split(",")
}
# Under these labels the text is one message, even if it has several sentences.
_ONE_ITEM_LABELS = {"key message", "main message", "core message", "proposition"}
_SPLIT_FIELDS = ("key_messages", "mandatories")
_SCALAR_FIELDS = ("title", "brand", "objective", "audience", "tone", "call_to_action", "music")
# When a brief has no format section, duration, ratios and platforms are read everywhere else,
# except where numbers mean something else ("logo for 2 seconds", "a 30-second track").
_NOT_FORMAT = {"mandatories", "music", "budget_usd", "call_to_action"}
_MAX_LABEL_WORDS = 6

# An em dash is left out: a PDF line starting with one usually continues the sentence before.
_BULLET = re.compile(
    r"^\s*(?:[\uf0b7\x7f•◦▪▫‣●○■□·]\s*|[-*+–]\s+|\d{1,2}[.)]\s+|[a-h]\)\s+|->\s+|→\s*)"
)
# "2. Objective" on its own line is a numbered heading, not a list item.
_NUMBERED_HEADING = re.compile(r"^\s*\d{1,2}[.)]\s+(?P<text>[^.!;:,]{2,60})$")
_HEADING = re.compile(r"^#{1,6}(?:\s|$)")  # "#ff3366" is a colour, not a heading
_WRAP_WIDTH = 60
_RULE = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")
_LABEL = re.compile(
    r"^(?:\*\*|__)?(?P<label>[A-Za-z][\w &/'’(),+-]{0,48}?)\s*(?:\*\*|__)?\s*:(?:\*\*|__)?"
    r"(?:\s+(?P<value>.*))?$"
)
_DASH_LABEL = re.compile(
    r"^(?:\*\*|__)?(?P<label>[A-Za-z][\w &/'’-]{0,30}?)(?:\*\*|__)?\s*(?:\s[–—=-]|->|→)\s+"
    r"(?P<value>.+)$"
)
_BOLD_LINE = re.compile(r"^(\*\*|__)(?P<text>[^*_]{1,80}?)\1:?$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_TERMINAL = ".!?:;"
# Words a line rarely ends on unless the sentence goes on: a PDF wrap before a capital letter.
_FUNCTION_WORDS = set(
    "a an the and or of to for with in on at by from our your their its as that who which but "
    "is are was were be into than".split()
)

_NUMBER_WORDS = {"five": 5, "six": 6, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30,
                 "forty-five": 45, "forty five": 45, "sixty": 60, "ninety": 90}  # fmt: skip
_DURATION = re.compile(
    r"(?<![\w.:])(?P<n>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\s*-?\s*"
    # 30" (inch marks) is how agencies write a 30 s spot; "25 Sek." a German one
    r"(?:(?P<unit>seconds?|secs?|s|sek(?:unden)?|minutes?|mins?)\b|[\"″](?=[\s,;)]|$))",
    re.IGNORECASE,
)
_SPOT = re.compile(r"(?<![\w:]):(?P<n>[0-5]\d)\b")  # ":30" is how agencies write a 30 s spot
_DURATION_LABEL = re.compile(r"\b(?:duration|length|runtime)\W+(?P<n>\d{1,3})\b(?!\s*[:%.,]\d)")
_VIDEO_NOUNS = (
    r"(?:video|videos|spot|ad|ads|advert|commercial|cut|film|clip|edit|version|pre-roll|story|"
    r"stories|reel|reels|trailer|teaser|format|hero|bumper|bumpers|promo|cut-down|cutdown|"
    r"spots|films|animation)"
)
# "a 20 second vertical video" (noun after) or "keep the spot to 15 seconds" (noun before).
_VIDEO_AFTER = re.compile(r"(?:[\w'-]+\s+){0,2}?" + _VIDEO_NOUNS + r"\b", re.IGNORECASE)
_VIDEO_BEFORE = re.compile(r"\b" + _VIDEO_NOUNS + r"(?:\W+[\w'-]+){0,2}\W*$", re.IGNORECASE)
_RATIO = re.compile(r"(?<![\d:.])(\d{1,2})\s?[:x×]\s?(\d{1,2})(?![\d:])")
_RATIO_WORDS = {"vertical": "9:16", "portrait": "9:16", "square": "1:1", "widescreen": "16:9",
                "horizontal": "16:9", "landscape": "16:9"}  # fmt: skip
_RATIO_WORD = re.compile(r"\b(" + "|".join(_RATIO_WORDS) + r")\b", re.IGNORECASE)
# Normalised platform name -> pattern; earlier patterns win where they overlap ("Instagram Reels"
# before "Instagram"). A bare "X" or "reel" is too common a word to count.
_PLATFORMS = (
    ("YouTube Shorts", r"(?i:(?:youtube|yt)\s+shorts)"),
    ("YouTube", r"(?i:youtube)"),
    ("TikTok", r"(?i:tik\s?tok)"),
    ("Instagram Reels", r"(?i:(?:instagram|insta|ig)\s+reels?)|Reels?\b"),
    ("Instagram Stories", r"(?i:(?:instagram|insta|ig)\s+stor(?:y|ies))"),
    ("Instagram", r"(?i:instagram|\binsta\b)|\bIG\b"),
    ("Facebook", r"(?i:facebook)|\bFB\b"),
    ("LinkedIn", r"(?i:linkedin)"),
    ("X", r"\bX\s*(?:/\s*|\(\s*(?i:formerly\s+)?)(?i:twitter)\)?|(?i:twitter)(?:\s*/\s*X\b)?"),
    ("Snapchat", r"(?i:snapchat)"),
    ("Pinterest", r"(?i:pinterest)"),
    ("CTV", r"\bCTV\b|(?i:connected\s+tv)"),
    ("Twitch", r"(?i:twitch)"),
    ("Vimeo", r"(?i:vimeo)"),
    ("Spotify", r"(?i:spotify)"),
)
_PLATFORM = re.compile(
    "|".join(f"(?P<p{i}>{pattern})" for i, (_, pattern) in enumerate(_PLATFORMS))
)
_HEX = re.compile(r"(?<![\w&#])#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})(?![\w-])")
# "18 000" (French, with a space or NBSP) as well as "18,000".
_AMOUNT = r"\d{1,3}(?:[ \u202f]\d{3})+(?!\d)(?:\.\d+)?|\d[\d,]*(?:\.\d+)?"
_MONEY = re.compile(
    r"(?:(?:US\$|\$|€|£|\b(?:USD|EUR|GBP))\s?(?P<a>" + _AMOUNT + r")"
    r"(?:\s?(?P<am>k|m|thousand|million)\b)?"
    r"|(?<![\w.])(?P<b>" + _AMOUNT + r")(?:\s?(?P<bm>k|m|thousand|million))?\s?"
    r"(?:dollars?|usd|eur|euros?|gbp|pounds?)\b)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.:#-])(?P<a>" + _AMOUNT + r")(?:\s?(?P<am>k|thousand)\b)?(?![\d:%-])")
_YEAR = re.compile(r"(?:19|20)\d\d")  # "the 2025 framework agreement" is no budget
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}
_BUDGET_WORDS = re.compile(r"\b(?:budget|spend|cost|costs)\b", re.IGNORECASE)
# Money people say they have for the work: "We have USD 60k for this", "about $40k all in".
_HAVE_WORDS = re.compile(
    r"\b(?:we have|we(?:’ve|'ve) got|we can (?:spend|invest|afford)|all in|for this)\b", re.I
)
# A bare amount with a multiplier counts where the sentence speaks of budget: "like 3k".
_THOUSANDS = re.compile(r"(?<![\w.$€£])(?P<a>\d+(?:\.\d+)?)\s?(?P<am>k|m)\b", re.IGNORECASE)


@dataclass
class _Line:
    kind: str  # "blank", "heading", "label", "bullet" or "text"
    text: str  # for a label line: its value
    label: str = ""
    raw: str = ""
    indent: int = 0  # a bullet's: a deeper bullet belongs to the one above it


@dataclass
class _Section:
    label: str  # normalised; "" for prose
    kind: str  # "prose", "heading" or "label"
    name: str | None = None  # the field the label maps to; None for prose and unknown labels
    rank: int = 0
    lines: list[_Line] = field(default_factory=list)
    bullet_indent: int | None = None  # opened by a `• Field: value` bullet at this indent


def parse_brief(text: str) -> BriefFields:
    """Fields of a brief from its text (as typed, or as extract_text gives it)."""
    logical = _logical_lines(text or "")
    lines = _classify(logical)
    sections = _sections(lines)
    found: dict = _from_sections(sections)
    _split_title(found)
    if not found.get("brand"):
        found["brand"] = prose.brand_from_signature(logical)
    prose_texts = _prose_texts(sections)
    prose.fill(found, prose_texts, {name for name, value in found.items() if value})
    found.update(_format_fields(sections))
    found["palette"] = _palette(text or "")
    found["budget_usd"] = _budget(sections)
    if not found.get("title"):
        found["title"] = _title_from_first_lines(lines, found) or prose.quoted_title(
            prose_texts, [found.get("call_to_action") or ""]
        )
    return BriefFields(**found)


# --- labels -------------------------------------------------------------------------------------


def normalise_label(label: str) -> str:
    """'Tone & style:' -> 'tone and style'; 'Must-haves' -> 'must haves'; "Do's" -> 'dos'."""
    label = re.sub(r"\([^)]*\)", " ", label.lower()).replace("&", " and ")
    label = re.sub(r"['’]", "", label)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", label).split())


def field_of(label: str, keywords: bool = True) -> tuple[str, int] | None:
    """The field a label names, or None. 'Production generation budget' ends in 'budget': a label
    is matched on its last words too, so qualifiers in front of a known label do not hide it.
    With `keywords`, a longer label is matched on words anywhere in it ("Who are we talking
    to?"): not for a dash, which is as common in a sentence as after a label."""
    words = normalise_label(label).split()
    if not words or len(words) > _MAX_KEYWORD_LABEL_WORDS:
        return None
    for start in range(len(words)):
        found = SYNONYMS.get(" ".join(words[start:]))
        if found and len(words) <= _MAX_LABEL_WORDS:
            return found
    # A quoted phrase or a number is a value, not part of a label ('end line "Book now"').
    if keywords and len(words) > 1 and not re.search(r"[\d\"“”„«»‘]", label):
        for name, rank, pattern in _LABEL_KEYWORDS:
            if re.search(pattern, " ".join(words)):
                return name, rank
    return None


def _label_line(text: str) -> tuple[str, str] | None:
    """('Client', 'Lumen') for 'Client: Lumen' or '**Client:** Lumen'; None for other lines."""
    match = _LABEL.match(text)
    if match and len(match.group("label").split()) <= _MAX_LABEL_WORDS:
        return match.group("label").strip(), (match.group("value") or "").strip()
    # "Client – Lumen" (or "objective = ...") is a label only when the label is one we know:
    # dashes are common in prose.
    match = _DASH_LABEL.match(text)
    if match and field_of(match.group("label"), keywords=False):
        return match.group("label").strip(), match.group("value").strip()
    return None


def _bare_heading(text: str) -> str | None:
    """'Target audience', '**Objective**', 'Budget:' or 'Who are we talking to?' on a line of its
    own -> the heading text."""
    bold = _BOLD_LINE.match(text)
    inner = (bold.group("text") if bold else text).strip().rstrip(":").strip()
    if bold or (inner and field_of(inner) and not re.search(r"[.!]$", inner)):
        return inner
    return None


# --- pass 1: lines ------------------------------------------------------------------------------


def _logical_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text).replace("\u00a0", " ")
    raw = [line.rstrip() for line in _without_reply(text.split("\n"))]
    following = [next((x for x in raw[i + 1 :] if x.strip()), "") for i in range(len(raw))]
    lines = [_bulleted(line, after) for line, after in zip(raw, following, strict=True)]
    return _join_wraps(_expand_tables(lines))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _bulleted(line: str, after: str) -> str:
    """Every kind of bullet made '• ', its indentation kept: nesting says what belongs to what.
    "2. Objective" with its text indented under it is a numbered heading, not a list item."""
    numbered = _NUMBERED_HEADING.match(line)
    if numbered and (field_of(numbered.group("text")) or _indent(after) > _indent(line)):
        return "## " + numbered.group("text").strip()
    indent = line[: _indent(line)]
    return indent + _BULLET.sub("• ", line.lstrip(), count=1)


_REPLY_HEADER = re.compile(r"^\s*(?:On\s.{5,120}\swrote:|-{2,}\s*Original Message\s*-{2,})\s*$")


_FORWARDED = re.compile(r"^\s*-{2,}\s*(?:Forwarded message|Message transféré)\s*-{2,}\s*$", re.I)


def _without_reply(lines: list[str]) -> list[str]:
    """An email's quoted thread ("> ...", "On Tue, ... wrote:") is not the brief, nor is the
    note of whoever forwarded it."""
    forwarded = [i for i, line in enumerate(lines) if _FORWARDED.match(line)]
    if forwarded:
        lines = lines[forwarded[0] + 1 :]
    kept: list[str] = []
    for line in lines:
        if _REPLY_HEADER.match(line):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return kept


def _expand_tables(lines: list[str]) -> list[str]:
    out: list[str] = []
    table: list[str] = []
    for line in [*lines, ""]:
        if line.strip().startswith("|"):
            table.append(line)
            continue
        if table:
            out.extend(_table_lines(table))
            table = []
        out.append(line)
    return out[:-1]


def _cells(row: str) -> list[str]:
    row = row.strip().removeprefix("|").removesuffix("|")
    return [cell.strip().strip("*_").strip() for cell in row.split("|")]


def _table_lines(table: list[str]) -> list[str]:
    """Two columns -> `Field: value` lines. Wider, with field names as column headers -> a label
    and bullets a column; otherwise one bullet a row (e.g. a deliverables table)."""
    has_header = len(table) > 1 and bool(_TABLE_SEPARATOR.match(table[1]))
    rows = [_cells(row) for row in table if not _TABLE_SEPARATOR.match(row)]
    if all(len(row) == 2 for row in rows):
        return [f"{a}: {b}" if a else b for a, b in rows if a or b] + [""]
    header, body = (rows[0], rows[1:]) if has_header else ([], rows)
    lines: list[str] = [""]
    if header and 2 * sum(bool(field_of(name)) for name in header) >= len(header):
        for index, name in enumerate(header):
            lines += [f"{name}:"] + [
                f"• {row[index]}" for row in body if len(row) > index and row[index]
            ]
            lines.append("")
        return lines
    return lines + ["• " + ", ".join(cell for cell in row if cell) for row in body] + [""]


def _join_wraps(lines: list[str]) -> list[str]:
    """Join the lines a PDF broke inside a paragraph (text extraction keeps the visual lines)."""
    out: list[str] = []
    for line in lines:
        if out and _continues(out[-1], line):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return out


def _continues(previous: str, line: str) -> bool:
    before, after = previous.strip(), line.strip()
    if not before or not after or _HEADING.match(after) or after.startswith(("|", "• ")):
        return False
    if _HEADING.match(before) or before.startswith("|") or _bare_heading(before):
        return False
    if _starts_field(after) or before.rstrip('"”’)')[-1:] in _TERMINAL:
        return False
    # pypdf starts a wrapped line with a space; a new paragraph rarely starts lowercase or with
    # punctuation that only goes on a sentence ("— this spring only.").
    if line[0].isspace() or after[0].islower() or after[0] in "—…),;":
        return True
    # A long unfinished line is a wrap (short ones are headings), unless a capital starts a line.
    if len(before) >= _WRAP_WIDTH and not after[0].isupper():
        return True
    last_word = before.split()[-1].lower()
    return before.endswith((",", "-", "—", "–")) or last_word in _FUNCTION_WORDS


def _starts_field(line: str) -> bool:
    label = _label_line(line)
    return bool(label and (label[0][0].isupper() or field_of(label[0])))


# --- pass 2: sections ---------------------------------------------------------------------------


def _classify(lines: list[str]) -> list[_Line]:
    stripped = [line.strip() for line in lines]
    following = [""] * len(stripped)
    upcoming = ""
    for index in range(len(stripped) - 1, -1, -1):  # the next non-blank line, for headings
        following[index] = upcoming
        upcoming = stripped[index] or upcoming
    classified = [
        _classify_one(text, after) for text, after in zip(stripped, following, strict=True)
    ]
    for line, raw in zip(classified, lines, strict=True):
        line.indent = len(raw) - len(raw.lstrip())
    return classified


def _classify_one(text: str, after: str) -> _Line:
    if not text or _RULE.match(text):
        return _Line("blank", "")
    if _HEADING.match(text):
        inner = text.lstrip("#").strip().rstrip("#").strip().strip("*_").strip()
        label = _label_line(inner)
        if label and label[1] and field_of(label[0]):
            return _Line("label", label[1], label[0], inner)
        return _Line("heading", inner.rstrip(":"), raw=text)
    if text.startswith("• "):
        return _Line("bullet", text[2:].strip(), raw=text)
    label = _label_line(text)
    if label:
        return _Line("label", label[1], label[0], text)
    if text.endswith(":") and after.startswith("• ") and field_of(text[:-1]):
        # "If people remember three things:" over a list: a label, ending with its list
        return _Line("label", "", text[:-1], text)
    heading = _bare_heading(text)
    if heading:
        return _Line("heading", heading, raw=text)
    heading = _generic_heading(text, after)
    if heading:
        return _Line("heading", heading, label=_GENERIC, raw=text)
    return _Line("text", text, raw=text)


_GENERIC = "generic"  # the label of a heading only its shape made one


def _generic_heading(text: str, after: str) -> str | None:
    """An unknown heading ("Background"): short, unpunctuated, with body text under it."""
    words = text.split()
    if text.isupper() and len(words) <= _MAX_LABEL_WORDS and not any(c.isdigit() for c in text):
        return text
    if len(words) > _MAX_LABEL_WORDS or not text[0].isupper() or text[-1] in _TERMINAL + ",\"”')":
        return None
    body_follows = after.startswith("• ") or len(after.split()) > _MAX_LABEL_WORDS
    return text if body_follows or (after and after[-1] in ".!?") else None


def _new_section(label: str, kind: str) -> _Section:
    found = field_of(label)
    name, rank = found if found else (None, 0)
    return _Section(normalise_label(label), kind, name, rank)


def _sections(lines: list[_Line]) -> list[_Section]:
    sections = [_Section("", "prose")]
    for line in lines:
        current = sections[-1]
        if line.kind == "heading" and line.label == _GENERIC and _awaits_answer(current):
            current.lines.append(_Line("text", line.text, raw=line.raw))  # "Home Ground"
        elif line.kind == "heading":
            sections.append(_new_section(line.text, "heading"))
        elif line.kind in ("label", "bullet") and _opens_section(current, line):
            if line.kind == "label":
                label, value = line.label, line.text
            else:
                parsed = _label_line(line.text)
                if parsed is None:  # never: _opens_section took the bullet for `Field: value`
                    raise TypeError(f"not a label line: {line.text!r}")
                label, value = parsed
            sections.append(_new_section(label, "label"))
            if line.kind == "bullet":
                sections[-1].bullet_indent = line.indent
            own, rest = _own_sentences(sections[-1].name, value)
            if own:
                sections[-1].lines.append(_Line("text", own))
            if rest:  # "A couple of must-haves: … Music-wise, …": the music is not a must-have
                sections.append(_Section("", "prose", lines=[_Line("text", rest, raw=rest)]))
        elif line.kind == "blank":
            # A `Field: value` line, with the bullets under it, ends at a blank line.
            if current.kind == "label" and current.lines:
                sections.append(_Section("", "prose"))
        elif line.kind == "label":
            current.lines.append(_Line("text", line.raw))  # e.g. "KPI: +15%" under Objective
        elif (
            line.kind == "text"
            and current.kind == "label"
            and current.name in _NAME_FIELDS
            and current.lines
        ):
            sections.append(_Section("", "prose", lines=[line]))  # a name is one line
        elif line.kind == "bullet" and _ends_bullet_field(current, line):
            sections.append(_Section("", "prose", lines=[line]))  # a sibling bullet: prose
        else:
            current.lines.append(line)
    return sections


_NAME_FIELDS = ("title", "brand")


def _own_sentences(name: str | None, value: str) -> tuple[str, str]:
    """A label's value, and what runs on after it that opens another field."""
    parts = _sentences(value) if name else []
    for index, sentence in enumerate(parts[1:], start=1):
        if prose.opens_a_field(sentence, other_than=name or ""):
            return " ".join(parts[:index]), " ".join(parts[index:])
    return value, ""


def _awaits_answer(section: _Section) -> bool:
    """A field's heading with nothing under it yet: a short line after it is its answer (a form's
    "**Does this campaign have a name?**" then "Home Ground"), not another heading."""
    return section.kind == "heading" and section.name is not None and not section.lines


def _ends_bullet_field(current: _Section, line: _Line) -> bool:
    """In a bulleted list of fields ("- Goal: ...", "- Feel: ..."), a bullet no deeper than the
    field's own is the list's next item, not part of that field."""
    return current.bullet_indent is not None and line.indent <= current.bullet_indent


def _opens_section(current: _Section, line: _Line) -> bool:
    if line.kind == "bullet":
        # "- Client: Lumen" in a bulleted list of fields, but not "- Legal: ..." among mandatories.
        label = _label_line(line.text)
        known = bool(label and field_of(label[0]))
        return known and (current.name not in _SPLIT_FIELDS or _ends_bullet_field(current, line))
    # An unknown label under a heading is part of its text; elsewhere it ends the section before.
    return bool(field_of(line.label)) or current.kind != "heading"


# --- pass 3: fields -----------------------------------------------------------------------------


def _texts(section: _Section) -> list[str]:
    return [line.text for line in section.lines if line.text]


def _join(parts: list[str]) -> str:
    # Bullet fragments ("Bright", "Playful") read better with a separator than run together.
    separated = all(part[-1] in _TERMINAL for part in parts[:-1])
    return (" " if separated else "; ").join(parts)


# Between items written on one line: "a; b", "a / b", "a · b", and for mandatories "x, and no y".
_ITEM_SEPARATOR = re.compile(
    r";| / | · |,\s+and\s+(?=(?:no|never|don’t|don't|do not|always|the|a|an|every|all|our)\b)"
)


def _items(section: _Section) -> list[str]:
    """List items: a bullet each; other lines split on ';' (fragments) or into sentences."""
    items: list[str] = []
    for line in section.lines:
        if not line.text:
            continue
        if line.kind == "bullet" or section.label in _ONE_ITEM_LABELS:
            items.append(line.text)
        elif _ITEM_SEPARATOR.search(line.text):
            parts = _ITEM_SEPARATOR.split(line.text)
            items += [part.strip().rstrip(".").strip() for part in parts]
        else:
            items += _sentences(line.text)
    return [_unquote(item) for item in items if item]


def _from_sections(sections: list[_Section]) -> dict:
    found: dict = {}
    ordered = sorted(enumerate(sections), key=lambda pair: (pair[1].rank, pair[0]))
    for _, section in ordered:
        if section.name in _SPLIT_FIELDS:
            found.setdefault(section.name, []).extend(_items(section))
        elif section.name in _SCALAR_FIELDS and _texts(section):
            value = _unquote(_join(_primary(_texts(section))))
            if section.name in _DESCRIBED_FIELDS:
                value = _without_colours(value)
            if _TO_COME.match(value):
                continue  # "TBD, Rosa sending refs next week": nothing to go on yet
            earlier = found.get(section.name)
            found[section.name] = f"{earlier} {value}" if earlier else value
    return found


_DESCRIBED_FIELDS = ("objective", "audience", "tone", "music")
_PRIMARY = re.compile(r"^(?:primary|main)\s*:\s*", re.IGNORECASE)


def _primary(texts: list[str]) -> list[str]:
    """ "Primary: drive sign-ups" / "Secondary: …": the primary one is the field's value."""
    primary = [_PRIMARY.sub("", t) for t in texts if _PRIMARY.match(t)]
    return [primary[0][:1].upper() + primary[0][1:]] if primary else texts


_TO_COME = re.compile(r"^(?:tbd|tbc|to follow|to come|n/?a|none yet|not yet)\b", re.IGNORECASE)
_COLOUR_WORDS = re.compile(r"\bcolou?rs?\b|\bpalette\b", re.IGNORECASE)


def _without_colours(text: str) -> str:
    """A tone section that goes on to name the colours ("Lean on the Season 3 colours, ember red
    #D7263D"): a sentence whose first clause is about colours is the palette's (read from the
    whole brief), not the tone's. "Sunlit kitchens, pastel palette (#6EC6FF)" stays a look."""
    kept = [s for s in _sentences(text) if not _COLOUR_WORDS.search(re.split(r"[,:;—–]", s)[0])]
    return " ".join(kept) if kept else text


def _prose_texts(sections: list[_Section]) -> list[str]:
    # Sections with no known field, plus the text of unknown labels ("Background", "Notes").
    return [
        line.text if line.kind == "bullet" else (line.raw or line.text)
        for section in sections
        if section.name is None
        for line in section.lines
        if line.text
    ]


def _section_text(section: _Section) -> str:
    return " ".join([section.label + ":", *_texts(section)] if section.label else _texts(section))


def _format_fields(sections: list[_Section]) -> dict:
    """Duration, aspect ratios and platforms: from the format sections (Format, Deliverables...),
    else from the rest of the brief, where a number or "vertical" must qualify a video to count."""
    in_format = " ".join(_section_text(s) for s in sections if s.name == "format")
    rest = [s for s in sections if s.name not in _NOT_FORMAT and s.name != "format"]
    elsewhere = " ".join(map(_section_text, rest))
    return {
        "duration_s": _duration([in_format], False) or _duration(_line_sentences(rest), True),
        "aspect_ratios": _ratios(in_format, False) or _ratios(elsewhere, True),
        "platforms": _platforms(in_format) or _platforms(elsewhere),
    }


def _qualifies_video(text: str, match: re.Match, look_back: bool) -> bool:
    after = _VIDEO_AFTER.match(text[match.end() :].lstrip(" -"))
    return bool(after or (look_back and _VIDEO_BEFORE.search(text[: match.start()])))


def _seconds(match: re.Match) -> int:
    number = match.group("n").lower()
    seconds = _NUMBER_WORDS.get(number) or int(number)
    unit = match.groupdict().get("unit") or "s"
    return seconds * 60 if unit.lower().startswith("m") else seconds


def _line_sentences(sections: list[_Section]) -> list[str]:
    # Line by line: bullets rarely end with a full stop, and must not run into one sentence.
    return [sentence for s in sections for text in _texts(s) for sentence in _sentences(text)]


def _duration(texts: list[str], need_video: bool) -> int | None:
    """The first deliverable's length in seconds ("30-second", "30s", ":30", "1 minute")."""
    for sentence in texts:
        # A length in the sentence that names the ratio or platform is the video's: "30 sec,
        # 1:1 and 16:9, LinkedIn + YouTube".
        about_format = need_video and bool(_ratios(sentence, False) or _platforms(sentence))
        found = [*_DURATION.finditer(sentence), *_SPOT.finditer(sentence),
                 *_DURATION_LABEL.finditer(sentence)]  # fmt: skip
        for match in sorted(found, key=lambda m: m.start()):
            seconds = _seconds(match)
            if 1 <= seconds <= MAX_DURATION_S and (
                not need_video or about_format or _qualifies_video(sentence, match, True)
            ):
                return seconds
    return None


def _ratios(text: str, need_video: bool) -> list[str]:
    found = [
        (match.start(), f"{match.group(1)}:{match.group(2)}")
        for match in _RATIO.finditer(text)
        if f"{match.group(1)}:{match.group(2)}" in ASPECT_RATIOS
    ]
    for match in _RATIO_WORD.finditer(text):
        # "portrait" and "landscape" are also photography and scenery: they need a video noun.
        strict = need_video or match.group(1).lower() in ("portrait", "landscape")
        if not strict or _qualifies_video(text, match, look_back=False):
            found.append((match.start(), _RATIO_WORDS[match.group(1).lower()]))
    return list(dict.fromkeys(ratio for _, ratio in sorted(found)))


def _platforms(text: str) -> list[str]:
    names = []
    for match in _PLATFORM.finditer(text):
        group = match.lastgroup
        if group is None:  # never: each alternative of _PLATFORM is a named group
            raise TypeError(f"no platform group matched {match.group()!r}")
        names.append(_PLATFORMS[int(group[1:])][0])
    return list(dict.fromkeys(names))


def _palette(text: str) -> list[str]:
    colours = []
    for match in _HEX.finditer(text):
        digits = match.group(1).lower()
        # A 3-digit "#bad" may be a hashtag and "#123" a ticket: count "#fa0" and "#222" only.
        mixed = any(c.isdigit() for c in digits) and any(c.isalpha() for c in digits)
        if len(digits) == 6 or mixed or len(set(digits)) == 1:
            colour = normalise_hex(digits)
            if colour is None:  # never: _HEX matched 3 or 6 hex digits
                raise ValueError(f"#{digits} is not a colour")
            colours.append(colour)
    return list(dict.fromkeys(colours))


def _amount(match: re.Match, number: str, multiplier: str) -> float:
    value = float(re.sub(r"[, \u202f]", "", match.group(number)))
    return value * _MULTIPLIERS.get((match.group(multiplier) or "").lower(), 1)


def _money(text: str) -> float | None:
    match = _MONEY.search(text)
    if not match:
        return None
    return _amount(match, "a", "am") if match.group("a") else _amount(match, "b", "bm")


def _budget(sections: list[_Section]) -> float | None:
    """The Budget section's amount (a bare number counts there); else money in a sentence of
    the rest that speaks of budget or spend. The number is kept whatever the currency."""
    for section in sections:
        if section.name == "budget_usd":
            text = " ".join(_texts(section))
            number = next(
                (n for n in _NUMBER.finditer(text) if not _YEAR.fullmatch(n.group())), None
            )
            amount = _money(text) or (_amount(number, "a", "am") if number else None)
            if amount is not None:
                return amount
    rest = [
        sentence
        for section in sections
        if section.name not in ("budget_usd", "music")
        for sentence in _sentences(" ".join(_texts(section)))
    ]
    for sentence in rest:
        if _BUDGET_WORDS.search(sentence):
            amount = _money(sentence)
            bare = _THOUSANDS.search(sentence)
            if amount is None and bare:
                amount = _amount(bare, "a", "am")
            if amount is not None:
                return amount
    said = next((s for s in rest if _HAVE_WORDS.search(s) and _money(s) is not None), None)
    return _money(said) if said else None


_NOT_A_TITLE = re.compile(r"^(?:creative\s+|video\s+|campaign\s+)?brief\b\s*[—–:|-]?\s*", re.I)
_NAMED_TITLE = re.compile(
    r"^(?P<brand>[^—–\"“„«]{2,60}?)\s+[—–-]\s+(?P<title>" + prose.QUOTED + r")\s*$"
)


_QUOTED_THEN_ASIDE = re.compile(r"^" + prose.QUOTED + r"\s*\([^)]*\)\s*$")


_GREETING = re.compile(r"^(?:hi|hello|hey|dear|bonjour|hallo|hola|good morning)\b", re.I)


def _split_title(found: dict) -> None:
    """'Solace — “Sleep Like You Mean It”': the quoted part is the title, the rest the brand.
    '„Schlaf dich nach Paris“ („Sleep your way to Paris“)': the title, not its translation."""
    aside = _QUOTED_THEN_ASIDE.match(found.get("title") or "")
    if aside:
        found["title"] = prose.quoted_text(aside)
    match = _NAMED_TITLE.match(found.get("title") or "")
    if match:
        found["title"] = prose.quoted_text(match)
        found["brand"] = found.get("brand") or match.group("brand").strip()


def _title_from_first_lines(lines: list[_Line], found: dict) -> str | None:
    """With no Campaign or Title label: the first heading or line that reads as a title (after a
    bare "Creative Brief" line)."""
    for line in [line for line in lines if line.kind != "blank"][:2]:
        if line.kind not in ("heading", "text") or len(line.text) > 120:
            return None
        if line.kind == "text" and (line.text[-1] in ".!?," or _GREETING.match(line.text)):
            return None
        title = _unquote(_NOT_A_TITLE.sub("", line.text))
        if title:
            named = {"title": title}
            _split_title(named)
            if named.get("brand") and not found.get("brand"):
                found["brand"] = named["brand"]
            return named["title"]
    return None
