"""/measures: what matters to us (issue 17). Partners suggest what good care looks like and
vote with a few votes each; facilitators adopt the top ones (the group is told, with the
votes) and retire them. Adopted measures are asked in the monthly check-in."""

from __future__ import annotations

from telegram import Update

from bot.db import Session
from bot.domain import conversation, measures
from bot.domain.errors import InvalidInput
from bot.models import Role
from bot.telegram import callbacks, flows
from bot.telegram.common import PARTNERS, STAFF, Caller, gate
from bot.telegram.flows import Reply, Tap, Turn, on_button
from bot.telegram.screens import error_screen
from bot.telegram.screens.measures import confirm_screen, partner_screen, staff_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Screen, edit, reply, settle, stacked

PROPOSE_FLOW = "measure_propose"
OUTCOME_FLOW = "measure_outcome"
EVERYONE = PARTNERS | STAFF


def _list(session: Session, services: Services, caller: Caller) -> Screen:
    """The list for whoever asks: a partner's ideas and votes, or staff's cohorts."""
    assert caller.person is not None
    if caller.person.role == Role.PARTNER:
        view = measures.partner_view(
            session,
            person_id=caller.person_id,
            votes_each=services.settings.tandem_measure_votes,
        )
        return partner_screen(services, view)
    return staff_screen(services, measures.cohort_measures(session, viewer_id=caller.person_id))


@gate(roles=EVERYONE)
async def measures_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/measures: what matters to us, with buttons to vote, suggest, adopt or retire."""
    services = context.services
    with services.db.transaction() as session:
        screen = _list(session, services, caller)
    await reply(update, screen)


@on_button(callbacks.MEASURES, roles=EVERYONE)
async def list_button(tap: Tap) -> None:
    """Back to the list (also the button on the adoption notice)."""
    with tap.services.db.transaction() as session:
        screen = _list(session, tap.services, tap.caller)
    await settle(tap.query, shown="")
    await reply(tap.update, screen)


@on_button(callbacks.MEASURE_NEW, roles=PARTNERS)
async def new_button(tap: Tap) -> None:
    """Suggest an idea: wait for it to be typed."""
    services = tap.services
    with services.db.transaction() as session:
        measures.partner_cohort(session, person_id=tap.caller.person_id)  # in a group?
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=PROPOSE_FLOW,
            text=services.texts.render("measures.ask_idea"),
        )
    await tap.query.answer()
    await reply(tap.update, screen)


def propose_text(turn: Turn, text: str) -> Reply:
    """The idea, typed: open to the group's votes (safeguarding words are never shown)."""
    services, person_id = turn.services, turn.caller.person_id
    try:
        measure = measures.propose(
            turn.session, person_id=person_id, text=text, clock=services.clock,
            rules=services.safeguarding,
        )  # fmt: skip
    except InvalidInput as error:
        if error.key == "measures.held":  # they have had their signpost: stop waiting
            conversation.clear_state(turn.session, person_id=person_id)
            return Reply.of(error_screen(services, error))
        # Too short or too long: say why, and wait for it to be typed again.
        again = error_screen(services, error).text
        return Reply.of(Screen(again, stacked([flows.cancel_button(services)])))
    conversation.clear_state(turn.session, person_id=person_id)
    said = Screen(services.texts.render("measures.proposed", text=measure.text))
    return Reply.of(said, _list(turn.session, services, turn.caller))


@on_button(callbacks.MEASURE_VOTE, roles=PARTNERS)
async def vote_button(tap: Tap) -> None:
    """Vote for an idea, take the vote back, or take back one's own idea."""
    services, (measure_id, choice) = tap.services, tap.values
    texts, person_id = services.texts, tap.caller.person_id
    with services.db.transaction() as session:
        if choice == "yes":
            measure, fresh = measures.vote(
                session,
                person_id=person_id,
                measure_id=measure_id,
                votes_each=services.settings.tandem_measure_votes,
                clock=services.clock,
            )
            key, text = "measures.voted" if fresh else "measures.already_voted", measure.text
        elif choice == "no":
            measure = measures.take_back(session, person_id=person_id, measure_id=measure_id)
            key, text = "measures.took_back", measure.text
        else:
            key = "measures.withdrawn"
            text = measures.withdraw(session, person_id=person_id, measure_id=measure_id).text
        screen = _list(session, services, tap.caller)
    await tap.query.answer()
    await edit(tap.query, screen.with_text_before(texts.render(key, text=text)))


@on_button(callbacks.MEASURE_RUN, roles=STAFF)
async def run_button(tap: Tap) -> None:
    """Adopt or retire a measure: asked first, then done (adoption is told to the group)."""
    services, (measure_id, choice) = tap.services, tap.values
    texts, viewer = services.texts, tap.caller.person_id
    with services.db.transaction() as session:
        if choice in ("adopt", "retire"):
            measure, votes, cohort = measures.looked_at(
                session, viewer_id=viewer, measure_id=measure_id
            )
            screen = confirm_screen(
                services, measure, votes=votes, cohort=cohort, adopt=choice == "adopt"
            )
        else:
            act = measures.adopt if choice == "Adopt" else measures.retire
            done = act(session, viewer_id=viewer, measure_id=measure_id, clock=services.clock)
            key = "measures.adopted" if choice == "Adopt" else "measures.retired"
            screen = _list(session, services, tap.caller).with_text_before(
                texts.render(key, text=done.text)
            )
    await tap.query.answer()
    await edit(tap.query, screen)


@on_button(callbacks.MEASURE_OUTCOME, roles=STAFF)
async def outcome_button(tap: Tap) -> None:
    """Record what changed about an adopted measure: wait for it, typed."""
    services, (measure_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        measure = measures.outcome_measure(
            session, viewer_id=tap.caller.person_id, measure_id=measure_id
        )
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=OUTCOME_FLOW,
            data={"measure_id": measure_id},
            text=services.texts.render("measures.ask_outcome", text=measure.text),
        )
    await tap.query.answer()
    await reply(tap.update, screen)


def outcome_text(turn: Turn, text: str) -> Reply:
    """What changed, typed: kept, and told to the cohort's partners through the outbox."""
    measure_id = turn.data.get("measure_id")
    assert isinstance(measure_id, int)
    services = turn.services
    try:
        _, told = measures.record_measure_outcome(
            turn.session,
            viewer_id=turn.caller.person_id,
            measure_id=measure_id,
            text=text,
            clock=services.clock,
        )
    except InvalidInput as error:  # empty or too long: say why, and wait again
        again = error_screen(services, error).text
        return Reply.of(Screen(again, stacked([flows.cancel_button(services)])))
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    return Reply.of(Screen(services.texts.render("measures.outcome_recorded", partners=told)))


flows.register(PROPOSE_FLOW, propose_text)
flows.register(OUTCOME_FLOW, outcome_text)
