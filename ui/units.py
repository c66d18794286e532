"""Quantities as a person reads them."""

from __future__ import annotations


def file_size(n_bytes: int) -> str:
    """'812 B', '34 KB', '1.4 MB': in the units (1024-based) the upload limits are stated in."""
    if n_bytes < 1024:
        return f"{n_bytes} B"
    if n_bytes < 1024**2:
        return f"{n_bytes / 1024:.0f} KB"
    if n_bytes < 1024**3:
        return f"{n_bytes / 1024**2:.1f} MB"
    return f"{n_bytes / 1024**3:.2f} GB"
