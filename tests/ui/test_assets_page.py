"""Assets: upload logos and product shots per client; a wrong type, an oversized or a damaged
file gets a clear message and nothing is stored; list with thumbnails; delete; mark one as the
client's logo on end cards."""

from __future__ import annotations

import pytest
from sqlmodel import select
from streamlit import config as st_config

from core.config import reset_settings
from core.media import store
from core.models import Asset, Client
from tests.utils.factories import image_bytes, make_asset, make_client, make_user, many_pixels_png
from ui.context import CLIENT_KEY

NOT_AN_IMAGE = ("'{name}' is not a PNG, JPEG or WebP image (its content is checked, not its "
                "name): save or export it as PNG, JPEG or WebP and upload that.")  # fmt: skip


def _assets(session) -> list[Asset]:
    session.expire_all()
    return list(session.exec(select(Asset)))


def _stored_files() -> list[str]:
    root = store.media_dir()
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _upload(at, name: str, content: bytes, mime: str = "image/png", label: str = ""):
    at.file_uploader[0].set_value((name, content, mime))
    if label:
        at.text_input[0].input(label)
    return at.button[0].click().run()  # the form's Upload button


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_viewers_and_reviewers_are_refused(screen, people, campaign, role):
    at = screen("assets", people[role]).run()
    assert [e.value for e in at.error] == [f"Your role ({role}) cannot upload or delete assets."]
    assert not at.file_uploader


def test_upload_stores_the_asset_and_lists_it_with_a_thumbnail(screen, people, campaign, session):
    at = screen("assets", people["creative"]).run()
    assert at.file_uploader[0].allowed_type == ["image/png", "image/jpeg", "image/webp"]
    assert "up to 20 MB" in at.file_uploader[0].label
    _upload(at, "logo.png", image_bytes(), label="Primary logo")
    assert not at.exception
    assert at.success[0].value == "Uploaded 'Primary logo' for Acme Drinks."
    [asset] = _assets(session)
    assert (asset.label, asset.width, asset.height, asset.client_id) == (
        "Primary logo", 64, 32, campaign.client_id
    )  # fmt: skip
    assert store.abs_path(asset.path).exists() and store.abs_path(asset.thumb_path).exists()
    assert "**Primary logo**" in [m.value for m in at.markdown] and len(at.image) == 1
    assert f"logo.png · 64×32 · {asset.bytes} B" in [c.value for c in at.caption]
    assert at.text_input[0].value == ""  # the form starts empty again


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("logo.png", b"GIF89a" + b"\0" * 200, "image/png"),  # renamed: the content decides
        ("setup.png", b"MZ\x90\x00" + b"\0" * 300, "image/png"),  # a Windows program, renamed
        ("notes.txt", b"just some words", "text/plain"),
        ("shot.jpg", b"%PDF-1.7\n" + b"x" * 100, "image/jpeg"),
    ],
)
def test_a_wrong_type_is_refused_and_nothing_is_stored(
    screen, people, campaign, session, name, content, mime
):
    at = _upload(screen("assets", people["creative"]).run(), name, content, mime)
    assert not at.exception
    assert [e.value for e in at.error] == [NOT_AN_IMAGE.format(name=name)]
    assert not _assets(session) and _stored_files() == []


def test_an_oversized_file_is_refused_and_nothing_is_stored(
    screen, people, campaign, session, monkeypatch
):
    monkeypatch.setenv("STUDIO_UPLOAD_MAX_MB", "1")
    reset_settings()
    big = image_bytes("PNG") + b"\0" * 1_100_000  # a real PNG header, past the limit
    at = screen("assets", people["creative"]).run()
    assert "up to 1 MB" in at.file_uploader[0].label
    _upload(at, "huge.png", big)
    assert [e.value for e in at.error] == [
        "'huge.png' is larger than the 1 MB limit for an image: make it smaller (fewer pixels, "
        "or saved as JPEG) and upload it again."
    ]
    assert not _assets(session) and _stored_files() == []


@pytest.mark.parametrize("mb", [20, 3])
def test_upload_with_no_file_received_names_the_limits_and_what_to_do(
    screen, people, campaign, session, monkeypatch, mb
):
    # What a file the browser refused (too big, another type) leaves: nothing sent at all.
    monkeypatch.setenv("STUDIO_UPLOAD_MAX_MB", str(mb))
    reset_settings()
    at = screen("assets", people["creative"]).run()
    at.button[0].click().run()
    assert [w.value for w in at.warning] == [
        f"No file came through. Choose a PNG, JPEG or WebP image of up to {mb} MB: the box "
        "refuses a larger file or another type (it says which under the file's name). Make it "
        "smaller or save it in one of those types, then choose it again."
    ]
    assert not _assets(session)


@pytest.mark.parametrize(("studio_mb", "server_mb", "shown"), [(20, 25, 20), (100, 7, 7)])
def test_the_size_in_the_label_is_the_limit_the_browser_enforces(
    screen, people, campaign, monkeypatch, studio_mb, server_mb, shown
):
    monkeypatch.setenv("STUDIO_UPLOAD_MAX_MB", str(studio_mb))
    reset_settings()
    before = st_config.get_option("server.maxUploadSize")
    st_config.set_option("server.maxUploadSize", server_mb)
    try:
        at = screen("assets", people["creative"]).run()
    finally:
        st_config.set_option("server.maxUploadSize", before)
    uploader = at.file_uploader[0]
    assert f"up to {shown} MB" in uploader.label
    assert uploader.proto.max_upload_size_mb == shown  # the browser refuses bigger files


def test_a_refused_file_is_cleared_from_the_uploader_and_its_message_stays(
    screen, people, campaign, session
):
    at = screen("assets", people["creative"]).run()
    _upload(at, "notes.txt", b"just some words", "text/plain", label="Primary logo")
    assert [e.value for e in at.error] == [NOT_AN_IMAGE.format(name="notes.txt")]
    assert at.file_uploader[0].value is None
    assert at.text_input[0].value == "Primary logo"  # only the file is asked for again
    _upload(at, "logo.png", image_bytes())
    assert not at.error
    assert [a.label for a in _assets(session)] == ["Primary logo"]


def test_a_damaged_image_is_refused_and_nothing_is_stored(screen, people, campaign, session):
    damaged = image_bytes("PNG")[:40]
    at = _upload(screen("assets", people["creative"]).run(), "broken.png", damaged)
    assert [e.value for e in at.error] == [
        "'broken.png' is damaged or not an image: open it in an image editor, save it again as "
        "PNG, JPEG or WebP and upload that."
    ]
    assert not _assets(session) and _stored_files() == []


def test_jpeg_and_webp_are_accepted(screen, people, campaign, session):
    at = screen("assets", people["admin"]).run()
    _upload(at, "shot.jpg", image_bytes("JPEG"), "image/jpeg")
    _upload(at, "shot.webp", image_bytes("WEBP", (40, 40)), "image/webp")
    assert sorted(a.mime for a in _assets(session)) == ["image/jpeg", "image/webp"]


def test_assets_are_the_sidebar_clients_and_it_is_in_the_url(screen, people, campaign, session):
    other = make_client(session, people["admin"], "Bolt Bikes")
    at = screen("assets", people["creative"], query={"client": other.id}).run()
    # The sidebar's client, as on every screen: no select of the page's own.
    assert at.sidebar.selectbox(key=CLIENT_KEY).value == other.id
    assert "Client" not in [box.label for box in at.main.selectbox]
    _upload(at, "bolt.png", image_bytes(), label="Bolt logo")
    assert [a.client_id for a in _assets(session)] == [other.id]
    at.sidebar.selectbox(key=CLIENT_KEY).set_value(campaign.client_id).run()
    assert at.query_params["client"] == campaign.client_id
    assert "**Bolt logo**" not in [m.value for m in at.markdown]
    assert at.main.info[0].value.startswith("No assets for Acme Drinks yet")


def test_delete_removes_the_row_and_its_files(screen, people, campaign, session):
    at = _upload(screen("assets", people["creative"]).run(), "logo.png", image_bytes(), label="Old")
    [asset] = _assets(session)
    assert _stored_files()
    at.button(key=f"assets_delete_{asset.id}").click().run()
    assert at.success[0].value == "Deleted 'Old'."
    assert not _assets(session) and _stored_files() == []


def test_a_creative_cannot_delete_someone_elses_asset(screen, people, campaign, session):
    asset = make_asset(session, people["admin"], campaign.client_id, filename="brand.png")
    carl = make_user(session, people["admin"], "carl", "creative")
    at = screen("assets", carl).run()
    assert "**brand.png**" in [m.value for m in at.markdown]
    assert f"assets_delete_{asset.id}" not in {b.key for b in at.button}
    at = screen("assets", people["admin"]).run()
    assert f"assets_delete_{asset.id}" in {b.key for b in at.button}


def test_an_image_of_too_many_pixels_is_refused_and_nothing_is_stored(
    screen, people, campaign, session
):
    poster = many_pixels_png(8000, 7000)  # 56 megapixels in about 20 KB
    at = _upload(screen("assets", people["creative"]).run(), "poster.png", poster)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "'poster.png' is 56 megapixels (8000 × 7000); the limit is 50 megapixels. Resize it "
        "and upload it again."
    ]
    assert not _assets(session) and _stored_files() == []


def _client_logo(session, client_id: str) -> str | None:
    session.expire_all()
    return session.get(Client, client_id).logo_asset_id


def test_an_asset_is_marked_as_the_end_card_logo_and_unmarked(screen, people, campaign, session):
    logo = make_asset(session, people["creative"], campaign.client_id, filename="acme.png")
    shot = make_asset(session, people["creative"], campaign.client_id, filename="can.png")
    at = screen("assets", people["creative"]).run()
    at.button(key=f"assets_logo_{logo.id}").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == ("'acme.png' is now Acme Drinks's logo on the end cards of "
                                   "final ads rendered from now on.")  # fmt: skip
    assert _client_logo(session, campaign.client_id) == logo.id
    keys = {b.key for b in at.button}
    assert {f"assets_unlogo_{logo.id}", f"assets_logo_{shot.id}"} <= keys
    assert f"assets_logo_{logo.id}" not in keys
    assert ":material/verified: Logo on end cards" in [c.value for c in at.caption]
    at.button(key=f"assets_logo_{shot.id}").click().run()  # one logo: the other replaces it
    assert _client_logo(session, campaign.client_id) == shot.id
    at.button(key=f"assets_unlogo_{shot.id}").click().run()
    assert at.success[0].value == "Acme Drinks's final ads will end on the call to action alone."
    assert _client_logo(session, campaign.client_id) is None


def test_an_asset_whose_file_is_not_an_image_cannot_be_the_logo(screen, people, campaign, session):
    logo = make_asset(session, people["creative"], campaign.client_id, filename="acme.png")
    store.abs_path(logo.path).write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    at = screen("assets", people["creative"]).run()
    at.button(key=f"assets_logo_{logo.id}").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "'acme.png' cannot be a logo: its file is missing or is not an image. Upload it again."
    ]
    assert _client_logo(session, campaign.client_id) is None
