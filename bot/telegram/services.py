"""What every handler needs, built once by the composition root and reached via the context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.db import Database
from bot.domain.clock import Clock
from bot.domain.people import SeenMemory
from bot.domain.safeguarding import Rules, default_rules
from bot.library.catalogue import Library
from bot.library.messages import Texts
from bot.library.signposts import Signposts, default_signposts

if TYPE_CHECKING:
    from bot.config import Settings


@dataclass
class Services:
    """Settings, database, clock and texts, shared by every handler and job."""

    settings: Settings
    db: Database
    clock: Clock
    texts: Texts
    library: Library
    bot_username: str = ""
    # Where the web app answers from outside (for links such as calendar feeds).
    public_url: str = ""
    # Words that suggest distress or risk (prompts/safeguarding.yaml).
    safeguarding: Rules = field(default_factory=default_rules)
    # Where to get help now, for each kind of risk (prompts/signposts.yaml).
    signposts: Signposts = field(default_factory=default_signposts)
    # Who this process noted as seen within the hour (the update guard asks it first).
    seen: SeenMemory = field(default_factory=SeenMemory)


SERVICES_KEY = "tandem.services"


class TandemContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's callback context plus `services`."""

    @property
    def services(self) -> Services:
        """The shared services of this application."""
        services: Services = self.application.bot_data[SERVICES_KEY]
        return services


TandemApplication = Application[
    ExtBot[None], TandemContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
