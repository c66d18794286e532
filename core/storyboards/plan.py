"""A first storyboard from a brief's fields: a hook, a scene per key message, the product, and the
end card with the call to action.

Pure: fields in, scene drafts out. The lengths add up exactly to the brief's, about one scene per
5 s, each one the default video models accept, so clips are made at their scene's length instead
of cut or held. Each scene has a voice-over line short enough to be said in it: the hook the
lead key message, each message scene its own (unless the hook just said it), the product shot
the brand, the end card the call to action. The audience and objective are context in the
prompts, never what a frame shows. A mandatory lands in the one scene it concerns (a logo on the
end card, a pack shot in the product scene), a prohibition in every scene, and one that
concerns no scene on the end card.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from core import catalog

DEFAULT_DURATION_S = 30
END_CARD_S = 3
TITLE_WORDS = 6
MOTIONS = (
    "slow push-in, eased",
    "gentle pan left to right",
    "slow pull-back revealing the scene",
    "subtle orbit around the subject",
    "tilt up with a soft rack focus",
)
END_MOTION = "static hold, slow fade"
# Second shots of a beat, for a long spot with fewer beats than scenes.
ANGLES = ("close-up", "another angle", "in motion", "detail")
# Scene lengths keep to what Replicate's default clip model accepts and the draft engine makes.
LENGTH_MODELS = (catalog.REPLICATE_DEFAULTS["video"], catalog.DEFAULT_MODELS["video"])

END_CARD_RE = re.compile(r"end card[^.]*?(\d+)\s*(?:s\b|sec|second)", re.I)
END_CARD_BEFORE_RE = re.compile(r"(\d+)[\s-]*(?:s|sec|secs|seconds?)\b[^.]*?end card", re.I)
AT_LEAST_RE = re.compile(r"\b(at least|minimum|min\.|no less than|or (more|longer))", re.I)
PROHIBITION_RE = re.compile(r"^\s*(no|never|avoid|don'?t|do not|without)\b", re.I)
THROUGHOUT_RE = re.compile(
    r"\b(throughout|every (scene|shot|frame)|all (scenes|shots)|at all times|whole (spot|ad))\b",
    re.I,
)
LAST_CUE_RE = re.compile(
    r"\b(end|ending|final|last|closing|sign[- ]?off|logo|url|website|web address|www|phone|"
    r"legal|disclaimer|terms|small print|super|tagline|end ?line|hashtag)\b|\.com\b|https?://",
    re.I,
)
FIRST_CUE_RE = re.compile(r"\b(open|opens|opening|start|starts|intro|first(?!-))\b", re.I)
PRODUCT_CUE_RE = re.compile(
    r"\b(products?|pack|packs|packshot|packaging|bottles?|jars?|labels?|close-?up|hero|"
    r"(the|a|our|each) cans?)\b",
    re.I,
)
SHOW_RE = re.compile(r"^\s*(show|feature|include|display|see|hold on|close on)\b", re.I)
# Words too common in briefs to say what a mandatory is about.
_FILLER = frozenset(
    "with that this from into your their them they have will must should also only each every "
    "more than when what show shown shot shots scene scenes screen visible clearly".split()
)
# Words a title does not end on ("Yuzu-ginger is new and limited for" reads cut off).
_DANGLING = frozenset(
    "a an the and or but of on in at to for with by from into over under is are was be as that "
    "this your our their its you we it can will".split()
)


# The mixer's margins (core.media.mix: a breath after the cut, a little quiet before the next):
# a drafted line fits in what is left of its scene at a normal speaking rate.
BREATH_S = 0.5
_PHRASE_END_RE = re.compile(r"[,;:.!?\u2026]['\"\u201d\u2019)]*$")
_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})
# Words that open a phrase of their own: a line may stop before one ("Find Lumen | in the
# chiller aisle").
_PHRASE_OPENERS = frozenset(
    "and or but so yet of on in at to for with by from into over under as that while when where "
    "because until than".split()
)
_ENDS_SENTENCE_RE = re.compile(r"[.!?\u2026]['\"\u201d\u2019)]*$")


@dataclass
class SceneDraft:
    title: str
    description: str
    image_prompt: str
    motion_prompt: str
    duration_s: int
    shot_notes: str = ""
    voice_line: str = ""


@dataclass
class _Beat:
    kind: str  # hook | message | product | end
    title: str
    shows: str  # what the frame shows: the start of its prompt
    description: str
    topic: str = ""  # the words a mandatory about this scene shares with it
    notes: list[str] = field(default_factory=list)  # the mandatories that landed here
    says: str = ""  # its voice-over, before it is fitted to the scene's length


def _text(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    return value.strip() if isinstance(value, str) else ""


def _bare(text: str) -> str:
    """Text without its closing punctuation (briefs end their lines inconsistently)."""
    return text.strip().rstrip(".!?;:,").strip()


def _sentences(*parts: str) -> str:
    """Parts joined as sentences, each with one full stop."""
    kept = [_bare(p) for p in parts if p and _bare(p)]
    return ". ".join(kept) + "." if kept else ""


def _lower_first(text: str) -> str:
    """Its first letter in lower case ("urban professionals"), unless it starts an acronym."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


# --- lengths -------------------------------------------------------------------------------------


def accepted_lengths() -> tuple[int, ...]:
    """Scene lengths every model of LENGTH_MODELS accepts, shortest first."""
    common = set.intersection(
        *(set(catalog.accepted_durations(catalog.get_model(m))) for m in LENGTH_MODELS)
    )
    return tuple(sorted(common))


def _usual_length() -> int:
    """The clip length of Replicate's default video model when none is asked (5 s)."""
    param = catalog.get_model(LENGTH_MODELS[0]).param("duration")
    return int(param.default) if param is not None and param.default else 5


def asked_end_card_s(mandatories: Sequence[str]) -> int | None:
    """The end card's length a mandatory asks for ("Logo end card for at least 2 seconds")."""
    for line in mandatories:
        if match := END_CARD_RE.search(line) or END_CARD_BEFORE_RE.search(line):
            return int(match.group(1))
    return None


def _end_card_s(mandatories: Sequence[str]) -> int:
    """The length a mandatory asks for; a usual end card where it asks only for a minimum."""
    asked = asked_end_card_s(mandatories)
    if asked is None:
        return END_CARD_S
    at_least = any(AT_LEAST_RE.search(m) for m in mandatories if END_CARD_RE.search(m))
    return max(asked, END_CARD_S) if at_least else asked


def scene_lengths(total: int, end_card_s: int = END_CARD_S) -> list[int]:
    """Whole seconds per scene, the end card's last, adding up to `total`: about one scene per
    usual clip length (5 s), each within what the video models accept (a range: 2 to 12 s)."""
    accepted = accepted_lengths()
    low, high = accepted[0], accepted[-1]
    if total < 2 * low:
        return [total]  # too short for two clips: the end card alone
    end = min(max(end_card_s, low), high, total - low)
    body = total - end
    most, fewest = body // low, math.ceil(body / high)
    count = max(fewest, min(most, max(1, math.floor(body / _usual_length() + 0.5))))
    base, extra = divmod(body, count)
    # The longer scenes come last: the product's hero shot is worth the extra second.
    return [base] * (count - extra) + [base + 1] * extra + [end]


# --- beats ---------------------------------------------------------------------------------------


def _breaks_after(words: list[str], i: int) -> bool:
    """Whether a title may end on the i-th word (from 1): at a comma, or before a word such as
    "for" or "and", but not inside a list ("rock, mud and scree")."""
    last, following = words[i - 1], words[i].lower()
    if last.lower().strip(",;:") in _DANGLING:
        return False
    in_list = following in ("and", "or") and any(w.endswith(",") for w in words[: i - 1])
    return last[-1] in ",;:" or (following in _DANGLING and not in_list)


def title_from(message: str) -> str:
    """A short title drawn from a key message: its first words up to a natural break, at most
    TITLE_WORDS (a couple more to reach one), never ending on "and", "for" or a comma."""
    words = _bare(message).split()
    cut = len(words)
    if cut > TITLE_WORDS:
        fits = [i for i in range(3, min(cut, TITLE_WORDS + 3)) if _breaks_after(words, i)]
        short = [i for i in fits if i <= TITLE_WORDS]
        cut = short[-1] if short else fits[0] if fits else TITLE_WORDS
    kept = words[:cut]
    while len(kept) > 1 and kept[-1].lower().strip(",;:") in _DANGLING:
        kept.pop()
    title = _bare(" ".join(kept))
    return title[:1].upper() + title[1:]


def _hook(fields: dict[str, Any], messages: list[str]) -> _Beat:
    """The opening: drawn from the first key message (the tone sets its look), never from who
    the ad is for."""
    brand = _text(fields, "brand")
    lead = _bare(messages[0]) if messages else ""
    if lead:  # a teaser: the message's own scene follows
        shows = f"Opening close-up teasing “{lead}”, an arresting first image"
        description = f"Hook: an arresting opening that sets up “{lead}”"
    else:
        shows = f"An arresting opening shot{f' for {brand}' if brand else ''}"
        description = "Hook: an arresting opening image that stops the scroll"
    return _Beat("hook", "Hook", shows, description, says=messages[0] if messages else "")


def _message(message: str) -> _Beat:
    said = _bare(message)
    return _Beat("message", title_from(said), said, said, topic=said, says=message)


def _product(fields: dict[str, Any], folded: list[str], unsaid: list[str]) -> _Beat:
    """The hero shot; key messages without a scene of their own are what it shows off, and the
    first of them nobody has said yet is said after the brand's name."""
    brand = _text(fields, "brand")
    shows = f"Hero shot of the {brand + ' ' if brand else ''}product, clearly visible and well lit"
    if folded:
        shows += ", showing " + "; ".join(_bare(m) for m in folded)
    says = _sentences(brand, *unsaid[:1])
    return _Beat("product", "Product", shows, shows, topic=shows, says=says)


def _end_card(fields: dict[str, Any], with_product: bool) -> _Beat:
    brand = _text(fields, "brand")
    cta = _text(fields, "call_to_action")
    shown = cta or "Call to action"  # a placeholder to write over, never to be said
    card = f"logo end card{f' for {brand}' if brand else ''}"
    shows = f"Clean {card}{', beside the product' if with_product else ''}: {_bare(shown)}"
    return _Beat("end", "End card", shows, f"{card[0].upper()}{card[1:]}: {shown}", says=cta)


def _angle(n: int) -> str:
    return ANGLES[n % len(ANGLES)] + (f" {n // len(ANGLES) + 1}" if n >= len(ANGLES) else "")


def _second_shots(beats: list[_Beat], slots: int) -> list[_Beat]:
    """`beats` and, after each message and the product in turn, more shots of it until there
    are `slots`: a long spot with few key messages still has a scene every 5 s or so."""
    sources = [i for i, b in enumerate(beats) if b.kind in ("message", "product")]
    extras: dict[int, list[_Beat]] = {i: [] for i in sources}
    for n in range(slots - len(beats)):
        i = sources[n % len(sources)]
        source, angle = beats[i], _angle(n // len(sources))
        extras[i].append(replace(
            source, title=f"{source.title}, {angle}", shows=f"{source.shows}, {angle}",
            description=f"{source.description} ({angle})", notes=[], says="",
        ))  # fmt: skip
    return [shot for i, beat in enumerate(beats) for shot in (beat, *extras.get(i, []))]


def _body(fields: dict[str, Any], slots: int) -> list[_Beat]:
    """The scenes before the end card: the hook, the key messages in order, the product. Short
    of time, the hook goes in first, then the product, then as many messages as fit; the rest
    are shown off in the product shot."""
    if slots == 0:
        return []
    messages = [m for m in fields.get("key_messages") or [] if m and _bare(m)]
    hook = _hook(fields, messages)
    if slots == 1:
        return [hook]
    kept = messages[: slots - 2]
    said = [_message(m) for m in kept]
    if said:  # the hook has just said it: once is enough
        said[0].says = ""
    folded = messages[len(kept) :]
    # With no message scene of its own, the lead message was the hook's to say.
    product = _product(fields, folded, folded if kept else folded[1:])
    return _second_shots([hook, *said, product], slots)


# --- mandatories ---------------------------------------------------------------------------------


def in_every_scene(mandatory: str) -> bool:
    """A prohibition ("No alcohol cues") or a rule for the whole spot ("Logo visible
    throughout") concerns every scene."""
    return bool(PROHIBITION_RE.match(mandatory) or THROUGHOUT_RE.search(mandatory))


def wanted_place(mandatory: str) -> str | None:
    """Where a mandatory says it goes: "last" (a logo, "in the final shot"), "first" ("open on
    the can"), else None."""
    if in_every_scene(mandatory):
        return None
    if LAST_CUE_RE.search(mandatory):
        return "last"
    if FIRST_CUE_RE.search(mandatory):
        return "first"
    return None


def _words(text: str, ignore: frozenset[str] = frozenset()) -> set[str]:
    return set(re.findall(r"[a-z]{4,}", text.lower())) - _FILLER - ignore


def _about(mandatory: str, beats: list[_Beat], brand: str) -> _Beat | None:
    """The key message or product scene sharing the most words with a mandatory (the brand's
    name, in most of them, says nothing); the first of equals: a second shot is a copy."""
    said = _words(mandatory, frozenset(_words(brand)))
    scored = [(len(said & _words(b.topic)), -i, b) for i, b in enumerate(beats) if b.topic]
    best = max(scored, default=None, key=lambda s: s[:2])
    return best[2] if best and best[0] else None


def _landing(mandatory: str, beats: list[_Beat], brand: str) -> _Beat | None:
    """The scene a mandatory concerns; None for one every scene honours."""
    if in_every_scene(mandatory):
        return None
    if (place := wanted_place(mandatory)) is not None:
        return beats[-1] if place == "last" else beats[0]
    body = [b for b in beats if b.kind in ("message", "product")]
    if found := _about(mandatory, body, brand):
        return found
    product = next((b for b in beats if b.kind == "product"), beats[-1])
    return product if PRODUCT_CUE_RE.search(mandatory) or SHOW_RE.match(mandatory) else beats[-1]


# --- voice lines ---------------------------------------------------------------------------------


def words_that_fit(seconds: float) -> int:
    """How many words can be said in a scene of `seconds` at a normal speaking rate, leaving the
    mixer its breath after the cut and its quiet before the next."""
    return max(0, math.floor((seconds - BREATH_S) * catalog.WORDS_PER_S + 1e-9))


def _phrase_ends_after(words: list[str], i: int) -> bool:
    """Whether a phrase ends after the i-th word (from 1): at its punctuation, before a dash, or
    before a word that opens a new phrase ("in the chiller aisle", "for spring")."""
    last, following = words[i - 1], words[i]
    if last in _DASHES or last.lower().strip(",;:") in _DANGLING:
        return False
    opens = following in _DASHES or following.lower() in _PHRASE_OPENERS
    return opens or bool(_PHRASE_END_RE.search(last))


def _spoken(words: list[str]) -> str:
    """Words as a line to say: no dangling dash or comma, ending as a sentence does."""
    text = " ".join(words).rstrip(" ,;:" + "".join(_DASHES))
    return text if _ENDS_SENTENCE_RE.search(text) else f"{text}."


def fit_line(text: str, seconds: float) -> str:
    """`text` as a voice-over line for a scene of `seconds`: whole when it fits, else cut at the
    last phrase boundary that fits (never inside a word; inside a phrase only when no phrase
    fits, and then not down to a lone word, which says nothing); "" when nothing fits."""
    words, room = text.split(), words_that_fit(seconds)
    if not words or room == 0:
        return ""
    if len(words) <= room:
        return _spoken(words)
    if cuts := [i for i in range(1, room + 1) if _phrase_ends_after(words, i)]:
        return _spoken(words[: cuts[-1]])
    kept = words[:room]
    while kept and kept[-1].lower().strip(",;:") in _DANGLING:
        kept.pop()
    return _spoken(kept) if len(kept) > 1 else ""


# --- scenes --------------------------------------------------------------------------------------


def _style(fields: dict[str, Any]) -> str:
    tone = _text(fields, "tone")
    palette = [c for c in fields.get("palette") or [] if c]
    if palette and not all(c.upper() in tone.upper() for c in palette):
        return _sentences(tone, "Palette " + ", ".join(palette))
    return _sentences(tone)


def _context(fields: dict[str, Any]) -> str:
    """Who the ad is for and what it should do: context for the model, not the subject."""
    audience, objective = _text(fields, "audience"), _text(fields, "objective")
    return _sentences(
        f"Made for {_lower_first(audience)}" if audience else "",
        f"Aim: {_lower_first(objective)}" if objective else "",
    )


def _prompt(*parts: str) -> str:
    """The parts as sentences, the last ones left out while the prompt is over the models'
    limit (context goes before what the frame shows)."""
    kept = [p for p in parts if p]
    while len(kept) > 1 and len(_sentences(*kept)) > catalog.MAX_PROMPT_CHARS:
        kept.pop()
    return _sentences(*kept)[: catalog.MAX_PROMPT_CHARS]


def _scene(beat: _Beat, seconds: int, motion: str, rules: list[str], fields: dict) -> SceneDraft:
    visual = [m for m in beat.notes if SHOW_RE.match(m) or PRODUCT_CUE_RE.search(m)]
    return SceneDraft(
        title=beat.title,
        description=_sentences(beat.description),
        image_prompt=_prompt(beat.shows, *visual, _style(fields), _context(fields)),
        motion_prompt=motion,
        duration_s=seconds,
        shot_notes=" ".join([*beat.notes, *rules]),  # as the brief says them: checks find them
        voice_line=fit_line(beat.says, seconds),
    )


def plan_scenes(fields: dict[str, Any]) -> list[SceneDraft]:
    total = int(fields.get("duration_s") or DEFAULT_DURATION_S)
    mandatories = [m.strip() for m in fields.get("mandatories") or [] if m and m.strip()]
    lengths = scene_lengths(total, _end_card_s(mandatories))
    body = _body(fields, len(lengths) - 1)
    beats = [*body, _end_card(fields, with_product=not any(b.kind == "product" for b in body))]
    for mandatory in mandatories:
        if (landed := _landing(mandatory, beats, _text(fields, "brand"))) is not None:
            landed.notes.append(mandatory)
    rules = [m for m in mandatories if in_every_scene(m)]
    motions = [MOTIONS[i % len(MOTIONS)] for i in range(len(body))] + [END_MOTION]
    return [
        _scene(beat, seconds, motion, rules, fields)
        for beat, seconds, motion in zip(beats, lengths, motions, strict=True)
    ]
