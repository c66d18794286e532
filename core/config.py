"""Settings from the environment or `.streamlit/secrets.toml`, in one pydantic class."""

from __future__ import annotations

import contextlib
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

SECRETS_FILE = Path(".streamlit/secrets.toml")


class SecretsTomlSource(PydanticBaseSettingsSource):
    """Reads top-level keys of `.streamlit/secrets.toml`, so Streamlit Cloud style secrets work."""

    def get_field_value(self, field, field_name):  # pragma: no cover - unused by pydantic here
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        if not SECRETS_FILE.is_file():
            return {}
        data = tomllib.loads(SECRETS_FILE.read_text())
        known = {name.upper() for name in self.settings_cls.model_fields}
        return {k.lower(): v for k, v in data.items() if k.upper() in known}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    studio_data_dir: Path = Path("data")
    studio_database_url: str | None = None
    studio_queue_url: str | None = None
    replicate_api_token: SecretStr | None = None
    replicate_base_url: str = "https://api.replicate.com"
    studio_admin_user: str | None = None
    studio_admin_password: SecretStr | None = None
    studio_webhook_url: str | None = None
    # Where people outside the team reach this install: share links start with it.
    studio_public_url: str = "http://localhost:8501"
    studio_webhook_secret: SecretStr | None = None
    studio_cookie_key: SecretStr | None = None
    # Media in S3-compatible object storage (`s3://bucket/prefix`): the data dir is then each
    # machine's cache of it. Endpoint and keys for MinIO, R2 or AWS (else boto3's own lookup).
    studio_media_url: str | None = None
    studio_s3_endpoint_url: str | None = None
    studio_s3_access_key_id: str | None = None
    studio_s3_secret_access_key: SecretStr | None = None
    studio_s3_region: str = "us-east-1"
    studio_workers: int = Field(default=2, ge=1, le=32)
    studio_max_attempts: int = Field(default=3, ge=1, le=20)
    studio_upload_max_mb: int = Field(default=20, ge=1, le=500)
    studio_upload_session_mb: int = Field(default=64, ge=1, le=4000)
    studio_rate_limits: str = "image=10/minute;video=5/minute;audio=10/minute;voice=20/minute"
    studio_replicate_create_limit: str = "600/minute"
    # bcrypt cost; lower only to speed up test suites
    studio_bcrypt_rounds: int = Field(default=12, ge=4, le=16)
    studio_job_lease_s: int = Field(default=30, ge=5)
    # Replicate: the first poll interval (it grows with a prediction's age), the timeout of
    # each API call, and how long a prediction may run before it is canceled.
    studio_poll_interval_s: float = Field(default=1.0, gt=0, le=60)
    studio_replicate_timeout_s: float = Field(default=30.0, gt=0, le=300)
    studio_prediction_timeout_s: float = Field(default=900.0, gt=0)

    @classmethod
    def settings_customise_sources(
        cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings
    ):
        return (init_settings, env_settings, SecretsTomlSource(settings_cls), file_secret_settings)

    @property
    def data_dir(self) -> Path:
        relative_to = "" if self.studio_data_dir.is_absolute() else os.getcwd()
        return _resolved(self.studio_data_dir, relative_to)

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def database_url(self) -> str:
        return self.studio_database_url or f"sqlite:///{self.data_dir / 'studio.db'}"

    @property
    def queue_url(self) -> str:
        return self.studio_queue_url or f"sqlite:///{self.data_dir / 'queue.db'}"

    @property
    def replicate_enabled(self) -> bool:
        return bool(self.replicate_api_token and self.replicate_api_token.get_secret_value())


@lru_cache(maxsize=16)
def _resolved(path: Path, cwd: str) -> Path:
    # Every stored file's path goes through the data dir: resolving it walks each component
    # with a system call, so it is done once per (path, working dir).
    return path.resolve()


_secured: set[Path] = set()


def private_data_dir() -> Path:
    """The data dir, made if missing and readable by this user only: it holds password hashes,
    the cookie key and every client's media."""
    path = get_settings().data_dir
    if path not in _secured:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(PermissionError):  # not ours to change: leave it as it is
            path.chmod(0o700)
        _secured.add(path)
    return path


def private_file(path: Path) -> Path:
    """`path` created if missing, readable by this user only (a database: SQLite gives its WAL
    and shared-memory files the same mode)."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    with contextlib.suppress(PermissionError):
        path.chmod(0o600)
    return path


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget cached settings (tests change the environment between cases)."""
    get_settings.cache_clear()
