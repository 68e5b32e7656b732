"""Callback data: every button's payload, with a named prefix per feature.

    f:<flow>:<step>:<choice>    a choice on a conversation step (onboarding, settings)
    help                        show help
    settings:<what>             settings menu (name, tz, quiet, keep, drop, done)
    pause:<choice>              pause menu (1w, 2w, 4w, open, resume, keep, cancel)
    stop:<yes|no>:<issued>      leave Tandem, confirmed within a few minutes
    forget:<yes|no|copy>:<issued>
    invite:<cohort id>[:<role>] make an invite link

Telegram caps callback data at 64 bytes; ui.Button checks it.
"""

from __future__ import annotations

HELP = "help"


def flow(flow_name: str, step: str, choice: str) -> str:
    """A conversation-step button."""
    return f"f:{flow_name}:{step}:{choice}"


def parse_flow(data: str) -> tuple[str, str, str] | None:
    """(flow, step, choice) from a conversation-step button, or None."""
    parts = data.split(":", 3)
    if len(parts) != 4 or parts[0] != "f":
        return None
    return parts[1], parts[2], parts[3]


def confirm(prefix: str, choice: str, issued: int) -> str:
    """A confirmation button that expires (issued = unix seconds when shown)."""
    return f"{prefix}:{choice}:{issued}"


def parse_confirm(data: str) -> tuple[str, int] | None:
    """(choice, issued) from a confirmation button, or None."""
    parts = data.split(":")
    if len(parts) != 3 or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2])


def suffix(data: str) -> str:
    """What follows the prefix: "settings:tz" -> "tz"."""
    return data.partition(":")[2]
