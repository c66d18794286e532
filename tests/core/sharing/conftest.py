"""An approved storyboard and its final ad, to share (the ad's file made once per run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.models import Generation, Storyboard
from core.sharing import tokens
from tests.core.sharing.ads import make_ad_file, stored_ad
from tests.utils.factories import TINY_FIELDS, approve_storyboard, make_storyboard


@pytest.fixture(autouse=True)
def _fresh_signing_key():
    yield
    tokens.forget_keys()  # the next test's database has its own key


@pytest.fixture(scope="session")
def ad_file(tmp_path_factory) -> Path:
    return make_ad_file(tmp_path_factory.mktemp("share-media") / "ad.mp4")


@pytest.fixture
def board(session, people, campaign) -> Storyboard:
    made = make_storyboard(session, people["creative"], campaign, TINY_FIELDS)
    return approve_storyboard(session, made, people["creative"], people["reviewer"])


@pytest.fixture
def ad(session, people, campaign, board, ad_file) -> Generation:
    return stored_ad(session, people["creative"], campaign, board, ad_file)
