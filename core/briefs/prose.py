"""Fields found in prose: emails, chat messages and one-paragraph briefs with no labels.

Each field has cue phrases and sentence patterns. A cue's value runs to the end of its clause,
and the span it takes is claimed, so no stretch of text is ever given to two fields. Strong cues
("the goal is to", "should feel") are tried on every sentence before weak ones ("just to push",
a sentence that merely mentions music), so a clear statement later in a brief beats a passing
phrase earlier. A field that no cue finds stays empty: nothing is invented.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

SCALAR_FIELDS = ("title", "brand", "objective", "audience", "tone", "call_to_action", "music")

# Closing mark for each opening quote, as typed in English, French and German briefs.
QUOTE_PAIRS = {
    '"': '"',
    "'": "'",
    "“": "”",
    "„": "“",
    "«": "»",
    "»": "«",
    "‘": "’",
    "‚": "‘",
    "‹": "›",
}
# A quoted phrase; a ’ followed by a letter is an apostrophe inside it ("don’t"), not its end.
QUOTED = (
    r"(?:\"(?P<q1>[^\"]+)\"|“(?P<q2>[^”]+)”|„(?P<q3>[^“”]+)[“”]|«\s*(?P<q4>[^»]+?)\s*»"
    r"|‘(?P<q5>(?:[^’]|’(?=\w))+)’(?!\w))"
)
_QUOTED = re.compile(QUOTED)

_ABBREVIATIONS = ("e.g", "i.e", "vs", "approx", "incl", "excl", "etc", "ca", "no", "min", "max")
# A sentence ends at . ! or ? (and a closing quote) before a space, unless the word before it is
# an abbreviation. Chat briefs start sentences in lower case, so the next letter's case is moot.
_SENTENCE_END = re.compile(
    "".join(rf"(?<!\b{re.escape(a)})" for a in _ABBREVIATIONS) + r"([.!?][\"”’)»“]?)\s+(?=\S)",
    re.IGNORECASE,
)

_NAME = r"[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*)*"
# A proper name that may hold a lowercase joint: "Halvorsen Museum of Design".
_NAME_OF = r"[A-Z][\w'’&.-]*(?:\s+(?:(?:of|de|du|the|and|&)\s+)?[A-Z][\w'’&.-]*)*"
_PEOPLE = (
    r"(?:famil(?:y|ies)|parents?|mums?|moms?|dads?|kids|children|students?|teens?|teenagers|"
    r"women|men|people|adults|commuters|owners|workers|professionals|couples|retirees|gamers|"
    r"players|customers|shoppers|buyers|users|fans|drivers|riders|runners|travell?ers|"
    r"millennials|freelancers|homeowners|renters|patients|readers|founders|managers|marketers|"
    r"developers|designers|nurses|teachers|athletes|cyclists|foodies|locals|tourists|visitors|"
    r"first-jobbers|empty-nesters|seniors|graduates|singles|gen z)"
)
# Who an ad is for: a phrase whose head, within its first four words, is a kind of people.
_PEOPLE_PHRASE = r"(?:[\w’'-]+\s+){0,3}?" + _PEOPLE + r"\b"
_SUBJECT = (
    r"(?:the|it|its|it’s|it's|that|this|these|we|we’re|we're|we’d|we'd|they|our|their|i|you|he|"
    r"she|please|keep|make|don’t|don't|do|also|there)"
)
# Where a value ends: a new clause with its own subject ("…, and the music should be …").
_CLAUSE_END = re.compile(
    r";|(?:,|\s[—–])\s+(?:and|but|so|while|whereas)\s+(?=" + _SUBJECT + r"\b)"
    r"|,\s+(?=(?:that|this)(?:’s|'s| is)\b)"
    r"|\s+and\s+(?=(?:keep|make sure|please|don’t|don't|never|always)\b)",
    re.IGNORECASE,
)
# An objective stops at an aside as well: "sells tickets to X — families with kids — by …".
_OBJECTIVE_END = re.compile(_CLAUSE_END.pattern + r"|\s+[—–]\s+|\s+-\s+", re.IGNORECASE)
_LEAD_FILLER = re.compile(r"^(?:mostly|mainly|something like|ideally)\s+", re.IGNORECASE)
_NOT_YET = re.compile(r"\b(?:yet|later|tbc|tbd|to follow|to come)\b", re.IGNORECASE)
_PROMOTE = r"(?:push|promote|drive|boost|grow|increase|sell|win|raise|fill)"


@dataclass(frozen=True)
class Cue:
    """`v` marks where the value starts (it runs to the clause's end); `x` marks an exact value;
    a quoted phrase (QUOTED) is the value without its quotes."""

    name: str
    pattern: re.Pattern
    strong: bool = True
    split: str | None = None  # list fields: what separates items inside the value


def _cue(name: str, pattern: str, strong: bool = True, split: str | None = None) -> Cue:
    # Brand cues are case-sensitive outside their (?i:) groups: a name has capitals.
    flags = 0 if name == "brand" else re.IGNORECASE
    return Cue(name, re.compile(pattern, flags), strong, split)


# Items in one sentence: "a; b; and c", or "a, it b, and there c" (a comma before a new subject).
_MESSAGE_SPLIT = (
    r";\s*(?:and\s+)?|,\s+(?:and\s+)?(?=(?:it|its|it’s|it's|you|there|the|we|they|our)\b)"
)
# Items in a list of must-haves: "a; b" or "a, and every b".
_ITEMS_AND = r";\s*(?:and\s+)?|,\s+and\s+(?=(?:no|never|the|a|an|every|all|our|always)\b)"
_CTA_WORDS = (
    r"(?:call to action|cta|end(?:ing)? line|closing line|sign[- ]off(?: line)?|tag ?line|"
    r"final line|last line|end (?:card|frame)|(?:end|finish|close|sign off)(?:s|ing)? (?:on|with))"
)
_CALLED = r"\b(?:campaign|film|spot|series)\s+(?:is\s+)?(?:called|named|titled)\s+"
_OUR_BRAND = r"\b(?i:our (?:brand|client)|client|brand)(?: is|,)\s+"
_FOR_THE_BRAND = (
    r"\b(?i:for (?:the|our))\s+(?P<x>" + _NAME + r")\s+"
    r"(?i:thing|campaign|account|project|brief|launch|job|spot|ad|video)\b"
)
_CALL_WITH = (
    r"\b(?i:call|meeting|chat|kick-?off)\s+(?i:w/|with)\s+(?P<x>" + _NAME_OF + r")\s+"
    r"(?:\((?i:the|a|an)\b|[-–—:]\s)"
)
_GOAL = (
    r"\b(?:main thing|(?:main |primary |business )?(?:goal|objective|aim|purpose)s?)"
    r"\s*(?::|=|is|are|will be)\s+(?:(?:simple|clear|straightforward)\s*[—–:-]\s*)?"
    r"(?:to\s+)?(?P<v>.+)"
)
_PEOPLE_WE_WANT = (
    r"\b(?:people|those|customers|folks|ones|viewers)\s+we(?:’re|'re| are| have)?\s+"
    r"(?:after|targeting|talking to|speaking to|trying to reach|going after|have in mind|"
    r"want to reach|building (?:this )?for|making (?:this|it) for)(?:\s+(?:is|are))?\s+(?P<v>.+)"
)
_SHOULD_REMEMBER = (
    r"\b(?:things?|points?|messages?)\s+(?:[\w’']+\s+){0,2}?should\s+"
    r"(?:take away|remember|know|hear|get)(?:\s+is(?:\s+that)?|\s*:)\s*(?P<v>.+)"
)
_KNOWING = (
    r"\b(?:remember|take away|come away knowing|knowing|know|get across|land|communicate)\b"
    r"[^:.]{0,40}:\s*(?P<v>.+)"
)
_WE_WANT_THEM_TO_KNOW = (
    r"\bwe want (?:people|them|viewers|customers) to (?:know|remember|think)(?: that)?\s+(?P<v>.+)"
)
_TONE_SHOULD_BE = (
    r"\b(?:tone|style)(?: of the (?:video|ad|spot|film))?\s+(?:should|must)\s+be\s+(?P<v>.+)"
)
_IN_TONE = (
    r"\bin tone,?\s+(?:the (?:film|spot|ad|video)\s+)?(?:ought to|should|must|will|needs to)\s+be"
    r"\s+(?P<v>.+)"
)
_SHOULD_FEEL = (
    r"\b(?:should|must|to|will|would|it|spot|ad|film|video)\s+(?:look and )?feel\s+(?P<v>.+)"
)
_PICTURING = r"(?:we(?:’re|'re| are) (?:imagining|thinking(?: of)?|picturing|dreaming of)\s+)?"
_FOR_MUSIC = r"\b(?:for (?:the )?music|music[- ]wise),?\s*:?\s*" + _PICTURING + r"(?P<v>.+)"
_HAS_TO_BE_SAID = (
    r"(?P<x>[^,;]+?),?\s+and (?:that|this|it) (?:has to|must|needs to) be "
    r"(?:said|shown|mentioned|included|visible|on screen)\b"
)
_IMPERATIVE = r"(?:^|\bplease\s+)(?P<v>(?:keep|always|never|don’t|don't|do not)\b.+)"
# After "and", only a clear instruction: "…and never stuck with it" describes people.
_AND_IMPERATIVE = r"\band\s+(?P<v>(?:keep|don’t|don't|do not)\b.+)"
_IT_IS_FOR_PEOPLE = (
    r"\b(?:it(?:’s|'s| is)|this is|made|aimed|designed|meant)\s+for\s+(?P<v>"
    + _PEOPLE_PHRASE
    + ".*)"
)
_NAME_DOES = (
    r"^(?:The\s+)?(?P<x>" + _NAME_OF + r")\s+(?:opens|launches|is launching|presents|introduces|"
    r"unveils|sells|makes|runs|operates|offers|is an?|are an?|"
    r"is (?:introducing|opening|bringing|offering))\b"
)
_MUST_WORDS = r"(?P<x>.*\b(?:must|do not|don't|don’t|never show|mandatory|required)\b.*)"

CUES = (
    _cue("title", _CALLED + QUOTED),
    _cue("title", r"\bwe(?:’re|'re| are)\s+calling(?:\s+it)?\s+" + QUOTED),
    _cue("title", r"\bcampaign (?:is )?(?:called|named|titled)\s+(?P<v>.+)"),
    _cue("brand", _OUR_BRAND + r"(?P<x>" + _NAME + ")"),
    _cue("brand", _FOR_THE_BRAND),
    _cue("brand", r"\b(?i:us|we|here) at\s+(?P<x>" + _NAME + ")"),
    _cue("brand", r"\b(?i:it(?:’s|'s| is)|this is) for\s+(?P<x>" + _NAME + r"),\s+(?i:our)\b"),
    _cue("brand", _CALL_WITH),  # "the call w/ Hopscotch Kids (the shoe ppl)"
    _cue("brand", r"\b(?i:we(?:’re|'re| are))\s+(?P<x>" + _NAME + r"),\s+(?i:a|an|the)\b"),
    _cue("call_to_action", r"\b" + _CTA_WORDS + r"\b[^\"“„«‘]{0,30}?" + QUOTED),
    _cue(
        "call_to_action", r"\b(?:call to action|cta)(?: is| should be| will be)?\s*:?\s+(?P<v>.+)"
    ),
    _cue("objective", _GOAL),
    _cue("objective", r"\bwhat we want (?:out of it|from it|to achieve)\s*(?::|is)\s*(?P<v>.+)"),
    _cue(
        "objective",
        r"\bwe (?:want|need|aim|hope) to\s+(?P<v>(?:hit|reach|get|drive|sell|grow|"
        r"double|triple|fill|win|increase|boost)\b.+)",
    ),  # fmt: skip
    _cue("audience", r"\btarget(?: audience| group| market)?\s*(?::|=|is|are|will be)\s+(?P<v>.+)"),
    _cue("audience", r"\baudience\s*(?::|=|is|are|will be)\s+(?P<v>.+)"),
    _cue("audience", _PEOPLE_WE_WANT),
    _cue("audience", r"\b(?:aimed at|targeting|targeted at|speaking to|talking to)\s+(?P<v>.+)"),
    _cue(
        "key_messages",
        r"\bkey (?:message|point|takeaway)s?\s*(?::|is|are|should be)\s+(?P<v>.+)",
        split=";",
    ),  # fmt: skip
    _cue("key_messages", _SHOULD_REMEMBER, split=_MESSAGE_SPLIT),
    _cue("key_messages", _KNOWING, split=_MESSAGE_SPLIT),
    _cue(
        "key_messages",
        r"\b(?:main |key )?(?:msgs?|messages)\s*:\s*(?P<v>.+)",
        split=r"\s+\+\s+|" + _MESSAGE_SPLIT,
    ),  # fmt: skip
    _cue("key_messages", _WE_WANT_THEM_TO_KNOW),
    _cue("key_messages", r"\bby showing (?:that |how )?(?P<v>.+)"),
    _cue("tone", _TONE_SHOULD_BE),
    _cue("tone", r"\b(?:tone|style|vibe|mood)\s*(?::|=|is)\s+(?P<v>.+)"),
    _cue(
        "tone",
        r"\b(?:tone|feel|mood|vibe)[- ]wise,?\s+(?:think\s+|we(?:’d|'d| would) like it\s+)?"
        r"(?P<v>.+)",
    ),  # fmt: skip
    _cue("tone", _IN_TONE),
    _cue("tone", _SHOULD_FEEL),
    _cue("music", _FOR_MUSIC),
    _cue("music", r"\b(?:music|soundtrack)\s+(?:should be|is|will be)\s+(?P<v>.+)"),
    _cue(
        "mandatories",
        r"\bmust (?:show|include|feature|carry|display|have)\s+(?P<v>.+)",
        split=r"\s+\+\s+|;",
    ),  # fmt: skip
    _cue("mandatories", r"(?:please\s+)?(?:make sure|be sure to|ensure)\s+(?P<v>.+)", split=";"),
    _cue("mandatories", _HAS_TO_BE_SAID),
    _cue("mandatories", r"\bmust[- ]haves?\b[^:]{0,40}:\s*(?P<v>.+)", split=_ITEMS_AND),
    _cue("mandatories", _IMPERATIVE),
    _cue("mandatories", _AND_IMPERATIVE),
    # Weak: passing phrases, tried only where no strong cue found the field.
    _cue(
        "objective",
        r"\b(?:just |mainly |mostly |simply |only )?to\s+(?P<v>" + _PROMOTE + r"\b.+)",
        strong=False,
    ),  # fmt: skip
    _cue("objective", r"\bthat\s+(?P<v>" + _PROMOTE + r"(?:e?s)\b.+)", strong=False),
    _cue("audience", _IT_IS_FOR_PEOPLE, strong=False),
    _cue("audience", r"[—–]\s*(?P<x>" + _PEOPLE_PHRASE + r"[^—–]*?)\s*[—–]", strong=False),
    _cue("brand", _NAME_DOES, strong=False),
    _cue("music", r"(?P<x>.*\b(?:music|soundtrack|bpm)\b.*)", strong=False),
    _cue("mandatories", _MUST_WORDS, strong=False, split=";"),
)


def opens_a_field(sentence: str, other_than: str) -> bool:
    """Whether a strong cue of another field starts the sentence ("Music-wise, ..."): a sentence
    that runs on after a label's value but is not about that label."""
    return any(
        cue.strong
        and cue.name != other_than
        and (m := cue.pattern.match(sentence)) is not None
        and m.start() == 0
        for cue in CUES
    )


def sentences(text: str) -> list[str]:
    """The sentences of `text`; a quoted line ("Just talk. Quillo listens.") stays whole."""
    inside = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    parts, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        if not any(a < end.start() and end.end(1) < b for a, b in inside):
            parts.append(text[start : end.end(1)])
            start = end.end()
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def quoted_text(match: re.Match) -> str | None:
    for group in ("q1", "q2", "q3", "q4", "q5"):
        if match.groupdict().get(group):
            return match.group(group).strip()
    return None


def unquote(text: str) -> str:
    """'“Join Northway.”' -> 'Join Northway.'; text with more than a quoted phrase is kept."""
    text = text.strip()
    match = _QUOTED.fullmatch(text.rstrip(" .!"))
    if match:
        inner = quoted_text(match)
        if inner:
            return inner
    if len(text) > 1 and text[0] in QUOTE_PAIRS:
        end = text.rfind(QUOTE_PAIRS[text[0]])
        closing = QUOTE_PAIRS[text[0]]
        if end > 0 and not text[end + 1 :].strip(" .!") and closing not in text[1:end]:
            return text[1:end].strip()
    return text


@dataclass
class _Sentence:
    text: str
    claimed: list[tuple[int, int]]

    def free(self, start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in self.claimed)


def _value(cue: Cue, sentence: str, match: re.Match) -> tuple[str, int, int, bool]:
    """The value, the span it claims in the sentence, and whether it was quoted."""
    quoted = quoted_text(match)
    if quoted is not None:
        return quoted, match.start(), match.end(), True
    if match.groupdict().get("x") is not None:
        return match.group("x").strip(), match.start("x"), match.end("x"), False
    start = match.start("v")
    ends = _OBJECTIVE_END if cue.name == "objective" else _CLAUSE_END
    stop = ends.search(sentence, start)
    # A list's items run on past clause ends ("a; b; and c"): to the sentence's end.
    end = len(sentence) if cue.split else (stop.start() if stop else len(sentence))
    return sentence[start:end], match.start(), end, False


def _tidy(name: str, value: str) -> str:
    value = _LEAD_FILLER.sub("", value.strip().rstrip(".!;,: ").strip())
    value = unquote(value)
    if name == "objective":  # "sells tickets" read as a goal: "Sell tickets"
        value = re.sub(r"^(" + _PROMOTE + r")(?:es|s)\b", r"\1", value, flags=re.IGNORECASE)
    return value[:1].upper() + value[1:]


def _items(cue: Cue, value: str) -> list[str]:
    parts = re.split(cue.split, value) if cue.split else [value]
    return [item for item in (_tidy(cue.name, part) for part in parts) if item]


def fill(found: dict, texts: Iterable[str], taken: set[str]) -> None:
    """Fill `found`'s empty fields from prose `texts`; fields in `taken` (given by the brief's
    structure) are left alone."""
    claims = [_Sentence(s, []) for text in texts for s in sentences(text)]
    for strong in (True, False):
        for sentence in claims:
            for cue in CUES:
                if cue.strong != strong or cue.name in taken:
                    continue
                if cue.name in SCALAR_FIELDS and found.get(cue.name):
                    continue
                _apply(found, cue, sentence)


def _apply(found: dict, cue: Cue, sentence: _Sentence) -> None:
    if cue.name == "music" and _NOT_YET.search(sentence.text):
        return  # "No music brief yet": no direction to give
    for match in cue.pattern.finditer(sentence.text):
        value, start, end, quoted = _value(cue, sentence.text, match)
        if not sentence.free(start, end):
            continue
        if cue.name in SCALAR_FIELDS:
            tidy = value if quoted else _tidy(cue.name, value)  # a quote is kept as written
            if not tidy:
                continue
            found[cue.name] = tidy
        else:
            items = _items(cue, value)
            if not items:
                continue
            found.setdefault(cue.name, []).extend(items)
        sentence.claimed.append((start, end))
        if cue.name in SCALAR_FIELDS:
            return


def quoted_title(texts: Iterable[str], not_these: Iterable[str]) -> str | None:
    """A campaign name is often only quoted: the first quoted phrase of 2-8 words in title case
    that is not a sentence and not a value already found (the call to action)."""
    skip = {value.casefold() for value in not_these if value}
    for text in texts:
        for match in _QUOTED.finditer(text):
            phrase = quoted_text(match) or ""
            words = phrase.split()
            if not 2 <= len(words) <= 8 or phrase[-1:] in ".!?" or phrase.casefold() in skip:
                continue
            capitals = sum(word[:1].isupper() for word in words if len(word) > 3)
            if capitals >= max(1, len([w for w in words if len(w) > 3])) * 2 / 3:
                return phrase
    return None


_SIGN_OFF = re.compile(
    r"^(?:best|thanks|thank you|many thanks|cheers|regards|kind regards|best regards|warmly|"
    r"all the best|merci|merci beaucoup|viele grüße|liebe grüße)\b[^.?]{0,30}$",
    re.IGNORECASE,
)
_ROLE = re.compile(
    r"\b(?:manager|director|directrice|directeur|head|lead|chief|ceo|cmo|coo|founder|owner|vp|"
    r"president|officer|coordinator|producer|marketing|partner|executive|specialist|leiter|"
    r"leiterin|responsable)\b",
    re.IGNORECASE,
)
_ROLE_LINE = re.compile(r"^(?P<role>[^,|·@]+?)\s*(?:,|\||·|@|\bat\b|\s[–—-]\s)\s*(?P<org>[A-Z].*)$")
_LEGAL_SUFFIX = re.compile(
    r"[\s,]+(?:GmbH|(?i:inc)\.?|Ltd\.?|LLC|S\.?A\.?S?|AG|plc|Co\.?|Corp\.?|SARL|Pty)$"
)


def brand_from_signature(lines: list[str]) -> str | None:
    """The company in an email's signature: "Brand Manager, Harbor Roasters" under "Thanks,"."""
    stripped = [line.strip() for line in lines]
    starts = [i for i, line in enumerate(stripped) if _SIGN_OFF.match(line)]
    start = starts[-1] + 1 if starts else max(0, len(stripped) - 6)
    block = [line for line in stripped[start:] if line][:6]
    for index, line in enumerate(block):
        match = _ROLE_LINE.match(line)
        org = match.group("org") if match else ""
        if match and _ROLE.search(match.group("role")) and len(org) <= 60 and not _ROLE.search(org):
            return _company(match.group("org"))
        # "Senior Brand Manager" on its own line, the company under it ("Orbit Mobile Ltd · ...")
        if _ROLE.search(line) and len(line.split()) <= 5 and index + 1 < len(block):
            company = re.split(r"\s+[·|–—-]\s+|,", block[index + 1])[0]
            if company[:1].isupper() and len(company.split()) <= 5:
                return _company(company)
    return None


def _company(name: str) -> str | None:
    return _LEGAL_SUFFIX.sub("", name.strip()).strip() or None
