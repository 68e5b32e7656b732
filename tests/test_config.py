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
