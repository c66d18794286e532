"""A storyboard's draft frames and clips are painted in the client's palette, and in the brief's
when the client has none: decoded, most of each picture is in those colours."""

import numpy as np
from PIL import Image

from core.media import store
from core.media.thumbs import extract_frame
from core.models import Generation
from core.storyboards import final_ad
from tests.utils.factories import (
    ACME_DRINKS,
    TINY_FIELDS,
    approve_storyboard,
    make_campaign,
    make_client,
    make_storyboard,
)

DEFAULT = ["#1F2A44", "#E4572E", "#F3A712", "#F6F1E9"]  # the draft engine's stand-in palette
OTHER = ["#2ECC71", "#8E44AD", "#111111"]  # no one's palette here


def _near_share(path, palette: list[str], within: float = 40.0) -> float:
    """The share of pixels within `within` (RGB distance) of some colour of `palette`."""
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32).reshape(-1, 3)
    colours = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in palette], np.float32)
    nearest = np.min(np.linalg.norm(pixels[:, None, :] - colours[None], axis=2), axis=1)
    return float(np.mean(nearest <= within))


def _rendered(session, people, campaign, fields) -> list[Generation]:
    board = make_storyboard(session, people["creative"], campaign, fields)
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    plan = final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id,
                           resolution="480p")  # fmt: skip
    session.expire_all()
    steps = [session.get(Generation, s.id) for s in plan.steps]
    assert all(s is not None and s.status == "succeeded" for s in steps)
    return [s for s in steps if s is not None and s.kind in ("image", "video")]


def _pictures(steps: list[Generation], tmp_path) -> list:
    """Each frame's file, and the middle frame of each clip as a PNG."""
    found = []
    for step in steps:
        path = store.abs_path(str(step.media_path))
        if step.kind == "video":
            still = tmp_path / f"{step.id}.png"
            extract_frame(path, still, at_s=(step.duration_s or 2) / 2)
            path = still
        found.append((step.kind, path))
    return found


def test_frames_and_clips_use_the_clients_palette(session, people, campaign, tmp_path):
    client_palette = ACME_DRINKS["palette"].split(",")
    both = client_palette + TINY_FIELDS["palette"]  # the brief's palette counts as well
    pictures = _pictures(_rendered(session, people, campaign, TINY_FIELDS), tmp_path)
    assert sorted(kind for kind, _ in pictures) == ["image", "image", "video", "video"]
    for kind, path in pictures:
        assert _near_share(path, both) > 0.5, kind
        assert _near_share(path, OTHER) < 0.1, kind
    assert np.mean([_near_share(p, client_palette) for _, p in pictures]) > 0.25


def test_without_a_client_palette_the_briefs_palette_paints_them(session, people, tmp_path):
    plain = make_client(session, people["admin"], "Plain Co")
    campaign = make_campaign(session, people["admin"], "Plain", client_id=plain.id)
    brief_palette = TINY_FIELDS["palette"]
    for kind, path in _pictures(_rendered(session, people, campaign, TINY_FIELDS), tmp_path):
        assert _near_share(path, brief_palette) > 0.5, kind
        assert _near_share(path, DEFAULT) < 0.1, kind
