"""/dashboard in Telegram: a facilitator gets a single-use link that signs them in to the
web dashboard served by the same process, and a partner is refused."""

from __future__ import annotations

import re

import httpx

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Role
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, stored_person
from tests.factories import make_cohort, make_reflection


async def test_a_link_from_chat_signs_the_facilitator_in_once(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    amina_id = stored_person(db, name="Amina").id
    make_reflection(db, clock, amina_id or 0, {"learned": "Letters from three teams"})

    await amina.send("/dashboard")
    refused = await amina.expect("only for facilitators and coordinators")
    assert "/login/" not in refused["text"]

    await margaret.send("/dashboard")
    said = (await margaret.expect("sign-in link"))["text"]
    assert "works once, for 15 minutes" in said
    assert bot.runner is not None
    link = re.search(r"(http://\S+/login/[A-Za-z0-9_-]+)", said)
    assert link and link.group(1).startswith(bot.runner.web.url)

    async with httpx.AsyncClient(follow_redirects=False) as web:
        assert "Sign in as Margaret" in (await web.get(link.group(1))).text
        signed_in = await web.post(link.group(1))
        assert signed_in.status_code == 303
        overview = await web.get(f"{bot.runner.web.url}/dashboard")
        assert overview.status_code == 200 and "Margaret" in overview.text
        page = await web.get(f"{bot.runner.web.url}/dashboard/reflections")
        assert "Letters from three teams" in page.text
    async with httpx.AsyncClient(follow_redirects=False) as stranger:
        reused = await stranger.post(link.group(1))
        assert reused.status_code == 400 and "already been used" in reused.text
        assert (await stranger.get(f"{bot.runner.web.url}/dashboard")).status_code == 401


async def test_links_use_the_public_address_and_the_cookie_is_secure_behind_https(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    bot.environment = {"TANDEM_PUBLIC_URL": "https://tandem.example.nhs.uk"}
    await bot.restart()
    clock.set(NOW)
    margaret = await person(
        telegram, db, clock, make_cohort(db, clock), "Margaret", Role.FACILITATOR
    )
    await margaret.send("/dashboard")
    said = (await margaret.expect("sign-in link"))["text"]
    link = re.search(r"(\S+/login/[A-Za-z0-9_-]+)", said)
    assert link and link.group(1).startswith("https://tandem.example.nhs.uk/login/")
    assert bot.runner is not None
    # The same sign-in, reached through the local address a proxy would forward to.
    local = link.group(1).replace("https://tandem.example.nhs.uk", bot.runner.web.url)
    async with httpx.AsyncClient(follow_redirects=False) as web:
        await web.get(local)
        public = {"Origin": "https://tandem.example.nhs.uk"}  # as the browser sees it
        signed_in = await web.post(local, headers=public)
        assert signed_in.status_code == 303
        assert "secure" in signed_in.headers["set-cookie"].lower()
        elsewhere = {"Origin": "https://attacker.example"}
        assert (await web.post(local, headers=elsewhere)).status_code == 403
