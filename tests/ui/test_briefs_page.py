"""Briefs: paste or upload (.txt, .md, .pdf, .docx), the parsed fields in an editable form with
what is missing flagged, save, and a storyboard made from the saved brief."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
from sqlmodel import select

from core.briefs import parse_brief
from core.models import Brief, Scene, Storyboard
from tests.utils.factories import SAMPLE_BRIEFS, SPRING_FIELDS
from tests.utils.fake_llm import chunks, llm_on_fake_replicate
from ui.brief_form import DROPPED_MARK

MIME = {
    ".md": "text/markdown",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
SPRING = {
    "title": "Taste the Light — Spring 2027",
    "brand": "Lumen Beverages",
    "palette": "#6EC6FF, #FFE066",
    "aspect_ratios": "16:9, 9:16",
    "duration_s": 30,
    "budget_usd": 250.0,
    "call_to_action": "Find Lumen Yuzu-Ginger in the chiller aisle — this spring only.",
}
TRAIL = {
    "title": "Own the Ridge",
    "brand": "Northpeak Outdoor",
    "palette": "",
    "aspect_ratios": "9:16",
    "duration_s": 20,
    "budget_usd": None,
    "call_to_action": "Try them at your local Northpeak store.",
}


def _field(at, name: str):
    """The form widget of a brief field (first form round)."""
    key = f"briefs_f1_{name}"
    for widgets in (at.text_input, at.text_area, at.number_input):
        try:
            return widgets(key=key)
        except KeyError:
            continue
    raise AssertionError(f"no widget for {name}")


def _upload(at, name: str, content: bytes, mime: str = "text/plain"):
    at.file_uploader(key="briefs_file").set_value((name, content, mime)).run()
    return at.button(key="briefs_read_file").click().run()


def _briefs(session) -> list[Brief]:
    session.expire_all()
    return list(session.exec(select(Brief)))


def _errors(at) -> str:
    return "\n".join(e.value for e in at.error)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("spring-launch.md", SPRING), ("spring-launch.pdf", SPRING),
     ("trailrunner-shoe.txt", TRAIL), ("trailrunner-shoe.docx", TRAIL)],
)  # fmt: skip
def test_each_format_shows_its_fields_for_checking(
    screen, people, campaign, session, name, expected
):
    path = SAMPLE_BRIEFS / name
    at = _upload(screen("briefs", people["creative"]).run(), name, path.read_bytes(),
                 MIME[path.suffix])  # fmt: skip
    assert not at.exception and not at.error
    assert at.success[0].value == f"Read {name}: check the fields below, then save."
    for field, value in expected.items():
        assert _field(at, field).value == value, field
    assert _briefs(session) == []  # reading saves nothing


def test_what_the_brief_does_not_say_is_flagged_and_left_empty(screen, people, campaign):
    path = SAMPLE_BRIEFS / "trailrunner-shoe.txt"
    at = _upload(screen("briefs", people["creative"]).run(), path.name, path.read_bytes())
    assert [w.value for w in at.warning] == [
        # the campaign picked is Acme Drinks': a brief for another brand is pointed out
        "This brief is for 'Northpeak Outdoor', but the campaign belongs to 'Acme Drinks'. "
        "Check the client and campaign above before saving.",
        "The brief does not say: Palette, Budget. Fill them in or leave them empty.",
    ]
    assert _field(at, "palette").label.endswith("not in the brief")
    assert _field(at, "budget_usd").label.endswith("not in the brief")
    assert not _field(at, "title").label.endswith("not in the brief")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"\x89PNG\r\n\x1a\n0000", ".png files are not supported"),
        ("empty.txt", b"", "empty.txt is empty"),
        ("blank.md", b"   \n\n  ", "blank.md is empty"),
        ("fake.pdf", b"just some text, not a pdf", "fake.pdf"),
    ],
)
def test_bad_or_empty_files_get_a_message_and_nothing_is_saved(
    screen, people, campaign, session, name, content, message
):
    at = _upload(screen("briefs", people["creative"]).run(), name, content)
    assert message in _errors(at)
    assert "Traceback" not in _errors(at) and not at.exception
    assert not at.button(key="briefs_read_text").disabled
    assert not at.get("form")  # no fields to save
    assert _briefs(session) == []


def test_pasted_text_is_parsed_and_an_empty_paste_is_refused(screen, people, campaign):
    at = screen("briefs", people["creative"]).run()
    at.button(key="briefs_read_text").click().run()
    assert at.warning[0].value == "Paste the brief's text first."
    at.text_area(key="briefs_text").input(
        "Brand: Fizzy Pop\nObjective: Sell more cherry cola.\nDuration: 15 seconds\n"
        "Call to action: Grab one today"
    ).run()
    at.button(key="briefs_read_text").click().run()
    assert _field(at, "brand").value == "Fizzy Pop"
    assert _field(at, "duration_s").value == 15
    assert _field(at, "call_to_action").value == "Grab one today"
    assert _field(at, "title").value == ""


def test_save_keeps_the_edited_fields_then_a_storyboard_is_made(screen, people, campaign, session):
    path = SAMPLE_BRIEFS / "spring-launch.md"
    at = _upload(screen("briefs", people["creative"]).run(), path.name, path.read_bytes())
    _field(at, "title").input("Spring, edited")
    _field(at, "duration_s").set_value(12)
    at.button(key="FormSubmitter:briefs_f1_form-Save brief").click().run()
    assert not at.exception
    assert at.success[0].value == "Saved the brief 'Spring, edited'."
    [brief] = _briefs(session)
    assert (brief.fields["title"], brief.fields["duration_s"]) == ("Spring, edited", 12)
    assert brief.campaign_id == campaign.id and brief.filename == "spring-launch.md"
    assert brief.fields["palette"] == ["#6EC6FF", "#FFE066"] and "missing" not in brief.fields
    assert "Spring, edited" in at.markdown[0].value  # listed under Saved briefs
    at.button(key=f"briefs_make_{brief.id}").click().run()
    assert "Made the storyboard 'Spring, edited'" in at.success[0].value
    [board] = session.exec(select(Storyboard)).all()
    scenes = session.exec(select(Scene).where(Scene.storyboard_id == board.id)).all()
    assert board.brief_id == brief.id and sum(s.duration_s for s in scenes) == 12


def test_a_bad_edit_is_refused_with_its_message_and_nothing_saved(
    screen, people, campaign, session
):
    path = SAMPLE_BRIEFS / "spring-launch.md"
    at = _upload(screen("briefs", people["creative"]).run(), path.name, path.read_bytes())
    _field(at, "palette").input("sky blue")
    at.button(key="FormSubmitter:briefs_f1_form-Save and make storyboard").click().run()
    assert "'sky blue' is not a colour" in _errors(at)
    assert _briefs(session) == [] and not session.exec(select(Storyboard)).all()


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_reviewers_and_viewers_are_refused(screen, people, campaign, role):
    at = screen("briefs", people[role]).run()
    assert [e.value for e in at.error] == [f"Your role ({role}) cannot edit storyboards."]
    assert not at.file_uploader and not at.button


def test_the_llm_parser_is_offered_only_with_a_token_and_a_failure_says_so(
    screen, people, campaign, monkeypatch
):
    at = screen("briefs", people["creative"]).run()
    assert not [s for s in at.selectbox if s.label == "Parser"]  # no token: offline only

    from core.config import reset_settings

    # Nothing listens here: the LLM call fails at once and the offline parser takes over.
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_BriefsPageTestToken")
    monkeypatch.setenv("REPLICATE_BASE_URL", "http://127.0.0.1:9")
    reset_settings()
    at = screen("briefs", people["creative"]).run()
    at.selectbox(key="briefs_parser").select("openai/gpt-4o-mini").run()
    at.text_area(key="briefs_text").input("Brand: Fizzy Pop\nDuration: 15 seconds").run()
    at.button(key="briefs_read_text").click().run()
    note = " ".join(w.value for w in at.warning)
    assert "openai/gpt-4o-mini" in note and "offline parser was used" in note
    assert "r8_BriefsPageTestToken" not in note
    assert _field(at, "brand").value == "Fizzy Pop"


def test_the_uploader_says_and_enforces_the_limit_core_reads_briefs_with(screen, people, campaign):
    at = screen("briefs", people["creative"]).run()
    uploader = at.file_uploader(key="briefs_file")
    assert "up to 10 MB" in uploader.label
    assert uploader.proto.max_upload_size_mb == 10  # the browser refuses bigger files


def test_a_made_storyboard_comes_with_a_link_that_opens_it(screen, people, campaign, session):
    path = SAMPLE_BRIEFS / "spring-launch.md"
    at = _upload(screen("briefs", people["creative"]).run(), path.name, path.read_bytes())
    at.button(key="FormSubmitter:briefs_f1_form-Save and make storyboard").click().run()
    assert not at.exception and not at.error
    [board] = session.exec(select(Storyboard)).all()
    [link] = at.page_link
    assert link.proto.page == "storyboards" and board.title in link.value
    opens = parse_qs(link.proto.query_string)  # what the Storyboards page reads from the URL
    assert opens == {
        "client": [campaign.client_id],
        "campaign": [campaign.id],
        "storyboard": [board.id],
    }
    at.run()  # the link is for the moment of making, like the message beside it
    assert not at.page_link


def _paste(at, text: str):
    at.text_area(key="briefs_text").input(text).run()
    return at.button(key="briefs_read_text").click().run()


def test_with_a_token_the_llm_is_offered_first_with_its_quote(
    screen, people, campaign, monkeypatch
):
    at = screen("briefs", people["creative"]).run()
    assert not [s for s in at.selectbox if s.label == "Parser"]  # no token: offline only
    with llm_on_fake_replicate(monkeypatch, chunks("{}")):
        at = screen("briefs", people["creative"]).run()
        assert at.selectbox(key="briefs_parser").options[0] == (
            "openai/gpt-4o-mini on Replicate (up to $0.002)"  # no text yet: the longest brief's
        )
        brief = (SAMPLE_BRIEFS / "spring-launch.md").read_text()
        at.text_area(key="briefs_text").input(brief).run()
        parser = at.selectbox(key="briefs_parser")
    assert parser.value == "openai/gpt-4o-mini"  # the default
    assert parser.options[:2] == [
        "openai/gpt-4o-mini on Replicate (about $0.001 for this brief)",
        "Offline parser (free, instant)",
    ]


def test_an_llm_reading_the_brief_does_not_support_is_dropped_and_flagged(
    screen, people, campaign, monkeypatch
):
    brief = (SAMPLE_BRIEFS / "spring-launch.md").read_text()
    invented = {**SPRING_FIELDS, "audience": "Retired couples who love gardening",
                "budget_usd": 5000}  # fmt: skip
    with llm_on_fake_replicate(monkeypatch, chunks(json.dumps(invented))):
        at = _paste(screen("briefs", people["creative"]).run(), brief)
    assert not at.exception and not at.error
    assert at.info[0].value == (
        "Read by openai/gpt-4o-mini. Not in the brief's text, so not taken from it: Audience, "
        "Budget; the offline parser's reading is shown there instead."
    )
    offline = parse_brief(brief)
    assert _field(at, "audience").value == offline.audience
    assert _field(at, "budget_usd").value == offline.budget_usd == 250.0
    assert _field(at, "budget_usd").label.endswith(DROPPED_MARK)
    assert _field(at, "brand").value == "Lumen Beverages"  # supported: the LLM's
    assert not _field(at, "brand").label.endswith(DROPPED_MARK)
