"""`python -m core`: JSON out, one-line errors, nothing written on bad input."""

import json
import os
import subprocess

import pytest
from PIL import Image
from sqlmodel import Session, func, select

from core.cli import main
from core.db import get_engine
from core.media.ffmpeg import probe
from core.models import Campaign, Client, Generation, User
from tests.utils.processes import ROOT, child_env, python_m


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def count(model) -> int:
    with Session(get_engine()) as s:
        return s.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def setup_cli(real_queue, capsys):
    assert cli(capsys, "user", "add", "ada", "--role", "admin", "--password", "long-pass-1")[0] == 0
    assert (
        cli(capsys, "user", "add", "vic", "--role", "viewer", "--password", "long-pass-2")[0] == 0
    )
    code, client, _ = cli(
        capsys,
        "client",
        "add",
        "Acme",
        "--palette",
        "#FF0000,#00FF00",
        "--guidelines",
        "Bold and bright",
    )
    assert code == 0 and client["palette"] == ["#FF0000", "#00FF00"]
    code, campaign, _ = cli(
        capsys, "campaign", "add", "--client", "Acme", "--name", "Launch", "--budget", "20"
    )
    assert code == 0 and campaign["budget_usd"] == 20


def test_generate_image_and_wait_prints_the_final_record(setup_cli, capsys):
    code, rec, _ = cli(
        capsys,
        "generate",
        "image",
        "--campaign",
        "Launch",
        "--prompt",
        "red sneaker on a rock",
        "--param",
        "aspect_ratio=4:3",
        "--wait",
    )
    assert code == 0, rec
    assert (rec["kind"], rec["model"], rec["status"], rec["error"]) == (
        "image",
        "local/draft-image",
        "succeeded",
        None,
    )
    assert rec["cost_usd"] == 0.0 and rec["parent_id"] is None
    media = rec["media"]
    assert (media["mime"], media["width"], media["height"]) == ("image/png", 1152, 896)
    with Image.open(media["path"]) as img:
        assert img.size == (1152, 896)
    assert media["bytes"] == os.path.getsize(media["path"])


def test_generate_chain_prints_linked_records(setup_cli, capsys):
    code, recs, _ = cli(
        capsys,
        "generate",
        "chain",
        "--campaign",
        "Launch",
        "--prompt",
        "calm sunrise yoga",
        "--param",
        "duration=2",
        "--param",
        "video.resolution=480p",
        "--wait",
    )
    assert code == 0
    image, video, audio = recs
    assert video["parent_id"] == image["id"] and audio["parent_id"] == video["id"]
    assert {r["status"] for r in recs} == {"succeeded"}
    assert abs(probe(video["media"]["path"]).duration_s - 2) <= 0.1
    assert abs(audio["media"]["duration_s"] - 2) <= 0.1


def test_a_chains_music_prompt_and_a_clients_sound_direction(real_queue, capsys):
    assert cli(capsys, "user", "add", "ada", "--role", "admin", "--password", "long-pass-1")[0] == 0
    argv = ("client", "add", "Hum", "--guidelines", "Bold", "--sound", "soft piano")
    code, client, _ = cli(capsys, *argv)
    assert code == 0 and client["sound_direction"] == "soft piano"
    assert cli(capsys, "campaign", "add", "--client", "Hum", "--name", "Quiet")[0] == 0
    code, recs, _ = cli(capsys, "generate", "chain", "--campaign", "Quiet", "--prompt",
                        "a lake at dawn", "--music-prompt", "slow ambient")  # fmt: skip
    assert code == 0
    assert [r["prompt"] for r in recs] == ["a lake at dawn", "a lake at dawn", "slow ambient"]
    assert recs[2]["effective_prompt"] == "slow ambient. Sound direction: soft piano."


def test_video_from_a_generated_image_then_show_lists_children(setup_cli, capsys):
    _, image, _ = cli(
        capsys, "generate", "image", "--campaign", "Launch", "--prompt", "a", "--wait"
    )
    code, video, _ = cli(
        capsys,
        "generate",
        "video",
        "--campaign",
        "Launch",
        "--prompt",
        "zoom",
        "--from",
        image["id"],
        "--param",
        "duration=1",
        "--param",
        "resolution=480p",
        "--wait",
    )
    assert code == 0 and video["status"] == "succeeded" and video["parent_id"] == image["id"]
    _, shown, _ = cli(capsys, "show", image["id"])
    assert shown["children"] == [video["id"]]
    _, listed, _ = cli(capsys, "jobs", "--status", "succeeded")
    assert {r["id"] for r in listed} == {image["id"], video["id"]}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["generate", "image", "--campaign", "Nope", "--prompt", "x"], "No campaign named 'Nope'"),
        (
            ["generate", "video", "--campaign", "Launch", "--prompt", "x", "--param", "fps=25"],
            "fps: '25' is not allowed (allowed: 12, 24, 30)",
        ),
        (
            ["generate", "image", "--campaign", "Launch", "--prompt", "x", "--param", "bad"],
            "'bad' is not KEY=VALUE",
        ),
        (
            ["generate", "image", "--campaign", "Launch", "--prompt", "x", "--as", "vic"],
            "Your role (viewer) cannot generate media",
        ),
        (["client", "add", "Beta", "--palette", "red"], "'red' is not a colour"),
        (["cancel", "gen_000000000000"], "No generation with id gen_000000000000"),
    ],
)
def test_bad_input_is_one_line_nonzero_and_writes_nothing(setup_cli, capsys, argv, message):
    before = (count(Generation), count(Client))
    code, out, err = cli(capsys, *argv)
    assert code == 2 and out is None
    assert message in err and len(err.strip().splitlines()) == 1
    assert (count(Generation), count(Client)) == before


WAIT_TIMEOUT = ["generate", "image", "--campaign", "Launch", "--prompt", "x", "--wait", "--timeout"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([*WAIT_TIMEOUT, "-5"], "error: argument --timeout: must be above 0, not -5"),
        (["jobs", "--limit", "0"], "error: argument --limit: must be above 0, not 0"),
    ],
)
def test_options_out_of_range_are_refused_before_anything_runs(setup_cli, capsys, argv, message):
    before = count(Generation)
    with pytest.raises(SystemExit) as exited:  # argparse's own exit, as for any bad option
        main(argv)
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip() == message
    assert count(Generation) == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["user", "add", "nina", "--role", "viewer", "--password", "x" * 73],
            "password: use at most 72 bytes",
        ),
        (
            ["campaign", "add", "--client", "Acme", "--name", "Big", "--budget", "1e308"],
            "Budget: must be between 0 and 10,000,000 USD",
        ),
        (["client", "add", "Huge", "--budget", "1e308"], "Budget: must be between 0 and"),
    ],
)
def test_values_past_their_limits_are_one_line_and_write_nothing(setup_cli, capsys, argv, message):
    before = (count(User), count(Client), count(Campaign))
    code, out, err = cli(capsys, *argv)
    assert code == 2 and out is None
    assert message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and "ValueError" not in err
    assert (count(User), count(Client), count(Campaign)) == before


def test_the_module_runs_as_a_program_and_explains_a_missing_admin(real_queue):
    result = subprocess.run(
        python_m("core", "client", "list"), cwd=ROOT, env=child_env(), capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    assert "create an admin first" in result.stderr


def test_a_request_that_takes_spend_past_80_percent_warns_on_stderr(setup_cli, capsys, monkeypatch):
    # Nothing answers at this address: the requests are only queued (no worker runs here).
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_CliWarningTestToken")
    monkeypatch.setenv("REPLICATE_BASE_URL", "http://127.0.0.1:9")
    from core.config import reset_settings

    reset_settings()
    assert (
        cli(capsys, "campaign", "add", "--client", "Acme", "--name", "Small", "--budget", "2")[0]
        == 0
    )
    args = ["generate", "video", "--campaign", "Small", "--prompt", "a surfer", "--model",
            "kwaivgi/kling-v2.1", "--param", "duration=10", "--param", "mode=pro"]  # fmt: skip
    # 10 s pro = $0.90, plus its nano-banana start image $0.039: 47 % of $2, then 94 %.
    code, first, err = cli(capsys, *args)
    assert code == 0 and first["status"] == "waiting" and err == ""
    code, second, err = cli(capsys, *args)
    assert code == 0 and second["model"] == "kwaivgi/kling-v2.1"
    assert "budget" in err and "%" in err


def test_a_campaign_name_two_clients_share_is_picked_with_its_client(setup_cli, capsys):
    assert cli(capsys, "client", "add", "Beta")[0] == 0
    assert cli(capsys, "campaign", "add", "--client", "Beta", "--name", "Launch")[0] == 0
    code, _, err = cli(capsys, "costs", "--campaign", "Launch")
    assert code == 2 and "name the client too" in err
    code, report, _ = cli(capsys, "costs", "--campaign", "Launch", "--client", "Beta")
    assert code == 0 and report["rows"] == []  # Beta's Launch has spent nothing
    code, listed, _ = cli(capsys, "jobs", "--campaign", "Launch", "--client", "Acme")
    assert code == 0 and listed == []
