"""/invite for facilitators and coordinators: a fresh invite link in chat."""

from __future__ import annotations

from telegram import Update

from bot.db import Session
from bot.domain import cohorts, invites
from bot.domain.when import local_time_label
from bot.library import languages
from bot.models import Cohort, Role
from bot.telegram import callbacks
from bot.telegram.common import STAFF, Caller, gate
from bot.telegram.flows import Tap, on_button
from bot.telegram.screens.language import language_name
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, reply, rows, settle, stacked


@gate(roles=STAFF)
async def invite_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/invite: pick the cohort (and role, for coordinators), then get a link."""
    services = context.services
    with services.db.transaction() as session:
        mine = cohorts.cohorts_for(session, person_id=caller.person_id)
        roles = invites.roles_invitable(session, viewer_id=caller.person_id)
        if len(mine) == 1 and len(roles) == 1:
            screen = _make(session, services, caller, mine[0].id or 0, Role.PARTNER)
        else:
            screen = _choose_cohort(services, mine)
    await reply(update, screen)


@on_button(callbacks.INVITE, roles=STAFF)
async def cohort_button(tap: Tap) -> None:
    """A cohort chosen for a new invite: choose the role (coordinators), or the link."""
    services, (cohort_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        roles = invites.roles_invitable(session, viewer_id=tap.caller.person_id)
        cohort = next(
            (
                c
                for c in cohorts.cohorts_for(session, person_id=tap.caller.person_id)
                if c.id == cohort_id
            ),
            None,
        )
        if cohort is not None and len(roles) > 1:
            screen = _choose_role(services, cohort, roles)
        else:
            screen = _make(session, services, tap.caller, cohort_id, Role.PARTNER)
    await settle(tap.query)
    await reply(tap.update, screen)


@on_button(callbacks.INVITE_AS, roles=STAFF)
async def role_button(tap: Tap) -> None:
    """A cohort and role chosen: the invite link."""
    services, (cohort_id, role) = tap.services, tap.values
    chosen = Role(role) if role in {r.value for r in Role} else None
    with services.db.transaction() as session:
        screen = _make(session, services, tap.caller, cohort_id, chosen)
    await settle(tap.query)
    await reply(tap.update, screen)


@on_button(callbacks.INVITE_IN, roles=STAFF)
async def language_button(tap: Tap) -> None:
    """A link for someone who reads another language: Tandem writes to them in it."""
    services, (cohort_id, role, language) = tap.services, tap.values
    with services.db.transaction() as session:
        if language in services.texts.known_languages():
            screen = _make(session, services, tap.caller, cohort_id, Role(role), language)
        else:
            screen = Screen(services.texts.render("errors.language.unknown"))
    await settle(tap.query)
    await reply(tap.update, screen)


def _choose_cohort(services: Services, mine: list[Cohort]) -> Screen:
    texts = services.texts
    if not mine:
        return Screen(texts.render("invite.no_cohorts"))
    return Screen(
        texts.render("invite.choose_cohort"),
        stacked(Button(cohort.name, callbacks.INVITE(cohort.id or 0)) for cohort in mine),
    )


def _choose_role(services: Services, cohort: Cohort, roles: tuple[Role, ...]) -> Screen:
    texts = services.texts
    return Screen(
        texts.render("invite.choose_role", cohort=cohort.name),
        stacked(
            Button(
                texts.render(f"invite.for.{role.value}"),
                callbacks.INVITE_AS(cohort.id or 0, role.value),
            )
            for role in roles
        ),
    )


def _make(
    session: Session,
    services: Services,
    caller: Caller,
    cohort_id: int,
    role: Role | None,
    language: str | None = None,
) -> Screen:
    assert caller.person is not None
    made, cohort = invites.invite_to(
        session,
        viewer_id=caller.person_id,
        cohort_id=cohort_id,
        role=role,
        clock=services.clock,
        language=language,
    )
    texts = services.texts
    text = texts.render(
        "invite.made",
        cohort=cohort.name,
        role_label=texts.markup(f"roles.{made.invite.role.value}"),
        link=invites.deep_link(services.bot_username, made.code),
        expires=local_time_label(
            made.invite.expires_at, caller.person.time_zone, now=services.clock.now()
        ),
    )
    if language is not None:
        text += "\n\n" + texts.render(
            "invite.made_language", language=language_name(services, language)
        )
    role_value = made.invite.role.value
    again = callbacks.INVITE_AS(cohort.id or 0, role_value)
    others = [
        Button(
            texts.render("invite.in_language", language=other.name),
            callbacks.INVITE_IN(cohort.id or 0, role_value, code),
        )
        for code, other in services.texts.languages.items()
        if code != languages.ENGLISH and code != language
    ]
    return Screen(text, rows(Button(texts.render("invite.again"), again), *others))
