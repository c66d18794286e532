"""The final-ad compositor as a provider: joins a storyboard's finished clips, music and voice
lines, with captions of the lines burned in when the render asks for them.

Params beside the catalog's (written by the render plan): `clips` (ids, scene order),
`durations`, `music` (id), `call_to_action`, `voices` (per scene, the id of its voice line or
None), `captions` (bool, default on when there are voices), `logo_path` (the client's logo for
the end card, as the render was planned; absent or None: no logo).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.catalog import frame_size
from core.db import session_scope
from core.errors import ProviderError
from core.media import store
from core.media.compose import Clip, LogoUnreadable, compose
from core.media.ffmpeg import probe
from core.media.mix import VoiceDoesNotFit, VoiceLine
from core.media.outputs import MediaFacts
from core.models import Generation
from core.providers.base import Finished, JobSpec, Pending


def _inputs(ids: list[str]) -> list[Generation]:
    with session_scope() as session:
        rows = [session.get(Generation, i) for i in ids]
    missing = [i for i, r in zip(ids, rows, strict=True) if r is None or not r.media_path]
    if missing:
        raise ProviderError(f"Inputs {', '.join(missing)} have no output (deleted or failed).")
    return [r for r in rows if r is not None]


def _media(row: Generation) -> Path:
    if row.media_path is None:  # never: `_inputs` refuses rows without an output
        raise TypeError(f"{row.id} has no output")
    return store.abs_path(row.media_path)


def _poster(clips: list[Generation], width: int, height: int) -> Path | None:
    """The poster of the clip a third of the way in, when the final ad keeps the clips' shape
    (it then shows the same picture): saves decoding the whole ad again."""
    total = sum(c.duration_s or 0 for c in clips)
    elapsed = 0.0
    for clip in clips:
        elapsed += clip.duration_s or 0
        if elapsed >= total / 3:
            same_shape = False
            if clip.width:
                if clip.height is None:  # never: outputs are probed for both
                    raise TypeError(f"{clip.id} has a width but no height")
                same_shape = abs(clip.width / clip.height - width / height) < 0.01
            return store.abs_path(clip.thumb_path) if same_shape and clip.thumb_path else None
    return None


def _logo(params: dict) -> Path | None:
    """The logo the render recorded; a render whose logo asset was deleted since ends on the
    call to action alone."""
    rel = params.get("logo_path")
    if not rel:
        return None
    path = store.abs_path(rel)
    return path if path.is_file() else None


def _voices(ids: list[str | None]) -> list[VoiceLine]:
    """Each scene's voice line: its file, and its text as the person wrote it (the captions
    show that, not a prompt the brand rules were added to)."""
    wanted = [(scene, i) for scene, i in enumerate(ids) if i]
    rows = _inputs([i for _, i in wanted])
    return [VoiceLine(scene, _media(row), row.prompt)
            for (scene, _), row in zip(wanted, rows, strict=True)]  # fmt: skip


class ComposeProvider:
    def step(self, job: JobSpec, on_prediction: Callable[[str], None]) -> Finished | Pending:
        params = job.params
        rows = _inputs(params["clips"])
        made = [float(r.duration_s or r.params.get("duration", 0)) for r in rows]
        # Each clip cut or held to its scene's approved length (a model's clip may be longer
        # or shorter: Kling makes 5 or 10 s); renders planned before lengths were kept: as made.
        wanted = [float(s) for s in params.get("durations", made)]
        clips = [Clip(_media(r), length, made=m) for r, length, m in zip(rows, wanted, made,
                                                                         strict=True)]  # fmt: skip
        music = _inputs([params["music"]])[0] if params.get("music") else None
        width, height = frame_size(params)
        voices = _voices(list(params.get("voices") or []))
        out = job.workdir / "final.mp4"
        try:
            compose(
                clips=clips, out_path=out, width=width, height=height, fps=int(params["fps"]),
                transition=params["transition"],
                music=_media(music) if music else None,
                call_to_action=params.get("call_to_action", ""),
                accent=(job.palette or ["#111111"])[0], metadata=job.metadata,
                voices=voices, captions=bool(params.get("captions", True)),
                palette=job.palette, caption_colour=params.get("caption_colour"),
                logo=_logo(params),
            )  # fmt: skip
        except (VoiceDoesNotFit, LogoUnreadable) as error:
            raise ProviderError(str(error)) from error
        info = probe(out)
        facts = MediaFacts(info.width, info.height, info.duration_s, _poster(rows, width, height))
        return Finished(out, "mp4", facts=facts)

    def cancel(self, prediction_id: str) -> None:
        """Runs inside the worker: nothing remote to cancel."""
