"""Where Tandem's content and prompts are: the briefing library (content/) and the message
templates, question sets, timetable and safeguarding phrases (prompts/).

This module is the one place that decides it:

- `TANDEM_CONTENT_DIR`, when set, names a folder that holds `content/` and `prompts/` laid
  out like the shipped ones: an operator copies the shipped folders there and edits them.
- Otherwise Tandem reads the content shipped in the package. A wheel carries the checkout's
  top-level content/ and prompts/ as the package data of `bot.shipped` (pyproject.toml maps
  them), found here through importlib.resources. Run from a checkout (the source tree, or
  `pip install -e .`), where bot/shipped/ holds only notes, Tandem reads the top-level
  folders themselves, so edits show at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

ENV_VAR = "TANDEM_CONTENT_DIR"
CONTENT = "content"
PROMPTS = "prompts"
SHIPPED_PACKAGE = "bot.shipped"

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # bot/
# The checkout when Tandem runs from one; in an installed wheel, site-packages.
PROJECT_ROOT = PACKAGE_DIR.parent

_LAYOUT = f"it should be a folder holding {CONTENT}/ and {PROMPTS}/ laid out like the shipped ones"


class ContentDirError(ValueError):
    """A content folder is missing or incomplete; the message is one line for the operator."""


@dataclass(frozen=True)
class ContentDirs:
    """The two folders Tandem reads its words from."""

    content: Path
    prompts: Path


def _is_checkout(root: Path) -> bool:
    return (root / "pyproject.toml").is_file() and all(
        (root / name).is_dir() for name in (CONTENT, PROMPTS)
    )


def _shipped() -> ContentDirs:
    """The content shipped with this Tandem: the checkout's own, else the package's copy."""
    if _is_checkout(PROJECT_ROOT):
        return ContentDirs(PROJECT_ROOT / CONTENT, PROJECT_ROOT / PROMPTS)
    # pip installs packages unpacked, so this is a real folder on disk.
    packaged = Path(str(resources.files(SHIPPED_PACKAGE)))
    return ContentDirs(packaged / CONTENT, packaged / PROMPTS)


SHIPPED = _shipped()
CONTENT_DIR = SHIPPED.content
PROMPTS_DIR = SHIPPED.prompts


def content_dirs(root: str | os.PathLike[str] | None = None) -> ContentDirs:
    """The folders in `root` (a TANDEM_CONTENT_DIR), else the shipped ones; or ContentDirError."""
    if root is None or not str(root).strip():
        return SHIPPED
    folder = Path(root).expanduser().absolute()
    if not folder.exists():
        raise ContentDirError(f"{folder} does not exist ({_LAYOUT})")
    if not folder.is_dir():
        raise ContentDirError(f"{folder} is not a folder ({_LAYOUT})")
    missing = [f"{name}/" for name in (CONTENT, PROMPTS) if not (folder / name).is_dir()]
    if missing:
        raise ContentDirError(f"{folder} has no {' and no '.join(missing)} folder ({_LAYOUT})")
    return ContentDirs(folder / CONTENT, folder / PROMPTS)


def configured() -> ContentDirs:
    """The folders TANDEM_CONTENT_DIR names (environment or .env), else the shipped ones."""
    # The default of loaders that their entry point hands no folders (tests, scripts).
    from bot.config import load_content_settings  # bot.config imports this module

    return load_content_settings().content_dirs()


def chosen(content: Path | None = None, prompts: Path | None = None) -> ContentDirs:
    """The folders given, with the configured ones for any not given."""
    if content is not None and prompts is not None:
        return ContentDirs(content, prompts)
    dirs = configured()
    return ContentDirs(content or dirs.content, prompts or dirs.prompts)
