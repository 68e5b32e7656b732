"""Where Tandem reads its words: TANDEM_CONTENT_DIR, else the content shipped in the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_content_settings, load_settings
from bot.domain.safeguarding import default_rules, load_rules
from bot.library import paths
from bot.library.catalogue import Library
from bot.library.messages import Texts
from bot.library.paths import CONTENT_DIR, PROMPTS_DIR, ContentDirs, configured

BRIEFING = "working-in-pairs"


def tandem(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` with no inherited TANDEM_ settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(autouse=True)
def _no_content_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TANDEM_CONTENT_DIR", raising=False)


@pytest.fixture
def own(tmp_path: Path) -> Path:
    """A TANDEM_CONTENT_DIR as an operator makes one: copies of the shipped folders, edited."""
    root = tmp_path / "our-words"
    shutil.copytree(CONTENT_DIR, root / "content")
    shutil.copytree(PROMPTS_DIR, root / "prompts")
    page = root / "content" / "briefings" / f"{BRIEFING}.md"
    text = page.read_text(encoding="utf-8")
    assert "\ntitle: Working in pairs\n" in text
    page.write_text(text.replace("\ntitle: Working in pairs\n", "\ntitle: Pairs, our way\n"))
    return root


def test_unset_means_the_content_shipped_with_this_checkout() -> None:
    # Run from a checkout (as the tests are), the shipped content is the top-level folders
    # themselves, so edits there show at once (an installed wheel: tests/cli/test_install.py).
    root = paths.PROJECT_ROOT
    assert ContentDirs(root / "content", root / "prompts") == paths.SHIPPED
    assert load_content_settings(_env_file=None).content_dirs() == paths.SHIPPED
    assert configured() == paths.SHIPPED
    assert (CONTENT_DIR / "briefings" / f"{BRIEFING}.md").is_file()
    assert (PROMPTS_DIR / "messages.yaml").is_file()


def test_the_library_reads_the_folder_that_tandem_content_dir_names(
    own: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANDEM_CONTENT_DIR", str(own))
    dirs = ContentDirs(own / "content", own / "prompts")
    assert configured() == dirs
    assert Settings(_env_file=None).content_dirs() == dirs  # type: ignore[call-arg]
    library, problems = Library.load()
    assert problems == []
    assert library.briefings[BRIEFING].meta.title == "Pairs, our way"
    texts = Texts.load()
    assert texts.source(min(texts.keys())).startswith(str(own / "prompts" / "messages.yaml"))
    assert default_rules() is default_rules(own / "prompts" / "safeguarding.yaml")
    (own / "prompts" / "safeguarding.yaml").write_text("categories: [\n", encoding="utf-8")
    _, rule_problems = load_rules()
    assert str(rule_problems[0]).startswith(str(own / "prompts" / "safeguarding.yaml"))


def test_a_dot_env_file_may_name_it_too(own: Path, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"TANDEM_CONTENT_DIR={own}\n", encoding="utf-8")
    settings = load_content_settings(_env_file=env_file)
    assert settings.content_dirs() == ContentDirs(own / "content", own / "prompts")
    assert load_content_settings(_env_file=None, TANDEM_CONTENT_DIR="  ").tandem_content_dir is None


def test_content_check_reads_the_copy_and_names_its_files(own: Path, tmp_path: Path) -> None:
    page = own / "content" / "briefings" / f"{BRIEFING}.md"
    page.write_text(page.read_text(encoding="utf-8").replace("minutes: 3", "minutes: lots"))
    result = tandem("content", "check", cwd=tmp_path, TANDEM_CONTENT_DIR=str(own))
    assert result.returncode == 1, result.stderr
    assert f"Checking {own / 'content'} and {own / 'prompts'}" in result.stdout
    assert f"{page}:5: minutes:" in result.stdout
    assert str(CONTENT_DIR) not in result.stdout


@pytest.mark.parametrize("command", [("content", "check"), ("db", "upgrade")])
def test_a_missing_folder_is_one_line_and_exit_2(command: tuple[str, ...], tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere"
    result = tandem(*command, cwd=tmp_path, TANDEM_CONTENT_DIR=str(nowhere))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"tandem: TANDEM_CONTENT_DIR is not valid: {nowhere} does not exist (it should be "
        "a folder holding content/ and prompts/ laid out like the shipped ones)"
    ]


def test_a_folder_without_prompts_or_that_is_a_file_is_named(own: Path) -> None:
    shutil.rmtree(own / "prompts")
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, TANDEM_CONTENT_DIR=str(own))
    assert str(caught.value).startswith(
        f"TANDEM_CONTENT_DIR is not valid: {own} has no prompts/ folder"
    )
    assert "\n" not in str(caught.value)
    a_file = own / "content" / "glossary.yaml"
    with pytest.raises(ConfigError, match=r"glossary\.yaml is not a folder"):
        load_content_settings(_env_file=None, TANDEM_CONTENT_DIR=str(a_file))


def test_folders_given_override_tandem_content_dir(
    own: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `tandem content check --content DIR --prompts DIR` passes both on: the variable is not
    # consulted then, even when it is wrong; given one, the other comes from the variable.
    monkeypatch.setenv("TANDEM_CONTENT_DIR", str(own / "nowhere"))
    assert paths.chosen(CONTENT_DIR, PROMPTS_DIR) == paths.SHIPPED
    monkeypatch.setenv("TANDEM_CONTENT_DIR", str(own))
    assert paths.chosen(prompts=PROMPTS_DIR) == ContentDirs(own / "content", PROMPTS_DIR)
