"""Showcase: approved storyboards and their finished ads, for stakeholders to watch and take.

Read-only, for every role. Each ad shows a poster (a telling frame, not the black first frame
of its fade-in) until played, and has a download of its own per aspect ratio. Videos come from
the media store through Streamlit's media manager (this session only), never the public static
folder.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.campaigns import campaigns
from core.models import Generation, Status, Storyboard, User
from core.storyboards import editing as sb
from core.storyboards import final_ad
from ui.media import download_as, file_name, stored_file, video_behind_poster
from ui.session import db, require
from ui.share_panel import share_panel
from ui.units import usd

PAGE = "showcase"


@dataclass(frozen=True)
class _Shown:
    ads: list[Generation]  # the newest finished render of the approved version, one per ratio
    earlier: bool  # renders of an earlier version exist
    cost_usd: float = 0.0  # the whole render: frames, clips, music
    draft: bool = False  # its clips came from the draft engine
    logo: str | None = None  # the logo its end cards carry, in words


def _finished(user: User, board: Storyboard) -> _Shown:
    """Older renders stay in the Gallery; shown here they would pass off a board as it was
    before its later changes."""
    with db() as session:
        finals = final_ad.renders_of(session=session, actor=user, storyboard_id=board.id)
        done = [f for f in finals if f.status == Status.succeeded
                and final_ad.is_current(board, f) and stored_file(f.media_path)]  # fmt: skip
        earlier = any(not final_ad.is_current(board, f) for f in finals)
        if not done:
            return _Shown([], earlier)
        steps = final_ad.render_steps(session=session, actor=user, composite_id=done[0].id)
        logo = final_ad.logo_on(session, done[0])
    ads = [f for f in done if f.chain_id == done[0].chain_id][::-1]
    return _Shown(ads, earlier, final_ad.spent(steps), final_ad.made_on_drafts(steps), logo)


def _ad(user: User, ad: Generation, mark: str, words: tuple[str, str]) -> None:
    """One ratio of the ad: behind its poster until played, its mark, its download, its links."""
    path = stored_file(ad.media_path)
    if path is None:  # never: `_finished` keeps only ads whose file is there
        return
    ratio = str(ad.params.get("aspect_ratio", ""))
    video_behind_poster(ad, path, final_ad.poster(ad), key=f"{PAGE}_play_{ad.id}")
    seconds = f" · {ad.duration_s:g} s" if ad.duration_s else ""
    st.caption(f"**{mark}** · {ratio}{seconds}")
    label = f"Download {ratio} MP4" if ratio else "Download MP4"
    download_as(ad, label=label, key=f"{PAGE}_get_{ad.id}",
                name=file_name(*words, ratio, mark.lower(), ext="mp4"))  # fmt: skip
    share_panel(user, ad.id, key=f"{PAGE}_share_{ad.id}")


def _board(user: User, board: Storyboard, names: tuple[str, str]) -> None:
    """`names`: its client's and its campaign's."""
    with st.container(border=True):
        st.subheader(board.title)
        approved = f"approved {board.approved_at:%Y-%m-%d}" if board.approved_at else "approved"
        st.caption(f"{' · '.join(n for n in names if n)} · v{board.version} · {approved}")
        shown = _finished(user, board)
        ads = shown.ads
        if not ads and shown.earlier:
            st.caption(f"Not rendered since v{board.version} was approved; earlier renders "
                       "are in the Gallery.")  # fmt: skip
        elif not ads:
            st.caption("Approved; the finished ad has not been rendered yet.")
        mark = "Draft" if shown.draft else "Final"
        for ad, column in zip(ads, st.columns(max(len(ads), 1)), strict=False):
            with column:
                _ad(user, ad, mark, (names[1], board.title))
        if ads and shown.logo:
            st.caption(f"End card logo: {shown.logo}")
        if shown.draft:
            st.caption(":material/draft: Draft render (offline engine): timing and story, not "
                       "the final look.")  # fmt: skip
        if ads:
            st.caption(f"Render cost {usd(shown.cost_usd)} (frames, clips, music)")
        if board.call_to_action:
            st.markdown(f"**Call to action:** {board.call_to_action}")


def render() -> None:
    user = require("showcase.view")
    st.title("Showcase")
    with db() as session:
        boards = sb.list_storyboards(session=session, actor=user, status="approved")
        names = {c.campaign.id: (c.client_name, c.campaign.name)
                 for c in campaigns.list_campaigns(session=session, actor=user,
                                                   include_archived=True)}  # fmt: skip
    if not boards:
        st.info("Nothing to show yet: approved storyboards appear here with their finished ads.")
        return
    for board in boards:
        _board(user, board, names.get(board.campaign_id, ("", "")))
