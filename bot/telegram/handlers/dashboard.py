"""/dashboard for facilitators and coordinators: a single-use sign-in link for the web."""

from __future__ import annotations

from telegram import Update

from bot.domain import weblogin
from bot.telegram.common import STAFF, Caller, gate
from bot.telegram.screens import help_button
from bot.telegram.services import TandemContext
from bot.telegram.ui import Screen, reply, rows


@gate(roles=STAFF)
async def dashboard_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/dashboard: a link that signs this person in once, within 15 minutes."""
    services = context.services
    with services.db.transaction() as session:
        token = weblogin.issue_link(session, person_id=caller.person_id, clock=services.clock)
    url = f"{services.public_url}/login/{token}"
    minutes = int(weblogin.LINK_LIFETIME.total_seconds() // 60)
    await reply(
        update,
        Screen(
            services.texts.render("dashboard.link", url=url, minutes=minutes),
            rows(help_button(services)),
        ),
    )
