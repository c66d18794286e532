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


def usd(amount: float) -> str:
    """'$1,919.80', '$0.04', and for the fractions of a cent LLM parses and frames cost, '$0.004'
    rather than a '$0.00' that reads as free."""
    if 0 < abs(amount) < 0.01:
        return f"${amount:.3f}".rstrip("0")
    return f"${amount:,.2f}"
