"""Settings: exactly the documented environment, with one-line errors."""

import pytest

from bot.config import ConfigError, Settings, load_settings

GOOD_TOKEN = "123456789:" + "A" * 35


def test_defaults_match_the_design_table(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_BASE_URL",
        "DATABASE_URL",
        "PORT",
        "TANDEM_TIMEZONE",
        "TANDEM_HOST",
        "TELEGRAM_WEBHOOK_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.database_url == "sqlite:///tandem.db"
    assert settings.tandem_timezone == "Europe/London"
    assert settings.port == 8080
    assert settings.tandem_host == "127.0.0.1"
    assert settings.telegram_webhook_url is None


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("PORT", "9000")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.bot_token() == GOOD_TOKEN
    assert settings.port == 9000


def test_missing_token_names_the_variable_and_botfather() -> None:
    settings = Settings(_env_file=None, TELEGRAM_BOT_TOKEN=None)  # type: ignore[call-arg]
    with pytest.raises(ConfigError) as caught:
        settings.bot_token()
    message = str(caught.value)
    assert "TELEGRAM_BOT_TOKEN" in message and "@BotFather" in message
    assert "\n" not in message


@pytest.mark.parametrize("token", ["abc", "123:short", "not a token at all", " : "])
def test_malformed_token(token: str) -> None:
    settings = Settings(_env_file=None, TELEGRAM_BOT_TOKEN=token)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN does not look like"):
        settings.bot_token()


@pytest.mark.parametrize("url", ["nonsense", "mysql://u@h/db", "://"])
def test_malformed_database_url_is_one_line(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    assert str(caught.value).startswith("DATABASE_URL is not valid")
    assert "\n" not in str(caught.value)


def test_unknown_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ConfigError, match="TANDEM_TIMEZONE"):
        load_settings(_env_file=None)


GOOD_SECRET = "w" * 40
EVERYWHERE = "0.0.0.0"  # noqa: S104 (settings only; nothing binds here)
WEBHOOK = "https://tandem.example.nhs.uk/telegram/webhook"


@pytest.mark.parametrize(
    "secret", [None, "", "short-secret", "x" * 31, "spaces are not allowed" * 3]
)
def test_webhook_mode_refuses_a_missing_short_or_malformed_secret(secret: str | None) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, TELEGRAM_WEBHOOK_URL=WEBHOOK, TELEGRAM_WEBHOOK_SECRET=secret
    )
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET must be set in webhook mode"):
        settings.check_web()


def test_webhook_mode_with_a_good_secret_starts_and_links_use_the_webhooks_address() -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, TELEGRAM_WEBHOOK_URL=WEBHOOK, TELEGRAM_WEBHOOK_SECRET=GOOD_SECRET
    )
    settings.check_web()
    assert settings.webhook_secret() == GOOD_SECRET
    assert settings.public_url("http://127.0.0.1:8080") == "https://tandem.example.nhs.uk"


def test_the_public_url_is_used_for_links_when_set() -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, TANDEM_PUBLIC_URL="https://tandem.example.nhs.uk/", TANDEM_HOST=EVERYWHERE
    )
    settings.check_web()
    assert settings.public_url(f"http://{EVERYWHERE}:8080") == "https://tandem.example.nhs.uk"


def test_serving_other_machines_needs_a_public_url() -> None:
    settings = Settings(_env_file=None, TANDEM_HOST=EVERYWHERE)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="TANDEM_PUBLIC_URL is not set"):
        settings.check_web()
    alone = Settings(_env_file=None)  # type: ignore[call-arg]
    assert alone.public_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080"


def test_a_public_url_that_is_not_a_web_address_is_one_line() -> None:
    with pytest.raises(ConfigError, match="TANDEM_PUBLIC_URL is not valid"):
        load_settings(_env_file=None, TANDEM_PUBLIC_URL="tandem.example.nhs.uk")


def test_a_worker_behind_the_router_needs_the_address_it_takes_updates_at() -> None:
    alone = Settings(_env_file=None, TANDEM_BEHIND_ROUTER="1")  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_URL"):
        alone.check_web()
    worker = Settings(  # type: ignore[call-arg]
        _env_file=None,
        TANDEM_BEHIND_ROUTER="1",
        TELEGRAM_WEBHOOK_URL="http://10.0.0.2:8080/telegram",
        TELEGRAM_WEBHOOK_SECRET="a" * 32,
        TANDEM_PUBLIC_URL="https://tandem.example.nhs.uk",
    )
    worker.check_web()  # nothing missing


@pytest.mark.parametrize("secret", [None, "short", "has spaces in it and is long enough!!"])
def test_the_router_refuses_a_missing_or_malformed_secret(secret: str | None) -> None:
    settings = Settings(_env_file=None, TELEGRAM_WEBHOOK_SECRET=secret)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        settings.router_secret()
