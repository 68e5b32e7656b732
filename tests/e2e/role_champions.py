"""Who may press each champion and mentoring button in the role table (issue 18)."""

from __future__ import annotations

from bot.telegram import callbacks
from tests.e2e.role_sets import OURS, PARTNERS, STAFF
from tests.e2e.role_world import World


def champion_buttons(w: World) -> dict[str, frozenset[str]]:
    """Amina is the champion, mentoring Bill. Only they may answer, write, stop or step down;
    only the cohort's staff ask (here Chloe), offer and end."""
    return {
        callbacks.CHAMPIONS(): PARTNERS,
        callbacks.CHAMPION_ANSWER(w.champion, "yes"): frozenset(),
        callbacks.CHAMPION_STEP_DOWN(w.champion, "ask"): frozenset(),
        callbacks.CHAMPION_STEP_DOWN(w.champion, "yes"): frozenset(),
        callbacks.MENTOR_ANSWER(w.mentorship, "no"): frozenset(),
        callbacks.MENTOR_WRITE(w.mentorship): frozenset(),
        callbacks.MENTOR_STOP(w.mentorship, "stop"): frozenset(),
        callbacks.MENTOR_REPORT(w.mentorship): frozenset(),
        callbacks.MENTOR_FINE(w.mentorship): frozenset(),
        callbacks.CHAMPIONS_STAFF(): STAFF,
        callbacks.CHAMPION_CANDIDATES(w.cohort): OURS,
        callbacks.CHAMPION_ASK(w.cohort, w.unpaired): OURS,
        callbacks.MENTOR_CHOOSE(w.cohort, w.unpaired): OURS,
        callbacks.MENTOR_OFFER(w.unpaired, w.champion): OURS,
        callbacks.CHAMPION_END(w.champion, "ask"): OURS,
        callbacks.CHAMPION_END(w.champion, "yes"): OURS,
    }
