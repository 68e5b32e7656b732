"""Settings: exactly the environment table in design.md, read once at the entry point."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.library.paths import ContentDirs, content_dirs

TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{30,}$")

BOTFATHER_HINT = (
    "open Telegram, message @BotFather, send /newbot and follow the steps; "
    "it replies with a token like 123456789:AA... "
    "Put it in TELEGRAM_BOT_TOKEN (in the environment or in a .env file)."
)


SECRET_MIN = 32
SECRET_PATTERN = re.compile(rf"^[A-Za-z0-9_-]{{{SECRET_MIN},256}}$")
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


class ContentSettings(BaseSettings):
    """Where Tandem's words are: the one setting `tandem content check` and the demo need."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # A folder holding content/ and prompts/ laid out like the shipped ones (unset: the
    # content shipped in the package); bot/library/paths.py says how folders are found.
    tandem_content_dir: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("TANDEM_CONTENT_DIR", "tandem_content_dir"),
    )

    @field_validator("tandem_content_dir", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("tandem_content_dir")
    @classmethod
    def _holds_content_and_prompts(cls, value: Path | None) -> Path | None:
        content_dirs(value)  # ContentDirError (a ValueError) names what is missing
        return value

    def content_dirs(self) -> ContentDirs:
        """The content and prompts folders to read."""
        return content_dirs(self.tandem_content_dir)


class Settings(ContentSettings):
    """Tandem's settings, from the environment and an optional .env file."""

    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "telegram_bot_token")
    )
    telegram_base_url: str = Field(
        default="https://api.telegram.org/bot",
        validation_alias=AliasChoices("TELEGRAM_BASE_URL", "telegram_base_url"),
    )
    telegram_webhook_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_WEBHOOK_URL", "telegram_webhook_url"),
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_WEBHOOK_SECRET", "telegram_webhook_secret"),
    )
    database_url: str = Field(
        default="sqlite:///tandem.db",
        validation_alias=AliasChoices("DATABASE_URL", "database_url"),
    )
    tandem_timezone: str = Field(
        default="Europe/London",
        validation_alias=AliasChoices("TANDEM_TIMEZONE", "tandem_timezone"),
    )
    port: Annotated[int, Field(ge=0, le=65535)] = Field(
        default=8080, validation_alias=AliasChoices("PORT", "port")
    )
    tandem_host: str = Field(
        default="127.0.0.1", validation_alias=AliasChoices("TANDEM_HOST", "tandem_host")
    )
    # The address people use to reach the web app (dashboard sign-in links, calendar feeds):
    # every link Tandem sends is built on it.
    tandem_public_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("TANDEM_PUBLIC_URL", "tandem_public_url"),
    )

    # "json": one JSON object a line, for log collectors; "text" (the default) for people.
    tandem_log_format: Literal["text", "json"] = Field(
        default="text",
        validation_alias=AliasChoices("TANDEM_LOG_FORMAT", "tandem_log_format"),
    )

    # How many votes each partner has for the measures their group is choosing (issue 17).
    tandem_measure_votes: Annotated[int, Field(ge=1, le=10)] = Field(
        default=3,
        validation_alias=AliasChoices("TANDEM_MEASURE_VOTES", "tandem_measure_votes"),
    )

    # A worker behind `tandem route` (issue 16): webhook mode, but the router polls Telegram
    # and hands this process its chats' updates, so it never registers the webhook itself.
    tandem_behind_router: bool = Field(
        default=False,
        validation_alias=AliasChoices("TANDEM_BEHIND_ROUTER", "tandem_behind_router"),
    )

    @field_validator("tandem_public_url", "telegram_webhook_url", mode="before")
    @classmethod
    def _blank_url_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("tandem_public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{value!r} is not a web address (like https://tandem.example.nhs.uk)")
        return value.strip().rstrip("/")

    @field_validator("tandem_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (use a name like Europe/London)"
            ) from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _parsable_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(
                f"{value!r} is not a database URL; use sqlite:///tandem.db or "
                "postgresql+psycopg://user@host:5432/dbname"
            ) from exc
        if url.get_backend_name() not in {"sqlite", "postgresql"}:
            raise ValueError(
                f"{url.get_backend_name()!r} is not supported; use sqlite or postgresql+psycopg"
            )
        return value

    def bot_token(self) -> str:
        """The bot token, or a ConfigError saying how to get one."""
        token = (
            self.telegram_bot_token.get_secret_value().strip() if self.telegram_bot_token else ""
        )
        if not token:
            raise ConfigError(f"TELEGRAM_BOT_TOKEN is not set. To get one, {BOTFATHER_HINT}")
        if not TOKEN_PATTERN.match(token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then "
                f"at least 30 letters, digits, - or _). To get one, {BOTFATHER_HINT}"
            )
        return token

    def webhook_secret(self) -> str | None:
        """The webhook's secret_token (None in polling mode). Webhook mode refuses to start
        without a good one: without it, anyone who finds the address could post updates
        that act as any person."""
        secret = (
            self.telegram_webhook_secret.get_secret_value().strip()
            if self.telegram_webhook_secret
            else ""
        )
        if not self.telegram_webhook_url:
            return secret or None
        if not SECRET_PATTERN.match(secret):
            raise ConfigError(
                "TELEGRAM_WEBHOOK_SECRET must be set in webhook mode: at least "
                f"{SECRET_MIN} characters of letters, digits, _ and - (Telegram's alphabet). "
                "Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return secret

    def router_secret(self) -> str:
        """The secret `tandem route` shows its workers (their TELEGRAM_WEBHOOK_SECRET)."""
        secret = (
            self.telegram_webhook_secret.get_secret_value().strip()
            if self.telegram_webhook_secret
            else ""
        )
        if not SECRET_PATTERN.match(secret):
            raise ConfigError(
                "tandem route needs TELEGRAM_WEBHOOK_SECRET, the same as its workers': at "
                f"least {SECRET_MIN} characters of letters, digits, _ and -."
            )
        return secret

    def public_url(self, web_url: str) -> str:
        """The address people use to reach the web app: TANDEM_PUBLIC_URL, else the webhook's
        origin, else (only on this machine) where the web app listens."""
        if self.tandem_public_url:
            return self.tandem_public_url
        if self.telegram_webhook_url:
            parts = urlsplit(self.telegram_webhook_url)
            return f"{parts.scheme}://{parts.netloc}"
        if not self.serves_only_this_machine():
            raise ConfigError(
                f"TANDEM_PUBLIC_URL is not set, but TANDEM_HOST={self.tandem_host} lets other "
                "machines reach the web app: set TANDEM_PUBLIC_URL to the address people use "
                "(like https://tandem.example.nhs.uk), so the links Tandem sends work."
            )
        return web_url

    def check_web(self) -> None:
        """ConfigError now, before anything starts, if webhook or web settings would not do."""
        if self.tandem_behind_router and not self.telegram_webhook_url:
            raise ConfigError(
                "TANDEM_BEHIND_ROUTER needs TELEGRAM_WEBHOOK_URL: the address where the router "
                "hands this process its updates (like http://10.0.0.2:8080/telegram), and "
                "TELEGRAM_WEBHOOK_SECRET, the same as the router's."
            )
        self.webhook_secret()
        self.public_url("")

    def serves_only_this_machine(self) -> bool:
        """Whether the web app listens on loopback only."""
        return self.tandem_host in LOOPBACK


AnySettings = TypeVar("AnySettings", bound=ContentSettings)


def load_settings(**overrides: object) -> Settings:
    """Build Settings from the environment, turning validation errors into one ConfigError line."""
    return _load(Settings, overrides)


def load_content_settings(**overrides: object) -> ContentSettings:
    """Only TANDEM_CONTENT_DIR, for commands that need no other setting (one ConfigError line)."""
    return _load(ContentSettings, overrides)


def _load(kind: type[AnySettings], overrides: dict[str, Any]) -> AnySettings:
    from pydantic import ValidationError

    try:
        return kind(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "setting"
        env_name = field.upper()
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{env_name} is not valid: {message}") from None
