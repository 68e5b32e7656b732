"""`tandem demo` as a real process, for the browser and CLI tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Demo:
    """A running `tandem demo` and what it printed."""

    process: subprocess.Popen[str]
    chat_url: str
    dashboard_url: str
    output: list[str]
    folder: Path

    def stop(self) -> int:
        """Ctrl-C, as a person at the terminal would; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=20)
        if self.process.stdout is not None:
            self.output.extend(self.process.stdout.read().splitlines())
            self.process.stdout.close()
        return code


def start_demo(*args: str, cwd: Path) -> Demo:
    """Start `tandem demo` and wait until it prints the web chat URL."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "TANDEM_", "DATABASE_URL", "PORT"))
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "demo", *args],
        cwd=cwd,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output: list[str] = []
    deadline = time.monotonic() + 60
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line.rstrip("\n"))
        if line.startswith("Press Ctrl-C"):
            break
    text = "\n".join(output)
    chat = re.search(r"Web chat:\s+(\S+)", text)
    data = re.search(r"Data:\s+(\S+)", text)
    dashboard = re.search(r"Dashboard:\s+(\S+)", text)
    if chat is None or data is None or dashboard is None:
        process.kill()
        process.wait()
        process.stdout.close()
        raise AssertionError(f"tandem demo did not start:\n{text}")
    return Demo(
        process=process,
        chat_url=chat.group(1),
        dashboard_url=dashboard.group(1),
        output=output,
        folder=Path(data.group(1)),
    )
