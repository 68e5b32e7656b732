"""Where Tandem's content and prompts are: the briefing library (content/) and the message
templates, question sets, timetable and safeguarding phrases (prompts/)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROMPTS_DIR = PROJECT_ROOT / "prompts"
CONTENT_DIR = PROJECT_ROOT / "content"
