"""/invite for facilitators and coordinators: a fresh invite link in chat."""

from __future__ import annotations

from sqlmodel import Session
from telegram import Update

from bot.domain import invites, people
from bot.domain.cohorts import list_cohorts
from bot.domain.invites import DEFAULT_EXPIRY
from bot.models import Cohort, Role
from bot.telegram import callbacks
from bot.telegram.common import STAFF, Caller, gate
from bot.telegram.screens.account import local_time_label
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, reply, rows, settle, stacked


def _cohorts_for(session: Session, caller: Caller) -> list[Cohort]:
    """Cohorts this person may invite into: a facilitator's own; any, for a coordinator."""
    assert caller.person is not None
    if caller.person.role == Role.COORDINATOR:
        return [cohort for cohort, _ in list_cohorts(session)]
    return [
        place.cohort
        for place in people.cohorts_of(session, person_id=caller.person_id)
        if place.role == Role.FACILITATOR
    ]


def _roles_for(caller: Caller) -> tuple[Role, ...]:
    assert caller.person is not None
    if caller.person.role == Role.COORDINATOR:
        return (Role.PARTNER, Role.FACILITATOR)
    return (Role.PARTNER,)


@gate(roles=STAFF)
async def invite_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/invite: pick the cohort (and role, for coordinators), then get a link."""
    services = context.services
    with services.db.transaction() as session:
        cohorts = _cohorts_for(session, caller)
        if len(cohorts) == 1 and len(_roles_for(caller)) == 1:
            screen = _make(session, services, caller, cohorts[0], Role.PARTNER)
        else:
            screen = _choose_cohort(services, cohorts)
    await reply(update, screen)


@gate(roles=STAFF)
async def invite_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """A cohort or role chosen for a new invite."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    parts = callbacks.suffix(query.data).split(":")
    with services.db.transaction() as session:
        allowed = {cohort.id: cohort for cohort in _cohorts_for(session, caller)}
        cohort = allowed.get(int(parts[0])) if parts[0].isdigit() else None
        if cohort is None:
            screen = Screen(services.texts.render("invite.gone"))
        elif len(parts) == 1 and len(_roles_for(caller)) > 1:
            screen = _choose_role(services, caller, cohort)
        else:
            role = (
                Role(parts[1])
                if len(parts) > 1 and parts[1] in {r.value for r in Role}
                else Role.PARTNER
            )
            role = role if role in _roles_for(caller) else Role.PARTNER
            screen = _make(session, services, caller, cohort, role)
    await settle(query)
    await reply(update, screen)


def _choose_cohort(services: Services, cohorts: list[Cohort]) -> Screen:
    texts = services.texts
    if not cohorts:
        return Screen(texts.render("invite.no_cohorts"))
    return Screen(
        texts.render("invite.choose_cohort"),
        stacked(Button(cohort.name, f"invite:{cohort.id}") for cohort in cohorts),
    )


def _choose_role(services: Services, caller: Caller, cohort: Cohort) -> Screen:
    texts = services.texts
    return Screen(
        texts.render("invite.choose_role", cohort=cohort.name),
        stacked(
            Button(texts.render(f"invite.for.{role.value}"), f"invite:{cohort.id}:{role.value}")
            for role in _roles_for(caller)
        ),
    )


def _make(
    session: Session, services: Services, caller: Caller, cohort: Cohort, role: Role
) -> Screen:
    assert caller.person is not None
    made = invites.create_invite(
        session,
        role=role,
        cohort=cohort,
        clock=services.clock,
        uses=1,
        expires_in=DEFAULT_EXPIRY,
        created_by=caller.person_id,
    )
    texts = services.texts
    text = texts.render(
        "invite.made",
        cohort=cohort.name,
        role_label=texts.render(f"roles.{role.value}"),
        link=invites.deep_link(services.bot_username, made.code),
        expires=local_time_label(made.invite.expires_at, caller.person.time_zone),
    )
    again = f"invite:{cohort.id}:{role.value}"
    return Screen(text, rows(Button(texts.render("invite.again"), again)))
