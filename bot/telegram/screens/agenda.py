"""Screens for agenda items: a partner's draft and the cohort's items, and the
facilitator's cards with their decisions (issue 17)."""

from __future__ import annotations

from bot.domain.agenda import Draft, ItemView
from bot.domain.when import local_date_label
from bot.models import AgendaItem, AgendaStatus, Meeting
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, rows, stacked


def link_screen(services: Services, item_id: int, reflections: list[tuple[int, str]]) -> Screen:
    """Offer to link one of the partner's reflections to their draft."""
    texts = services.texts
    buttons = [Button(title, callbacks.AGENDA_LINK(item_id, rid)) for rid, title in reflections]
    buttons.append(
        Button(texts.render("agenda.buttons.no_link"), callbacks.AGENDA_LINK(item_id, 0))
    )
    return Screen(texts.render("agenda.ask_link"), stacked(buttons))


def draft_screen(services: Services, draft: Draft) -> Screen:
    """Offer the partner's reflections to link, or (none, or chosen) the preview."""
    item = draft.item
    if draft.reflections:
        return link_screen(services, item.id or 0, draft.reflections)
    return preview_screen(
        services, item, reflection=draft.reflection, meeting=draft.meeting, pair=draft.pair
    )


def preview_screen(
    services: Services,
    item: AgendaItem,
    *,
    reflection: str | None,
    meeting: str | None,
    pair: str | None = None,
) -> Screen:
    """The draft as the group would see it, with Share and Don't share (and, for a partner
    with a pair, Propose it with them)."""
    texts = services.texts
    item_id = item.id or 0
    together = (
        [
            Button(
                texts.render("agenda_pair.buttons.ask", name=pair),
                callbacks.AGENDA_PAIR(item_id, "ask"),
            )
        ]
        if pair
        else []
    )
    return Screen(
        texts.render(
            "agenda.preview",
            title=item.title,
            why=item.why,
            reflection=reflection,
            meeting=meeting,
        ),
        rows(
            Button(texts.render("agenda.buttons.share"), callbacks.AGENDA_SHARE(item_id)),
            *together,
            Button(texts.render("agenda.buttons.dont_share"), callbacks.AGENDA_WITHDRAW(item_id)),
        ),
    )


def partner_card(services: Services, view: ItemView) -> Screen:
    """One item as a partner sees it: no names; Support, or Take it back for their own."""
    texts, item = services.texts, view.item
    item_id = item.id or 0
    status = texts.render(f"agenda.status.{item.status.value}", meeting=view.meeting or "")
    text = texts.render(
        "agenda.card",
        title=item.title,
        why=item.why,
        reflection=view.reflection,
        mine=view.mine,
        supports=view.supports,
        supported=view.supported,
        status=status,
    )
    live = item.status in (AgendaStatus.OPEN, AgendaStatus.ACCEPTED)
    if view.co:  # their pair's item, joined: they may leave it, not take it back
        buttons = [
            Button(
                texts.render("agenda_pair.buttons.leave"), callbacks.AGENDA_PAIR(item_id, "leave")
            )
        ]
    elif view.mine:
        buttons = (
            [Button(texts.render("agenda.buttons.withdraw"), callbacks.AGENDA_WITHDRAW(item_id))]
            if live
            else []
        )
    elif view.supported:
        buttons = [
            Button(texts.render("agenda.buttons.comment"), callbacks.AGENDA_COMMENT(item_id))
        ]
    else:
        buttons = [
            Button(texts.render("agenda.buttons.support"), callbacks.AGENDA_SUPPORT(item_id))
        ]
    return Screen(text, rows(*buttons))


def none_screen(services: Services) -> Screen:
    """No items yet: suggest one."""
    texts = services.texts
    return Screen(
        texts.render("agenda.none"),
        rows(
            Button(texts.render("agenda.buttons.propose"), callbacks.AGENDA_PROPOSE()),
            help_button(services),
        ),
    )


def staff_card(services: Services, view: ItemView) -> Screen:
    """One item as the facilitator sees it, with the decisions they can make."""
    texts, item = services.texts, view.item
    item_id = item.id or 0
    text = texts.render(
        "agenda_staff.card",
        title=item.title,
        proposer=view.proposer or "",
        pair=view.pair,
        supports=view.supports,
        why=item.why,
        comments=list(view.comments),
        status=item.status.value,
        meeting=view.meeting,
    )
    if item.status == AgendaStatus.ACCEPTED:
        return Screen(
            text,
            rows(
                Button(
                    texts.render("agenda_staff.buttons.outcome"), callbacks.AGENDA_OUTCOME(item_id)
                )
            ),
        )
    return Screen(
        text,
        rows(
            [
                Button(
                    texts.render("agenda_staff.buttons.accept"), callbacks.AGENDA_ACCEPT(item_id)
                ),
                Button(texts.render("agenda_staff.buttons.merge"), callbacks.AGENDA_MERGE(item_id)),
            ],
            Button(texts.render("agenda_staff.buttons.decline"), callbacks.AGENDA_DECLINE(item_id)),
        ),
    )


def meetings_screen(
    services: Services, item: AgendaItem, meetings: list[Meeting], *, zone: str
) -> Screen:
    """Which meeting to accept an item for (its day in the viewer's own time zone)."""
    texts, now = services.texts, services.clock.now()
    if not meetings:
        return Screen(texts.render("agenda_staff.no_meetings"), rows(help_button(services)))
    return Screen(
        texts.render("agenda_staff.pick_meeting", title=item.title),
        stacked(
            Button(
                f"{m.title} · {local_date_label(m.starts_at, zone, now=now)}",
                callbacks.AGENDA_ACCEPT_FOR(item.id or 0, m.id or 0),
            )
            for m in meetings
        ),
    )


def merge_screen(services: Services, item: AgendaItem, targets: list[AgendaItem]) -> Screen:
    """Which item to join this one with."""
    texts = services.texts
    if not targets:
        return Screen(texts.render("agenda_staff.no_targets"), rows(help_button(services)))
    return Screen(
        texts.render("agenda_staff.pick_merge", title=item.title),
        stacked(
            Button(t.title[:60], callbacks.AGENDA_MERGE_INTO(item.id or 0, t.id or 0))
            for t in targets
        ),
    )
