"""The seed models' input schemas as published (../shared/replicate/README.md, section 4), and a
validator that answers like Replicate: unknown fields, wrong types, values out of an enum or range
and missing required fields are a 422 "Input validation failed" listing each field."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field
from typing import Any

RATIOS_IMAGE = ("match_input_image", "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16",
                "16:9", "21:9")  # fmt: skip
MINIMAX_LANGUAGES = ("None", "Automatic", "Chinese", "Chinese,Yue", "Cantonese", "English",
                     "Arabic", "Russian", "Spanish", "French", "Portuguese", "German", "Turkish",
                     "Dutch", "Ukrainian", "Vietnamese", "Indonesian", "Japanese", "Italian",
                     "Korean", "Thai", "Polish", "Romanian", "Greek", "Czech", "Finnish", "Hindi",
                     "Bulgarian", "Danish", "Hebrew", "Malay", "Persian", "Slovak", "Swedish",
                     "Croatian", "Filipino", "Hungarian", "Norwegian", "Slovenian", "Catalan",
                     "Nynorsk", "Tamil", "Afrikaans")  # fmt: skip
KOKORO_VOICES = tuple(
    f"{prefix}_{name}" for prefix, names in (
        ("af", "alloy aoede bella jessica kore nicole nova river sarah sky"),
        ("am", "adam echo eric fenrir liam michael onyx puck"),
        ("bf", "alice emma isabella lily"), ("bm", "daniel fable george lewis"),
        ("ff", "siwis"), ("hf", "alpha beta"), ("hm", "omega psi"), ("if", "sara"),
        ("im", "nicola"), ("jf", "alpha gongitsune nezumi tebukuro"), ("jm", "kumo"),
        ("zf", "xiaobei xiaoni xiaoxiao xiaoyi"), ("zm", "yunjian yunxi yunxia yunyang"),
    ) for name in names.split()
)  # fmt: skip
SEED_IMAGES = ("agile", "marim", "mask_beat_lines_80", "mask_gradient_dark", "mask_gradient_top_70",
               "mask_graident_top_fifth_75", "mask_top_third_75", "mask_top_third_95", "motorway",
               "og_beat", "vibes")  # fmt: skip


@dataclass(frozen=True)
class F:
    type: str  # string | integer | number | boolean | uri | uri_list
    enum: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    nullable: bool = False


@dataclass(frozen=True)
class Schema:
    model: str
    kind: str  # what the fake returns: image | video | audio | riffusion | voice
    fields: dict[str, F]
    required: tuple[str, ...] = ()
    version: str | None = None  # community models are run by version only
    defaults: dict[str, Any] = field(default_factory=dict)


SCHEMAS = {s.model: s for s in (
    Schema("google/nano-banana", "image", {
        "prompt": F("string"), "image_input": F("uri_list", nullable=True),
        "aspect_ratio": F("string", RATIOS_IMAGE), "output_format": F("string", ("jpg", "png")),
    }, ("prompt",), defaults={"aspect_ratio": "match_input_image", "output_format": "jpg"}),
    Schema("bytedance/seedance-1-lite", "video", {
        "prompt": F("string"), "image": F("uri"), "last_frame_image": F("uri"),
        "reference_images": F("uri_list"), "duration": F("integer", minimum=2, maximum=12),
        "resolution": F("string", ("480p", "720p", "1080p")),
        "aspect_ratio": F("string", ("16:9", "4:3", "1:1", "3:4", "9:16", "21:9", "9:21")),
        "fps": F("integer", (24,)), "camera_fixed": F("boolean"),
        "seed": F("integer", nullable=True),
    }, ("prompt",), defaults={"duration": 5, "resolution": "720p"}),
    Schema("kwaivgi/kling-v2.1", "video", {
        "prompt": F("string"), "start_image": F("uri"), "end_image": F("uri"),
        "mode": F("string", ("standard", "pro")), "duration": F("integer", (5, 10)),
        "negative_prompt": F("string"),
    }, ("prompt", "start_image"), defaults={"duration": 5, "mode": "standard"}),
    Schema("meta/musicgen", "audio", {
        "model_version": F("string", ("stereo-melody-large", "stereo-large", "melody-large",
                                      "large")),
        "prompt": F("string", nullable=True), "input_audio": F("uri", nullable=True),
        "duration": F("integer"), "continuation": F("boolean"),
        "continuation_start": F("integer", minimum=0),
        "continuation_end": F("integer", minimum=0, nullable=True),
        "multi_band_diffusion": F("boolean"),
        "normalization_strategy": F("string", ("loudness", "clip", "peak", "rms")),
        "top_k": F("integer"), "top_p": F("number"), "temperature": F("number"),
        "classifier_free_guidance": F("integer"), "output_format": F("string", ("wav", "mp3")),
        "seed": F("integer", nullable=True),
    }, version="671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb",
        defaults={"duration": 8, "output_format": "wav"}),
    Schema("riffusion/riffusion", "riffusion", {
        "prompt_a": F("string"), "denoising": F("number", minimum=0, maximum=1),
        "prompt_b": F("string", nullable=True), "alpha": F("number", minimum=0, maximum=1),
        "num_inference_steps": F("integer", minimum=1), "seed_image_id": F("string", SEED_IMAGES),
    }, version="8cf61ea6c56afd61d8f5b9ffd14d7c216c0a93844ce2d82ac1c9ecc9c7f24e05"),
    # Voices: replicate.com/minimax/speech-02-turbo/versions/e2e8812b.../api and
    # replicate.com/jaaari/kokoro-82m/versions/f559560e.../api (see core/catalog.py).
    Schema("minimax/speech-02-turbo", "voice", {
        "text": F("string"), "voice_id": F("string"),
        "speed": F("number", minimum=0.5, maximum=2), "volume": F("number", minimum=0, maximum=10),
        "pitch": F("integer", minimum=-12, maximum=12),
        "emotion": F("string", ("auto", "happy", "sad", "angry", "fearful", "disgusted",
                                "surprised", "calm", "fluent", "neutral")),
        "english_normalization": F("boolean"),
        "sample_rate": F("integer", (8000, 16000, 22050, 24000, 32000, 44100)),
        "bitrate": F("integer", (32000, 64000, 128000, 256000)),
        "audio_format": F("string", ("mp3", "wav", "flac", "pcm")),
        "channel": F("string", ("mono", "stereo")), "subtitle_enable": F("boolean"),
        "language_boost": F("string", MINIMAX_LANGUAGES),
    }, ("text",), defaults={"voice_id": "Wise_Woman", "audio_format": "mp3"}),
    Schema("jaaari/kokoro-82m", "voice", {
        "text": F("string"), "voice": F("string", KOKORO_VOICES),
        "speed": F("number", minimum=0.1, maximum=5),
    }, ("text",), version="f559560eb822dc509045f3921a1921234918b91739db4bf3daab2169b71c7a13",
        defaults={"voice": "af_bella"}),
)}  # fmt: skip
BY_VERSION = {s.version: s for s in SCHEMAS.values() if s.version}


def decode_data_uri(value: str) -> tuple[str, bytes] | None:
    """(mime, bytes) of a base64 data URI; None if it is not one."""
    head, sep, payload = value.partition(",")
    if not (sep and head.startswith("data:") and head.endswith(";base64")):
        return None
    try:
        return head[5:-7], base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return None


def _uri_ok(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    if value.startswith("data:"):
        return decode_data_uri(value) is not None
    return value.startswith(("https://", "http://"))


TYPE_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "uri": _uri_ok,
    "uri_list": lambda v: isinstance(v, list) and all(_uri_ok(x) for x in v),
}


def _field_error(name: str, spec: F, value: Any) -> str | None:
    if value is None:
        return None if spec.nullable else f"Invalid type. Expected: {spec.type}, given: null"
    if not TYPE_CHECKS[spec.type](value):
        return f"Invalid type. Expected: {spec.type}, given: {type(value).__name__}"
    if spec.enum and value not in spec.enum:
        return f"{name} must be one of the following: {', '.join(map(str, spec.enum))}"
    if spec.minimum is not None and value < spec.minimum:
        return f"Must be greater than or equal to {spec.minimum:g}"
    if spec.maximum is not None and value > spec.maximum:
        return f"Must be less than or equal to {spec.maximum:g}"
    return None


def validate(schema: Schema, payload: Any) -> list[str]:
    """Replicate-style messages, one per bad field; empty when the input is valid."""
    if not isinstance(payload, dict):
        return ["- input: Invalid type. Expected: object"]
    errors = [f"- input: {name} is required" for name in schema.required if name not in payload]
    for name, value in payload.items():
        spec = schema.fields.get(name)
        message = (
            "Additional property " + name + " is not allowed"
            if spec is None
            else _field_error(name, spec, value)
        )
        if message:
            errors.append(f"- input.{name}: {message}" if spec else f"- input: {message}")
    return errors


def file_digests(payload: dict) -> dict[str, list[str]]:
    """sha256 of every data-URI file in the input, by field (to compare with what we stored)."""
    found: dict[str, list[str]] = {}
    for name, value in payload.items():
        for item in value if isinstance(value, list) else [value]:
            decoded = decode_data_uri(item) if isinstance(item, str) else None
            if decoded:
                found.setdefault(name, []).append(hashlib.sha256(decoded[1]).hexdigest())
    return found
