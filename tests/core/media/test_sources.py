"""Start images: what happens to one whose shape is not the video's, said before it is made."""

from __future__ import annotations

from core import catalog
from core.media.sources import start_image_fit

DRAFT = catalog.get_model("local/draft-video")
SEEDANCE = catalog.get_model("bytedance/seedance-1-lite")
KLING = catalog.get_model("kwaivgi/kling-v2.1")


def test_a_portrait_image_for_a_landscape_draft_says_the_crop_and_the_fix():
    assert start_image_fit(DRAFT, {"aspect_ratio": "16:9"}, (768, 1344)) == (
        "The start image is 768 × 1344 (9:16) and the video 16:9: it will be cropped to 16:9, "
        "keeping the middle 32 % of its height. To keep all of it, set Aspect ratio to 9:16."
    )


def test_an_image_of_the_videos_shape_or_near_it_says_nothing():
    assert start_image_fit(DRAFT, {"aspect_ratio": "16:9"}, (1344, 768)) is None  # 1.75, not 1.78
    assert start_image_fit(DRAFT, {"aspect_ratio": "4:3"}, (1152, 896)) is None


def test_a_shape_no_ratio_fits_names_the_one_that_crops_least():
    note = start_image_fit(DRAFT, {"aspect_ratio": "16:9"}, (300, 100))
    assert note == (
        "The start image is 300 × 100 and the video 16:9: it will be cropped to 16:9, keeping "
        "the middle 59 % of its width. Aspect ratio 21:9 crops the least."
    )


def test_a_model_that_follows_the_image_says_its_setting_is_ignored():
    assert start_image_fit(SEEDANCE, {"aspect_ratio": "16:9"}, (768, 1344)) == (
        "Seedance 1 Lite (ByteDance) makes the video in the start image's own shape, "
        "768 × 1344 (9:16): its Aspect ratio setting (16:9) is ignored."
    )
    assert start_image_fit(KLING, {"mode": "standard"}, (768, 1344)) is None  # no such setting
