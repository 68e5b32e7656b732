"""Screens for /champions: a partner's invitation, role, mentees (first names and attendance
only) and mentor; staff's champions per cohort, partners to ask, new partners to pair."""

from __future__ import annotations

from datetime import datetime

from bot.domain.champions import CohortChampions, PartnerHome
from bot.domain.when import local_date_label
from bot.models import ChampionStatus, Person
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, stacked

SHOWN = 30  # partners with a button on one screen


def _day(services: Services, moment: datetime | None, person: Person) -> str:
    if moment is None:
        return ""
    return local_date_label(moment, person.time_zone, now=services.clock.now())


def partner_screen(services: Services, home: PartnerHome, person: Person) -> Screen:
    """A partner's /champions: an open invitation, their mentees, their mentor."""
    texts = services.texts
    buttons = _invitation_buttons(services, home)
    buttons += [
        Button(
            texts.render("champions.buttons.message_name", name=view.name),
            callbacks.MENTOR_WRITE(view.mentorship.id or 0),
        )
        for view in home.mentees
    ]
    if home.champion is not None:
        buttons.append(
            Button(
                texts.render("champions.buttons.step_down"),
                callbacks.CHAMPION_STEP_DOWN(home.champion.id or 0, "ask"),
            )
        )
    buttons += _mentor_buttons(services, home)
    text = texts.render(
        "champions.partner",
        invited=home.invitation is not None,
        champion=home.champion is not None,
        mentees=_mentees(services, home, person),
        mentor=home.mentor[1] if home.mentor else None,
        offered=home.offer[1] if home.offer else None,
    )
    return Screen(text, stacked([*buttons, help_button(services)]))


def _mentees(services: Services, home: PartnerHome, person: Person) -> list[dict[str, object]]:
    """Each mentee's first name, dates and attendance: nothing else of theirs."""
    return [
        {
            "name": view.name,
            "since": _day(services, view.mentorship.started_at, person),
            "until": _day(services, view.mentorship.ends_at, person),
            "meetings": [
                {"title": m.title, "day": _day(services, m.starts_at, person), "there": m.attended}
                for m in view.meetings
            ],
        }
        for view in home.mentees
    ]


def _invitation_buttons(services: Services, home: PartnerHome) -> list[Button]:
    """Answers to being asked to be a champion, and to a mentor offered."""
    texts, buttons = services.texts, []
    if home.invitation is not None:
        row = home.invitation.id or 0
        buttons += [
            Button(texts.render("champions.buttons.yes"), callbacks.CHAMPION_ANSWER(row, "yes")),
            Button(texts.render("champions.buttons.not_now"), callbacks.CHAMPION_ANSWER(row, "no")),
        ]
    if home.offer is not None:
        offered = home.offer[0].id or 0
        buttons += [
            Button(
                texts.render("champions.buttons.offer_yes"), callbacks.MENTOR_ANSWER(offered, "yes")
            ),
            Button(
                texts.render("champions.buttons.offer_no"), callbacks.MENTOR_ANSWER(offered, "no")
            ),
        ]
    return buttons


def _mentor_buttons(services: Services, home: PartnerHome) -> list[Button]:
    """A mentee's ways to message their mentor, stop those messages, or report a problem."""
    if home.mentor is None:
        return []
    texts = services.texts
    mentorship, mentor = home.mentor
    ident, stopped = mentorship.id or 0, mentorship.mentee_stopped_relay
    return [
        Button(
            texts.render("champions.buttons.message_name", name=mentor),
            callbacks.MENTOR_WRITE(ident),
        ),
        Button(
            texts.render("champions.buttons.resume" if stopped else "champions.buttons.stop"),
            callbacks.MENTOR_STOP(ident, "resume" if stopped else "stop"),
        ),
        Button(texts.render("champions.buttons.report"), callbacks.MENTOR_REPORT(ident)),
    ]


def step_down_screen(services: Services, champion_id: int, mentees: int) -> Screen:
    """Step down as a champion? (asked first)"""
    texts = services.texts
    return Screen(
        texts.render("champions.step_down_check", mentees=mentees),
        stacked(
            [
                Button(
                    texts.render("champions.buttons.step_down_yes"),
                    callbacks.CHAMPION_STEP_DOWN(champion_id, "yes"),
                ),
                Button(texts.render("champions.buttons.keep"), callbacks.CHAMPIONS()),
            ]
        ),
    )


def _back(services: Services) -> Button:
    return Button(services.texts.render("champions.buttons.back"), callbacks.CHAMPIONS_STAFF())


def staff_screen(services: Services, groups: list[CohortChampions], viewer: Person) -> Screen:
    """Staff's /champions: each cohort's champions and mentees, open invitations, and new
    partners without a mentor."""
    texts = services.texts
    shown, buttons = [], []
    for group in groups:
        cohort_id = group.cohort.id or 0
        asked = [p.person.preferred_name for p in group.partners if _asked(p.champion)]
        shown.append(
            {
                "name": group.cohort.name,
                "champions": [
                    {
                        "name": c.name,
                        "since": _day(services, c.row.started_at, viewer),
                        "mentees": [name for _, name in c.mentees],
                    }
                    for c in group.champions
                ],
                "asked": asked,
                "waiting": [p.person.preferred_name for p in group.waiting],
            }
        )
        buttons.append(
            Button(
                texts.render("champions.buttons.choose", cohort=group.cohort.name),
                callbacks.CHAMPION_CANDIDATES(cohort_id),
            )
        )
        buttons += [
            Button(
                texts.render("champions.buttons.find_mentor", name=p.person.preferred_name),
                callbacks.MENTOR_CHOOSE(cohort_id, p.person.id or 0),
            )
            for p in group.waiting[:SHOWN]
        ]
        buttons += [
            Button(
                texts.render("champions.buttons.end", name=c.name),
                callbacks.CHAMPION_END(c.row.id or 0, "ask"),
            )
            for c in group.champions
        ]
    text = texts.render("champions.staff", groups=shown)
    return Screen(text, stacked([*buttons[:SHOWN], help_button(services)]))


def _asked(row: object) -> bool:
    return getattr(row, "status", None) == ChampionStatus.ASKED


def candidates_screen(services: Services, group: CohortChampions) -> Screen:
    """A cohort's partners, longest-standing first, with how long each has been in and how
    many meetings they attended; a button to ask each who is not a champion already."""
    texts = services.texts
    now = services.clock.now()
    lines: list[dict[str, object]] = []
    buttons: list[Button] = []
    for line in group.partners:
        status = line.champion.status.value if line.champion else ""
        lines.append(
            {
                "name": line.person.preferred_name,
                "days": (now - line.joined).days,
                "meetings": line.meetings,
                "status": status,
            }
        )
        if status not in ("asked", "active") and len(buttons) < SHOWN:
            buttons.append(
                Button(
                    texts.render("champions.buttons.ask", name=line.person.preferred_name),
                    callbacks.CHAMPION_ASK(group.cohort.id or 0, line.person.id or 0),
                )
            )
    text = texts.render("champions.candidates", cohort=group.cohort.name, partners=lines)
    return Screen(text, stacked([*buttons, _back(services)]))


def end_check_screen(services: Services, champion_id: int, name: str, mentees: int) -> Screen:
    """End this champion's role? (asked first)"""
    texts = services.texts
    return Screen(
        texts.render("champions.end_check", name=name, mentees=mentees),
        stacked(
            [
                Button(
                    texts.render("champions.buttons.end_yes"),
                    callbacks.CHAMPION_END(champion_id, "yes"),
                ),
                _back(services),
            ]
        ),
    )


def mentors_screen(
    services: Services, mentee: str, mentee_id: int, champions: list[tuple[int, str]]
) -> Screen:
    """Which champion to offer a new partner as their mentor."""
    texts = services.texts
    if not champions:
        return Screen(texts.render("champions.no_champions"), stacked([_back(services)]))
    buttons = [
        Button(name, callbacks.MENTOR_OFFER(mentee_id, champion_id))
        for champion_id, name in champions
    ]
    return Screen(
        texts.render("champions.choose_mentor", name=mentee),
        stacked([*buttons, _back(services)]),
    )


def back_screen(services: Services, key: str, **params: object) -> Screen:
    """A confirmation with the way back to the champions."""
    return Screen(services.texts.render(key, **params), stacked([_back(services)]))
