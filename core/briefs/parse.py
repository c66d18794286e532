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

from core.briefs.fields import ASPECT_RATIOS, MAX_DURATION_S, BriefFields, normalise_hex

# label (normalised: lowercase, '&' -> 'and', punctuation -> space) -> (field, rank).
# Within a field, rank 0 comes first: the key message before the supporting points.
# "format" is not a field: its text is where duration, aspect ratios and platforms are read.
_SYNONYM_TABLE = (
    ("title", 0, "campaign, campaign name, campaign title, title, working title, project name"),
    ("brand", 0, "client, brand, advertiser, brand name, client name, company"),
    ("objective", 0, "objective, objectives, goal, goals, aim, aims, purpose, business objective"),
    ("audience", 0, "audience, target audience, audiences, target group, target market"),
    ("key_messages", 0, "key message, key messages, main message, core message, proposition"),
    ("key_messages", 1, "supporting points, supporting point, supporting messages, proof points"),
    ("key_messages", 1, "reasons to believe, rtb, rtbs"),
    ("tone", 0, "tone, tone and style, tone of voice, style, look and feel, mood, tone and manner"),
    ("call_to_action", 0, "call to action, cta"),
    ("mandatories", 0, "mandatories, mandatory, musts, must haves, must have, must include"),
    ("mandatories", 0, "requirements, legal, legals, dos and donts"),
    ("music", 0, "music, music direction, audio, soundtrack, sound and music"),
    ("budget_usd", 0, "budget, budget usd, production budget"),
    ("palette", 0, "palette, colours, colors, colour palette, color palette"),
    ("format", 0, "format, formats, deliverables, deliverable, specs, specifications, duration"),
    ("format", 0, "length, runtime, aspect ratio, aspect ratios, ratio, platform, platforms"),
    ("format", 0, "channel, channels, placement, placements"),
)
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
_BULLET = re.compile(r"^\s*(?:[\uf0b7\x7f•◦▪▫‣●○■□·]\s*|[-*+–]\s+|\d{1,2}[.)]\s+)")
_HEADING = re.compile(r"^#{1,6}(?:\s|$)")  # "#ff3366" is a colour, not a heading
_WRAP_WIDTH = 60
_RULE = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")
_LABEL = re.compile(
    r"^(?:\*\*|__)?(?P<label>[A-Za-z][\w &/'’()+-]{0,48}?)\s*(?:\*\*|__)?\s*:(?:\*\*|__)?"
    r"(?:\s+(?P<value>.*))?$"
)
_DASH_LABEL = re.compile(
    r"^(?:\*\*|__)?(?P<label>[A-Za-z][\w &/'’-]{0,30}?)(?:\*\*|__)?\s+[–—-]\s+(?P<value>.+)$"
)
_BOLD_LINE = re.compile(r"^(\*\*|__)(?P<text>[^*_]{1,80}?)\1:?$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)([.!?][\"”’)]?)\s+(?=[\"“‘(]?[A-Z0-9])")
_TERMINAL = ".!?:;"
_QUOTES = {'"': '"', "“": "”", "'": "'", "‘": "’"}
# Words a line rarely ends on unless the sentence goes on: a PDF wrap before a capital letter.
_FUNCTION_WORDS = set(
    "a an the and or of to for with in on at by from our your their its as that who which but "
    "is are was were be into than".split()
)

_NUMBER_WORDS = {"five": 5, "six": 6, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30,
                 "forty-five": 45, "forty five": 45, "sixty": 60, "ninety": 90}  # fmt: skip
_DURATION = re.compile(
    r"(?<![\w.:])(?P<n>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\s*-?\s*"
    r"(?P<unit>seconds?|secs?|s|minutes?|mins?)\b",
    re.IGNORECASE,
)
_SPOT = re.compile(r"(?<![\w:]):(?P<n>[0-5]\d)\b")  # ":30" is how agencies write a 30 s spot
_DURATION_LABEL = re.compile(r"\b(?:duration|length|runtime)\W+(?P<n>\d{1,3})\b(?!\s*[:%.,]\d)")
_VIDEO_NOUNS = (
    r"(?:video|videos|spot|ad|ads|advert|commercial|cut|film|clip|edit|version|pre-roll|story|"
    r"stories|reel|reels|trailer|teaser|format|hero)"
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
    ("YouTube Shorts", r"(?i:youtube\s+shorts)"),
    ("YouTube", r"(?i:youtube)"),
    ("TikTok", r"(?i:tik\s?tok)"),
    ("Instagram Reels", r"(?i:(?:instagram|ig)\s+reels?)|Reels?\b"),
    ("Instagram Stories", r"(?i:(?:instagram|ig)\s+stor(?:y|ies))"),
    ("Instagram", r"(?i:instagram)|\bIG\b"),
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
_AMOUNT = r"\d[\d,]*(?:\.\d+)?"
_MONEY = re.compile(
    r"(?:(?:US\$|\$|€|£|\b(?:USD|EUR|GBP))\s?(?P<a>" + _AMOUNT + r")"
    r"(?:\s?(?P<am>k|m|thousand|million)\b)?"
    r"|(?<![\w.])(?P<b>" + _AMOUNT + r")(?:\s?(?P<bm>k|m|thousand|million))?\s?"
    r"(?:dollars?|usd|eur|euros?|gbp|pounds?)\b)",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?<![\w.:#-])(?P<a>\d[\d,]*(?:\.\d+)?)(?:\s?(?P<am>k|thousand)\b)?(?![\d:%-])"
)
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}
_BUDGET_WORDS = re.compile(r"\b(?:budget|spend|cost|costs)\b", re.IGNORECASE)

# Cue phrases that find a field in plain prose, tried in order on each sentence; the first cue
# whose field is still empty takes the sentence. `v` is the value; a cue matching the whole
# sentence keeps it as written. Only the brand cue is case-sensitive: a name has capitals.
_NAME = r"[A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*)*"
_CUE_TABLE = (
    ("title", r"\bcampaign (?:is )?(?:called|named|titled)\s+(?P<v>.+)"),
    ("brand", r"\b[Oo]ur (?:brand|client)(?: is|,)\s+(?P<v>" + _NAME + ")"),
    ("objective", r"\b(?:goal|objective|aim|purpose)s? (?:is|are|will be)\s+(?:to\s+)?(?P<v>.+)"),
    ("audience", r"\b(?:target )?audience (?:is|are|will be)\s+(?P<v>.+)"),
    ("audience", r"\b(?:aimed at|targeting|targeted at|speaking to)\s+(?P<v>.+)"),
    ("key_messages", r"\bkey message (?:is|should be)\s+(?P<v>.+)"),
    (
        "key_messages",
        r"\bwe want (?:people|them|viewers|customers) to (?:know|remember|think)"
        r"(?: that)?\s+(?P<v>.+)",
    ),
    ("tone", r"\b(?:tone|style)(?: of the (?:video|ad|spot))? (?:should|must) be\s+(?P<v>.+)"),
    ("tone", r"\b(?:tone|style) is\s+(?P<v>.+)"),
    ("tone", r"\bshould (?:feel|look)\s+(?P<v>.+)"),
    ("call_to_action", r"\b(?:call to action|cta)(?: is| should be| will be)?\s*:?\s+(?P<v>.+)"),
    ("call_to_action", r"\bend (?:with|on)\s+(?:the line\s+|the words\s+)?(?P<v>[\"“].+?[\"”])"),
    ("music", r"\b(?:music|soundtrack)(?: should be| is| will be)\s+(?P<v>.+)"),
    ("music", r"(?P<v>.*\b(?:music|soundtrack|bpm)\b.*)"),
    (
        "mandatories",
        r"(?P<v>.*\b(?:must|make sure|be sure to|do not|don't|never show|mandatory|required)\b.*)",
    ),
)
_CUES = tuple(
    (name, re.compile(pattern, 0 if name == "brand" else re.IGNORECASE))
    for name, pattern in _CUE_TABLE
)


@dataclass
class _Line:
    kind: str  # "blank", "heading", "label", "bullet" or "text"
    text: str  # for a label line: its value
    label: str = ""
    raw: str = ""


@dataclass
class _Section:
    label: str  # normalised; "" for prose
    kind: str  # "prose", "heading" or "label"
    name: str | None = None  # the field the label maps to; None for prose and unknown labels
    rank: int = 0
    lines: list[_Line] = field(default_factory=list)


def parse_brief(text: str) -> BriefFields:
    """Fields of a brief from its text (as typed, or as extract_text gives it)."""
    lines = _classify(_logical_lines(text or ""))
    sections = _sections(lines)
    found: dict = _from_sections(sections)
    _from_prose(found, sections)
    found.update(_format_fields(sections))
    found["palette"] = _palette(text or "")
    found["budget_usd"] = _budget(sections)
    if not found.get("title"):
        found["title"] = _title_from_first_line(lines)
    return BriefFields(**found)


# --- labels -------------------------------------------------------------------------------------


def normalise_label(label: str) -> str:
    """'Tone & style:' -> 'tone and style'; 'Must-haves' -> 'must haves'; "Do's" -> 'dos'."""
    label = re.sub(r"\([^)]*\)", " ", label.lower()).replace("&", " and ")
    label = re.sub(r"['’]", "", label)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", label).split())


def field_of(label: str) -> tuple[str, int] | None:
    """The field a label names, or None. 'Production generation budget' ends in 'budget': a label
    is matched on its last words too, so qualifiers in front of a known label do not hide it."""
    words = normalise_label(label).split()
    if not words or len(words) > _MAX_LABEL_WORDS:
        return None
    for start in range(len(words)):
        found = SYNONYMS.get(" ".join(words[start:]))
        if found:
            return found
    return None


def _label_line(text: str) -> tuple[str, str] | None:
    """('Client', 'Lumen') for 'Client: Lumen' or '**Client:** Lumen'; None for other lines."""
    match = _LABEL.match(text)
    if match and len(match.group("label").split()) <= _MAX_LABEL_WORDS:
        return match.group("label").strip(), (match.group("value") or "").strip()
    # "Client – Lumen" is a label only when the label is one we know: dashes are common in prose.
    match = _DASH_LABEL.match(text)
    if match and field_of(match.group("label")):
        return match.group("label").strip(), match.group("value").strip()
    return None


def _bare_heading(text: str) -> str | None:
    """'Target audience', '**Objective**' or 'Budget:' on a line of its own -> the heading text."""
    bold = _BOLD_LINE.match(text)
    inner = (bold.group("text") if bold else text).strip().rstrip(":").strip()
    if bold or (inner and field_of(inner) and not re.search(r"[.!?]$", inner)):
        return inner
    return None


# --- pass 1: lines ------------------------------------------------------------------------------


def _logical_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text).replace("\u00a0", " ")
    lines = [_BULLET.sub("• ", line.rstrip(), count=1) for line in text.split("\n")]
    return _join_wraps(_expand_tables(lines))


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
    return [_classify_one(text, after) for text, after in zip(stripped, following, strict=True)]


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
    heading = _bare_heading(text) or _generic_heading(text, after)
    if heading:
        return _Line("heading", heading, raw=text)
    return _Line("text", text, raw=text)


def _generic_heading(text: str, after: str) -> str | None:
    """An unknown heading ("Background"): short, unpunctuated, with body text under it."""
    words = text.split()
    if text.isupper() and len(words) <= _MAX_LABEL_WORDS and any(c.isalpha() for c in text):
        return text
    if len(words) > _MAX_LABEL_WORDS or not text[0].isupper() or text[-1] in _TERMINAL + ",\"”')":
        return None
    body_follows = after.startswith("• ") or len(after.split()) > _MAX_LABEL_WORDS
    return text if body_follows or after[-1:] in ".!?" else None


def _new_section(label: str, kind: str) -> _Section:
    found = field_of(label)
    name, rank = found if found else (None, 0)
    return _Section(normalise_label(label), kind, name, rank)


def _sections(lines: list[_Line]) -> list[_Section]:
    sections = [_Section("", "prose")]
    for line in lines:
        current = sections[-1]
        if line.kind == "heading":
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
            if value:
                sections[-1].lines.append(_Line("text", value))
        elif line.kind == "blank":
            # A `Field: value` line, with the bullets under it, ends at a blank line.
            if current.kind == "label" and current.lines:
                sections.append(_Section("", "prose"))
        elif line.kind == "label":
            current.lines.append(_Line("text", line.raw))  # e.g. "KPI: +15%" under Objective
        else:
            current.lines.append(line)
    return sections


def _opens_section(current: _Section, line: _Line) -> bool:
    if line.kind == "bullet":
        # "- Client: Lumen" in a bulleted list of fields, but not "- Legal: ..." among mandatories.
        label = _label_line(line.text)
        return bool(label and field_of(label[0])) and current.name not in _SPLIT_FIELDS
    # An unknown label under a heading is part of its text; elsewhere it ends the section before.
    return bool(field_of(line.label)) or current.kind != "heading"


# --- pass 3: fields -----------------------------------------------------------------------------


def _texts(section: _Section) -> list[str]:
    return [line.text for line in section.lines if line.text]


def _join(parts: list[str]) -> str:
    # Bullet fragments ("Bright", "Playful") read better with a separator than run together.
    separated = all(part[-1] in _TERMINAL for part in parts[:-1])
    return (" " if separated else "; ").join(parts)


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] in _QUOTES:
        end = text.rfind(_QUOTES[text[0]])
        if end > 0 and not text[end + 1 :].strip(" .!") and _QUOTES[text[0]] not in text[1:end]:
            return text[1:end].strip()
    return text


def _sentences(text: str) -> list[str]:
    parts = _SENTENCE_END.sub("\\1\x00", text).split("\x00")
    return [part.strip() for part in parts if part.strip()]


def _items(section: _Section) -> list[str]:
    """List items: a bullet each; other lines split on ';' (fragments) or into sentences."""
    items: list[str] = []
    for line in section.lines:
        if not line.text:
            continue
        if line.kind == "bullet" or section.label in _ONE_ITEM_LABELS:
            items.append(line.text)
        elif ";" in line.text:
            items += [part.strip().rstrip(".").strip() for part in line.text.split(";")]
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
            value = _unquote(_join(_texts(section)))
            earlier = found.get(section.name)
            found[section.name] = f"{earlier} {value}" if earlier else value
    return found


def _prose_sentences(sections: list[_Section]) -> list[str]:
    # Sections with no known field, plus the text of unknown labels ("Background", "Notes").
    texts = [line.raw or line.text for s in sections if s.name is None for line in s.lines]
    return [sentence for text in texts if text for sentence in _sentences(text)]


def _from_prose(found: dict, sections: list[_Section]) -> None:
    """Fill fields the structure did not give from cue phrases in the prose."""
    structured = {name for name, value in found.items() if value}
    for sentence in _prose_sentences(sections):
        for name, cue in _CUES:
            if name in structured or (name in _SCALAR_FIELDS and found.get(name)):
                continue
            match = cue.search(sentence)
            if not match:
                continue
            value = match.group("v").strip()
            if value != sentence:
                value = _unquote(value.rstrip(".!;, "))
                value = value[:1].upper() + value[1:]
            if name in _SPLIT_FIELDS:
                found.setdefault(name, []).append(value)
            else:
                found[name] = value
            break


def _section_text(section: _Section) -> str:
    return " ".join([section.label + ":", *_texts(section)] if section.label else _texts(section))


def _format_fields(sections: list[_Section]) -> dict:
    """Duration, aspect ratios and platforms: from the format sections (Format, Deliverables...),
    else from the rest of the brief, where a number or "vertical" must qualify a video to count."""
    in_format = " ".join(_section_text(s) for s in sections if s.name == "format")
    rest = [s for s in sections if s.name not in _NOT_FORMAT and s.name != "format"]
    elsewhere = " ".join(map(_section_text, rest))
    return {
        "duration_s": _duration(in_format, False) or _duration(elsewhere, True),
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


def _duration(text: str, need_video: bool) -> int | None:
    """The first deliverable's length in seconds ("30-second", "30s", ":30", "1 minute")."""
    matches = [*_DURATION.finditer(text), *_SPOT.finditer(text), *_DURATION_LABEL.finditer(text)]
    for match in sorted(matches, key=lambda m: m.start()):
        seconds = _seconds(match)
        if 1 <= seconds <= MAX_DURATION_S and (
            not need_video or _qualifies_video(text, match, look_back=True)
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
    value = float(match.group(number).replace(",", ""))
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
            number = _NUMBER.search(text)
            amount = _money(text) or (_amount(number, "a", "am") if number else None)
            if amount is not None:
                return amount
    for section in sections:
        if section.name not in ("budget_usd", "music"):
            for sentence in _sentences(" ".join(_texts(section))):
                if _BUDGET_WORDS.search(sentence) and _money(sentence) is not None:
                    return _money(sentence)
    return None


def _title_from_first_line(lines: list[_Line]) -> str | None:
    """With no Campaign or Title label: the first heading or first line, if it reads as a title."""
    first = next((line for line in lines if line.kind != "blank"), None)
    if first is None or first.kind not in ("heading", "text") or len(first.text) > 120:
        return None
    if first.kind == "text" and first.text[-1] in ".!?":
        return None
    title = re.sub(r"^(?:creative\s+)?brief\b\s*[—–:|-]?\s*", "", first.text, flags=re.IGNORECASE)
    return _unquote(title) or None
