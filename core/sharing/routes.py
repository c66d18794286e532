"""Share links over HTTP, on the app's own server (`st.App(routes=...)`, as the webhook is):

- `GET /share/<token>`: the guest's page (a view is recorded);
- `GET /share/<token>/video`: the file it plays, with byte ranges (206) so a player can seek;
- `GET /share/<token>/poster`: its poster, a telling frame before the end card;
- `POST /share/<token>/decision`: name, comment and approve | changes | comment, with the
  page's form token; then back to the page with a thank-you (303, so a reload sends nothing).

An unknown or forged token answers 404, an expired, revoked or emptied link 410, each with a
page that says so and shows nothing else. The token is never logged (the server keeps no
access log) and the files are named by nothing but the token.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from core.db import session_scope
from core.errors import ValidationError
from core.media import compose, store
from core.media.ffmpeg import RenderError
from core.models import Generation
from core.sharing import guest, links, page, targets, tokens

MAX_FORM_BYTES = 16 * 1024  # a name and a 2000-character comment, with room to spare
CLOSED_STATUS = {guest.UNKNOWN: 404, links.EXPIRED: 410, links.REVOKED: 410, guest.GONE: 410}
FILE_HEADERS = {"Cache-Control": "private, no-cache", "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff", "X-Robots-Tag": "noindex"}  # fmt: skip
Page = tuple[int, str]


def _client(request: Request) -> str:
    return tokens.client_hash(request.client.host if request.client else None)


def _closed(state: str) -> Page:
    return CLOSED_STATUS[state], page.closed_page(state)


def _html(answer: Page) -> HTMLResponse:
    status, html = answer
    return HTMLResponse(html, status_code=status, headers=page.HEADERS)


def _page(url_token: str, client: str, sent: str) -> Page:
    with session_scope() as session:
        opened = guest.open_link(session, url_token)
        if opened.link is None or opened.shown is None:
            return _closed(opened.state)
        if not sent:  # back from sending: the same visit, not another view
            guest.record_view(session, opened.link, client)
        form = page.Form(tokens.form_token(opened.link.id), sent=sent)
        return 200, page.link_page(url_token, opened.shown, opened.link.expires_at, form)


async def guest_page(request: Request) -> Response:
    sent = request.query_params.get("sent", "")
    answer = await run_in_threadpool(_page, request.path_params["token"], _client(request), sent)
    return _html(answer)


def _stored(url_token: str, which: str) -> Path | Page:
    """The link's own video or poster, read fresh from the link's target: nothing else."""
    with session_scope() as session:
        opened = guest.open_link(session, url_token)
        if opened.shown is None:
            return _closed(opened.state)
        video = opened.shown.video
        path = targets.plays(video)
        if which == "poster" and path is not None and video is not None:
            path = _poster(video)
        if path is None or not path.is_file():
            return 404, page.closed_page(guest.GONE)
        return path


def _poster(video: Generation) -> Path | None:
    """A telling full-size frame before the end card (made on the first guest's visit); the
    gallery's small thumbnail if no frame can be read."""
    if video.media_path:
        try:
            return compose.poster_of(video.media_path, video.params)
        except (RenderError, OSError):
            pass
    return store.abs_path(video.thumb_path) if video.thumb_path else None


async def video_file(request: Request) -> Response:
    found = await run_in_threadpool(_stored, request.path_params["token"], "video")
    if isinstance(found, tuple):
        return _html(found)
    # FileResponse answers a Range request with 206 and Content-Range, and says Accept-Ranges.
    return FileResponse(found, media_type="video/mp4", headers=FILE_HEADERS)


async def poster_file(request: Request) -> Response:
    found = await run_in_threadpool(_stored, request.path_params["token"], "poster")
    if isinstance(found, tuple):
        return _html(found)
    return FileResponse(found, media_type="image/jpeg", headers=FILE_HEADERS)


def _decide(url_token: str, client: str, fields: dict[str, str]) -> Page | str:
    """The page's answer to a post, or where to send the guest once it is recorded."""
    with session_scope() as session:
        opened = guest.open_link(session, url_token)
        if opened.link is None or opened.shown is None:
            return _closed(opened.state)
        link, shown, decided = opened.link, opened.shown, fields.get("decision", "")
        name, comment = fields.get("name", ""), fields.get("comment", "")

        def again(status: int, problem: str) -> Page:  # what they typed stays in the form
            form = page.Form(tokens.form_token(link.id), name[:200], comment[:4000], problem)
            return status, page.link_page(url_token, shown, link.expires_at, form, posted=True)

        if not tokens.form_token_valid(link.id, fields.get("form", "")):
            return again(400, "This page was open too long: send it again.")
        try:
            guest.respond(session, link, client, name=name, decision=decided, comment=comment)
        except ValidationError as refused:
            return again(400, str(refused))
        except guest.TooMany as refused:
            return again(429, str(refused))
        return f"../{url_token}?sent={decided}"


async def decision(request: Request) -> Response:
    if request.headers.get("content-type", "").split(";")[0].strip() != (
        "application/x-www-form-urlencoded"
    ):
        return Response("Send the page's form.", status_code=415)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return Response("The comment is too long.", status_code=413)
    values = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    fields = {key: found[0] for key, found in values.items() if found}
    answer = await run_in_threadpool(_decide, request.path_params["token"], _client(request),
                                     fields)  # fmt: skip
    if isinstance(answer, str):
        return RedirectResponse(answer, status_code=303, headers={"Referrer-Policy": "no-referrer"})
    return _html(answer)


ROUTES = [
    Route(links.PATH + "{token}", guest_page, methods=["GET"]),
    Route(links.PATH + "{token}/video", video_file, methods=["GET"]),
    Route(links.PATH + "{token}/poster", poster_file, methods=["GET"]),
    Route(links.PATH + "{token}/decision", decision, methods=["POST"]),
]
