"""Tandem installed with pip outside the checkout has its content: a wheel of the checkout,
installed in a fresh virtualenv, passes `tandem content check` run from another folder
without reading the checkout; an editable install reads the checkout's folders instead.

The fresh virtualenv borrows the third-party packages of the one running the tests (a .pth
line naming its site-packages) rather than installing them from an index, which keeps this
fast. That site-packages also holds this checkout's editable install of `bot`, but only as a
finder that its own .pth file loads, and a path line does not run other .pth files, so `bot`
comes from the wheel alone. An audit hook in the fresh virtualenv fails any open or listing
of a file in the checkout outside those borrowed packages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

from bot.library.paths import PROJECT_ROOT

CHECKOUT = PROJECT_ROOT
BORROWED = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
# Only what a build needs: not the tests, the benchmarks, the virtualenv or build leftovers.
TOP_LEVEL_SKIPPED = {".git", ".venv", "build", "dist", "tests", "bench", ".env"}
SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", ".*_cache", "*.egg-info", "*.db*")

GUARD = '''\
"""Fail any open or listing of a file in the checkout, except the borrowed packages."""
import os
import sys

CHECKOUT = {checkout!r}
ALLOWED = tuple({allowed!r})


def _guard(event, args):
    if event not in ("open", "os.listdir", "os.scandir") or not args:
        return
    path = args[0]
    if isinstance(path, int) or path is None:
        return
    path = os.path.abspath(os.fsdecode(path))
    inside = path == CHECKOUT or path.startswith(CHECKOUT + os.sep)
    if inside and not any(path == a or path.startswith(a + os.sep) for a in ALLOWED):
        raise RuntimeError(f"the installed Tandem read its checkout: {{path}}")


sys.addaudithook(_guard)
'''


def _copy_checkout(destination: Path) -> Path:
    """The checkout as it stands (with work not yet committed), without its tests or venv."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(SKIPPED(folder, names))
        if Path(folder) == CHECKOUT:
            skipped |= TOP_LEVEL_SKIPPED & set(names)
        return skipped

    shutil.copytree(CHECKOUT, destination, ignore=ignore)
    return destination


def _run(command: list[str | Path], *, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TANDEM_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["PYTHONNOUSERSITE"] = "1"
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def _pip(*args: str | Path, cwd: Path) -> None:
    result = _run([sys.executable, "-m", "pip", "--quiet", *args], cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr


def _fresh_venv(folder: Path, install: list[str | Path], *, cwd: Path) -> Path:
    """A new virtualenv with Tandem installed by `pip install INSTALL`; its bin folder."""
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    _pip("--python", python, "install", "--no-deps", *install, cwd=cwd)
    # Only now borrow the dependencies, so pip saw none of them (nor the editable `bot`).
    base = {"base": str(folder), "platbase": str(folder)}
    purelib = Path(sysconfig.get_path("purelib", vars=base))
    (purelib / "_tandem_guard.py").write_text(
        GUARD.format(checkout=str(CHECKOUT), allowed=BORROWED), encoding="utf-8"
    )
    (purelib / "tandem_test_borrowed.pth").write_text(
        "".join(f"{path}\n" for path in BORROWED) + "import _tandem_guard\n", encoding="utf-8"
    )
    return folder / "bin"


def test_a_wheel_installed_elsewhere_checks_its_own_content(tmp_path: Path) -> None:
    source = _copy_checkout(tmp_path / "source")
    wheels = tmp_path / "wheels"
    _pip("wheel", "--no-deps", "--wheel-dir", wheels, source, cwd=tmp_path)
    (wheel,) = wheels.glob("tandem-*.whl")
    shutil.rmtree(source)  # nothing below may lean on a source tree

    shipped = {
        f"bot/shipped/{path.relative_to(CHECKOUT).as_posix()}"
        for folder in ("content", "prompts")
        for path in (CHECKOUT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    # The pages /mydata renders for a person's readable copy ship too.
    document = CHECKOUT / "bot" / "domain" / "privacy" / "document"
    shipped |= {f"bot/domain/privacy/document/{page.name}" for page in document.glob("*.html")}
    # The font the record of contribution's PDF is set in, with its licence (issue 18).
    fonts = CHECKOUT / "bot" / "shipped" / "fonts"
    shipped |= {f"bot/shipped/fonts/{font.name}" for font in fonts.iterdir()}
    with zipfile.ZipFile(wheel) as archive:
        assert shipped <= set(archive.namelist())

    bin_dir = _fresh_venv(tmp_path / "venv", [wheel], cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _run([bin_dir / "tandem", "content", "check"], cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Content and prompts are valid." in result.stdout
    first = result.stdout.splitlines()[0]
    installed = tmp_path / "venv" / "lib"
    assert first.startswith(f"Checking {installed}") and "/bot/shipped/content and " in first
    assert str(CHECKOUT) not in result.stdout + result.stderr

    where = _run(
        [
            bin_dir / "python",
            "-c",
            "import bot, bot.library.validate as v; "
            "print(bot.__file__); print(min(p for p, _ in v.literal_text_keys().values()))",
        ],
        cwd=elsewhere,
    )
    assert where.returncode == 0, where.stderr
    package, scanned = where.stdout.splitlines()
    assert package.startswith(str(installed)) and scanned.startswith(str(installed))


def test_an_editable_install_reads_the_checkouts_folders_as_they_are_edited(
    tmp_path: Path,
) -> None:
    source = _copy_checkout(tmp_path / "source")
    bin_dir = _fresh_venv(tmp_path / "venv", ["--editable", source], cwd=tmp_path)
    page = source / "content" / "briefings" / "working-in-pairs.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("title: Working in pairs", "title: Edited"), encoding="utf-8")
    show = (
        "from bot.library.catalogue import Library; from bot.library.paths import SHIPPED; "
        "print(SHIPPED.content); "
        "print(Library.load()[0].briefings['working-in-pairs'].meta.title)"
    )
    shown = _run([bin_dir / "python", "-c", show], cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [str(source / "content"), "Edited"]
