"""The offline draft engine as a provider: renders in the worker, free, deterministic."""

from __future__ import annotations

from collections.abc import Callable

from core.catalog import IMAGE_SIZES, frame_size, image_size
from core.media.draft.image import render_image
from core.media.draft.music import render_music
from core.media.draft.video import render_video
from core.media.draft.voice import render_voice
from core.media.outputs import MediaFacts
from core.providers.base import Finished, JobSpec, Pending


class LocalProvider:
    def step(self, job: JobSpec, on_prediction: Callable[[str], None]) -> Finished | Pending:
        renders: dict[str, Callable[[JobSpec], Finished]] = {
            "image": _image,
            "video": _video,
            "audio": _music,
            "voice": _voice,
        }
        render = renders[job.kind]
        return render(job)

    def cancel(self, prediction_id: str) -> None:
        """Local renders run inside the worker; a canceled row simply discards the output."""


def _image(job: JobSpec, *, aspect_ratio: str | None = None) -> Finished:
    ext = job.params.get("output_format", "png")
    width, height = image_size({"aspect_ratio": aspect_ratio or job.params.get("aspect_ratio")})
    out = job.workdir / f"image.{ext}"
    render_image(
        prompt=job.prompt, width=width, height=height, palette=job.palette, seed=job.seed,
        fmt=ext, out_path=out, metadata=job.metadata,
    )  # fmt: skip
    return Finished(out, ext, facts=MediaFacts(width, height))


def _video(job: JobSpec) -> Finished:
    width, height = frame_size(job.params)
    start = job.start_image
    if start is None:
        # A video always animates an image; with none given the service chains one, but a
        # direct call still works by drawing one here.
        start = _image(job, aspect_ratio=_nearest_image_ratio(width, height)).path
    out = job.workdir / "video.mp4"
    fps = int(job.params["fps"])
    frames = max(1, round(float(job.params["duration"]) * fps))
    poster = job.workdir / "poster.ppm"
    render_video(
        start_image=start, width=width, height=height, duration_s=frames / fps, fps=fps,
        seed=job.seed, out_path=out, metadata=job.metadata, poster_path=poster,
    )  # fmt: skip
    facts = MediaFacts(width - width % 2, height - height % 2, frames / fps, poster=poster)
    return Finished(out, "mp4", facts=facts)


def _music(job: JobSpec) -> Finished:
    ext = job.params.get("output_format", "wav")
    out = job.workdir / f"music.{ext}"
    render_music(
        prompt=job.prompt, duration_s=float(job.params["duration"]), seed=job.seed, fmt=ext,
        out_path=out, metadata=job.metadata,
    )  # fmt: skip
    return Finished(out, ext, facts=MediaFacts(duration_s=float(job.params["duration"])))


def _voice(job: JobSpec) -> Finished:
    """The line (the prompt) spoken by the draft voice, its word times kept in the WAV."""
    out = job.workdir / "voice.wav"
    speech = render_voice(
        text=job.prompt, out_path=out, metadata=job.metadata, voice=job.params["voice"],
        speed=float(job.params["speed"]), pitch=int(job.params["pitch"]), seed=job.seed,
    )  # fmt: skip
    return Finished(out, "wav", facts=MediaFacts(duration_s=round(speech.duration_s, 3)))


def _nearest_image_ratio(width: int, height: int) -> str:
    target = width / height
    return min(IMAGE_SIZES, key=lambda r: abs(IMAGE_SIZES[r][0] / IMAGE_SIZES[r][1] - target))
