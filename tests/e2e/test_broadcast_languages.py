"""A broadcast in several languages, end to end through the sandbox (issue 19, step 6).

Margaret writes to Frailty pathway, where Ola reads Polish, Samir Arabic and Amina English.
She adds a Polish version (after a way back and a mistyped placeholder), adds and drops an
Arabic one, and sends: Ola gets the Polish words with her name filled in, Samir the original
with a short note in Arabic before it, Amina the original alone. A correction replaces the
original and drops the versions, which Margaret is told before it goes.

What the partners should read is rendered from the shipped translations themselves, so the
test follows the words translators choose."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.library import languages
from bot.library.messages import Texts
from bot.models import Person, Role
from bot.sandbox import ChatUser, SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, settle_outbox, stored_person, texts_of
from tests.factories import make_cohort

TEXTS = Texts.load()
ORIGINAL = "Hello {{ name }}, the papers for Thursday are out."
POLISH = "Cześć {{ name }}, dokumenty na czwartek są gotowe."


def plain(code: str, key: str, **context: Any) -> str:
    """A catalogue text in a language as the person's app shows it (tags gone)."""
    with languages.speaking(code):
        return html.unescape(re.sub(r"<[^>]+>", "", TEXTS.render(key, **context)))


def labels(message: dict[str, Any]) -> list[str]:
    """Every button label of a message, row by row."""
    markup = message.get("reply_markup") or {}
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]


def _reads(db: Database, name: str, code: str) -> None:
    person_id = stored_person(db, name=name).id
    with db.transaction() as session:
        found = session.get(Person, person_id)
        assert found is not None
        found.language = code
        session.add(found)


async def _frailty(
    telegram: SandboxClient, db: Database, clock: FakeClock
) -> tuple[ChatUser, ChatUser, ChatUser, ChatUser]:
    """Margaret runs Frailty pathway: Ola reads Polish, Samir Arabic, Amina English."""
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    ola = await person(telegram, db, clock, cohort, "Ola")
    samir = await person(telegram, db, clock, cohort, "Samir")
    amina = await person(telegram, db, clock, cohort, "Amina")
    _reads(db, "Ola", "pl")
    _reads(db, "Samir", "ar")
    return margaret, ola, samir, amina


def _from_margaret(code: str, words: str) -> str:
    return plain(code, "outbox.broadcast", author="Margaret", text=words)


async def test_each_partner_reads_the_broadcast_in_their_language_and_a_correction_drops_the_versions(  # noqa: E501
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    margaret, ola, samir, amina = await _frailty(telegram, db, clock)
    polski, arabic = TEXTS.languages["pl"].name, TEXTS.languages["ar"].name

    await margaret.send("/broadcast")
    await margaret.expect("Who is this message for?")
    await margaret.press("Everyone in Frailty pathway")
    await margaret.expect("Type your message for everyone in Frailty pathway (3 people)")
    await margaret.send(ORIGINAL)
    await margaret.expect("exactly what Amina will see")
    ready = await margaret.expect("Ready to send")
    assert f"{polski}: no version yet. 1 person will get your message" in ready["text"]
    assert f"{arabic}: no version yet." in ready["text"]
    assert labels(ready) == [
        "Send now to 3 people",
        "Send later",
        "Change the words",
        *(
            f"Add a version in {lang.name}"
            for code, lang in TEXTS.languages.items()
            if code != "en"
        ),
        plain("en", "buttons.cancel"),
    ]

    # A way back from writing a version, nothing changed.
    await margaret.press(f"Add a version in {polski}")
    asked = await margaret.expect(f"Type your message in {polski}")
    assert "Of everyone in Frailty pathway, 1 person reads Polski" in asked["text"]
    await margaret.press("‹ Back")
    again = await margaret.expect("Ready to send")
    assert f"Add a version in {polski}" in labels(again)

    # A version is checked like the original, then listed with its readers.
    await margaret.press(f"Add a version in {polski}")
    await margaret.expect(f"Type your message in {polski}")
    await margaret.send("Cześć {{ imie }}")
    await margaret.expect("I don't know that placeholder")
    await margaret.send(POLISH)
    ready = await margaret.expect("Ready to send")
    assert f"{polski}: your version, for 1 person. “{POLISH}”" in ready["text"]
    assert f"Replace the {polski} version" in labels(ready)
    assert f"Drop the {polski} version" in labels(ready)

    # An Arabic version, added and dropped again: Samir will get the original with a note.
    await margaret.press(f"Add a version in {arabic}")
    await margaret.expect(f"Type your message in {arabic}")
    await margaret.send("مرحبا {{ name }}")
    ready = await margaret.expect("Ready to send")
    assert f"{arabic}: your version, for 1 person." in ready["text"]
    await margaret.press(f"Drop the {arabic} version")
    await margaret.expect(f"The {arabic} version is gone")
    ready = await margaret.expect("Ready to send")
    assert f"{arabic}: no version yet." in ready["text"]
    assert f"{polski}: your version" in ready["text"]

    await margaret.press("Send now to 3 people")
    await margaret.expect("Sent to the outbox for 3 people")
    await settle_outbox(bot, db)

    assert await texts_of(ola, "Margaret") == [
        _from_margaret("pl", "Cześć Ola, dokumenty na czwartek są gotowe.")
    ]
    note = plain("ar", "broadcast.original_note")
    assert note and note != plain("en", "broadcast.original_note")
    (samirs,) = await texts_of(samir, "Margaret")
    assert samirs.endswith(f"{note}\n\nHello Samir, the papers for Thursday are out.")
    assert await texts_of(amina, "Margaret") == [
        "From Margaret:\n\nHello Amina, the papers for Thursday are out."
    ]

    # A correction replaces the original and drops the versions; Margaret is told first.
    await margaret.send("/broadcasts")
    await margaret.expect("the papers for Thursday")
    await margaret.press("Correct it")
    await margaret.expect("Type the corrected message")
    await margaret.send("Hello {{ name }}, the papers for Friday are out.")
    ready = await margaret.expect("3 copies already sent will change in place")
    assert f"also has versions in {polski}. The correction replaces them" in ready["text"]
    await margaret.press("Send correction")
    await margaret.expect("3 sent copies will be corrected")
    await settle_outbox(bot, db)

    polish_note = plain("pl", "broadcast.original_note")
    (olas,) = await texts_of(ola, "Margaret")  # still one copy, changed in place
    assert olas.endswith(f"{polish_note}\n\nHello Ola, the papers for Friday are out.")
    (samirs,) = await texts_of(samir, "Margaret")
    assert samirs.endswith(f"{note}\n\nHello Samir, the papers for Friday are out.")
    assert await texts_of(amina, "Margaret") == [
        "From Margaret:\n\nHello Amina, the papers for Friday are out."
    ]
