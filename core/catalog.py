"""The model registry: the one place a model is described, validated and priced.

Forms are drawn from it, every request is validated against it, costs are computed from it.
Prices are third-party quotes of Replicate's pages (see ../shared/replicate/README.md): keep them
in `PRICES` so they are easy to correct.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.errors import NotFound, ValidationError

ASPECT_RATIOS_IMAGE = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
ASPECT_RATIOS_VIDEO = ("16:9", "4:3", "1:1", "3:4", "9:16", "21:9", "9:21")
RESOLUTIONS = ("480p", "720p", "1080p")
MAX_PROMPT_CHARS = 2000

# Pixel sizes of nano-banana's outputs per ratio; the draft engine makes the same sizes.
IMAGE_SIZES = {
    "1:1": (1024, 1024), "16:9": (1344, 768), "9:16": (768, 1344), "4:3": (1152, 896),
    "3:4": (896, 1152), "3:2": (1216, 832), "2:3": (832, 1216), "5:4": (1120, 896),
    "4:5": (896, 1120), "21:9": (1536, 640),
}  # fmt: skip


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # str | int | float | bool
    default: Any = None
    choices: tuple | None = None
    min: float | None = None
    max: float | None = None
    help: str = ""
    required: bool = False


@dataclass(frozen=True)
class Price:
    """How a model bills. `rate` is USD per unit; `by` picks a rate from a parameter's value."""

    unit: str  # free | image | video_second | gpu_second | character (of the text spoken)
    rate: float = 0.0
    by: str | None = None
    rates: Mapping[str, float] = field(default_factory=dict)
    # GPU-time models: the estimate is base + per_output_second x duration (seconds of GPU).
    gpu_base_s: float = 0.0
    gpu_per_output_s: float = 0.0


@dataclass(frozen=True)
class ModelSpec:
    id: str
    kind: str
    title: str
    params: tuple[Param, ...]
    price: Price
    description: str = ""
    version: str | None = None  # community models run by version
    prompt_param: str = "prompt"
    start_image_param: str | None = None
    start_image_required: bool = False
    negative_param: str | None = None
    fixed_duration_s: float | None = None  # models whose output length is not a parameter
    # True: a start image of another shape is cropped to the video's frame (the draft engine);
    # False: the video takes the start image's shape (Replicate's models ignore their ratio).
    crops_start_image: bool = False

    @property
    def provider(self) -> str:
        return "local" if self.id.startswith("local/") else "replicate"

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


MINIMAX_VOICES = (
    "Wise_Woman", "Friendly_Person", "Inspirational_girl", "Deep_Voice_Man", "Calm_Woman",
    "Casual_Guy", "Lively_Girl", "Patient_Man", "Young_Knight", "Determined_Man", "Lovely_Girl",
    "Decent_Boy", "Imposing_Manner", "Elegant_Man", "Abbess", "Sweet_Girl_2", "Exuberant_Girl",
)  # fmt: skip
MINIMAX_LANGUAGES = (
    "None", "Automatic", "Chinese", "Chinese,Yue", "Cantonese", "English", "Arabic", "Russian",
    "Spanish", "French", "Portuguese", "German", "Turkish", "Dutch", "Ukrainian", "Vietnamese",
    "Indonesian", "Japanese", "Italian", "Korean", "Thai", "Polish", "Romanian", "Greek", "Czech",
    "Finnish", "Hindi", "Bulgarian", "Danish", "Hebrew", "Malay", "Persian", "Slovak", "Swedish",
    "Croatian", "Filipino", "Hungarian", "Norwegian", "Slovenian", "Catalan", "Nynorsk", "Tamil",
    "Afrikaans",
)  # fmt: skip
KOKORO_VOICES = (
    "af_alloy", "af_aoede", "af_bella", "af_jessica", "af_kore", "af_nicole", "af_nova",
    "af_river", "af_sarah", "af_sky", "am_adam", "am_echo", "am_eric", "am_fenrir", "am_liam",
    "am_michael", "am_onyx", "am_puck", "bf_alice", "bf_emma", "bf_isabella", "bf_lily",
    "bm_daniel", "bm_fable", "bm_george", "bm_lewis",
)  # fmt: skip
# A normal speaking rate (the storyboard checks each line against its scene with it).
WORDS_PER_S = 2.5
TYPICAL_LINE_S = 10.0  # the line a GPU-billed voice's price is told for


def _seed() -> Param:
    return Param("seed", "int", None, min=0, max=2**31 - 1, help="Same seed, same output.")


MODELS: tuple[ModelSpec, ...] = (
    ModelSpec(
        id="local/draft-image", kind="image", title="Draft image",
        description="A layered composition in the brand palette with the prompt as caption.",
        params=(
            Param("aspect_ratio", "str", "1:1", ASPECT_RATIOS_IMAGE, help="Frame shape."),
            Param("output_format", "str", "png", ("png", "jpg"), help="File type."),
            _seed(),
        ),
        price=Price("free"),
    ),
    ModelSpec(
        id="local/draft-video", kind="video", title="Draft video",
        description="The start image animated with eased zoom and pan, as H.264 MP4.",
        params=(
            Param("duration", "int", 5, min=1, max=30, help="Length in seconds."),
            Param("resolution", "str", "720p", RESOLUTIONS, help="Short side of the frame."),
            Param("aspect_ratio", "str", "16:9", ASPECT_RATIOS_VIDEO, help="Frame shape."),
            Param("fps", "int", 24, (12, 24, 30), help="Frames per second."),
            _seed(),
        ),
        price=Price("free"),
        start_image_param="image",
        crops_start_image=True,
    ),
    ModelSpec(
        id="local/draft-music", kind="audio", title="Draft music",
        description="Chords, bass and a beat whose tempo and mood follow the prompt.",
        params=(
            Param("duration", "int", 8, min=1, max=180, help="Length in seconds."),
            Param("output_format", "str", "wav", ("wav", "mp3"), help="File type."),
            _seed(),
        ),
        price=Price("free"),
    ),
    ModelSpec(
        id="local/compose", kind="composite", title="Final ad",
        description="Scene clips joined in order with a music bed and the call to action.",
        params=(
            Param("transition", "str", "cut", ("cut", "crossfade"), help="Between scenes."),
            Param("aspect_ratio", "str", "16:9", ASPECT_RATIOS_VIDEO, help="Frame shape."),
            Param("resolution", "str", "720p", RESOLUTIONS, help="Short side of the frame."),
            Param("fps", "int", 24, (24, 30), help="Frames per second."),
        ),
        price=Price("free"),
    ),
    ModelSpec(
        id="google/nano-banana", kind="image", title="Nano Banana (Google)",
        params=(
            Param("aspect_ratio", "str", "1:1", ("match_input_image", *ASPECT_RATIOS_IMAGE),
                  help="Frame shape."),
            Param("output_format", "str", "jpg", ("jpg", "png"), help="File type."),
        ),
        price=Price("image", 0.039),
        start_image_param="image_input",
    ),
    ModelSpec(
        id="bytedance/seedance-1-lite", kind="video", title="Seedance 1 Lite (ByteDance)",
        params=(
            Param("duration", "int", 5, min=2, max=12, help="Length in seconds."),
            Param("resolution", "str", "720p", RESOLUTIONS, help="Output resolution."),
            Param("aspect_ratio", "str", "16:9", ASPECT_RATIOS_VIDEO,
                  help="Frame shape (ignored when a start image is given)."),
            Param("fps", "int", 24, (24,), help="Frames per second."),
            Param("camera_fixed", "bool", False, help="Keep the camera still."),
            _seed(),
        ),
        price=Price("video_second", by="resolution",
                    rates={"480p": 0.018, "720p": 0.036, "1080p": 0.072}),
        start_image_param="image",
    ),
    ModelSpec(
        id="kwaivgi/kling-v2.1", kind="video", title="Kling v2.1 (Kuaishou)",
        params=(
            Param("mode", "str", "standard", ("standard", "pro"),
                  help="standard = 720p, pro = 1080p; both 24 fps."),
            Param("duration", "int", 5, (5, 10), help="Length in seconds."),
        ),
        price=Price("video_second", by="mode", rates={"standard": 0.05, "pro": 0.09}),
        start_image_param="start_image",
        start_image_required=True,
        negative_param="negative_prompt",
    ),
    ModelSpec(
        id="meta/musicgen", kind="audio", title="MusicGen (Meta)",
        version="671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb",
        params=(
            Param("model_version", "str", "stereo-melody-large",
                  ("stereo-melody-large", "stereo-large", "melody-large", "large"),
                  help="Model size and stereo."),
            Param("duration", "int", 8, min=1, max=30, help="Length in seconds."),
            Param("output_format", "str", "wav", ("wav", "mp3"), help="File type."),
            Param("normalization_strategy", "str", "loudness", ("loudness", "clip", "peak", "rms"),
                  help="Loudness normalisation."),
            Param("temperature", "float", 1.0, min=0.0, max=2.0, help="Sampling temperature."),
            Param("classifier_free_guidance", "int", 3, min=1, max=10,
                  help="How closely to follow the prompt."),
            _seed(),
        ),
        price=Price("gpu_second", 0.00115, gpu_base_s=8.0, gpu_per_output_s=2.0),
    ),
    ModelSpec(
        id="riffusion/riffusion", kind="audio", title="Riffusion",
        version="8cf61ea6c56afd61d8f5b9ffd14d7c216c0a93844ce2d82ac1c9ecc9c7f24e05",
        prompt_param="prompt_a",
        params=(
            Param("denoising", "float", 0.75, min=0.0, max=1.0, help="Distance from seed."),
            Param("num_inference_steps", "int", 50, min=1, max=100, help="Diffusion steps."),
            Param("seed_image_id", "str", "vibes",
                  ("agile", "marim", "mask_beat_lines_80", "mask_gradient_dark",
                   "mask_gradient_top_70", "mask_graident_top_fifth_75", "mask_top_third_75",
                   "mask_top_third_95", "motorway", "og_beat", "vibes"),
                  help="Seed spectrogram."),
        ),
        price=Price("gpu_second", 0.000225, gpu_base_s=6.0),
        fixed_duration_s=5.0,
    ),
    # Voices: the line to speak is the prompt (`text`). A voice's length follows its text, so
    # quotes take the text too (`estimate_cost(..., text=...)`).
    ModelSpec(
        id="local/draft-voice", kind="voice", title="Draft voice",
        description="eSpeak NG speech made on this machine, with word timings for captions.",
        prompt_param="text",
        params=(
            Param("voice", "str", "us_female", ("us_female", "us_male", "uk_female", "uk_male"),
                  help="Accent and voice."),
            Param("speed", "float", 1.0, min=0.5, max=2.0, help="1 = about 2.8 words a second."),
            Param("pitch", "int", 0, min=-12, max=12, help="Semitones up or down."),
        ),
        price=Price("free"),
    ),
    # [C] Input schema: replicate.com/minimax/speech-02-turbo/versions/e2e8812b45eefa93b20990418
    # 480fe628ddce470f9b72909a175d65e288ff3d5/api (text up to 10,000 characters; output one URI).
    # voice_id takes any system or cloned voice id: we offer the 17 system voices listed in the
    # description of its version 43b17801 (cloning is a model of its own). audio_format also
    # takes flac and pcm, which the store does not keep; subtitle_enable is left out (its
    # sentence timings do not come back in the output URI). Official model: no version.
    ModelSpec(
        id="minimax/speech-02-turbo", kind="voice", title="Speech-02-Turbo (MiniMax)",
        prompt_param="text",
        params=(
            Param("voice_id", "str", "Wise_Woman", MINIMAX_VOICES, help="Voice."),
            Param("speed", "float", 1.0, min=0.5, max=2.0, help="Speaking speed."),
            Param("pitch", "int", 0, min=-12, max=12, help="Semitones up or down."),
            Param("emotion", "str", "auto", ("auto", "happy", "sad", "angry", "fearful",
                                             "disgusted", "surprised", "calm", "fluent",
                                             "neutral"), help="Delivery."),
            Param("volume", "float", 1.0, min=0.0, max=10.0, help="Relative loudness."),
            Param("english_normalization", "bool", False,
                  help="Read numbers and dates better in English (a little slower)."),
            Param("language_boost", "str", None, MINIMAX_LANGUAGES, help="Language hint."),
            # WAV by default (the model's is mp3): the voice is mixed and encoded again, and a
            # lossless source avoids a second lossy generation.
            Param("audio_format", "str", "wav", ("wav", "mp3"), help="File type."),
            Param("sample_rate", "int", 32000, (8000, 16000, 22050, 24000, 32000, 44100),
                  help="Samples a second."),
        ),
        # [3P] replicate.com/minimax/speech-2.6-turbo's readme: "$0.06 per 1,000 input tokens
        # (one MiniMax token ~ one character)" for its Turbo line, and 2.6 "4x higher per
        # character than 2.0 Turbo" (which would make 02-turbo $0.015); wavespeed.ai resells
        # 02-turbo at $0.03 per 1,000 characters. [I] We quote the highest, $0.06 per 1,000, so
        # a quote never falls short; correct it here from the model's page.
        price=Price("character", 0.00006),
    ),
    # [C] Input schema: replicate.com/jaaari/kokoro-82m/versions/f559560eb822dc509045f3921a192123
    # 4918b91739db4bf3daab2169b71c7a13/api (text; voice, default af_bella; speed 0.1-5; output
    # one URI); the voice names as listed for that model by @aeye/replicate's schema. Community
    # model: run by version. Its other voices (French, Hindi, Italian, Japanese, Chinese) are
    # left out: they read an English line with a foreign accent.
    ModelSpec(
        id="jaaari/kokoro-82m", kind="voice", title="Kokoro 82M",
        version="f559560eb822dc509045f3921a1921234918b91739db4bf3daab2169b71c7a13",
        prompt_param="text",
        params=(
            Param("voice", "str", "af_bella", KOKORO_VOICES,
                  help="af/am: American, bf/bm: British; f: female, m: male."),
            Param("speed", "float", 1.0, min=0.1, max=5.0, help="Speaking speed."),
        ),
        # [3P] eachlabs.ai bills its Kokoro 82M at Replicate's predict_time x $0.0002475/s,
        # Replicate's Nvidia T4 rate ($0.000225/s, ../shared/replicate/README.md section 5) plus
        # its 10 % margin: [I] a T4 model. GPU seconds [I]: ~3 s to start, 0.1 s per second of
        # speech (Kokoro runs ~10-30x real time on a GPU).
        price=Price("gpu_second", 0.000225, gpu_base_s=3.0, gpu_per_output_s=0.1),
    ),
)  # fmt: skip

_BY_ID = {m.id: m for m in MODELS}
DEFAULT_MODELS = {"image": "local/draft-image", "video": "local/draft-video",
                  "audio": "local/draft-music", "voice": "local/draft-voice"}  # fmt: skip
REPLICATE_DEFAULTS = {"image": "google/nano-banana", "video": "bytedance/seedance-1-lite",
                      "audio": "meta/musicgen", "voice": "minimax/speech-02-turbo"}  # fmt: skip


@dataclass(frozen=True)
class TokenPrice:
    """How a text model bills: USD per million tokens read (input) and written (output)."""

    input_per_m: float
    output_per_m: float


# The text models that parse briefs, billed per token. Like the prices above these are
# third-party quotes, not read off Replicate's own pages (none of them was found): correct them
# here when Replicate's model page says otherwise.
TOKEN_PRICES = {
    # [3P] getmaxim.ai's model library lists Replicate's gpt-4o-mini at OpenAI's list prices.
    "openai/gpt-4o-mini": TokenPrice(input_per_m=0.15, output_per_m=0.60),
    # [3P] ../shared/replicate/README.md section 5.
    "meta/meta-llama-3-8b-instruct": TokenPrice(input_per_m=0.05, output_per_m=0.25),
}


def token_cost(model_id: str, *, input_tokens: int, output_tokens: int) -> float:
    """USD a text model charges for the tokens it reads and writes."""
    try:
        price = TOKEN_PRICES[model_id]
    except KeyError:
        raise NotFound(
            f"No token price for '{model_id}'. Known: {', '.join(TOKEN_PRICES)}."
        ) from None
    usd = input_tokens * price.input_per_m + output_tokens * price.output_per_m
    return round(usd / 1_000_000, 8)


def get_model(model_id: str) -> ModelSpec:
    try:
        return _BY_ID[model_id]
    except KeyError:
        raise NotFound(f"Unknown model '{model_id}'. Known: {', '.join(_BY_ID)}.") from None


def models_for(kind: str) -> list[ModelSpec]:
    """Models a person picks for one kind of media."""
    return [m for m in MODELS if m.kind == kind]


def default_model(kind: str) -> str:
    """Draft models are the defaults: they work with no token and cost nothing."""
    return DEFAULT_MODELS[kind]


def label(spec: ModelSpec) -> str:
    """A model as people know it: its name and price ("Nano Banana (Google), $0.039 an image",
    "Draft image: free, offline"), never its id."""
    if spec.price.unit == "free":
        return f"{spec.title}: free, offline"
    return f"{spec.title}, {price_text(spec)}"


def price_text(spec: ModelSpec) -> str:
    """What a model costs, in words; a rate that depends on a setting starts at its lowest."""
    price = spec.price
    if price.unit == "free":
        return "free"
    if price.unit == "image":
        return f"${price.rate:g} an image"
    if price.unit == "video_second":
        rates = sorted(set(price.rates.values())) or [price.rate]
        return ("from " if len(rates) > 1 else "") + f"${rates[0]:g} a second of video"
    if price.unit == "character":
        return f"${price.rate * 1000:g} per 1,000 characters spoken"
    # Billed by GPU time: the estimate for the default length says more than a GPU rate.
    defaults = {p.name: p.default for p in spec.params}
    if spec.kind == "voice":
        line = " ".join(["word"] * int(TYPICAL_LINE_S * WORDS_PER_S))
        cost = estimate_cost(spec, defaults, text=line)
        return f"about ${cost:.4f} for a {TYPICAL_LINE_S:g} s line"
    seconds = output_duration_s(spec, defaults) or 0.0
    noun = "music" if spec.kind == "audio" else spec.kind
    return f"about ${estimate_cost(spec, defaults):.3f} for {seconds:g} s of {noun}"


def is_draft(model_id: str) -> bool:
    return get_model(model_id).provider == "local"


def frame_model_for(video_model: str) -> str:
    """The image model a render draws its scene frames with by default: a paid clip starts from
    a paid frame (animating a draft placeholder wastes the clip), a draft clip from a draft."""
    return DEFAULT_MODELS["image"] if is_draft(video_model) else REPLICATE_DEFAULTS["image"]


def _coerce(p: Param, raw: Any) -> Any:
    """Parse `raw` (possibly a CLI string) to the parameter's type; ValueError if impossible."""
    if p.type == "bool":
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in ("true", "1", "yes", "on"):
            return True
        if str(raw).lower() in ("false", "0", "no", "off"):
            return False
        raise ValueError
    if p.type == "int":
        if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
            raise ValueError
        return int(str(raw).strip()) if isinstance(raw, str) else int(raw)
    if p.type == "float":
        if isinstance(raw, bool):
            raise ValueError
        return float(raw)
    return str(raw)


def _check(p: Param, raw: Any) -> tuple[Any, str | None]:
    try:
        value = _coerce(p, raw)
    except (TypeError, ValueError):
        return None, f"{p.name}: '{raw}' is not a valid {p.type}{_allowed(p)}"
    if p.choices is not None and value not in p.choices:
        return None, f"{p.name}: '{raw}' is not allowed{_allowed(p)}"
    if (p.min is not None and value < p.min) or (p.max is not None and value > p.max):
        return None, f"{p.name}: {value} is out of range{_allowed(p)}"
    return value, None


def _allowed(p: Param) -> str:
    if p.choices is not None:
        return f" (allowed: {', '.join(str(c) for c in p.choices)})"
    if p.min is not None or p.max is not None:
        lo = "" if p.min is None else _num(p.min)
        hi = "" if p.max is None else _num(p.max)
        return f" (allowed: {lo}..{hi})"
    if p.type == "bool":
        return " (allowed: true, false)"
    return ""


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def validate(model_id: str, params: Mapping[str, Any] | None, *, prompt: str | None = None) -> dict:
    """The parameters typed, defaults filled in; ValidationError naming every bad field."""
    spec = get_model(model_id)
    params = dict(params or {})
    errors: dict[str, str] = {}
    if prompt is not None:
        if not prompt.strip():
            errors["prompt"] = "prompt: write what to make (it is empty)"
        elif len(prompt) > MAX_PROMPT_CHARS:
            errors["prompt"] = f"prompt: {len(prompt)} characters; the limit is {MAX_PROMPT_CHARS}"
    clean: dict[str, Any] = {}
    for p in spec.params:
        raw = params.pop(p.name, None)
        if raw is None or raw == "":
            if p.required:
                errors[p.name] = f"{p.name}: required{_allowed(p)}"
            elif p.default is not None:
                clean[p.name] = p.default
            continue
        value, error = _check(p, raw)
        if error:
            errors[p.name] = error
        else:
            clean[p.name] = value
    for name in params:
        known = ", ".join(p.name for p in spec.params)
        errors[name] = f"{name}: not a parameter of {spec.id} (parameters: {known})"
    if errors:
        raise ValidationError(errors)
    return clean


def fitted_duration(spec: ModelSpec, seconds: int) -> int | None:
    """The length nearest `seconds` that the model accepts (its allowed values, else its range),
    the longer of two equally near (a clip is cut more cleanly than held); None for a model
    whose output length is not a parameter."""
    param = spec.param("duration")
    if param is None:
        return None
    if param.choices:
        allowed = sorted(int(c) for c in param.choices)
        return min(allowed, key=lambda c: (abs(c - seconds), -c))
    low = int(param.min) if param.min is not None else seconds
    high = int(param.max) if param.max is not None else seconds
    return max(low, min(high, seconds))


def accepted_durations(spec: ModelSpec) -> tuple[int, ...]:
    """Every whole-second length the model accepts (its allowed values, else its range), shortest
    first; () for a model whose output length is not a parameter."""
    param = spec.param("duration")
    if param is None:
        return ()
    if param.choices:
        return tuple(sorted(int(c) for c in param.choices))
    if param.min is None or param.max is None:  # never in the catalog: every range is bounded
        raise ValueError(f"{spec.id}: its duration has no bounds")
    return tuple(range(int(param.min), int(param.max) + 1))


def output_duration_s(spec: ModelSpec, params: Mapping[str, Any]) -> float | None:
    if spec.fixed_duration_s is not None:
        return spec.fixed_duration_s
    duration = params.get("duration")
    return float(duration) if duration is not None else None


def speech_seconds(text: str, speed: float = 1.0) -> float:
    """How long `text` takes to say at a normal speaking rate (`speed` 1), in seconds."""
    return round(len(text.split()) / (WORDS_PER_S * max(speed, 0.1)), 2)


def _spoken(spec: ModelSpec, text: str | None) -> str:
    if text is None:
        raise ValueError(f"{spec.id} is priced by what it says: pass the text to quote it")
    return text


def estimate_cost(spec: ModelSpec, params: Mapping[str, Any], *, text: str | None = None) -> float:
    """USD expected before anything is spent; a voice's quote needs the `text` it will say."""
    price = spec.price
    if price.unit == "free":
        return 0.0
    if price.unit == "image":
        return round(price.rate, 6)
    if price.unit == "character":
        return round(price.rate * len(_spoken(spec, text)), 6)
    if spec.kind == "voice":
        speed = float(params.get("speed") or 1.0)
        gpu_s = price.gpu_base_s + price.gpu_per_output_s * speech_seconds(
            _spoken(spec, text), speed
        )
        return round(price.rate * gpu_s, 6)
    seconds = output_duration_s(spec, params) or 0.0
    if price.unit == "video_second":
        return round(_rate(price, params) * seconds, 6)
    gpu_s = price.gpu_base_s + price.gpu_per_output_s * seconds
    return round(price.rate * gpu_s, 6)


def actual_cost(
    spec: ModelSpec,
    params: Mapping[str, Any],
    *,
    output_duration: float | None = None,
    predict_time_s: float | None = None,
    text: str | None = None,
) -> float:
    """USD spent: per image, per second of video made, per character spoken (`text`), or per
    second of GPU time measured."""
    price = spec.price
    if price.unit == "free":
        return 0.0
    if price.unit == "image":
        return round(price.rate, 6)
    if price.unit == "character":
        return round(price.rate * len(_spoken(spec, text)), 6)
    if price.unit == "video_second":
        seconds = output_duration or output_duration_s(spec, params) or 0.0
        return round(_rate(price, params) * seconds, 6)
    if predict_time_s is None:
        return estimate_cost(spec, params, text=text)
    return round(price.rate * predict_time_s, 6)


def _rate(price: Price, params: Mapping[str, Any]) -> float:
    if price.by is None:
        return price.rate
    return price.rates[str(params.get(price.by))]


def frame_size(params: Mapping[str, Any]) -> tuple[int, int]:
    """Draft video frame: the resolution is the short side, the ratio sets the long one (even)."""
    short = int(str(params.get("resolution", "720p")).rstrip("p"))
    w, h = (int(x) for x in str(params.get("aspect_ratio", "16:9")).split(":"))
    long_side = round(short * max(w, h) / min(w, h) / 2) * 2
    return (long_side, short) if w >= h else (short, long_side)


def image_size(params: Mapping[str, Any]) -> tuple[int, int]:
    return IMAGE_SIZES.get(str(params.get("aspect_ratio", "1:1")), IMAGE_SIZES["1:1"])


def resolve_seed(params: Mapping[str, Any], prompt: str) -> int:
    """The seed a draft render uses: the given one, else one derived from the prompt (stable)."""
    seed = params.get("seed")
    return int(seed) if seed is not None else zlib.crc32(prompt.encode()) & 0x7FFFFFFF
