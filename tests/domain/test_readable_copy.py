"""/mydata's readable copy: the person's record as a web page they can read on a phone."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import textstat

from bot.db import Database
from bot.domain import (
    account,
    meetings,
    notes,
    outcomes,
    people,
    privacy,
    reflection_sharing,
)
from bot.domain.answers import Voice
from bot.domain.clock import FakeClock
from bot.library.prompts import PromptSet
from bot.models import Cohort, NoteStatus, Role, Sharing
from tests.factories import (
    make_cohort,
    make_meeting,
    make_person,
    make_question,
    make_reflection,
)


class _Tags(HTMLParser):
    """The tags a page holds, to check that nothing in it can run."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


class _Words(HTMLParser):
    """The words a reader sees (not the style sheet)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.hidden = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden = tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.text.append(data.strip())


def _copy(db: Database, clock: FakeClock, person_id: int, sets: dict[str, PromptSet]) -> str:
    with db.transaction() as session:
        return privacy.readable_copy(session, person_id=person_id, prompt_sets=sets, clock=clock)


def test_the_copy_shows_questions_as_asked_and_answers_as_given(
    db: Database, clock: FakeClock, prompt_sets: dict[str, PromptSet]
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort, name="Amina")
    answers: dict[str, object] = {"read_papers": "some", "main_point": "Waiting lists"}
    answers["who_raises"] = "agreed"
    make_reflection(db, clock, amina, answers, prompt_set="before-meeting")
    make_reflection(db, clock, amina, {"how_it_went": 5}, prompt_set="after-meeting")
    page = _copy(db, clock, amina, prompt_sets)
    assert "Have you had a chance to look at the papers?" in page
    assert "Some of them" in page  # the choice's label, as the button said
    assert "Waiting lists" in page
    assert "Yes, we&#39;ve agreed" in page
    assert "Overall, how did the meeting go for you?" in page
    assert "5 out of 5: Very well" in page
    assert "Which points will you raise yourself?" in page  # an optional question...
    assert "Skipped" in page  # ...that was skipped says so
    for code in ("read_papers", "how_it_went", ">some<", "before-meeting"):
        assert code not in page


def test_the_copy_shows_the_notes_they_wrote_and_what_they_did_with_them(
    db: Database, clock: FakeClock, prompt_sets: dict[str, PromptSet]
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort)
    with db.transaction() as session:
        kept = notes.keep(session, person_id=amina, clock=clock, text="Ask about parking")
        notes.file(
            session,
            person_id=amina,
            note_id=kept.note.id or 0,
            where=NoteStatus.JOURNAL,
            clock=clock,
        )
        clock.advance(timedelta(hours=1))
        notes.keep(session, person_id=amina, clock=clock, voice=Voice("voice-1", 75))
    page = _copy(db, clock, amina, prompt_sets)
    assert "Ask about parking" in page
    assert "You kept it in your journal on Mon 2 Mar 2026, 09:00." in page
    assert "A voice note (1:15)" in page
    assert "You have not chosen what to do with it yet." in page


def test_the_copy_shows_meetings_by_title_and_date_in_the_persons_time(
    db: Database, clock: FakeClock, prompt_sets: dict[str, PromptSet]
) -> None:
    cohort = make_cohort(db, clock)
    margaret = make_person(db, clock, cohort, Role.FACILITATOR, "Margaret")
    amina = make_person(db, clock, cohort, time_zone="Africa/Lagos")
    meeting = make_meeting(db, clock, cohort, title="Frailty board")  # 9:00 UTC, a week on
    asked = make_question(db, clock, amina, "Is there parking?")
    with db.transaction() as session:
        meetings.set_rsvp(
            session, meeting_id=meeting.id or 0, person_id=amina, attending=True, clock=clock
        )
        outcomes.record_outcome(
            session,
            viewer_id=margaret,
            clock=clock,
            text="The board added parking to the agenda.",
            prompt_sets=prompt_sets,
            question_id=asked,
            meeting_id=meeting.id,
        )
    page = _copy(db, clock, amina, prompt_sets)
    assert "Frailty board" in page
    assert "Mon 9 Mar 2026, 10:00" in page  # Lagos is an hour ahead of UTC
    assert "You said you will go." in page
    assert "Is there parking?" in page
    assert "The board added parking to the agenda." in page
    with db.transaction() as session:
        data = privacy.export_personal_data(session, person_id=amina, clock=clock)
    [reply] = data["meeting_replies"]
    assert (reply["meeting_title"], reply["attending"]) == ("Frailty board", True)


def test_the_copy_shows_each_change_the_person_made(
    db: Database, clock: FakeClock, prompt_sets: dict[str, PromptSet]
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort)
    reflection = make_reflection(db, clock, amina, {}, prompt_set="after-meeting")
    with db.transaction() as session:
        people.pause(session, person_id=amina, choice="1w", clock=clock)
        account.resume(session, person_id=amina, clock=clock)
        people.set_time_zone(session, person_id=amina, time_zone="Africa/Lagos", clock=clock)
        people.set_quiet_hours(session, person_id=amina, quiet=None, clock=clock)
        reflection_sharing.change_sharing(
            session,
            person_id=amina,
            reflection_id=reflection,
            sharing=Sharing.PRIVATE,
            clock=clock,
        )
    page = _copy(db, clock, amina, prompt_sets)
    assert "You paused messages until Mon 9 Mar 2026, 10:00." in page
    assert "You started messages again." in page
    assert "You changed your time zone from Europe/London to Africa/Lagos." in page
    assert "You changed your quiet hours. Before: 21:00 to 08:00. Now: none." in page
    assert "to just you." in page
    with db.transaction() as session:
        data = privacy.export_personal_data(session, person_id=amina, clock=clock)
    kinds = [change["what"] for change in data["changes_you_made"]]
    assert kinds[-5:] == ["pause", "resume", "time_zone", "quiet_hours", "sharing"]
    # The page's own words read easily (the house limit for what partners read is grade 8).
    words = _Words()
    words.feed(page)
    assert textstat.flesch_kincaid_grade(" ".join(words.text)) <= 8


def test_the_copy_shows_names_and_words_as_text_never_as_code(
    db: Database, clock: FakeClock, prompt_sets: dict[str, PromptSet]
) -> None:
    cohort = make_cohort(db, clock)
    with db.transaction() as session:
        stored = session.get(Cohort, cohort.id)
        assert stored is not None
        stored.name = "<b>Board</b>"
    name = "<script>alert('hi')</script>"
    amina = make_person(db, clock, cohort, name=name)
    make_reflection(
        db,
        clock,
        amina,
        {
            "read_papers": "all",
            "who_raises": "agreed",
            "main_point": "<img src=x onerror=alert(1)>",
        },
        prompt_set="before-meeting",
    )
    page = _copy(db, clock, amina, prompt_sets)
    assert "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;Board&lt;/b&gt;" in page
    tags = _Tags()
    tags.feed(page)
    assert not {"script", "img", "iframe", "link"} & set(tags.tags)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
