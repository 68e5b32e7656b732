"""Representative values for every variable a dashboard template uses (issue 15, point 4).

Objects are `Thing`s: an attribute not given here is missing, so a template that starts to
use a new attribute fails the render test until its kind of value is added.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from bot.domain.meeting_summary import (
    MeetingSummary,
    SummaryItem,
    SummaryLearning,
    SummaryMeasure,
)
from bot.web.charts import bar_chart, scale_chart
from bot.web.context import local_time
from tests.library.template_values import COHORTS, NAMES, TEXTS, TITLES


class Thing:
    """An object with exactly the attributes given (like a row or a dataclass)."""

    def __init__(self, **attributes: Any) -> None:
        self.__dict__.update(attributes)


NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
MOMENTS = (datetime(2026, 3, 3, 14, 5, tzinfo=UTC), datetime(2027, 1, 10, 9, 30, tzinfo=UTC))


def when(moment: datetime | None, fmt: str = "%a %-d %b %Y, %H:%M") -> str:
    """The dashboard's own time helper (see bot.web.context.page)."""
    return local_time(moment, "Europe/London", fmt)


def link(path: str, **query: Any) -> str:
    """The dashboard's own link helper (see bot.web.context.page)."""
    kept = {k: v for k, v in query.items() if v not in (None, "", False)}
    return f"{path}?{urlencode(kept)}" if kept else path


def _pick(options: tuple[Any, ...], round_: int) -> Any:
    return options[round_ % len(options)]


def _answers(round_: int) -> list[Thing]:
    return [
        Thing(question="How did it go?", number=4, top=5, shown="4 out of 5", voice_seconds=None,
              skipped=False, language="en"),
        Thing(question="What did you learn?", number=None, top=None, shown=_pick(TEXTS, round_),
              voice_seconds=None, skipped=False, language="en"),
        # issue 19: an answer given in Arabic, shown right to left with its language
        Thing(question="What did you learn?", number=None, top=None,
              shown="شعرت أن صوتي مسموع & <مهم>", voice_seconds=None, skipped=False,
              language="ar"),
        Thing(question="Anything else?", number=None, top=None, shown="Voice note (0:21)",
              voice_seconds=21, skipped=False, language="pl"),
        Thing(question="Is anything troubling you?", number=None, top=None, shown="",
              voice_seconds=None, skipped=True, language="en"),
    ]  # fmt: skip


def _reflection_row(round_: int) -> Thing:
    return Thing(
        id=7, title=_pick(TITLES, round_), flagged=bool(round_ % 2), person_id=3,
        author=_pick((*NAMES, None), round_), cohort=_pick(COHORTS, round_),
        meeting=_pick((*TITLES, None), round_), finished_at=_pick(MOMENTS, round_),
        wants_contact=bool(round_ % 2), answers=_answers(round_),
    )  # fmt: skip


def _meeting(round_: int) -> Thing:
    return Thing(
        id=4, title=_pick(TITLES, round_), status=_pick(("planned", "cancelled"), round_),
        starts_at=_pick(MOMENTS, round_), place=_pick(("Room 4 & Annex", None), round_),
        join_url=_pick(("https://meet.example.org/a?b=1&c=2", None), round_),
    )  # fmt: skip


def _summary(round_: int) -> MeetingSummary:
    """A meeting's summary (issue 17 part 4): full in most rounds, empty in one."""
    full = bool(round_ % 3)
    items = (
        SummaryItem(_pick(TITLES, round_), "done", 2, (_pick(TEXTS, round_),)),
        SummaryItem(_pick(TITLES, round_ + 1), _pick(("open", "declined", "merged"), round_), 0),
        SummaryItem(_pick(TITLES, round_ + 2), "accepted", 1),
    )
    measures = (
        SummaryMeasure(_pick(TEXTS, round_), 3.5, 2, 1, (_pick(TEXTS, round_ + 1),)),
        SummaryMeasure(_pick(TEXTS, round_ + 2), None, 0, 0),
    )
    learnings = (
        SummaryLearning(_pick(("clinician", "manager", "other"), round_), _pick(TEXTS, round_),
                        _pick(("", *TEXTS), round_), bool(round_ % 2), round_ == 2, 1, 0),
    )  # fmt: skip
    return MeetingSummary(
        4, _pick(TITLES, round_), _pick(COHORTS, round_), _pick(MOMENTS, round_),
        MOMENTS[0] if round_ % 2 else None, items if full else (), measures if full else (),
        learnings[: round_ % 3],
    )  # fmt: skip


def _broadcast(round_: int) -> Thing:
    return Thing(
        id=2, audience=_pick(("everyone in Heart & Lungs", "Grace O."), round_),
        send_at=_pick(MOMENTS, round_), edited_at=_pick((None, MOMENTS[0]), round_),
        withdrawn_at=_pick((None, MOMENTS[1]), round_), text=_pick(TEXTS, round_),
    )  # fmt: skip


def _report(round_: int) -> Thing:
    return Thing(broadcast=_broadcast(round_), queued=round_ % 3, sent=1, failed=0,
                 unreachable=2, cancelled=0)  # fmt: skip


def _correction(round_: int) -> Thing:
    draft = Thing(
        first_name=_pick(NAMES, round_),
        sent=round_ % 3,
        waiting=(round_ + 1) % 3,
        text=_pick(TEXTS, round_),
    )
    dropped = _pick(("", "Polski", "Polski, العربية"), round_)  # issue 19: versions replaced
    return Thing(draft=draft, preview=_pick(TEXTS, round_), check="abc", dropped=dropped)


def _question(round_: int) -> Thing:
    return Thing(
        id=5, text=_pick((*TEXTS, None), round_), person_id=3, asked_at=_pick(MOMENTS, round_),
        briefing_id=_pick(("what-icb", None), round_), voice_duration=_pick((None, 21), round_),
        answer=_pick((None, "Yes & soon."), round_), answered_at=_pick((None, MOMENTS[1]), round_),
    )  # fmt: skip


def _concern(round_: int) -> Thing:
    seen = _pick((None, MOMENTS[1]), round_)
    return Thing(
        id=1, raised_at=MOMENTS[0], private=bool(round_ % 2), category="self-harm",
        acknowledged_at=seen, escalated_at=_pick((MOMENTS[1], None), round_),
        contacted_at=_pick((None, None, MOMENTS[1]), round_),
        contact_asked_at=_pick((None, MOMENTS[1]), round_),
        safe_at=_pick((MOMENTS[1], None, None), round_),
    )  # fmt: skip


def _values(round_: int) -> dict[str, Any]:
    name = _pick(NAMES, round_)
    return {
        "viewer": Thing(name=name, is_coordinator=bool(round_ % 2), time_zone="Europe/London"),
        "csrf": "token",
        "csrf_field": "csrf",
        "path": "/dashboard/reflections",
        "sections": [],
        "when": when,
        "link": link,
        "now": NOW,
        "actions": ["viewed reflection", "export"],
        "current": 1 + round_ % 2,
        "pages": 2,
        "kept": {"action": "export"},
        "people": [(3, name), (4, "Dr <Sam>")],
        "rows": [
            Thing(
                event=Thing(at=MOMENTS[0], action="export", detail=_pick(("q=bus", None), round_)),
                actor=_pick((name, None), round_),
                subject=_pick(("Grace O.", ""), round_),
            )
        ],
        "total": round_ % 3,
        "done": _pick(("queued", "answered", "flagged", "outcome", None), round_),
        "report": _report(round_),
        "correction": _pick((None, _correction(round_)), round_),
        "changed": bool(round_ % 2),
        "typed": _pick((None, "Hello & welcome."), round_),
        "reports": [_report(round_)] * (round_ % 2),
        "audience": "c.1",
        "audiences": [("Groups", [("c.1", "Everyone in Heart & Lungs")])],
        "error": _pick((None, "Please write fewer than 3,500 characters."), round_),
        "limit": 3500,
        "placeholders": ["name", "next_meeting"],
        "languages": {"pl": "Polski", "ar": "العربية"},  # issue 19: versions' languages
        "versions": _pick(({}, {"pl": "Cześć & <witaj>"}), round_),
        "text": _pick(TEXTS, round_),
        "send_at": "",
        "preview": _pick(
            (
                None,
                Thing(
                    people=[1] * (1 + round_ % 2),
                    preview=_pick(TEXTS, round_),
                    label="everyone in Heart & Lungs",
                    check="abc",
                    moment=_pick((None, MOMENTS[1]), round_),
                    audience="c.1",
                    text="Hi {{ name }}",
                    send_at="",
                    # Issue 19: versions in other languages, and readers of one without
                    versions=_pick(({}, {"pl": "Cześć & witaj"}), round_),
                    shown_versions=_pick(
                        (
                            [],
                            [
                                (
                                    "Polski",
                                    Thing(first_name=_pick(NAMES, round_), readers=round_ % 3),
                                    _pick(TEXTS, round_),
                                )
                            ],
                        ),
                        round_,
                    ),
                    without=_pick(([], [("العربية", 1 + round_ % 2)]), round_),
                ),
            ),
            round_,
        ),
        "message": "That page isn't here. It may have moved.",
        "title": "Not found",
        "name": name,
        "token": "abc",
        "month": date(2026, 3, 1),
        "previous": "2026-02",
        "following": "2026-04",
        "cohorts": [Thing(id=1, name=_pick(COHORTS, round_), partners=round_ % 3)],
        "eligible": round_ % 3,
        "responded": round_ % 2,
        "flagged": Thing(total=1, rows=[_reflection_row(round_)]),
        "open_questions": [_question(round_)],
        "upcoming": [
            Thing(
                meeting=_meeting(round_),
                cohort=_pick(COHORTS, round_),
                coming=round_ % 3,
                not_coming=1,
            )
        ],
        "meeting_chart": bar_chart([("Board", 0.5)], label="Each meeting"),
        "month_chart": bar_chart([("Mar 2026", 0.5)], label="Each month"),
        "partner_chart": bar_chart([], label="Each partner"),
        "months": [
            Thing(
                month=date(2026, 3, 1),
                cohort=_pick(COHORTS, round_),
                responded=1,
                eligible=round_ % 3,
                rate=0.5,
            )
        ],
        "meetings": [
            Thing(
                meeting=_meeting(round_),
                meeting_id=4,
                title=_pick(TITLES, round_),
                cohort=_pick(COHORTS, round_),
                starts_at=MOMENTS[0],
                responded=1,
                eligible=2,
                rate=0.5,
                attended=_pick((None, 2, 0), round_),  # issue 18: confirmed attendance
            )
        ],
        "partners": [
            Thing(
                person_id=3,
                name=name,
                cohort=_pick(COHORTS, round_),
                responded=1,
                eligible=2,
                rate=0.5,
                last_response=_pick((MOMENTS[0], None), round_),
            )
        ],
        "entries": [
            Thing(
                kind=_pick(("reflection", "question", "read"), round_),
                at=MOMENTS[0],
                link_id=7,
                title=_pick(TITLES, round_),
                detail=_pick((None, "Read ✓"), round_),
            )
        ],
        "person": Thing(id=3, preferred_name=name),
        # issue 17: board members' learnings, per meeting
        "summary": _summary(round_),  # issue 17 part 4
        "board_meetings": [
            {
                "meeting": _meeting(round_),
                "learnings": [
                    (
                        Thing(
                            label=Thing(value=_pick(("clinician", "manager", "other"), round_)),
                            learned=_pick((*TEXTS, None), round_),
                            learned_voice_file_id=_pick((None, "voice"), round_),
                            differently=_pick((None, *TEXTS), round_),
                            differently_voice_file_id=None,
                            status=Thing(value=_pick(("shared", "held"), round_)),
                            shared_at=MOMENTS[0],
                        ),
                        {"helps": round_ % 3},
                    )
                ],
            }
        ][: 1 if round_ % 4 else 0],
        "briefings": {"what-icb": "What an ICB does"},
        "show": _pick(("open", "all"), round_),
        "answer_list": None,  # imported by the template itself from _macros.html
        "d": None,  # set by broadcast.html itself, from correction
        "chart": scale_chart,
        "row": _reflection_row(round_),
        "everyone": {},
        "params": {"who": name},
        "partner": _pick((None, Thing(preferred_name=name)), round_),
        "prompt_sets": [("after-meeting", "After the meeting")],
        "result": Thing(
            total=round_ % 3, rows=[_reflection_row(round_)], page=1, pages=1 + round_ % 2
        ),
        "scales": [("how_it_went", "Overall, how did the meeting go for you?", 5)],
        "wanted": Thing(
            cohort_id=None,
            meeting_id=None,
            prompt_set=None,
            sharing=None,
            flagged=None,
            scale_question=None,
            person_id=_pick((None, 3), round_),
        ),
    }


def _found(template: str, round_: int) -> list[Thing]:
    """`found` is a different list on each page (agenda_values.py has the agenda's)."""
    if template == "outcomes.html":
        return [
            Thing(
                outcome=Thing(recorded_at=MOMENTS[0], text="Opens on Saturdays."),
                partner=_pick(NAMES, round_),
                cohort=_pick(COHORTS, round_),
                meeting=_pick((*TITLES, None), round_),
                recorded_by="Margaret",
            )
        ]
    if template == "questions.html":
        return [
            Thing(
                question=_question(round_),
                partner=_pick(NAMES, round_),
                cohort=_pick(COHORTS, round_),
            )
        ]
    if template == "safeguarding.html":
        return [
            Thing(
                concern=_concern(round_),
                partner=_pick((*NAMES, None), round_),
                acknowledged_by=_pick(("Margaret", None), round_),
            )
        ]
    return [Thing(meeting=_meeting(round_), cohort=_pick(COHORTS, round_), coming=round_ % 3,
                  not_coming=1)]  # fmt: skip


ROUNDS = 6


def values_for(template: str, variables: set[str], round_: int) -> dict[str, Any]:
    """Values for a page's variables (KeyError names a variable not covered)."""
    # (These import this module.)
    from tests.web.agenda_values import agenda_values
    from tests.web.attendance_values import attendance_values
    from tests.web.booking_values import booking_values
    from tests.web.champion_values import champion_values
    from tests.web.measure_values import measure_values

    table = _values(round_) | measure_values(round_) | booking_values(round_)
    table |= attendance_values(round_) | {"found": _found(template, round_)}
    table |= agenda_values(template, round_) | champion_values(template, round_)
    from tests.web.claim_values import claims_values

    table |= claims_values(template, round_)
    return {name: table[name] for name in variables if name != "answer_list"}


__all__ = ["ROUNDS", "Markup", "Thing", "values_for"]
