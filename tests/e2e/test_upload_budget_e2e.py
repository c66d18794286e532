"""A browser session's uploads wait on disk, and what it holds stays within its budget: with a 1 MB
budget, a 0.7 MB asset is taken, and a second one into the same session while the first is
still picked is refused."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tests.e2e.conftest import ADMIN, app_server, cli, settle, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def small_budget_server(tmp_path_factory):
    data = tmp_path_factory.mktemp("e2e-upload-budget")
    with app_server(data, STUDIO_UPLOAD_SESSION_MB="1") as served:
        yield served


def test_a_second_upload_past_the_sessions_budget_is_refused(small_budget_server, page, tmp_path):
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    noise = np.random.default_rng(7).integers(0, 256, (480, 480, 3), dtype=np.uint8)
    for path in (first, second):  # ~0.7 MB each: noise does not compress
        Image.fromarray(noise).save(path)
    cli(small_budget_server, "client", "add", "Budget Co", "--palette", "#112233")
    sign_in(page, small_budget_server["url"], *ADMIN)
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Assets").click()
    settle(page)
    uploader = page.locator("[data-testid=stFileUploader] input[type=file]").first
    with page.expect_response(_upload) as taken:
        uploader.set_input_files(str(first))
    assert taken.value.status < 300
    settle(page)
    # Crafted PUTs into the same live session (what the attack pass did, 24 MB at a time):
    # the file the page holds counts, so the next one past the budget is refused.
    session_url = taken.value.url.rsplit("/", 1)[0]
    more = {"name": "second.png", "mimeType": "image/png", "buffer": second.read_bytes()}
    answer = page.request.put(f"{session_url}/extra-file-1", multipart={"file": more})
    assert answer.status == 413
    assert "1 MB is the most at once" in answer.text()
    # The picked file waits on disk in the server's spool, not in its memory, and is read back
    # when the form is sent.
    session_id = session_url.rsplit("/", 1)[1]
    [spool] = (small_budget_server["data"] / "uploads").glob(f"*/{session_id}")  # the server's
    assert [p.stat().st_size for p in spool.iterdir()] == [first.stat().st_size]
    page.get_by_role("button", name="Upload", exact=True).click()
    page.get_by_text("Uploaded 'first.png' for Budget Co.").wait_for()


def _upload(response) -> bool:
    return "/_stcore/upload_file/" in response.url and response.request.method == "PUT"
