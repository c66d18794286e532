"""Which queue the settings give."""

from huey import SqliteHuey

from core import jobs
from core.config import get_settings


def test_settings_point_the_queue_at_sqlite_in_the_data_dir(real_queue):
    huey, _ = jobs.get_queue()
    assert isinstance(huey, SqliteHuey)
    assert get_settings().queue_url.endswith("queue.db")
