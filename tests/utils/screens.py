"""Reading an AppTest page the way a person sees it, where the element tree hides it."""

from __future__ import annotations

from collections.abc import Callable


def holders(at, wanted: Callable) -> list:
    """The box directly around each element `wanted(element)` picks, in page order."""
    found = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if wanted(child):
                found.append(node)
            walk(child)

    walk(at.main)
    return found


def video_widths(at) -> list[int | str]:
    """How wide each video is drawn: the pixel width of the box holding it, else 'stretch'."""
    widths: list[int | str] = []
    for box in holders(at, lambda e: getattr(e, "type", None) == "video"):
        config = getattr(box.proto, "width_config", None)  # a column has none: stretched
        fixed = config is not None and config.WhichOneof("width_spec") == "pixel_width"
        widths.append(config.pixel_width if fixed else "stretch")
    return widths


def box_heights(at, wanted: Callable) -> list[int | str]:
    """The height of the box around each element `wanted` picks: pixels, else 'content'."""
    heights: list[int | str] = []
    for box in holders(at, wanted):
        config = box.proto.height_config
        fixed = config.WhichOneof("height_spec") == "pixel_height"
        heights.append(config.pixel_height if fixed else "content")
    return heights
