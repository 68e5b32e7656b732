"""When Tandem writes, relative to each meeting and on a calendar: prompts/timetable.yaml.

Rules are in each person's own local time. "before_start: 7d" with "at: 18:00" means the
calendar day seven days before the meeting's (local) day, at 18:00 local time; without `at`
it is an exact offset from the start. Local times are turned into UTC with zoneinfo, so a
rule keeps its local time across daylight-saving changes; a local time that does not exist
(the spring gap) moves forward by the gap, and one that happens twice (autumn) is the first.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.library import yamlio
from bot.library.problems import Problem
from bot.library.prompts import line_of

_DURATION = re.compile(r"^(\d+)(m|h|d|w)$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_offset(text: str) -> timedelta:
    """ "7d", "24h", "90m", "2w" as a timedelta."""
    match = _DURATION.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a duration like 7d, 24h or 90m")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def parse_clock(text: str) -> time:
    """ "18:00" as a time of day."""
    try:
        hour, minute = (int(part) for part in text.split(":"))
        return time(hour, minute)
    except ValueError:
        raise ValueError(f"{text!r} is not a time like 18:00") from None


def local_to_utc(day: date, at: time, zone: str) -> datetime:
    """The UTC moment of a local wall-clock time (gap: shifted forward; overlap: first)."""
    # fold=0 (PEP 495) gives exactly that: in the gap it uses the offset from before the
    # change, landing after it (01:30 becomes 02:30 BST); in the overlap it is the first.
    return datetime.combine(day, at).replace(tzinfo=ZoneInfo(zone), fold=0).astimezone(UTC)


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    purpose: str = Field(pattern=r"^[a-z][a-z_]{1,31}$")
    at: str | None = None
    prompt_set: str | None = None
    expires_after: str | None = None

    @field_validator("at")
    @classmethod
    def _clock(cls, value: str | None) -> str | None:
        if value is not None:
            parse_clock(value)
        return value

    @field_validator("expires_after")
    @classmethod
    def _offset(cls, value: str | None) -> str | None:
        if value is not None:
            parse_offset(value)
        return value

    def expiry(self, due: datetime) -> datetime | None:
        """When a message planned for `due` is too old to send."""
        return due + parse_offset(self.expires_after) if self.expires_after else None


class MeetingRule(_Rule):
    """A message for each partner, timed from a meeting's start or end."""

    before_start: str | None = None
    after_end: str | None = None
    expires_at_start: bool = False
    only_unanswered: bool = False
    pairs_only: bool = False  # only for partners who are in a pair
    # Who gets it: the cohort's lay partners, or its board members (issue 17).
    audience: Literal["partners", "board"] = "partners"

    @field_validator("before_start", "after_end")
    @classmethod
    def _offsets(cls, value: str | None) -> str | None:
        if value is not None:
            parse_offset(value)
        return value

    def due(self, starts_at: datetime, ends_at: datetime, zone: str) -> datetime:
        """When this rule's message is due for a person in time zone `zone`."""
        if self.before_start is not None:
            anchor, offset = starts_at, -parse_offset(self.before_start)
        else:
            anchor, offset = ends_at, parse_offset(self.after_end or "0m")
        if self.at is None:
            return anchor + offset
        local_day = anchor.astimezone(ZoneInfo(zone)).date() + timedelta(days=offset.days)
        return local_to_utc(local_day, parse_clock(self.at), zone)


class RecurringRule(_Rule):
    """A message for each partner on a calendar: every day, week or month at a local time."""

    every: Literal["day", "week", "month"]
    day: int | None = Field(default=None, ge=1, le=28)  # of the month, for "month"
    weekday: int | None = Field(default=None, ge=0, le=6)  # Monday 0, for "week"

    def occurrences(self, start: datetime, end: datetime, zone: str) -> list[tuple[str, datetime]]:
        """(period label, UTC time) of each occurrence from `start` to `end`, in `zone`."""
        at = parse_clock(self.at or "09:00")
        tz = ZoneInfo(zone)
        day = start.astimezone(tz).date() - timedelta(days=1)
        found: list[tuple[str, datetime]] = []
        while True:
            moment = local_to_utc(day, at, zone)
            if moment > end:
                return found
            if moment >= start and self._matches(day):
                found.append((self._period(day), moment))
            day += timedelta(days=1)

    def _matches(self, day: date) -> bool:
        if self.every == "week":
            return day.weekday() == (self.weekday or 0)
        if self.every == "month":
            return day.day == (self.day or 1)
        return True

    def _period(self, day: date) -> str:
        if self.every == "month":
            return f"{day:%Y-%m}"
        if self.every == "week":
            return f"{day.isocalendar().year}-W{day.isocalendar().week:02d}"
        return day.isoformat()


class Timetable(BaseModel):
    """All the rules: per meeting, and on a calendar."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    meeting: tuple[MeetingRule, ...] = ()
    recurring: tuple[RecurringRule, ...] = ()

    def purposes(self) -> set[str]:
        """Every purpose named by a rule."""
        return {rule.purpose for rule in (*self.meeting, *self.recurring)}


def load_timetable(
    path: Path, *, known_prompt_sets: set[str] | None = None
) -> tuple[Timetable, list[Problem]]:
    """The timetable file, and every problem found in it with its line (including rules that
    name a prompt set not in `known_prompt_sets`)."""
    try:
        text = path.read_text(encoding="utf-8")
        node, data = yamlio.compose_and_load(text)
    except FileNotFoundError:
        return Timetable(), [Problem(path, 0, "file is missing")]
    except yaml.YAMLError as exc:
        return Timetable(), [Problem(path, 0, f"not valid YAML: {exc}")]
    try:
        timetable = Timetable.model_validate(data)
    except ValidationError as exc:
        return Timetable(), [
            Problem(
                path,
                line_of(node, error["loc"]),
                f"{'.'.join(map(str, error['loc']))}: "
                f"{str(error['msg']).removeprefix('Value error, ')}",
            )
            for error in exc.errors()
        ]
    problems = [
        Problem(
            path,
            line_of(node, ("meeting", index)),
            f"meeting rule {rule.purpose!r} needs exactly one of before_start, after_end",
        )
        for index, rule in enumerate(timetable.meeting)
        if (rule.before_start is None) == (rule.after_end is None)
    ]
    if known_prompt_sets is not None:
        for section, rules in (("meeting", timetable.meeting), ("recurring", timetable.recurring)):
            problems += [
                Problem(
                    path,
                    line_of(node, (section, index, "prompt_set")),
                    f"rule {rule.purpose!r} names prompt set {rule.prompt_set!r}, "
                    "which does not exist",
                )
                for index, rule in enumerate(rules)
                if rule.prompt_set is not None and rule.prompt_set not in known_prompt_sets
            ]
    return timetable, problems
