"""The guest's page, as plain HTML: the video (it plays on a phone: inline, seekable), its
poster, the campaign and client, the brief's one line, and a form for a name, a comment and a
decision. No script, no resource from anywhere else; every text a person typed is escaped.

Links inside the page are relative to it (`<token>/video` from `/share/<token>`, `video` from
the answer to a post to `/share/<token>/decision`), so the page never names anything but its
own link, and works under any path prefix a proxy adds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from core.sharing import links, targets
from core.sharing.guest import COMMENT_CHARS, GONE, NAME_CHARS, UNKNOWN

THANKS = {
    "approve": "Thank you: your approval was sent to the team.",
    "changes": "Thank you: your request for changes was sent to the team.",
    "comment": "Thank you: your comment was sent to the team.",
}
CLOSED = {
    links.EXPIRED: ("This link has expired.", "Ask the person who shared it for a new one."),
    links.REVOKED: ("This link was revoked.", "Ask the person who shared it for a new one."),
    GONE: ("This video is no longer available.", "Ask the person who shared it."),
    UNKNOWN: ("This link does not exist.", "Check that it was copied whole."),
}

STYLE = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
  color:#1d1d1f;background:#f5f5f7}
main{max-width:960px;margin:0 auto;padding:24px 16px 48px}
.eyebrow{margin:0;color:#6e6e73;font-size:14px;letter-spacing:.02em}
h1{margin:4px 0 8px;font-size:clamp(22px,5vw,32px);line-height:1.2}
.summary{margin:0 0 16px;color:#3a3a3c}
video{display:block;width:100%;max-height:78vh;background:#000;border-radius:12px}
form{margin-top:24px;padding:16px;background:#fff;border-radius:12px}
label{display:block;margin-bottom:12px;font-weight:600}
input,textarea{display:block;width:100%;margin-top:4px;padding:10px;font:inherit;
  border:1px solid #c7c7cc;border-radius:8px}
.actions{display:flex;flex-wrap:wrap;gap:8px}
button{flex:1 1 auto;min-height:44px;padding:10px 16px;font:inherit;font-weight:600;
  border:0;border-radius:8px;cursor:pointer}
.approve{background:#1f7a3f;color:#fff}.changes{background:#b3261e;color:#fff}
.quiet{background:#e5e5ea;color:#1d1d1f}
.note{margin:16px 0 0;padding:12px;border-radius:8px}
.thanks{background:#e3f4e8}.problem{background:#fde7e7}
footer{margin-top:16px;color:#6e6e73;font-size:14px}
.closed{text-align:center;padding-top:20vh}
"""
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the URL: no other site is told it
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; media-src 'self'; img-src 'self'; "
    "style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}


@dataclass(frozen=True)
class Form:
    """What the form holds: its token, and what the guest typed when it comes back refused."""

    token: str
    name: str = ""
    comment: str = ""
    problem: str = ""
    sent: str = ""  # the decision just recorded: a thank-you is shown


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex, nofollow">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def closed_page(state: str) -> str:
    """An expired, revoked, unknown or emptied link: says so, and nothing else."""
    heading, advice = CLOSED[state]
    return _document(heading, f'<div class="closed"><h1>{heading}</h1><p>{advice}</p></div>')


def link_page(
    url_token: str, shown: targets.Shown, expires_at: datetime, form: Form, *, posted: bool = False
) -> str:
    """The page at `/share/<token>`; `posted`: drawn at `/share/<token>/decision` instead (a
    refused answer), where the link's own routes are one level nearer."""
    here = "" if posted else escape(url_token, quote=True) + "/"
    names = " · ".join(escape(n) for n in (shown.client, shown.campaign) if n)
    summary = f'<p class="summary">{escape(shown.summary)}</p>' if shown.summary else ""
    return _document(
        f"{shown.title} · {shown.client}" if shown.client else shown.title,
        f'<p class="eyebrow">{names}</p><h1>{escape(shown.title)}</h1>{summary}'
        f"{_player(here, shown)}{_notes(form)}{_form(here, form)}"
        f"<footer>This link works until {expires_at:%d %B %Y, %H:%M} UTC.</footer>",
    )


def _player(here: str, shown: targets.Shown) -> str:
    if shown.video is None:
        return '<p class="note problem">The video is not available right now.</p>'
    # Always a poster: ads fade in from black, which is what a player shows before play.
    return (
        f'<video controls playsinline preload="metadata" poster="{here}poster">'
        f'<source src="{here}video" type="video/mp4">'
        "Your browser cannot play this video.</video>"
        + (f'<p class="note">{escape(shown.note)}</p>' if shown.note else "")
    )


def _notes(form: Form) -> str:
    if form.problem:
        return f'<p class="note problem" role="alert">{escape(form.problem)}</p>'
    if form.sent in THANKS:
        return f'<p class="note thanks" role="status">{THANKS[form.sent]}</p>'
    return ""


def _form(here: str, form: Form) -> str:
    return (
        f'<form method="post" action="{here}decision">'
        f'<input type="hidden" name="form" value="{escape(form.token, quote=True)}">'
        f'<label>Your name<input name="name" required maxlength="{NAME_CHARS}" '
        f'autocomplete="name" value="{escape(form.name, quote=True)}"></label>'
        f'<label>Comment<textarea name="comment" rows="4" maxlength="{COMMENT_CHARS}">'
        f"{escape(form.comment)}</textarea></label>"
        '<div class="actions">'
        '<button class="approve" name="decision" value="approve">Approve</button>'
        '<button class="changes" name="decision" value="changes">Request changes</button>'
        '<button class="quiet" name="decision" value="comment">Send comment only</button>'
        "</div></form>"
    )
