"""What a viewer sees in a line of light type: the marks between word gaps, and their shapes."""

from __future__ import annotations

import numpy as np
from PIL import Image


def marks(img: Image.Image, box: tuple[int, int, int, int], gap: int) -> list[tuple[int, int]]:
    """(width, height) of each run of ink in box, runs split by at least `gap` empty columns."""
    ink = np.asarray(img.convert("RGBA").crop(box), dtype=np.int32)
    lit = (ink[..., :3].min(axis=2) > 200) & (ink[..., 3] > 128)
    cols = np.flatnonzero(lit.any(axis=0))
    if cols.size == 0:
        return []
    runs, start = [], cols[0]
    for prev, col in zip(cols, cols[1:], strict=False):
        if col - prev > gap:
            runs.append((start, prev))
            start = col
    runs.append((start, cols[-1]))
    shapes = []
    for a, b in runs:
        rows = np.flatnonzero(lit[:, a : b + 1].any(axis=1))
        shapes.append((int(b - a + 1), int(rows[-1] - rows[0] + 1)))
    return shapes


def is_dash(shape: tuple[int, int], size: int) -> bool:
    """A short, flat stroke: wider than tall, far lower than a letter (a box is as tall as one)."""
    w, h = shape
    return h <= size * 0.2 and w >= 2 * h
