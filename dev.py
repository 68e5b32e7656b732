#!/usr/bin/env python3
"""Set up Tandem on a fresh machine and run it: needs only Python 3.11+.

    python3 dev.py demo [ARGS]     try Tandem in a browser (`tandem demo`; no token needed)
    python3 dev.py run [ARGS]      run Tandem for real (`tandem run`; needs TELEGRAM_BOT_TOKEN)
    python3 dev.py test [ARGS]     lint, type-check and run the whole test suite
    python3 dev.py tandem ARGS     any `tandem` command, e.g. `tandem invite create ...`

Each command first makes sure .venv/ exists and holds the project with its dev tools,
reinstalling only when pyproject.toml has changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".tandem-installed"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def _python() -> Path:
    return BIN / ("python.exe" if os.name == "nt" else "python")


def _wanted_stamp() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return f"{sys.version_info[:2]} {digest}"


def ensure_environment() -> None:
    """Create .venv and install the project (with dev extras) if anything changed."""
    if sys.version_info < (3, 11):
        sys.exit(f"Tandem needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not _python().exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _wanted_stamp():
        return
    print("Installing Tandem and its tools into .venv (first run only) ...", flush=True)
    pip = [str(_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(_wanted_stamp())


def _env() -> dict[str, str]:
    return dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def run(command: list[str]) -> int:
    """Run a command inside the environment, from the project root."""
    return subprocess.call(command, cwd=ROOT, env=_env())


def become(command: list[str]) -> int:
    """Replace this process with `command`, so Ctrl-C reaches it directly and it can stop
    cleanly (a parent Python would kill it on KeyboardInterrupt)."""
    if os.name == "nt":
        return run(command)
    os.chdir(ROOT)
    os.execve(command[0], command, _env())  # noqa: S606 (our own venv's entry point)
    raise AssertionError("execve returned")  # pragma: no cover


def test(args: list[str]) -> int:
    """Lint, format check, types, import contracts, then pytest (on SQLite, or on
    TEST_DATABASE_URL when set)."""
    steps = [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
        ["lint-imports"],
        ["tandem", "content", "check"],
    ]
    for step in steps:
        print(f"$ {' '.join(step)}", flush=True)
        code = run([str(BIN / step[0]), *step[1:]])
        if code:
            return code
    if not any(arg.startswith(("-n", "--numprocesses")) for arg in args):
        # One pytest worker per core (pytest-xdist): the suite waits on sockets and
        # subprocesses a good deal, so this roughly halves CI's time on two cores.
        args = ["-n", "auto", *args]
    print("$ pytest", *args, flush=True)
    return run([str(BIN / "pytest"), *args])


def main(argv: list[str]) -> int:
    """Dispatch `python3 dev.py <command> [args]`."""
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    ensure_environment()
    if command == "test":
        return test(rest)
    if command in ("run", "demo"):
        return become([str(BIN / "tandem"), command, *rest])
    if command == "tandem":
        return become([str(BIN / "tandem"), *rest])
    print(f"Unknown command {command!r}.\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
