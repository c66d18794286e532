"""Reading an AppTest page the way a person sees it, where the element tree hides it."""

from __future__ import annotations


def video_widths(at) -> list[int | str]:
    """How wide each video is drawn: the pixel width of the box holding it, else 'stretch'."""
    widths: list[int | str] = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", None) == "video":
                config = getattr(node.proto, "width_config", None)
                fixed = config is not None and config.WhichOneof("width_spec") == "pixel_width"
                widths.append(config.pixel_width if fixed else "stretch")
            walk(child)

    walk(at.main)
    return widths
