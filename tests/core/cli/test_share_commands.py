"""`python -m core share ...`: a link made (its URL printed once), listed and revoked."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from core.cli import main
from core.db import get_engine
from core.models import ShareLink, utcnow
from core.sharing import guest, tokens
from tests.core.sharing.ads import approved_board_ad


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def links_made() -> int:
    with Session(get_engine()) as s:
        return s.exec(select(func.count()).select_from(ShareLink)).one()


@pytest.fixture
def ad(session, people, campaign, tmp_path):
    yield approved_board_ad(session, people, campaign, tmp_path)
    tokens.forget_keys()


def test_share_create_prints_the_url_once_and_revoke_closes_it(ad, capsys):
    code, made, _ = cli(capsys, "share", "create", ad.id, "--as", "cleo")
    assert code == 0
    assert made["url"].startswith("http://localhost:8501/share/")
    expires = datetime.fromisoformat(made["expires_at"])
    assert abs(expires - (utcnow() + timedelta(days=7))) < timedelta(minutes=1)
    assert made["id"].startswith("shr_") and made["state"] == "active"
    token = made["url"].rsplit("/", 1)[1]
    with Session(get_engine()) as session:
        assert guest.open_link(session, token).state == "active"

    code, listed, _ = cli(capsys, "share", "list", ad.id)
    assert code == 0 and [(r["id"], r["views"], r["created_by"]) for r in listed] == [
        (made["id"], 0, "cleo")
    ]
    assert "url" not in listed[0]  # the database never had it

    code, revoked, _ = cli(capsys, "share", "revoke", made["id"])
    assert code == 0 and revoked["state"] == "revoked" and revoked["revoked_at"]
    with Session(get_engine()) as session:
        assert guest.open_link(session, token).state == "revoked"


def test_share_create_days(ad, capsys):
    code, made, _ = cli(capsys, "share", "create", ad.id, "--days", "2")
    assert code == 0
    expires = datetime.fromisoformat(made["expires_at"])
    assert abs(expires - (utcnow() + timedelta(days=2))) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--days", "91"], "a link lasts 1 to 90 days, not 91"),
        (["--as", "vic"], "Your role (viewer) cannot share links"),
        (["--as", "rita"], "Your role (reviewer) cannot share links"),
    ],
)
def test_share_create_refuses_in_one_line_and_makes_nothing(ad, capsys, argv, message):
    code, out, err = cli(capsys, "share", "create", ad.id, *argv)
    assert code == 2 and out is None
    assert message in err and len(err.strip().splitlines()) == 1
    assert links_made() == 0


def test_share_create_days_must_be_above_zero(ad, capsys):
    with pytest.raises(SystemExit) as exited:  # argparse's own exit, before anything runs
        main(["share", "create", ad.id, "--days", "0"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip() == "error: argument --days: must be above 0, not 0"
    assert links_made() == 0


def test_share_a_target_that_is_not_there(people, capsys):
    code, _, err = cli(capsys, "share", "create", "gen_missing")
    assert code == 2 and err == "error: No final ad or storyboard with id gen_missing.\n"
    code, _, err = cli(capsys, "share", "revoke", "shr_missing")
    assert code == 2 and err == "error: No share link with id shr_missing.\n"
