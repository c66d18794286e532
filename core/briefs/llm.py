"""An LLM on Replicate as the brief parser, when a token is set; the offline parser otherwise.

The model is asked for one JSON object with our field names. Its answer is validated like a
person's edits (`BriefFields`); anything it cannot give (no token, an API error, a timeout, no
JSON, a bad value) falls back to the offline parser, and the outcome says so. A valid answer is
merged with the offline parser's (`support.merge`): a value the brief's text does not bear out
is dropped for the offline parser's, and the outcome names those fields.

`quote` is what a parse costs at most, from the catalog's token prices. It is only shown: the
briefs part may not import `costs`, and a campaign's spend is the sum of its generations, which
a parse is not.
"""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass

from pydantic import ValidationError as PydanticError
from replicate.exceptions import ReplicateException

from core import catalog
from core.briefs.fields import BriefFields
from core.briefs.parse import parse_brief
from core.briefs.support import merge
from core.config import get_settings
from core.errors import ProviderError
from core.providers import replicate_http

log = logging.getLogger(__name__)

OFFLINE = "offline"
LLM_MODELS = ("openai/gpt-4o-mini", "meta/meta-llama-3-8b-instruct")
MAX_BRIEF_CHARS = 24_000  # about 6k tokens: a long brief, at a fraction of a cent
MAX_OUTPUT_TOKENS = 1500  # the JSON of a full brief is a few hundred; room for long lists
CHARS_PER_TOKEN = 4  # English prose, as the model providers' own rule of thumb counts it
DEADLINE_S = 90.0
POLL_S = 1.0
FINAL = ("succeeded", "failed", "canceled")
SYSTEM = (
    "You extract fields from an advertising brief. Answer with one JSON object and nothing "
    "else, with exactly these keys: title, brand, objective, audience, key_messages (list), "
    "tone, palette (list of '#RRGGBB'), call_to_action, duration_s (integer seconds), "
    "aspect_ratios (list like '16:9'), platforms (list), mandatories (list), music, "
    "budget_usd (number). Use null or [] for anything the brief does not say; never invent."
)


@dataclass(frozen=True)
class ParseOutcome:
    fields: BriefFields
    parser: str  # "offline" or the model id that produced the fields
    note: str | None = None  # why the offline parser was used instead of the chosen LLM
    # Fields where the LLM gave something the brief's text does not support: not taken.
    dropped: tuple[str, ...] = ()


def _input(model: str, text: str) -> dict:
    brief = text[:MAX_BRIEF_CHARS]
    if model.startswith("openai/"):
        return {"system_prompt": SYSTEM, "prompt": brief, "temperature": 0,
                "max_completion_tokens": MAX_OUTPUT_TOKENS}  # fmt: skip
    return {"prompt": f"{SYSTEM}\n\nBRIEF:\n{brief}\n\nJSON:", "max_tokens": MAX_OUTPUT_TOKENS,
            "temperature": 0.1}  # fmt: skip


def quote(parser: str, text: str) -> float:
    """USD an LLM parse of `text` is expected to cost: everything sent (instructions and brief)
    read, and the longest answer allowed written, so the bill is rarely more. Offline is free."""
    if parser == OFFLINE:
        return 0.0
    sent = _input(parser, text)
    chars = sum(len(v) for v in sent.values() if isinstance(v, str))
    return catalog.token_cost(parser, input_tokens=math.ceil(chars / CHARS_PER_TOKEN),
                              output_tokens=MAX_OUTPUT_TOKENS)  # fmt: skip


def _answer(model: str, text: str) -> str:
    """The model's whole text answer (its output is a list of string chunks)."""
    client = replicate_http.get_client()
    with replicate_http.replicate_errors():
        prediction = client.models.predictions.create(model=model, input=_input(model, text))
        deadline = time.monotonic() + DEADLINE_S
        while prediction.status not in FINAL:
            if time.monotonic() > deadline:
                prediction.cancel()
                raise ProviderError(f"{model} did not answer within {DEADLINE_S:.0f} s")
            time.sleep(POLL_S)
            prediction.reload()
    if prediction.status != "succeeded":
        raise ProviderError(f"{model} {prediction.status}: {prediction.error or 'no reason given'}")
    output = prediction.output
    return "".join(output) if isinstance(output, list) else str(output or "")


def _fields(answer: str) -> BriefFields:
    start, end = answer.find("{"), answer.rfind("}")
    if start < 0 or end < start:
        raise ValueError("the answer holds no JSON object")
    data = json.loads(answer[start : end + 1])
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")
    return BriefFields.model_validate(data)


def _reason(error: Exception) -> str:
    if isinstance(error, PydanticError):
        return "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()
        )[:200]  # fmt: skip
    return (str(error).splitlines() or [type(error).__name__])[0][:200]


def parse_with(parser: str, text: str) -> ParseOutcome:
    """Fields from `parser` ("offline" or an LLM id), falling back to offline with a note."""
    if parser == OFFLINE:
        return ParseOutcome(parse_brief(text), OFFLINE)
    if parser not in LLM_MODELS:
        return ParseOutcome(parse_brief(text), OFFLINE, f"{parser} is not a brief parser.")
    if not get_settings().replicate_enabled:
        return ParseOutcome(parse_brief(text), OFFLINE, "The LLM parser needs REPLICATE_API_TOKEN.")
    try:
        answer = _fields(_answer(parser, text))
    except (ProviderError, ReplicateException, ValueError, PydanticError) as error:
        reason = _reason(error)
        log.warning("LLM brief parser %s failed: %s", parser, reason)
        note = f"The LLM parser ({parser}) failed ({reason}); the offline parser was used."
        return ParseOutcome(parse_brief(text), OFFLINE, note)
    fields, dropped = merge(answer, parse_brief(text), text)
    if dropped:
        log.info("LLM brief parser %s: not in the brief, dropped: %s", parser, ", ".join(dropped))
    return ParseOutcome(fields, parser, dropped=dropped)
