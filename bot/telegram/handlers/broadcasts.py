"""/broadcasts: the recent broadcasts with their delivery counts; correct or withdraw a sent
one for 48 hours (the domain's rules, the same as on the dashboard)."""

from __future__ import annotations

from telegram import Update

from bot.domain import broadcasts, conversation
from bot.domain.broadcasts import DeliveryReport
from bot.domain.when import local_time_label
from bot.telegram import callbacks, flows
from bot.telegram.common import STAFF, Caller, gate
from bot.telegram.flows import Reply, Tap, Turn, cancel_button, deliver, on_button
from bot.telegram.screens import help_button
from bot.telegram.screens.outbox import broadcast_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, reply, rows, settle, stacked

EDIT_FLOW = "broadcast_edit"


def _excerpt(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _card(services: Services, found: DeliveryReport, zone: str) -> Screen:
    texts, now = services.texts, services.clock.now()
    broadcast = found.broadcast
    buttons = []
    if broadcasts.changeable(broadcast, now):
        buttons = [
            Button(
                texts.render("broadcasts.buttons.correct"),
                callbacks.BROADCAST_CORRECT(broadcast.id or 0),
            ),
            Button(
                texts.render("broadcasts.buttons.withdraw"),
                callbacks.BROADCAST_WITHDRAW_ASK(broadcast.id or 0),
            ),
        ]
    text = texts.render(
        "broadcasts.card",
        audience=broadcast.audience,
        author=found.author or None,
        when=local_time_label(broadcast.send_at, zone, now=now),
        pending=broadcast.send_at > now,
        text=_excerpt(broadcast.text),
        queued=found.queued,
        sent=found.sent,
        failed=found.failed,
        unreachable=found.unreachable,
        withdrawn=broadcast.withdrawn_at is not None,
        edited=broadcast.edited_at is not None,
    )
    return Screen(text, rows(buttons) if buttons else ())


def _report(services: Services, caller: Caller) -> Reply:
    texts = services.texts
    assert caller.person is not None
    with services.db.transaction() as session:
        reports = broadcasts.recent_reports(session, viewer_id=caller.person_id)
    if not reports:
        return Reply.of(Screen(texts.render("broadcasts.none"), rows(help_button(services))))
    heading = Screen(texts.render("broadcasts.heading", count=len(reports)))
    return Reply([heading, *(_card(services, r, caller.person.time_zone) for r in reports)])


@gate(roles=STAFF)
async def broadcasts_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/broadcasts: recent broadcasts with how many were sent, waiting, failed, unreachable."""
    await deliver(update, _report(context.services, caller))


@on_button(callbacks.BROADCASTS, roles=STAFF)
async def list_button(tap: Tap) -> None:
    """The delivery reports again."""
    await settle(tap.query)
    await deliver(tap.update, _report(tap.services, tap.caller))


@on_button(callbacks.BROADCAST_WITHDRAW_ASK, roles=STAFF)
async def withdraw_ask_button(tap: Tap) -> None:
    """Take it back? Sent copies will be deleted from partners' chats."""
    services, (broadcast_id,) = tap.services, tap.values
    texts = services.texts
    await settle(tap.query)
    with services.db.transaction() as session:
        broadcast = broadcasts.visible(
            session, viewer_id=tap.caller.person_id, broadcast_id=broadcast_id
        )
    screen = Screen(
        texts.render("broadcasts.confirm_withdraw", text=_excerpt(broadcast.text)),
        rows(
            [
                Button(
                    texts.render("broadcasts.buttons.withdraw_yes"),
                    callbacks.BROADCAST_WITHDRAW(broadcast_id),
                ),
                Button(texts.render("broadcasts.buttons.keep"), callbacks.BROADCASTS()),
            ]
        ),
    )
    await reply(tap.update, screen)


@on_button(callbacks.BROADCAST_WITHDRAW, roles=STAFF)
async def withdraw_button(tap: Tap) -> None:
    """Withdraw it: unsent copies are cancelled and sent ones deleted."""
    services, (broadcast_id,) = tap.services, tap.values
    await settle(tap.query)
    with services.db.transaction() as session:
        changed = broadcasts.withdraw(
            session,
            viewer_id=tap.caller.person_id,
            broadcast_id=broadcast_id,
            clock=services.clock,
        )
    await reply(tap.update, Screen(services.texts.render("broadcasts.withdrawn", count=changed)))


@on_button(callbacks.BROADCAST_CORRECT, roles=STAFF)
async def correct_button(tap: Tap) -> None:
    """Ask for the corrected words."""
    services, (broadcast_id,) = tap.services, tap.values
    await settle(tap.query)
    with services.db.transaction() as session:
        broadcast = broadcasts.visible(
            session, viewer_id=tap.caller.person_id, broadcast_id=broadcast_id
        )
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=EDIT_FLOW,
            data={"broadcast_id": broadcast_id},
            text=services.texts.render("broadcasts.correct_prompt", text=broadcast.text),
        )
    await reply(tap.update, screen)


def correction_text(turn: Turn, text: str) -> Reply:
    """The corrected words: checked and previewed exactly as a partner will see them; they
    go only when "Send correction" is tapped (typing again changes them)."""
    broadcast_id = turn.data.get("broadcast_id")
    assert isinstance(broadcast_id, int)
    services = turn.services
    texts = services.texts
    draft = broadcasts.preview_correction(
        turn.session,
        viewer_id=turn.caller.person_id,
        broadcast_id=broadcast_id,
        text=text,
        clock=services.clock,
    )
    conversation.set_state(
        turn.session,
        person_id=turn.caller.person_id,
        flow=EDIT_FLOW,
        step="confirm",
        clock=services.clock,
        data={"broadcast_id": broadcast_id, "text": draft.text},
    )
    shown = broadcast_screen(services, author=draft.author or None, words=draft.words)
    choices = stacked(
        [
            Button(
                texts.render("correction.buttons.send"),
                callbacks.BROADCAST_CORRECT_SEND(broadcast_id),
            ),
            Button(
                texts.render("correction.buttons.change"), callbacks.BROADCAST_CORRECT(broadcast_id)
            ),
            cancel_button(services),
        ]
    )
    return Reply.of(
        Screen(texts.render("correction.preview", name=draft.first_name)),
        Screen(shown.text),
        Screen(_ready(services, draft), choices),
    )


def _ready(services: Services, draft: broadcasts.CorrectionPreview) -> str:
    """Send this correction? Saying first, if it had versions in other languages, that the
    correction replaces them (issue 19)."""
    texts = services.texts
    ready = texts.render("correction.ready", sent=draft.sent, waiting=draft.waiting)
    if not draft.dropped:
        return ready
    names = ", ".join(
        texts.languages[code].name if code in texts.languages else code for code in draft.dropped
    )
    return texts.render("broadcasts.versions_dropped", languages=names) + "\n\n" + ready


@on_button(callbacks.BROADCAST_CORRECT_SEND, roles=STAFF)
async def correct_send_button(tap: Tap) -> None:
    """Send the previewed correction: sent copies are edited; unsent copies use it."""
    services, (broadcast_id,) = tap.services, tap.values
    await settle(tap.query)
    with services.db.transaction() as session:
        broadcasts.visible(session, viewer_id=tap.caller.person_id, broadcast_id=broadcast_id)
        state = conversation.get_state(session, person_id=tap.caller.person_id)
        data = state.data if state is not None and state.flow == EDIT_FLOW else {}
        text = data.get("text")
        if data.get("broadcast_id") != broadcast_id or not isinstance(text, str):
            screen = Screen(services.texts.render("correction.nothing_waiting"))
        else:
            changed = broadcasts.correct(
                session,
                viewer_id=tap.caller.person_id,
                broadcast_id=broadcast_id,
                text=text,
                clock=services.clock,
            )
            conversation.clear_state(session, person_id=tap.caller.person_id)
            screen = Screen(
                services.texts.render("broadcasts.corrected", count=changed),
                rows(
                    Button(
                        services.texts.render("broadcast.buttons.report"), callbacks.BROADCASTS()
                    )
                ),
            )
    await reply(tap.update, screen)


flows.register(EDIT_FLOW, correction_text)
