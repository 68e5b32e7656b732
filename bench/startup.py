"""Benchmark: cold start of `tandem run`, from spawning the process to its first getUpdates.

Beside it, the same for a minimal python-telegram-bot bot (bench/minimal_bot.py) on the same
sandbox: the floor set by Python, PTB and the Bot API handshake. Each run gets a fresh SQLite
database, already migrated (as after `tandem db upgrade`), so what is timed is a restart.
The first getUpdates is as the sandbox sees it (its request counts, polled every 5 ms).

    .venv/bin/python bench/startup.py --runs 5

Target (reported, not asserted): at most 2 s to the first getUpdates (issue 16).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "7000000003:" + "S" * 35
TARGET_SECONDS = 2.0
POLL_SECONDS = 0.005


def _free_port() -> int:
    from bot.serving import bind_socket

    probe = bind_socket("127.0.0.1", 0)
    port: int = probe.getsockname()[1]
    probe.close()
    return port


def _start_sandbox() -> tuple[subprocess.Popen[bytes], str]:
    """The Bot API sandbox as a subprocess on a free port, once it answers."""
    port = _free_port()
    sandbox = subprocess.Popen(
        [sys.executable, "-m", "bot.sandbox", "--port", str(port), "--token", TOKEN],
        stdout=subprocess.DEVNULL,
        env=_env(),
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            if httpx.get(f"{url}/control/health").status_code == 200:
                return sandbox, url
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    sandbox.kill()
    raise RuntimeError("the sandbox did not start")


def _env(**more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TANDEM_"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update(more)
    return env


def _get_updates(http: httpx.Client, url: str) -> int:
    requests: dict[str, int] = http.get(f"{url}/control/stats").json()["requests"]
    return requests.get("getUpdates", 0)


def _time_to_first_poll(command: list[str], env: dict[str, str], url: str) -> float:
    """Seconds from spawning `command` to the sandbox's next getUpdates; then stop it."""
    with httpx.Client() as http:
        http.post(f"{url}/control/reset")
        before = _get_updates(http, url)
        started = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT
        )
        try:
            while _get_updates(http, url) == before:
                if process.poll() is not None:
                    error = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"{command[-1]} stopped before polling:\n{error}")
                if time.perf_counter() - started > 60:
                    raise RuntimeError(f"{command[-1]} did not poll within 60 s")
                time.sleep(POLL_SECONDS)
            return time.perf_counter() - started
        finally:
            process.terminate()
            process.wait(timeout=30)


def _migrated_database(workdir: Path) -> Path:
    """A SQLite database at the latest schema, to copy for each run."""
    template = workdir / "template.db"
    subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        env=_env(DATABASE_URL=f"sqlite:///{template}"),
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    return template


def measure(runs: int) -> tuple[list[float], list[float]]:
    """`runs` cold starts of each, interleaved so that machine noise hits both alike."""
    workdir = Path(tempfile.mkdtemp(prefix="tandem-startup-"))
    sandbox, url = _start_sandbox()
    tandem: list[float] = []
    minimal: list[float] = []
    try:
        template = _migrated_database(workdir)
        base = f"{url}/bot"
        for n in range(runs):
            database = workdir / f"run{n}.db"
            shutil.copy(template, database)
            env = _env(
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_BASE_URL=base,
                DATABASE_URL=f"sqlite:///{database}",
                PORT=str(_free_port()),
            )
            tandem.append(_time_to_first_poll([sys.executable, "-m", "bot", "run"], env, url))
            script = str(ROOT / "bench" / "minimal_bot.py")
            minimal.append(_time_to_first_poll([sys.executable, script], env, url))
            print(f"run {n + 1}: tandem run {tandem[-1]:.2f} s, minimal PTB {minimal[-1]:.2f} s")
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    return tandem, minimal


def main() -> int:
    """Measure, then print the medians, the ratio and the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tandem, minimal = measure(args.runs)
    ours, floor = statistics.median(tandem), statistics.median(minimal)
    print(f"load average        {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"tandem run          median {ours:.2f} s (min {min(tandem):.2f}, max {max(tandem):.2f})")
    print(
        f"minimal PTB bot     median {floor:.2f} s (min {min(minimal):.2f}, max {max(minimal):.2f})"
    )
    print(f"ratio to minimal    {ours / floor:.2f}")
    print(
        f"against target      {ours:.2f} s / {TARGET_SECONDS:.0f} s = {ours / TARGET_SECONDS:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
