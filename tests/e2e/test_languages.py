"""Tandem in Polish and Arabic, end to end through the sandbox (issue 19): a person whose
Telegram is in Polish (or Arabic) joins, reads a briefing page, reflects and opens their
settings in that language; /language switches mid-way; an untranslated briefing comes in
English with a note in theirs; and each language has its own command menu.

What each screen should say is read from the shipped translations themselves (rendered the
way the bot renders them), so the tests follow the words translators choose."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.domain.when import local_time_label
from bot.library import languages
from bot.library.catalogue import Library
from bot.library.messages import Texts
from bot.models import Answer, Meeting, PersonStatus, Reflection, Role
from bot.sandbox import ChatUser, SandboxClient
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, staff_joins, stored_person
from tests.factories import make_cohort, make_invite

TEXTS = Texts.load()
LIBRARY = Library.load_or_fail()
SETTINGS = {"name": "", "zone": "", "zone_name": "", "local_time": "", "quiet": None}
SETTINGS |= {"keeps": True, "partner": True, "paused": None}
ARABIC_LETTERS = re.compile("[\u0600-\u06ff]")


def plain(code: str, key: str, **context: Any) -> str:
    """A catalogue text in a language as the person's app shows it (tags gone)."""
    with languages.speaking(code):
        return html.unescape(re.sub(r"<[^>]+>", "", TEXTS.render(key, **context)))


def first_line(code: str, key: str, **context: Any) -> str:
    """The first line of a text: enough to recognise a screen."""
    return plain(code, key, **context).strip().splitlines()[0]


def labels(message: dict[str, Any]) -> list[str]:
    """Every button label of a message, row by row."""
    markup = message.get("reply_markup") or {}
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]


async def shown(user: ChatUser) -> dict[str, Any]:
    """The next screen the bot shows this person: a new message, or one edited in place
    with its buttons (a tapped message losing its buttons is the tap's confirmation)."""
    while True:
        event = await user.next_event(types=("message", "edit"), timeout=10.0)
        if event["type"] == "message" or labels(event["message"]):
            return dict(event["message"])


async def onboard(
    user: ChatUser, code: str, invite: str, *, offered: bool = True
) -> dict[str, Any]:
    """Join with an invite and tap through onboarding by the translated buttons alone; the
    last screen. The first screen offers the languages when the person's app is not in
    English (`offered`)."""
    await user.send(f"/start {invite}")
    welcome = await shown(user)
    offer = [
        f"✓ {language.name}" if other == code else language.name
        for other, language in TEXTS.languages.items()
    ]
    if offered:
        assert plain(code, "language.offer") in welcome["text"]
        assert labels(welcome)[-3:] == offer
    else:
        assert not set(offer) & set(labels(welcome))
    steps = [
        ("onboarding.welcome.next", {}),
        ("onboarding.role.next", {}),
        ("onboarding.rules.next", {}),
        ("onboarding.support.next", {}),
        ("onboarding.agree.agree", {}),
        ("onboarding.consent.yes", {}),
        ("onboarding.name.keep", {"first_name": user.first_name}),
        ("onboarding.tz.london", {}),
        ("onboarding.quiet.21-8", {}),
    ]
    screen = welcome
    for key, context in steps:
        label = plain(code, key, **context)
        while label not in labels(screen):  # a time zone is said back first, say
            screen = await shown(user)
        await user.press(label)
        screen = await shown(user)
    return screen


async def test_a_polish_partner_joins_reads_reflects_and_opens_settings_in_polish(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    ola = await telegram.create_user("Ola", language_code="pl")
    done = await onboard(ola, "pl", make_invite(db, clock, cohort))
    assert labels(done) == [plain("pl", "buttons.help"), plain("pl", "buttons.settings")]
    person = stored_person(db, telegram_user_id=ola.id)
    assert (person.status, person.language) == (PersonStatus.ACTIVE, "pl")

    # A translated briefing page: in Polish, with no note.
    await ola.send("/library")
    assert first_line("pl", "library.intro") in (await shown(ola))["text"]
    await ola.press(callbacks.TOPIC("partnership"))
    await shown(ola)
    await ola.press(callbacks.BRIEFING_PAGE("working-in-pairs", 1))
    page = await shown(ola)
    with languages.speaking("pl"):
        polish = LIBRARY.briefings["working-in-pairs"]
    assert polish.language == "pl" and polish.pages[0].title in page["text"]
    assert plain("pl", "language.english_only") not in page["text"]
    assert plain("pl", "library.buttons.next") in labels(page)

    # A reflection, start to finish, in Polish; the answers remember their language.
    await ola.send("/reflect")
    await shown(ola)
    with languages.speaking("pl"):
        after = LIBRARY.prompt_sets["after-meeting"]
    await ola.press(f"{after.title} · {after.minutes} min")
    first = await shown(ola)
    assert after.questions[0].text in first["text"]
    await ola.press("4")
    assert after.questions[1].text in (await shown(ola))["text"]
    await ola.press("4")
    assert after.questions[3].text in (await shown(ola))["text"]  # no follow-up at 4
    await ola.send("Że warto mówić o własnych doświadczeniach.")
    for _ in range(4):
        await shown(ola)
        await ola.press(plain("pl", "reflect.buttons.skip"))
    sharing = await shown(ola)
    assert first_line("pl", "reflect.sharing.ask") in sharing["text"]
    await ola.press(plain("pl", "reflect.sharing.buttons.private"))
    finished = await shown(ola)
    thanks = TEXTS.render_string(after.thanks, name="Ola")
    assert html.unescape(re.sub(r"<[^>]+>", "", thanks)).splitlines()[0] in finished["text"]
    with db.transaction() as session:
        reflection = session.exec(select(Reflection)).one()
        answers = session.exec(select(Answer).where(Answer.reflection_id == reflection.id)).all()
    assert {a.language for a in answers} == {"pl"}
    assert any(a.text == "Że warto mówić o własnych doświadczeniach." for a in answers)
    await ola.send("/journal")  # the answers summed up in Polish: "4 z 5", "Pominięto"
    entry = await shown(ola)
    assert plain("pl", "answers.out_of", number=4, top=5) in entry["text"]
    assert plain("pl", "answers.skipped") in entry["text"]

    # Settings, in Polish, with the language to change.
    await ola.send("/settings")
    settings = await shown(ola)
    assert first_line("pl", "settings.text", **SETTINGS) in settings["text"]
    assert plain("pl", "settings.buttons.language", language="Polski") in labels(settings)
    assert "21:00–08:00" in settings["text"]  # her quiet hours, said the Polish way


async def test_an_arabic_partner_gets_right_to_left_text_intact(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    layla = await telegram.create_user("Layla", language_code="ar")
    done = await onboard(layla, "ar", make_invite(db, clock, cohort))
    # Arabic arrives as Arabic: the very characters the catalogue holds, in their order.
    assert plain("ar", "buttons.help") in labels(done)
    assert ARABIC_LETTERS.search(done["text"])
    assert stored_person(db, telegram_user_id=layla.id).language == "ar"

    await layla.send("/library")
    await shown(layla)
    await layla.press(callbacks.TOPIC("wellbeing"))
    await shown(layla)
    await layla.press(callbacks.BRIEFING_PAGE("looking-after-yourself", 1))
    page = await shown(layla)
    with languages.speaking("ar"):
        arabic = LIBRARY.briefings["looking-after-yourself"]
    assert arabic.pages[0].title and arabic.pages[0].title in page["text"]

    await layla.send("/reflect")
    await shown(layla)
    await layla.press(plain("ar", "reflect.buttons.journal"))
    with languages.speaking("ar"):
        journal = LIBRARY.prompt_sets["journal"]
    assert journal.questions[0].text in (await shown(layla))["text"]
    written = "كان الاجتماع مفيدًا، وشعرت أن صوتي مسموع."
    await layla.send(written)
    await shown(layla)  # who may see it
    await layla.press(plain("ar", "reflect.sharing.buttons.private"))
    await shown(layla)
    with db.transaction() as session:
        answer = session.exec(select(Answer)).one()
    assert (answer.text, answer.language) == (written, "ar")

    await layla.send("/settings")
    settings = await shown(layla)
    assert plain("ar", "settings.buttons.language", language="العربية") in labels(settings)


async def test_language_switches_mid_way_and_the_next_message_follows(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    tomasz = await telegram.create_user("Tomasz", language_code="pl")
    await tomasz.send(f"/start {make_invite(db, clock, cohort)}")
    welcome = await shown(tomasz)
    assert plain("pl", "onboarding.welcome.next") in labels(welcome)
    await tomasz.press("English")  # offered on the first screen
    switched = await shown(tomasz)
    assert "OK. I'll write to you in English." in switched["text"]
    assert "Tell me more" in labels(switched)
    await tomasz.press("Tell me more")
    assert "Your role" in (await shown(tomasz))["text"]
    assert stored_person(db, telegram_user_id=tomasz.id).language == "en"

    # /language later on, from any screen: the very next message is in the new language.
    await tomasz.send("/language")
    menu = await shown(tomasz)
    assert "Which language would you like?" in menu["text"]
    others = [language.name for code, language in TEXTS.languages.items() if code != "en"]
    assert labels(menu)[:3] == ["✓ English", *others] and "Polski" in others
    await tomasz.press("Polski")
    changed = await shown(tomasz)
    assert first_line("pl", "language.changed_short", language="Polski") in changed["text"]
    await tomasz.send("/help")
    assert plain("pl", "help.onboarding").splitlines()[0] in (await shown(tomasz))["text"]


async def test_a_briefing_without_a_translation_comes_in_english_with_a_note(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock, language="pl")  # the cohort's language, by default
    marta = await telegram.create_user("Marta", language_code="en")
    await onboard(marta, "pl", make_invite(db, clock, cohort), offered=False)
    assert stored_person(db, telegram_user_id=marta.id).language == "pl"
    await marta.send("/library")
    await shown(marta)
    await marta.press(callbacks.TOPIC("meetings"))
    await shown(marta)
    await marta.press(callbacks.BRIEFING_PAGE("how-a-board-meeting-runs", 1))
    page = await shown(marta)
    english = LIBRARY.english.briefings["how-a-board-meeting-runs"]
    assert page["text"].startswith(plain("pl", "language.english_only"))
    assert english.pages[0].title and english.pages[0].title in page["text"]
    # Only the first page carries the note; the buttons stay in Polish.
    assert plain("pl", "library.buttons.next") in labels(page)
    await marta.press(plain("pl", "library.buttons.next"))
    assert plain("pl", "language.english_only") not in (await shown(marta))["text"]


async def test_each_language_has_its_command_menu(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    assert bot.tandem is not None
    telegram_bot = bot.tandem.application.bot
    english = await telegram_bot.get_my_commands()
    polish = await telegram_bot.get_my_commands(language_code="pl")
    arabic = await telegram_bot.get_my_commands(language_code="ar")
    assert [c.command for c in english] == [c.command for c in polish] == ["start", "help"]
    assert [c.description for c in polish] == [plain("pl", "menu.start"), plain("pl", "menu.help")]
    assert [c.description for c in arabic] == [plain("ar", "menu.start"), plain("ar", "menu.help")]
    assert english[0].description == plain("en", "menu.start")

    # A person's own menu (chat scope) is in their language, and follows a change.
    cohort = make_cohort(db, clock)
    ola = await telegram.create_user("Ola", language_code="pl")
    await onboard(ola, "pl", make_invite(db, clock, cohort))
    mine = {c["command"]: c["description"] for c in await telegram.commands_for(ola.chat_id)}
    assert mine["language"] == plain("pl", "menu.language")
    await ola.send("/language")
    await shown(ola)
    await ola.press("English")
    await shown(ola)
    mine = {c["command"]: c["description"] for c in await telegram.commands_for(ola.chat_id)}
    assert mine["language"] == plain("en", "menu.language")


async def test_an_invite_made_in_chat_for_a_polish_reader_welcomes_them_in_polish(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    margaret = await staff_joins(telegram, db, clock, cohort)
    await margaret.send("/invite")
    made = await shown(margaret)
    assert "A link for someone who reads Polski" in labels(made)
    await margaret.press("A link for someone who reads Polski")
    polish = await shown(margaret)
    assert "This link is for someone who reads Polski." in polish["text"]
    assert "A link for someone who reads Polski" not in labels(polish)  # the others still are
    code = re.search(r"start=(\S+)", polish["text"])
    assert code is not None
    # Their phone is in English, but the invite says Polish: Tandem writes in Polish.
    piotr = await telegram.create_user("Piotr", language_code="en")
    done = await onboard(piotr, "pl", code.group(1), offered=False)
    assert plain("pl", "buttons.help") in labels(done)
    assert stored_person(db, telegram_user_id=piotr.id).language == "pl"


async def test_a_polish_facilitator_adds_a_meeting_typing_the_date_in_polish(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    ola = await person(telegram, db, clock, cohort, "Ola", Role.FACILITATOR)
    facilitator = stored_person(db, telegram_user_id=ola.id)
    facilitator.language = "pl"  # a Polish reader
    with db.transaction() as session:
        session.add(facilitator)
    await ola.send("/newmeeting")
    await ola.expect(first_line("pl", "newmeeting.title", cohort=cohort.name))
    await ola.send("Rada ds. starzenia się")
    asked = plain("pl", "newmeeting.when", title="Rada ds. starzenia się", zone="")
    await ola.expect(asked.split("?")[0])
    await ola.send("5 grudnia")  # no time yet: asked for one, in Polish
    await ola.expect(plain("pl", "errors.when.needs_time"))
    await ola.send("5 grudnia 14:00")
    await ola.expect(plain("pl", "newmeeting.length"))
    await ola.press("2 hours")
    await ola.expect(plain("pl", "newmeeting.place"))
    await ola.press(plain("pl", "newmeeting.skip"))
    await ola.expect(plain("pl", "newmeeting.papers"))
    await ola.press(plain("pl", "newmeeting.papers_done"))
    starts = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)  # GMT in December
    with languages.speaking("pl"):
        label = local_time_label(starts, "Europe/London", now=NOW)  # "sob. 5 gru 2026, 14:00"
    check = await ola.expect(label)
    assert "5 gru" in check["text"]
    await ola.press(plain("pl", "newmeeting.create"))
    await ola.expect(label)

    with db.transaction() as session:
        meeting = session.exec(select(Meeting)).one()
    assert meeting.starts_at == starts
