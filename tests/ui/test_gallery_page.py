"""Gallery: filters in the URL, paging, opening an item (player, facts, lineage), delete with a
confirm dialog, reuse in the Studio, and what each role may do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from core.generation import service as gen
from core.media import store
from core.models import Generation
from tests.utils.factories import (
    add_generation_rows,
    generation_row,
    make_asset,
    make_campaign,
    make_user,
    submit_generation,
)
from tests.utils.screens import box_heights, video_widths
from ui.media import CARD_HEIGHT, CARD_PROMPT_CHARS, PORTRAIT_WIDTH


@pytest.fixture
def work(session, people, campaign):
    """A creative's image, a text -> video (with its start image) and a track, all finished."""
    cleo, two_s = people["creative"], {"duration": 2}
    return {
        "image": submit_generation(session, cleo, campaign, "image", "a red can on a beach",
                                   refresh=True),
        "video": submit_generation(session, cleo, campaign, "video", "the can spins slowly",
                                   params=two_s, refresh=True),
        "audio": submit_generation(session, cleo, campaign, "audio", "upbeat 120 BPM summer",
                                   params=two_s, refresh=True),
    }  # fmt: skip


def _cards(at) -> list[str]:
    return sorted(b.key.removeprefix("gallery_open_") for b in at.button if "_open_" in b.key)


def _captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def _rows(session) -> list[Generation]:
    session.expire_all()
    return list(session.exec(select(Generation)))


def test_grid_shows_thumbnails_only_and_filters_narrow_it(screen, people, work, session):
    at = screen("gallery", people["viewer"]).run()
    assert not at.exception
    assert "4 items match." in _captions(at)  # the video's start image is an item too
    assert len(at.image) == 4 and not at.get("video") and not at.get("audio")
    # Thumbnails are JPEGs; the full image is a PNG and must not be loaded in the grid.
    assert all(img.proto.imgs[0].url.endswith(".jpg") for img in at.image)
    at.selectbox(key="gallery_kind").set_value("audio").run()
    assert _cards(at) == [work["audio"].id]
    assert at.query_params["kind"] == "audio"
    at.selectbox(key="gallery_kind").set_value("").run()
    at.text_input(key="gallery_text").input("spins").run()
    assert _cards(at) == sorted([work["video"].id, work["video"].parent_id])  # same prompt
    assert at.query_params["q"] == "spins"
    at.text_input(key="gallery_text").input("no such words").run()
    assert not _cards(at) and at.info[0].value == "Nothing matches these filters."


def test_a_shared_link_presets_the_filters(screen, people, work, campaign):
    query = {"kind": "image", "q": "beach", "client": campaign.client_id,
             "campaign": campaign.id, "scope": "campaign", "status": "succeeded"}  # fmt: skip
    at = screen("gallery", people["reviewer"], query=query).run()
    assert at.selectbox(key="gallery_kind").value == "image"
    assert at.selectbox(key="gallery_status").value == "succeeded"
    assert at.selectbox(key="context_campaign").value == campaign.id
    assert at.selectbox(key="gallery_scope").value == "campaign"
    assert at.text_input(key="gallery_text").value == "beach"
    assert _cards(at) == [work["image"].id]


def test_date_range_and_model_filters(screen, people, work, session):
    old = work["audio"]
    session.execute(
        sa.update(Generation).where(Generation.id == old.id)
        .values(created_at=datetime(2025, 3, 1, 12, tzinfo=UTC))
    )  # fmt: skip
    session.commit()
    at = screen("gallery", people["viewer"], query={"until": "2025-03-01"}).run()
    assert _cards(at) == [old.id]
    at.date_input(key="gallery_until").set_value(None).run()
    at.date_input(key="gallery_since").set_value(datetime.now(UTC).date() - timedelta(1)).run()
    assert old.id not in _cards(at) and len(_cards(at)) == 3
    assert "until" not in at.query_params
    at.selectbox(key="gallery_model").set_value("local/draft-video").run()
    assert _cards(at) == [work["video"].id]


def test_a_bad_link_is_a_message_not_a_traceback(screen, people, work):
    at = screen("gallery", people["viewer"], query={"since": "yesterday", "kind": "hologram"})
    at.run()
    assert not at.exception and len(_cards(at)) == 4
    at = screen("gallery", people["viewer"], query={"item": "gen_missing"}).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["No generation with id gen_missing."]


def test_paging_keeps_the_page_in_the_url_and_a_new_filter_starts_again(
    screen, people, campaign, session
):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    add_generation_rows(session, [
        generation_row(campaign, None, "image" if i % 2 else "audio", "local/draft-image",
                       id=f"gen_{i:04d}", prompt=f"shot {i}", status="queued",
                       created_at=start + timedelta(minutes=i))
        for i in range(30)
    ])  # fmt: skip
    at = screen("gallery", people["viewer"]).run()
    assert len(_cards(at)) == 24 and "gen_0029" in _cards(at)
    at.button(key="gallery_next").click().run()
    assert at.query_params["page"] == "2"
    assert _cards(at) == [f"gen_{i:04d}" for i in range(6)]
    assert at.button(key="gallery_next").disabled
    at.selectbox(key="gallery_kind").set_value("image").run()
    assert "page" not in at.query_params and len(_cards(at)) == 15
    at = screen("gallery", people["viewer"], query={"page": "9"}).run()
    assert at.info[0].value == "Page 9 is past the end: go back a page."
    assert not at.button(key="gallery_prev").disabled


def _card_heights(at) -> list[int | str]:
    """The height of each card: the box holding an Open button."""
    return box_heights(at, lambda e: e.type == "button" and "_open_" in (e.key or ""))


def test_cards_are_even_whatever_the_preview_and_prompt(screen, people, work, session, campaign):
    long = "a red can on a beach at sunset, waves rolling in, gulls overhead, warm light"
    submit_generation(session, people["creative"], campaign, "image", long,
                      params={"aspect_ratio": "9:16"}, refresh=True)  # fmt: skip
    at = screen("gallery", people["viewer"]).run()
    assert _card_heights(at) == [CARD_HEIGHT] * 5  # landscape, portrait, waveform alike
    cards = [c for c in at.caption if c.value.startswith("**")]
    prompts = [c.value.split("\n", 1)[1] for c in cards]
    assert len(cards) == 5 and all(len(p) <= CARD_PROMPT_CHARS for p in prompts)
    assert f"{long[: CARD_PROMPT_CHARS - 1]}…" in prompts
    assert long in [c.help for c in cards]  # the whole prompt on hover


@pytest.mark.parametrize("kind", ["image", "video", "audio"])
def test_opening_an_item_plays_it_and_shows_how_it_was_made(screen, people, work, kind):
    row = work[kind]
    at = screen("gallery", people["viewer"]).run()
    at.button(key=f"gallery_open_{row.id}").click().run()
    assert at.query_params["item"] == row.id
    players = {"image": len(at.image), "video": len(at.get("video")), "audio": len(at.get("audio"))}
    assert players == {k: int(k == kind) for k in players}
    text = "\n".join(m.value for m in at.markdown)
    # In people's words: the model's name, the settings as a line, no id and no raw JSON.
    model = {"image": "Draft image", "video": "Draft video", "audio": "Draft music"}[kind]
    assert f"**Model** {model}  \n" in text and "by cleo" in text and "**Cost** free" in text
    settings = {"image": "**Settings** Aspect ratio: 1:1 · Output format: PNG",
                "video": "**Settings** Duration: 2 s · Resolution: 720p · Aspect ratio: 16:9 · "
                         "Frame rate: 24 fps",
                "audio": "**Settings** Duration: 2 s · Output format: WAV"}  # fmt: skip
    assert settings[kind] in text
    assert "local/" not in text and "gen_" not in text and not at.json
    assert row.prompt in [t.value for t in at.text]
    # Music gets the sound direction (Acme has none), never the visual guidelines.
    assert ("Brand guidelines" in at.code[0].value) is (kind != "audio")
    assert at.download_button(key="gallery_download").proto.label == "Download"


def test_a_portrait_video_plays_in_a_narrow_box_and_a_landscape_one_at_full_width(
    screen, people, campaign, session
):
    cleo = people["creative"]
    for ratio, width in (("9:16", PORTRAIT_WIDTH), ("16:9", "stretch")):
        row = submit_generation(session, cleo, campaign, "video", "a tall can",
                                params={"duration": 2, "aspect_ratio": ratio},
                                refresh=True)  # fmt: skip
        at = screen("gallery", people["viewer"], query={"item": row.id}).run()
        assert video_widths(at) == [width]


def test_lineage_links_parent_and_children(screen, people, work):
    video = work["video"]
    at = screen("gallery", people["viewer"], query={"item": video.id}).run()
    at.button(key="gallery_parent").click().run()
    assert at.query_params["item"] == video.parent_id
    assert at.subheader[0].value.startswith("Image · Draft image · ")
    at.button(key=f"gallery_child_{video.id}").click().run()
    assert at.subheader[0].value.startswith("Video · Draft video · ")


def test_viewer_sees_no_delete_or_reuse_buttons(screen, people, work):
    at = screen("gallery", people["viewer"], query={"item": work["image"].id}).run()
    keys = {b.key for b in at.button}
    assert keys.isdisjoint({"gallery_delete", "gallery_again", "gallery_start_from"})
    assert len(at.image) == 1


def test_another_creative_cannot_delete_cleos_work_but_an_admin_can(screen, people, work, session):
    other = make_user(session, people["admin"], "carl", "creative")
    at = screen("gallery", other, query={"item": work["image"].id}).run()
    assert "gallery_delete" not in {b.key for b in at.button}
    at = screen("gallery", people["admin"], query={"item": work["image"].id}).run()
    assert "gallery_delete" in {b.key for b in at.button}


def test_delete_asks_first_then_removes_the_row_and_its_files(screen, people, work, session):
    row = work["audio"]
    files = [store.abs_path(row.media_path), store.abs_path(row.thumb_path)]
    assert all(f.exists() for f in files)
    at = screen("gallery", people["creative"], query={"item": row.id}).run()
    at.button(key="gallery_delete").click().run()
    assert "cannot be undone" in "\n".join(m.value for m in at.markdown)
    at.button(key="gallery_delete_no").click().run()
    assert row.id in {r.id for r in _rows(session)}
    assert "gallery_delete_yes" not in {b.key for b in at.button}
    at.button(key="gallery_delete").click().run()
    at.button(key="gallery_delete_yes").click().run()
    assert not at.exception
    assert at.success[0].value == f"Deleted the music “{row.prompt}”."
    assert "item" not in at.query_params and row.id not in _cards(at)
    assert row.id not in {r.id for r in _rows(session)}
    assert not any(f.exists() for f in files)


def test_generate_again_and_use_as_start_image_hand_over_to_the_studio(screen, people, work):
    video = work["video"]
    at = screen("gallery", people["creative"], query={"item": video.id}).run()
    at.button(key="gallery_again").click().run()
    assert not at.exception
    assert at.session_state["studio_prefill"] == {
        "kind": "video", "model": video.model, "prompt": video.prompt,
        "params": video.params, "campaign_id": video.campaign_id,
    }  # fmt: skip
    at = screen("gallery", people["creative"], query={"item": work["image"].id}).run()
    at.button(key="gallery_start_from").click().run()
    assert at.session_state["studio_start_from"] == work["image"].id
    audio = screen("gallery", people["creative"], query={"item": work["audio"].id}).run()
    assert "gallery_start_from" not in {b.key for b in audio.button}


def _start_source(session, people, campaign, work, source: str) -> dict:
    """A video's start: the generated image, an uploaded asset or a frame of a video."""
    if source == "image":
        return {"source_id": work["image"].id}
    if source == "frame":
        return {"source_id": work["video"].id, "source_frame_s": 0.5}
    png = store.abs_path(work["image"].media_path).read_bytes()
    asset = make_asset(session, people["creative"], campaign.client_id, data=png,
                       campaign_id=campaign.id)  # fmt: skip
    return {"source_id": asset.id}


def _again_in_studio(screen, user, generation_id: str):
    """Open the item in the Gallery, press 'Generate again', and run the Studio it hands to."""
    at = screen("gallery", user, query={"item": generation_id}).run()
    at.button(key="gallery_again").click().run()
    # The Gallery made the item's campaign the working context (the URL) before switching.
    context = {k: at.query_params[k] for k in ("client", "campaign")}
    studio = screen("studio", user, query=context)
    studio.session_state["studio_prefill"] = at.session_state["studio_prefill"]
    return studio.run()


@pytest.mark.parametrize("source", ["image", "asset", "frame"])
def test_generate_again_keeps_the_start_image(screen, people, work, session, campaign, source):
    cleo = people["creative"]
    start = _start_source(session, people, campaign, work, source)
    made = submit_generation(session, cleo, campaign, "video", "zoom in slowly",
                             params={"duration": 1}, **start)  # fmt: skip
    studio = _again_in_studio(screen, cleo, made.id)
    assert not studio.exception
    assert studio.radio(key="studio_video_start").value == source
    assert studio.selectbox(key=f"studio_video_start_{source}").value == start["source_id"]
    if source == "frame":
        assert studio.slider(key=f"studio_video_start_at_{work['video'].id}").value == 0.5
    images_before = len([r for r in _rows(session) if r.kind == "image"])
    studio.button(key="studio_video_submit").click().run()
    assert not studio.error
    again = max((r for r in _rows(session) if r.kind == "video"), key=lambda r: r.created_at)
    assert again.id != made.id and again.status == "succeeded"
    session.refresh(made)
    assert (again.parent_id, again.source_asset_id, again.source_frame_s) == (
        made.parent_id, made.source_asset_id, made.source_frame_s)  # fmt: skip
    assert len([r for r in _rows(session) if r.kind == "image"]) == images_before


def test_generate_again_of_a_text_to_video_still_makes_a_new_image(screen, people, work):
    studio = _again_in_studio(screen, people["creative"], work["video"].id)
    assert studio.radio(key="studio_video_start").value == "none"


def test_generate_again_says_when_the_start_image_has_been_deleted(
    screen, people, work, session, campaign
):
    cleo = people["creative"]
    made = submit_generation(session, cleo, campaign, "video", "zoom in", params={"duration": 1},
                             source_id=work["image"].id)  # fmt: skip
    gen.delete(session=session, actor=cleo, generation_id=work["image"].id)
    studio = _again_in_studio(screen, cleo, made.id)
    assert not studio.exception
    assert studio.radio(key="studio_video_start").value == "none"
    assert any("has since been deleted" in w.value for w in studio.warning)


def test_deleting_a_parent_says_what_was_made_from_it_and_the_child_remembers(
    screen, people, work, session
):
    video = work["video"]
    image_id = video.parent_id
    at = screen("gallery", people["creative"], query={"item": image_id}).run()
    at.button(key="gallery_delete").click().run()
    dialog = "\n".join(m.value for m in at.markdown)
    assert "1 item was made from it" in dialog and "it stays" in dialog
    at.button(key="gallery_delete_yes").click().run()
    assert not at.exception
    assert image_id not in {r.id for r in _rows(session)}
    at = screen("gallery", people["viewer"], query={"item": video.id}).run()
    lineage = _captions(at)
    assert "Made from a prompt alone" not in lineage
    assert "Made from an item that has since been deleted." in lineage
    # Nothing made from it: the dialog stays as it was.
    at = screen("gallery", people["creative"], query={"item": work["audio"].id}).run()
    at.button(key="gallery_delete").click().run()
    assert "made from it" not in "\n".join(m.value for m in at.markdown)


def test_a_reversed_date_range_says_so(screen, people, work):
    at = screen("gallery", people["viewer"], query={"since": "2025-03-02", "until": "2025-03-01"})
    at.run()
    assert not at.exception and not _cards(at)
    reversed_range = "The 'from' date is after the 'to' date"
    assert [w.value for w in at.warning if w.value.startswith(reversed_range)] == [
        "The 'from' date is after the 'to' date: swap them, or clear one."
    ]
    at.date_input(key="gallery_since").set_value(None).run()
    assert not [w for w in at.warning if w.value.startswith(reversed_range)]


def test_generate_again_keeps_a_start_image_the_studio_would_not_list(
    screen, people, work, session, campaign
):
    """The Studio lists this campaign's latest images; one from elsewhere is still kept."""
    cleo = people["creative"]
    other = make_campaign(session, people["admin"], "Autumn", client_id=campaign.client_id,
                          budget_usd=None)  # fmt: skip
    made = submit_generation(session, cleo, other, "video", "zoom in", params={"duration": 1},
                             source_id=work["image"].id)  # fmt: skip
    studio = _again_in_studio(screen, cleo, made.id)
    assert studio.selectbox(key="context_campaign").value == other.id
    assert studio.radio(key="studio_video_start").value == "image"
    assert studio.selectbox(key="studio_video_start_image").value == work["image"].id


def test_a_final_ad_lists_its_clips_and_music_and_the_renders_cost(screen, people, campaign,
                                                                   session):  # fmt: skip
    from core.storyboards import final_ad
    from tests.utils.factories import SHORT_FIELDS, approve_storyboard, make_storyboard

    board = make_storyboard(session, people["creative"], campaign, SHORT_FIELDS)
    board = approve_storyboard(session, board, people["creative"], people["reviewer"])
    plan = final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    final = plan.composites[0]
    paid = {step.id: 0.25 for step in plan.steps if step.kind in ("video", "audio")}
    with session.begin_nested():  # as paid steps would have recorded what they cost
        for step in plan.steps:
            step.cost_usd = paid.get(step.id, 0.0)
            session.add(step)
    session.commit()
    at = screen("gallery", people["viewer"], query={"item": final.id}).run()
    assert not at.exception
    labels = [b.label for b in at.button]
    clips = list(final.params["clips"])
    assert [label.split(" ·")[0] for label in labels if label.startswith("⬆")] == [
        *(f"⬆ Clip {n}" for n in range(1, len(clips) + 1)),
        "⬆ Music",
    ]
    assert "Made from a prompt alone" not in _captions(at)
    text = " ".join(m.value for m in at.markdown)
    assert f"**Cost** ${sum(paid.values()):.2f} (the whole render" in text
