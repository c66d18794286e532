"""Studio: campaign pick, catalog-driven forms, estimates, submit on the draft engine, live jobs."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.campaigns import campaigns
from core.models import Generation
from tests.utils.factories import count_generations, image_bytes, make_campaign, submit_generation

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
    assert not at.button and not at.text_area and not at.selectbox


def test_replicate_models_are_listed_but_disabled_with_the_reason(screen, people, campaign):
    at = screen("studio", people["creative"]).run()
    picker = at.selectbox(key="studio_image_model")
    assert picker.options == [
        "Draft image (offline, free)",
        "Nano Banana (Google) — disabled: needs REPLICATE_API_TOKEN",
    ]
    assert not at.button(key="studio_image_submit").disabled
    picker.set_value("google/nano-banana").run()
    assert "Nano Banana (Google) is disabled: it needs REPLICATE_API_TOKEN" in at.warning[0].value
    assert at.button(key="studio_image_submit").disabled


def test_with_a_token_replicate_models_are_enabled_and_priced(screen, people, campaign, token):
    at = screen("studio", people["creative"]).run()
    assert "Nano Banana (Google)" in at.selectbox(key="studio_image_model").options
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
    assert "2. Video · bytedance/seedance-1-lite · $0.180" in _text(at)
    assert "**Estimated cost: $0.22**" in _text(at)


def test_brand_toggle_changes_the_effective_prompt(screen, people, campaign):
    at = screen("studio", people["creative"]).run()
    assert at.code[0].value.startswith("Brand guidelines: ")  # before any prompt, no stray "."
    at.toggle(key="studio_image_brand").set_value(False).run()
    assert at.code[0].value == "Type a prompt to see it here."
    at.toggle(key="studio_image_brand").set_value(True).run()
    at.text_area(key="studio_image_prompt").input("a can on a beach").run()
    assert "Brand guidelines: Bright, optimistic, clean" in at.code[0].value
    at.toggle(key="studio_image_brand").set_value(False).run()
    assert at.code[0].value == "a can on a beach"


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
        assert "Brand guidelines: Bright, optimistic, clean" in at.code[n].value, kind


def test_submit_an_image_on_the_draft_engine_and_see_it_succeed(screen, people, campaign, session):
    at = screen("studio", people["creative"]).run()
    at.text_area(key="studio_image_prompt").input("a can on a beach")
    at.button(key="studio_image_submit").click().run()
    assert not at.exception and not at.error
    [row] = _rows(session)
    assert (row.kind, row.status, row.prompt) == ("image", "succeeded", "a can on a beach")
    assert at.success[0].value.startswith(f"Queued {row.id}.")
    assert f"`{row.id}`" in _text(at) and "✅ succeeded" in _text(at)
    assert len(at.get("image")) == 1


def test_an_empty_prompt_is_refused_by_name_and_nothing_is_written(
    screen, people, campaign, session
):
    at = screen("studio", people["creative"]).run()
    at.button(key="studio_audio_submit").click().run()
    assert [e.value for e in at.error] == ["prompt: write what to make (it is empty)"]
    assert _rows(session) == []


def test_budget_refusal_is_a_clear_message(screen, people, campaign, session, token):
    campaigns.update_campaign(
        session=session, actor=people["admin"], campaign_id=campaign.id, budget_usd=0.01
    )
    session.commit()
    at = screen("studio", people["creative"]).run()
    at.selectbox(key="studio_image_model").set_value("google/nano-banana")
    at.text_area(key="studio_image_prompt").input("a can").run()
    at.button(key="studio_image_submit").click().run()
    assert at.error[0].value.startswith("Over the campaign 'Spring Launch' budget: budget $0.01")
    assert _rows(session) == []


def test_a_chain_needs_its_quote_confirmed(screen, people, campaign, session):
    at = screen("studio", people["creative"]).run()
    at.text_area(key="studio_chain_prompt").input("upbeat summer").run()
    assert "3. Music · local/draft-music · $0.000" in _text(at)
    assert at.button(key="studio_chain_submit").disabled
    assert _rows(session) == []
    at.checkbox(key="studio_chain_confirm_0").check().run()
    at.button(key="studio_chain_submit").click().run()
    rows = _rows(session)
    assert sorted(str(r.kind) for r in rows) == ["audio", "image", "video"]
    assert len({r.chain_id for r in rows}) == 1
    assert at.success[0].value.startswith(f"Queued chain {rows[0].chain_id}")


def test_query_params_preselect_the_campaign(screen, people, campaign, session):
    other = make_campaign(
        session, people["admin"], "Autumn", client_id=campaign.client_id, budget_usd=None
    )
    query = {"client": campaign.client_id, "campaign": other.id}
    at = screen("studio", people["creative"], query=query).run()
    assert at.selectbox(key="studio_campaign").value == other.id
    at.text_area(key="studio_image_prompt").input("leaves")
    at.button(key="studio_image_submit").click().run()
    assert [r.campaign_id for r in _rows(session)] == [other.id]


def test_prefill_from_the_gallery_fills_model_prompt_and_params(screen, people, campaign, session):
    other = make_campaign(
        session, people["admin"], "Autumn", client_id=campaign.client_id, budget_usd=None
    )
    at = screen("studio", people["creative"])
    at.session_state["studio_prefill"] = {
        "kind": "video", "model": "local/draft-video", "prompt": "slow pan over a lake",
        "params": {"duration": 12, "resolution": "480p"}, "campaign_id": other.id,
    }  # fmt: skip
    at.run()
    assert at.selectbox(key="studio_campaign").value == other.id
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


def test_a_video_starts_from_an_uploaded_asset(screen, people, campaign, session):
    at = screen("studio", people["creative"]).run()
    at.radio(key="studio_video_start").set_value("asset").run()
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
    at.radio(key="studio_video_start").set_value("asset").run()
    uploader = at.file_uploader(key="studio_video_start_upload")
    assert "up to 20 MB" in uploader.label  # core's STUDIO_UPLOAD_MAX_MB, as on Assets
    assert uploader.proto.max_upload_size_mb == 20  # the browser refuses bigger files


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
