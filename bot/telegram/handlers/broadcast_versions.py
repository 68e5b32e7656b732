"""/broadcast's preview, and the words in other languages (issue 19, step 6).

Once the message is typed, the preview offers "Add a version in Polski" for each language
Tandem speaks other than English; the facilitator types it, and the preview then lists the
versions with how many of the audience read each language, and offers to replace or drop
each. Readers of a language with no version get the original with a short note in their
language. The checks and the choice of words are the domain's (bot/domain/broadcasts).
"""

from __future__ import annotations

from typing import Any

from bot.db import Session
from bot.domain import broadcasts, conversation
from bot.domain.broadcasts import Audience
from bot.library import languages
from bot.library.languages import ENGLISH
from bot.telegram import callbacks, flows
from bot.telegram.common import STAFF, Caller
from bot.telegram.flows import Reply, Tap, Turn, cancel_button, deliver, on_button
from bot.telegram.screens.outbox import broadcast_screen
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, reply, settle, stacked

FLOW = "broadcast"
EXCERPT = 200  # characters of a version shown in the preview


def draft_of(session: Session, caller: Caller, *, written: bool) -> dict[str, Any] | None:
    """The broadcast being written (with its words, if `written`), if there is one."""
    state = conversation.get_state(session, person_id=caller.person_id)
    if state is None or state.flow != FLOW or "audience" not in state.data:
        return None
    if written and "text" not in state.data:
        return None
    return dict(state.data)


async def stale(tap: Tap) -> None:
    """The button belongs to a draft that is gone (sent, cancelled, or never begun)."""
    await reply(tap.update, Screen(tap.services.texts.render("fallback.stale_here")))


def other_languages(services: Services) -> dict[str, str]:
    """The languages a version can be written in: each Tandem speaks but English, by code,
    with its own name ("Polski")."""
    return {
        code: language.name
        for code, language in services.texts.languages.items()
        if code != ENGLISH
    }


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def draft_reply(
    session: Session, services: Services, caller: Caller, data: dict[str, Any]
) -> Reply:
    """Check a draft (the words and each version) and show it exactly as its first
    recipient will see it, with the versions and what to do next; the draft waits at
    "confirm" (typing again changes the words)."""
    texts = services.texts
    assert caller.person is not None
    preview = broadcasts.preview(
        session,
        viewer_id=caller.person_id,
        audience=Audience.parse(str(data.get("audience", ""))),
        text=str(data.get("text", "")),
        clock=services.clock,
    )
    names = other_languages(services)
    typed = {str(code): str(text) for code, text in dict(data.get("versions") or {}).items()}
    checked = broadcasts.check_versions(
        session,
        people=preview.people,
        versions={code: text for code, text in typed.items() if code in names},
        now=services.clock.now(),
    )
    versions = {version.language: version for version in checked}
    count = len(preview.people)
    saved = {key: value for key, value in data.items() if key != "language"}
    saved |= {
        "text": preview.text,
        "count": count,
        "versions": {v: versions[v].text for v in versions},
    }
    conversation.set_state(
        session,
        person_id=caller.person_id,
        flow=FLOW,
        step="confirm",
        clock=services.clock,
        data=saved,
    )
    readers = broadcasts.readers(session, people=preview.people)
    lines = _version_lines(services, names, versions, readers)
    ready = texts.render("broadcast.ready", audience=data.get("label"))
    if lines:
        ready = "\n\n".join([ready, texts.render("broadcast.versions_heading"), *lines])
    first = broadcasts.first_copy(preview, versions.values())
    with languages.speaking(preview.language):  # in the language they will read it in
        shown = broadcast_screen(
            services, author=caller.person.preferred_name, words=first.text, note=first.note
        )
    return Reply.of(
        Screen(texts.render("broadcast.preview", name=preview.first_name, count=count)),
        Screen(shown.text),
        Screen(ready, stacked(_choices(services, count, names, versions))),
    )


def _version_lines(
    services: Services,
    names: dict[str, str],
    versions: dict[str, broadcasts.Version],
    readers: dict[str, int],
) -> list[str]:
    """Each version with how many read its language, and each language read in the audience
    that has none (its readers get the original with the note)."""
    texts, lines = services.texts, []
    for code, name in names.items():
        if code in versions:
            text = _excerpt(versions[code].text)
            lines.append(
                texts.render(
                    "broadcast.version_line", language=name, count=readers.get(code, 0), text=text
                )
            )
        elif readers.get(code):
            lines.append(
                texts.render("broadcast.no_version_line", language=name, count=readers[code])
            )
    return lines


def _choices(
    services: Services, count: int, names: dict[str, str], versions: dict[str, broadcasts.Version]
) -> list[Button]:
    """Send, later, change the words; add, replace or drop each version; cancel."""
    texts = services.texts
    buttons = [
        Button(texts.render("broadcast.buttons.send", count=count), callbacks.BROADCAST_SEND()),
        Button(texts.render("broadcast.buttons.later"), callbacks.BROADCAST_LATER()),
        Button(texts.render("broadcast.buttons.rewrite"), callbacks.BROADCAST_REWRITE()),
    ]
    for code, name in names.items():
        if code in versions:
            buttons += [
                Button(
                    texts.render("broadcast.buttons.replace_version", language=name),
                    callbacks.BROADCAST_VERSION(code),
                ),
                Button(
                    texts.render("broadcast.buttons.drop_version", language=name),
                    callbacks.BROADCAST_VERSION_DROP(code),
                ),
            ]
        else:
            buttons.append(
                Button(
                    texts.render("broadcast.buttons.add_version", language=name),
                    callbacks.BROADCAST_VERSION(code),
                )
            )
    return [*buttons, cancel_button(services)]


@on_button(callbacks.BROADCAST_VERSION, roles=STAFF)
async def version_button(tap: Tap) -> None:
    """Write (or rewrite) the words in one language: what to type, with a way back."""
    services, caller, (code,) = tap.services, tap.caller, tap.values
    await settle(tap.query)
    name = other_languages(services).get(code)
    with services.db.transaction() as session:
        draft = draft_of(session, caller, written=True)
        if draft is None or name is None:
            screen = None
        else:
            people = broadcasts.recipients(
                session,
                viewer_id=caller.person_id,
                audience=Audience.parse(str(draft.get("audience", ""))),
            )
            readers = broadcasts.readers(session, people=people).get(code, 0)
            back = Button(services.texts.render("broadcast.back"), callbacks.BROADCAST_VERSIONS())
            screen = flows.ask(
                session,
                services,
                person_id=caller.person_id,
                flow=FLOW,
                step="version",
                data={**draft, "language": code},
                text=services.texts.render(
                    "broadcast.write_version",
                    language=name,
                    count=readers,
                    audience=draft.get("label"),
                ),
                extra=[back],
            )
    if screen is None:
        await stale(tap)
        return
    await reply(tap.update, screen)


def version_text(turn: Turn, text: str) -> Reply:
    """The words in one language: checked like the original, then the preview again."""
    code = str(turn.data.get("language", ""))
    versions = {**dict(turn.data.get("versions") or {}), code: text}
    data = {**turn.data, "versions": versions}
    return draft_reply(turn.session, turn.services, turn.caller, data)


@on_button(callbacks.BROADCAST_VERSION_DROP, roles=STAFF)
async def drop_button(tap: Tap) -> None:
    """Drop one language's words: its readers get the original, with the note."""
    services, caller, (code,) = tap.services, tap.caller, tap.values
    await settle(tap.query)
    name = other_languages(services).get(code)
    with services.db.transaction() as session:
        draft = draft_of(session, caller, written=True)
        answer = None
        if draft is not None and name is not None:
            versions = dict(draft.get("versions") or {})
            versions.pop(code, None)
            answer = draft_reply(session, services, caller, {**draft, "versions": versions})
            dropped = services.texts.render("broadcast.version_dropped", language=name)
            answer = Reply.of(Screen(dropped), *answer.screens)
    if answer is None:
        await stale(tap)
        return
    await deliver(tap.update, answer)


@on_button(callbacks.BROADCAST_VERSIONS, roles=STAFF)
async def back_button(tap: Tap) -> None:
    """Back from writing a version to the preview, nothing changed."""
    services, caller = tap.services, tap.caller
    await settle(tap.query, shown="")
    with services.db.transaction() as session:
        draft = draft_of(session, caller, written=True)
        answer = draft_reply(session, services, caller, draft) if draft else None
    if answer is None:
        await stale(tap)
        return
    await deliver(tap.update, answer)


flows.register(FLOW, version_text, step="version")
