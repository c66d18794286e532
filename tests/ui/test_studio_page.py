"""Studio: campaign pick, catalog-driven forms, estimates, submit on the draft engine, live jobs."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from core import catalog
from core.campaigns import campaigns, clients
from core.config import reset_settings
from core.models import Generation, utcnow
from tests.utils.factories import (
    add_generation_rows,
    count_generations,
    generation_row,
    image_bytes,
    make_asset,
    make_campaign,
    submit_generation,
)

VIDEO_DURATION = "studio_video_local/draft-video_duration"


def _rows(session) -> list[Generation]:
    session.expire_all()
    return list(session.exec(select(Generation)))


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(parts + [e.value for e in at.success] + [e.value for e in at.error])


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_viewers_and_reviewers_are_refused(screen, people, campaign, role):
    at = screen("studio", people[role]).run()
    assert [e.value for e in at.error] == [f"Your role ({role}) cannot generate media."]
    assert not at.main.button and not at.main.text_area and not at.main.selectbox


def _in_order(node):
    """Every element of `node`, in the order a browser draws them (a container filled after the
    ones below it is still drawn in its place)."""
    yield node
    for index in sorted(getattr(node, "children", {})):
        yield from _in_order(node.children[index])


def test_the_prompt_and_generate_come_before_the_settings(screen, people, campaign):
    at = screen("studio", people["creative"]).run()
    for n, kind in enumerate(["image", "video", "audio"]):
        keys = [getattr(e, "key", None) for e in _in_order(at.tabs[n])]
        prompt, generate = keys.index(f"studio_{kind}_prompt"), keys.index(f"studio_{kind}_submit")
        model = keys.index(f"studio_{kind}_model")
        assert prompt < generate < model, kind
    chain = [getattr(e, "key", None) for e in _in_order(at.tabs[3])]
    assert chain.index("studio_chain_prompt") < chain.index("studio_chain_music_prompt")
    assert chain.index("studio_chain_submit") < chain.index("studio_chain_image_model")


def test_replicate_models_are_listed_with_their_price_and_why_they_are_unavailable(
    screen, people, campaign
):
    at = screen("studio", people["creative"]).run()
    picker = at.selectbox(key="studio_image_model")
    assert picker.options == [
        "Draft image: free, offline",
        "Nano Banana (Google), $0.039 an image — unavailable until an admin connects Replicate",
    ]
    assert not at.button(key="studio_image_submit").disabled
    picker.set_value("google/nano-banana").run()
    assert "Nano Banana (Google) is unavailable until an admin connects Replicate" in _text(at)
    assert at.button(key="studio_image_submit").disabled


def test_with_a_token_models_are_named_for_people_with_their_price(screen, people, campaign, token):
    at = screen("studio", people["creative"]).run()
    assert at.selectbox(key="studio_image_model").options == [
        "Draft image: free, offline",
        "Nano Banana (Google), $0.039 an image",
    ]
    assert at.selectbox(key="studio_video_model").options == [
        "Draft video: free, offline",
        "Seedance 1 Lite (ByteDance), from $0.018 a second of video",
        "Kling v2.1 (Kuaishou), from $0.05 a second of video",
    ]
    assert (
        "MusicGen (Meta), about $0.028 for 8 s of music"
        in at.selectbox(key="studio_audio_model").options
    )
    at.selectbox(key="studio_image_model").set_value("google/nano-banana").run()
    assert not at.button(key="studio_image_submit").disabled
    assert "**Estimated cost: $0.04**" in _text(at)


def test_param_widgets_follow_the_catalog(screen, people, campaign, token):
    at = screen("studio", people["creative"]).run()
    duration = at.slider(key=VIDEO_DURATION)
    assert (duration.min, duration.max, duration.value) == (1, 30, 5)
    assert at.selectbox(key="studio_video_local/draft-video_fps").options == ["12", "24", "30"]
    at.selectbox(key="studio_video_model").set_value("bytedance/seedance-1-lite").run()
    seedance = at.slider(key="studio_video_bytedance/seedance-1-lite_duration")
    assert (seedance.min, seedance.max, seedance.value) == (2, 12, 5)
    assert at.toggle(key="studio_video_bytedance/seedance-1-lite_camera_fixed").value is False
    # A bare video request also makes its start image: both steps are quoted.
    assert "2. Video · Seedance 1 Lite (ByteDance) · $0.18" in _text(at)
    assert "**Estimated cost: $0.22**" in _text(at)


def test_the_brand_rules_added_to_the_prompt_are_shown_before_anything_is_typed(
    screen, people, campaign
):
    at = screen("studio", people["creative"]).run()
    image = at.tabs[0]
    # They do not depend on the prompt, so they are right while it is still being typed.
    assert "Added after your prompt:" in [c.value for c in image.caption]
    assert image.code[0].value == (
        "Brand guidelines: Bright, optimistic, clean. Palette: #FF6B35, #004E89, #F7F7F2. "
        "Avoid: no text artifacts."
    )
    at.toggle(key="studio_image_brand").set_value(False).run()
    assert not at.tabs[0].code
    assert "Brand rules are off: the model receives your prompt exactly as typed." in [
        c.value for c in at.tabs[0].caption
    ]


def test_music_gets_the_sound_direction_and_none_of_the_visual_rules(
    screen, people, campaign, session
):
    at = screen("studio", people["creative"]).run()
    assert "Acme Drinks has no sound direction yet" in "\n".join(
        c.value for c in at.tabs[2].caption
    )
    assert not at.tabs[2].code  # no palette, no "Avoid" in a music prompt
    clients.update_client(session=session, actor=people["admin"], client_id=campaign.client_id,
                          sound_direction="warm acoustic guitar, no vocals")  # fmt: skip
    session.commit()
    at = screen("studio", people["creative"]).run()
    assert [c.value for c in at.tabs[2].code] == [
        "Sound direction: warm acoustic guitar, no vocals."
    ]
    assert "#FF6B35" in at.tabs[0].code[0].value and "acoustic" not in at.tabs[0].code[0].value
    at.text_area(key="studio_audio_prompt").input("upbeat summer pop")
    at.button(key="studio_audio_submit").click().run()
    [track] = _rows(session)
    assert track.effective_prompt == (
        "upbeat summer pop. Sound direction: warm acoustic guitar, no vocals."
    )


def _drawn(toggle) -> bool:
    """What a browser draws for a toggle it has no memory of (e.g. after an interrupted run):
    the value the server pushes, else the toggle's default."""
    return toggle.proto.value if toggle.proto.set_value else toggle.proto.default


def test_the_brand_toggle_as_drawn_agrees_with_the_effective_prompt_on_every_tab(
    screen, people, campaign
):
    at = screen("studio", people["creative"]).run()
    at.run()  # any later run, e.g. after a click elsewhere, draws the toggles again
    for n, kind in enumerate(["image", "video", "audio", "chain"]):
        toggle = at.toggle(key=f"studio_{kind}_brand")
        assert _drawn(toggle) is True and toggle.value is True, kind
        shown = [c.value for c in at.tabs[n].caption]
        assert "Brand rules are off: the model receives your prompt exactly as typed." not in shown


def test_submit_an_image_on_the_draft_engine_and_see_it_succeed(screen, people, campaign, session):
    at = screen("studio", people["creative"]).run()
    at.text_area(key="studio_image_prompt").input("a can on a beach")
    at.button(key="studio_image_submit").click().run()
    assert not at.exception and not at.error
    [row] = _rows(session)
    assert (row.kind, row.status, row.prompt) == ("image", "succeeded", "a can on a beach")
    assert at.success[0].value.startswith("Queued your image.")
    # Recent jobs name it in words: no row id, no model id.
    assert "**Image · Draft image**" in _text(at) and "✅ succeeded" in _text(at)
    assert row.id not in _text(at) and "local/draft-image" not in _text(at)
    assert len(at.get("image")) == 1


def test_an_empty_prompt_is_refused_by_name_and_nothing_is_written(
    screen, people, campaign, session
):
    at = screen("studio", people["creative"]).run()
    at.button(key="studio_audio_submit").click().run()
    assert [e.value for e in at.error] == ["prompt: write what to make (it is empty)"]
    assert _rows(session) == []


def test_a_request_over_budget_is_refused_before_generate_with_what_to_do(
    screen, people, campaign, session, token
):
    campaigns.update_campaign(
        session=session, actor=people["admin"], campaign_id=campaign.id, budget_usd=0.01
    )
    session.commit()
    at = screen("studio", people["creative"]).run()
    at.selectbox(key="studio_image_model").set_value("google/nano-banana")
    at.text_area(key="studio_image_prompt").input("a can").run()
    assert [e.value for e in at.main.error] == [
        "This would take Spring Launch over its $0.01 budget ($0.00 already spent or in flight, "
        "this $0.04). Ask an admin to raise it, or pick a draft model (free)."
    ]
    assert at.button(key="studio_image_submit").disabled
    assert _rows(session) == []


def _in_flight(session, campaign, people, usd: float) -> None:
    """Paid work still running in the campaign: it counts against the budget already."""
    add_generation_rows(session, [
        generation_row(campaign, people["creative"], "video", "bytedance/seedance-1-lite",
                       status="running", estimated_cost_usd=usd),
    ])  # fmt: skip


def test_a_paid_request_says_where_it_takes_the_budget_right_above_generate(
    screen, people, campaign, session, token
):
    at = screen("studio", people["creative"]).run()
    at.selectbox(key="studio_image_model").set_value("google/nano-banana").run()
    image_tab = [getattr(e, "value", None) for e in _in_order(at.tabs[0])]
    share = "This takes Spring Launch to under 1 % of its $50.00 budget."
    assert image_tab.index("**Estimated cost: $0.04**") < image_tab.index(share)
    assert not at.main.warning
    _in_flight(session, campaign, people, 40.0)
    at.run()
    # From 80 % (with this request counted) it is a warning, where the money is spent.
    assert [w.value for w in at.tabs[0].warning] == [
        "This takes Spring Launch to 80 % of its $50.00 budget."
    ]
    assert not at.button(key="studio_image_submit").disabled


def test_free_work_asks_for_no_confirmation_and_names_no_budget(screen, people, campaign):
    at = screen("studio", people["creative"]).run()
    assert "budget" not in "\n".join(c.value for c in at.main.caption)
    at.text_area(key="studio_chain_prompt").input("a beach at noon")
    at.text_area(key="studio_chain_music_prompt").input("upbeat summer").run()
    assert not at.checkbox  # drafts are free: nothing to confirm
    assert not at.button(key="studio_chain_submit").disabled


def test_a_paid_chain_needs_its_quote_confirmed(screen, people, campaign, session, token):
    at = screen("studio", people["creative"]).run()
    at.text_area(key="studio_chain_prompt").input("a beach at noon")
    at.text_area(key="studio_chain_music_prompt").input("upbeat summer")
    at.selectbox(key="studio_chain_video_model").set_value("bytedance/seedance-1-lite").run()
    assert "1. Image · Nano Banana (Google) · $0.04" in _text(at)
    assert "3. Music · Draft music · free" in _text(at)
    assert "This takes Spring Launch to under 1 % of its $50.00 budget." in _text(at)
    assert at.button(key="studio_chain_submit").disabled
    box = at.checkbox(key="studio_chain_confirm_219")
    assert box.label == "I confirm the estimated total of $0.22"
    box.check().run()
    assert not at.button(key="studio_chain_submit").disabled
    assert _rows(session) == []  # nothing is sent until Generate


def test_a_free_chain_starts_without_a_confirmation(screen, people, campaign, session):
    at = screen("studio", people["creative"]).run()
    at.text_area(key="studio_chain_prompt").input("a beach at noon")
    at.text_area(key="studio_chain_music_prompt").input("upbeat summer").run()
    assert "3. Music · Draft music · free" in _text(at)
    at.button(key="studio_chain_submit").click().run()
    rows = _rows(session)
    assert sorted(str(r.kind) for r in rows) == ["audio", "image", "video"]
    assert len({r.chain_id for r in rows}) == 1
    assert at.success[0].value.startswith("Queued the chain (image, video, music).")
    # The track has its own prompt: the picture's words (and its brand rules) stay out of it.
    by_kind = {str(r.kind): r for r in rows}
    assert by_kind["audio"].prompt == "upbeat summer"
    assert by_kind["image"].prompt == by_kind["video"].prompt == "a beach at noon"
    assert "#FF6B35" not in by_kind["audio"].effective_prompt


def test_query_params_preselect_the_campaign(screen, people, campaign, session):
    other = make_campaign(
        session, people["admin"], "Autumn", client_id=campaign.client_id, budget_usd=None
    )
    query = {"client": campaign.client_id, "campaign": other.id}
    at = screen("studio", people["creative"], query=query).run()
    assert at.selectbox(key="context_campaign").value == other.id
    at.text_area(key="studio_image_prompt").input("leaves")
    at.button(key="studio_image_submit").click().run()
    assert [r.campaign_id for r in _rows(session)] == [other.id]


def test_prefill_from_the_gallery_fills_model_prompt_and_params(screen, people, campaign, session):
    other = make_campaign(
        session, people["admin"], "Autumn", client_id=campaign.client_id, budget_usd=None
    )
    # The Gallery makes the item's campaign the working context (the URL) before it switches.
    at = screen(
        "studio", people["creative"], query={"client": other.client_id, "campaign": other.id}
    )
    at.session_state["studio_prefill"] = {
        "kind": "video", "model": "local/draft-video", "prompt": "slow pan over a lake",
        "params": {"duration": 12, "resolution": "480p"}, "campaign_id": other.id,
    }  # fmt: skip
    at.run()
    assert at.selectbox(key="context_campaign").value == other.id
    assert at.text_area(key="studio_video_prompt").value == "slow pan over a lake"
    assert at.slider(key=VIDEO_DURATION).value == 12
    assert at.selectbox(key="studio_video_local/draft-video_resolution").value == "480p"
    assert "studio_prefill" not in at.session_state
    at.slider(key=VIDEO_DURATION).set_value(3).run()  # used once: a rerun keeps the change
    assert at.slider(key=VIDEO_DURATION).value == 3


def test_start_from_an_earlier_image(screen, people, campaign, session):
    image = submit_generation(session, people["creative"], campaign, "image", "a lighthouse")
    at = screen("studio", people["creative"])
    at.session_state["studio_start_from"] = image.id
    at.run()
    assert at.radio(key="studio_video_start").value == "image"
    assert at.selectbox(key="studio_video_start_image").value == image.id
    at.text_area(key="studio_video_prompt").input("zoom in")
    at.button(key="studio_video_submit").click().run()
    assert not at.error
    video = next(r for r in _rows(session) if r.kind == "video")
    assert (video.parent_id, video.status) == (image.id, "succeeded")
    assert len([r for r in _rows(session) if r.kind == "image"]) == 1  # no extra image step


def test_a_video_starts_from_an_uploaded_image(screen, people, campaign, session):
    at = screen("studio", people["creative"]).run()
    at.radio(key="studio_video_start").set_value("upload").run()
    at.file_uploader(key="studio_video_start_upload").upload(
        "logo.png", image_bytes(size=(64, 48)), "image/png"
    )
    at.text_area(key="studio_video_prompt").input("the logo glows")
    at.slider(key=VIDEO_DURATION).set_value(1)
    at.selectbox(key="studio_video_local/draft-video_resolution").set_value("480p").run()
    video_tab = "\n".join(m.value for m in at.tabs[1].markdown)
    assert "**Estimated cost: $0.00**" in video_tab and "1. Image" not in video_tab
    at.button(key="studio_video_submit").click().run()
    assert not at.error
    [video] = _rows(session)
    assert (video.kind, video.status, video.parent_id) == ("video", "succeeded", None)
    assert video.source_asset_id is not None
    assert len(at.get("video")) == 1


def test_the_start_image_uploader_says_and_enforces_the_asset_limit(screen, people, campaign):
    at = screen("studio", people["creative"]).run()
    at.radio(key="studio_video_start").set_value("upload").run()
    uploader = at.file_uploader(key="studio_video_start_upload")
    assert "up to 20 MB" in uploader.label  # core's STUDIO_UPLOAD_MAX_MB, as on Assets
    assert uploader.proto.max_upload_size_mb == 20  # the browser refuses bigger files
    assert uploader.allowed_type == ["image/png", "image/jpeg", "image/webp"]
    # Nothing came through (none chosen, or one the browser refused): never another image.
    assert at.button(key="studio_video_submit").disabled
    assert any("of up to 20 MB: the box refuses a larger file or another type" in c.value
               for c in at.caption)  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"MZ\x90\x00" + b"\0" * 300,  # a Windows program, renamed
         "'logo.png' is not a PNG, JPEG or WebP image (its content is checked, not its name): "
         "save or export it as PNG, JPEG or WebP and upload that."),
        ("huge.png", image_bytes() + b"\0" * 1_100_000,
         "'huge.png' is larger than the 1 MB limit for an image: make it smaller (fewer "
         "pixels, or saved as JPEG) and upload it again."),
    ],
)  # fmt: skip
def test_a_refused_start_image_says_which_limit_before_generate(
    screen, people, campaign, session, monkeypatch, name, content, message
):
    monkeypatch.setenv("STUDIO_UPLOAD_MAX_MB", "1")
    reset_settings()
    at = screen("studio", people["creative"]).run()
    at.radio(key="studio_video_start").set_value("upload").run()
    at.file_uploader(key="studio_video_start_upload").upload(name, content, "image/png").run()
    assert [e.value for e in at.error] == [message]
    assert at.button(key="studio_video_submit").disabled
    assert _rows(session) == [] and at.session_state["studio_video_start"] == "upload"


def test_a_start_image_of_another_shape_says_how_it_will_be_cropped(screen, people, campaign):
    at = screen("studio", people["creative"]).run()
    at.radio(key="studio_video_start").set_value("upload").run()
    portrait = image_bytes(size=(90, 160))  # 9:16, for the draft video's default 16:9
    at.file_uploader(key="studio_video_start_upload").upload("tall.png", portrait, "image/png")
    at.run()
    assert [w.value for w in at.tabs[1].warning] == [
        "The start image is 90 × 160 (9:16) and the video 16:9: it will be cropped to 16:9, "
        "keeping the middle 32 % of its height. To keep all of it, set Aspect ratio to 9:16."
    ]
    at.selectbox(key="studio_video_local/draft-video_aspect_ratio").set_value("9:16").run()
    assert not at.tabs[1].warning


def test_an_asset_of_another_shape_is_named_with_what_the_video_model_does(
    screen, people, campaign, session, token
):
    make_asset(session, people["admin"], campaign.client_id, data=image_bytes(size=(160, 90)))
    at = screen("studio", people["creative"]).run()
    at.radio(key="studio_video_start").set_value("asset").run()
    assert not at.tabs[1].warning  # 16:9 into 16:9
    at.selectbox(key="studio_video_local/draft-video_aspect_ratio").set_value("1:1").run()
    assert [w.value for w in at.tabs[1].warning] == [
        "The start image is 160 × 90 (16:9) and the video 1:1: it will be cropped to 1:1, "
        "keeping the middle 56 % of its width. To keep all of it, set Aspect ratio to 16:9."
    ]
    # Replicate's video models keep the start image's shape: their own setting is what gives.
    at.selectbox(key="studio_video_model").set_value("bytedance/seedance-1-lite").run()
    assert not at.tabs[1].warning  # its 16:9 is the image's
    at.selectbox(key="studio_video_bytedance/seedance-1-lite_aspect_ratio").set_value("9:16")
    at.run()
    assert [w.value for w in at.tabs[1].warning] == [
        "Seedance 1 Lite (ByteDance) makes the video in the start image's own shape, 160 × 90 "
        "(16:9): its Aspect ratio setting (9:16) is ignored."
    ]


def test_an_over_long_prompt_stays_in_the_box_and_says_the_limit(screen, people, campaign, session):
    pasted = "a can of lemonade on a sunny beach, " * 70  # 2,520 characters
    at = screen("studio", people["creative"]).run()
    assert "Up to 2,000 characters." in [c.value for c in at.tabs[0].caption]
    at.text_area(key="studio_image_prompt").input(pasted).run()
    assert at.text_area(key="studio_image_prompt").value == pasted  # nothing cut or dropped
    assert [e.value for e in at.error] == [
        f"This prompt is {len(pasted):,} characters; the limit is {catalog.MAX_PROMPT_CHARS:,}. "
        f"Shorten it by {len(pasted) - catalog.MAX_PROMPT_CHARS:,} characters, then generate."
    ]
    assert at.button(key="studio_image_submit").disabled
    at.text_area(key="studio_image_prompt").input(pasted[:1999]).run()
    assert not at.error and not at.button(key="studio_image_submit").disabled
    assert _rows(session) == []


def test_picking_an_earlier_image_with_none_made_blocks_submit(screen, people, campaign):
    at = screen("studio", people["creative"]).run()
    at.radio(key="studio_video_start").set_value("image").run()
    assert "Nothing of this kind has finished in this campaign yet." in [i.value for i in at.info]
    assert at.button(key="studio_video_submit").disabled


def test_recent_jobs_show_a_failure_with_its_message(screen, people, campaign, session):
    failed = Generation(
        kind="video", model="local/draft-video", client_id=campaign.client_id,
        campaign_id=campaign.id, prompt="spin", status="failed",
        error="The start image's generation has no output.",
    )  # fmt: skip
    session.add(failed)
    session.commit()
    at = screen("studio", people["creative"]).run()
    assert "❌ failed" in _text(at)
    assert [e.value for e in at.error] == ["The start image's generation has no output."]


def test_recent_jobs_say_about_how_long_a_running_job_has_left(screen, people, campaign, session):
    earlier = utcnow() - timedelta(hours=1)
    add_generation_rows(session, [
        *(generation_row(campaign, None, "image", "google/nano-banana", started_at=earlier,
                         finished_at=earlier + timedelta(seconds=s)) for s in (39, 40, 41)),
        generation_row(campaign, people["creative"], "image", "google/nano-banana",
                       prompt="a lighthouse", status="running",
                       started_at=utcnow() - timedelta(seconds=10)),
    ])  # fmt: skip
    at = screen("studio", people["creative"]).run()
    # (A second may pass before the page is drawn.)
    assert re.search(r"⚙️ running · 1[01] s · about (30|25) s left", _text(at))


def test_a_seed_out_of_range_is_named_with_its_range_and_nothing_is_queued(
    screen, people, campaign, session
):
    at = screen("studio", people["creative"]).run()
    at.text_area(key="studio_image_prompt").input("a can on a beach")
    box = at.number_input(key="studio_image_local/draft-image_seed")
    # A box with a max keeps a larger entry in the browser (a red hint, the old value sent):
    # this one sends what was typed, and core names the range.
    assert (box.min, box.max) == (None, None) and "0 to 2147483647" in box.help
    box.set_value(2**31).run()
    at.button(key="studio_image_submit").click().run()
    assert any("seed" in e.value and "2147483647" in e.value for e in at.error)
    assert _rows(session) == []


def test_a_double_click_on_generate_makes_one_job(screen, people, campaign, session):
    at = screen("studio", people["creative"]).run()
    at.text_area(key="studio_image_prompt").input("a lighthouse at dusk")
    at.button(key="studio_image_submit").click().run()
    at.button(key="studio_image_submit").click().run()  # the second click of a double click
    assert not at.exception
    assert count_generations() == 1
    assert any("Already queued a moment ago" in i.value for i in at.info)
    at.text_area(key="studio_image_prompt").input("a lighthouse at dawn")  # another request
    at.button(key="studio_image_submit").click().run()
    assert count_generations() == 2
