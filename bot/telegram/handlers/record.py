"""/record (issue 18): a partner's record of contribution. A short summary in chat; the
whole record as a PDF when they choose to make it; achievements they add and remove
themselves; and endorsements from their facilitator, which they approve before they
appear."""

from __future__ import annotations

from telegram import InputFile, Update

from bot.domain import conversation, record
from bot.domain.errors import InvalidInput
from bot.telegram import callbacks, flows
from bot.telegram.common import PARTNERS, Caller, gate
from bot.telegram.flows import Reply, Tap, Turn, on_button
from bot.telegram.screens import error_screen
from bot.telegram.screens.record import mine_screen, pending_screen, summary_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, edit, reply, settle, stacked

ACHIEVEMENT_FLOW = "record_achievement"


def _titles(services: Services) -> dict[str, str]:
    return {key: b.meta.title for key, b in services.library.briefings.items()}


def _summary(services: Services, caller: Caller) -> list[Screen]:
    with services.db.transaction() as session:
        found = record.build_record(
            session,
            person_id=caller.person_id,
            briefing_titles=_titles(services),
            clock=services.clock,
        )
    return [summary_screen(services, found), *(pending_screen(services, e) for e in found.pending)]


@gate(roles=PARTNERS)
async def record_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/record: the record in short, with endorsements waiting, and what to do next."""
    for screen in _summary(context.services, caller):
        await reply(update, screen)


@on_button(callbacks.RECORD, roles=PARTNERS)
async def summary_button(tap: Tap) -> None:
    """Back to the record's summary."""
    screens = _summary(tap.services, tap.caller)
    await settle(tap.query, shown="")
    for screen in screens:
        await reply(tap.update, screen)


@on_button(callbacks.RECORD_PDF, roles=PARTNERS)
async def pdf_button(tap: Tap) -> None:
    """The whole record as a PDF, made now because the partner asked (audited)."""
    services, caller = tap.services, tap.caller
    with services.db.transaction() as session:
        found = record.export_record(
            session,
            person_id=caller.person_id,
            briefing_titles=_titles(services),
            clock=services.clock,
        )
    data = record.record_pdf(found, services.texts)
    await settle(tap.query)
    await tap.update.get_bot().send_document(
        chat_id=caller.chat_id,
        document=InputFile(data, filename="tandem-record-of-contribution.pdf"),
        caption=services.texts.render("record.pdf_caption"),
        parse_mode="HTML",
    )


@on_button(callbacks.RECORD_ADD, roles=PARTNERS)
async def add_button(tap: Tap) -> None:
    """Add an achievement: wait for its title, typed."""
    services = tap.services
    with services.db.transaction() as session:
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=ACHIEVEMENT_FLOW,
            step="title",
            text=services.texts.render("record.ask_title"),
        )
    await settle(tap.query)
    await reply(tap.update, screen)


def title_text(turn: Turn, text: str) -> Reply:
    """The achievement's title, typed: then ask for an optional line about it."""
    services = turn.services
    try:
        title = record.check_title(text)
    except InvalidInput as error:
        again = error_screen(services, error).text
        return Reply.of(Screen(again, stacked([flows.cancel_button(services)])))
    skip = Button(services.texts.render("record.buttons.skip"), callbacks.RECORD_SKIP())
    screen = flows.ask(
        turn.session,
        services,
        person_id=turn.caller.person_id,
        flow=ACHIEVEMENT_FLOW,
        step="detail",
        data={"title": title},
        text=services.texts.render("record.ask_detail", title=title),
        extra=[skip],
    )
    return Reply.of(screen)


def _add(turn: Turn, detail: str | None) -> Reply:
    services, title = turn.services, str(turn.data.get("title", ""))
    try:
        added = record.add_achievement(
            turn.session,
            person_id=turn.caller.person_id,
            title=title,
            detail=detail,
            clock=services.clock,
        )
    except InvalidInput as error:
        again = error_screen(services, error).text
        return Reply.of(Screen(again, stacked([flows.cancel_button(services)])))
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    mine = record.achievements_of(turn.session, person_id=turn.caller.person_id)
    said = services.texts.render("record.added", title=added.title)
    return Reply.of(mine_screen(services, mine).with_text_before(said))


def detail_text(turn: Turn, text: str) -> Reply:
    """The line about the achievement, typed: the achievement is added."""
    return _add(turn, text)


@on_button(callbacks.RECORD_SKIP, roles=PARTNERS)
async def skip_button(tap: Tap) -> None:
    """No line about it: the achievement is added with its title alone."""
    services, caller = tap.services, tap.caller
    with services.db.transaction() as session:
        state = conversation.get_state(session, person_id=caller.person_id)
        if state is None or state.flow != ACHIEVEMENT_FLOW or state.step != "detail":
            answer = Reply.of(Screen(services.texts.render("record.nothing_waiting")))
        else:
            turn = Turn(session, services, caller, state.step, dict(state.data))
            answer = _add(turn, None)
    await settle(tap.query)
    await flows.deliver(tap.update, answer)


@on_button(callbacks.RECORD_MINE, roles=PARTNERS)
async def mine_button(tap: Tap) -> None:
    """The partner's own achievements, to remove any."""
    services = tap.services
    with services.db.transaction() as session:
        mine = record.achievements_of(session, person_id=tap.caller.person_id)
    await settle(tap.query, shown="")
    await reply(tap.update, mine_screen(services, mine))


@on_button(callbacks.RECORD_REMOVE, roles=PARTNERS)
async def remove_button(tap: Tap) -> None:
    """Remove one achievement: done, and the list shown again in place."""
    services, (achievement_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        gone = record.remove_achievement(
            session, person_id=tap.caller.person_id, achievement_id=achievement_id
        )
        mine = record.achievements_of(session, person_id=tap.caller.person_id)
    said = services.texts.render("record.removed", title=gone.title)
    await tap.query.answer()
    await edit(tap.query, mine_screen(services, mine).with_text_before(said))


@on_button(callbacks.RECORD_ENDORSEMENT, roles=PARTNERS)
async def endorsement_button(tap: Tap) -> None:
    """Add an endorsement to my record, or not now (only the partner it is about)."""
    services, (endorsement_id, choice) = tap.services, tap.values
    with services.db.transaction() as session:
        record.decide_endorsement(
            session,
            person_id=tap.caller.person_id,
            endorsement_id=endorsement_id,
            approve=choice == "yes",
            clock=services.clock,
        )
    key = "record.approved" if choice == "yes" else "record.declined"
    back = Button(services.texts.render("record.buttons.back"), callbacks.RECORD())
    await settle(tap.query, below=Screen(services.texts.render(key), stacked([back])))


flows.register(ACHIEVEMENT_FLOW, title_text, step="title")
flows.register(ACHIEVEMENT_FLOW, detail_text, step="detail")
