"""Uploads wait on disk, not in memory: Streamlit's own upload manager, given the spooled
storage, keeps each file in a private file and reads it back only when a script asks."""

from __future__ import annotations

import os
import socket
import stat

from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from ui import upload_spool

MB = 1024 * 1024


def test_an_upload_is_kept_in_a_private_file_and_read_back_when_asked(studio_env):
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    storage = upload_spool.install(manager)
    brief = b"%PDF-1.7 " + b"x" * (3 * MB)
    manager.add_file("sess-1", UploadedFileRec("file-1", "brief.pdf", "application/pdf", brief))
    [spooled] = list((storage.root / "sess-1").iterdir())
    assert spooled.read_bytes() == brief
    assert stat.S_IMODE(spooled.stat().st_mode) == 0o600
    assert storage.held_bytes("sess-1") == len(brief)
    [record] = manager.get_files("sess-1", ["file-1"])
    assert (record.name, record.type, record.data) == ("brief.pdf", "application/pdf", brief)


def test_removing_a_file_or_a_session_deletes_it_and_keeps_the_count_right(studio_env):
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    root = upload_spool.install(manager).root
    for file_id in ("a", "b"):
        manager.add_file("sess-2", UploadedFileRec(file_id, f"{file_id}.png", "image/png",
                                                   b"\x89PNG" + b"\0" * MB))  # fmt: skip
    manager.remove_file("sess-2", "a")
    assert [p.name for p in (root / "sess-2").iterdir()] == ["b"]
    assert manager.get_files("sess-2", ["a", "b"])[0].file_id == "b"
    manager.remove_session_files("sess-2")
    assert not (root / "sess-2").exists()
    assert manager.get_files("sess-2", ["b"]) == []
    assert manager._total_bytes == 0 and manager._file_count == 0  # Streamlit's own counts


def test_a_session_id_never_names_a_path_outside_the_spool(studio_env):
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    root = upload_spool.install(manager).root
    manager.add_file("../../etc", UploadedFileRec("../x", "x.png", "image/png", b"data"))
    assert not (studio_env.parent / "etc").exists()
    assert [p.name for p in root.iterdir()] == ["etc"]


def test_a_servers_start_sweeps_only_its_own_machines_dead_servers_spools(studio_env):
    host = socket.gethostname().replace("-", "_")
    uploads = studio_env / "uploads"
    live, dead, elsewhere = (uploads / f"{host}-{os.getppid()}", uploads / f"{host}-999999",
                             uploads / "app_server_2-999999")  # fmt: skip
    for folder in (live, dead, elsewhere):
        (folder / "sess").mkdir(parents=True)
    mine = upload_spool.spool_root()
    assert mine.name == f"{host}-{os.getpid()}"
    assert live.exists() and elsewhere.exists() and not dead.exists()
