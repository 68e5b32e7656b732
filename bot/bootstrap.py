"""The composition root: Settings in, a ready-to-run Tandem out, in a readable order."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from starlette.applications import Starlette

from bot.config import Settings
from bot.db import Database, SendingLock, create_db_engine, upgrade
from bot.domain.clock import Clock, SystemClock
from bot.domain.safeguarding import RULES_FILE, default_rules
from bot.library.catalogue import Library
from bot.library.messages import Texts
from bot.library.signposts import SIGNPOSTS_FILE, default_signposts
from bot.scheduling.jobs import build_scheduler
from bot.telegram.app import TelegramOptions, build_application
from bot.telegram.dispatcher import Dispatcher
from bot.telegram.feed import update_feed
from bot.telegram.services import Services, TandemApplication
from bot.web.app import create_web_app
from bot.web.context import Dashboard, make_templates


@dataclass
class Tandem:
    """Everything `tandem run` runs, built but not started."""

    settings: Settings
    db: Database
    services: Services
    application: TandemApplication
    web: Starlette
    scheduler: AsyncIOScheduler
    dispatcher: Dispatcher

    @property
    def webhook_url(self) -> str | None:
        """The public webhook URL, in webhook mode."""
        return self.settings.telegram_webhook_url or None


def open_database(settings: Settings, *, migrate: bool = True) -> Database:
    """The database, checked and (by default) migrated to the latest schema."""
    db = Database(create_db_engine(settings.database_url))
    db.check()
    if migrate:
        upgrade(db)
    return db


def _web_app(settings: Settings, services: Services, application: TandemApplication) -> Starlette:
    """The web app: health, calendar feeds, the dashboard and (in webhook mode) the webhook."""
    webhook_url = settings.telegram_webhook_url
    return create_web_app(
        db=services.db,
        clock=services.clock,
        mode="webhook" if webhook_url else "polling",
        webhook_path=(urlsplit(webhook_url).path or "/") if webhook_url else None,
        webhook_secret=settings.webhook_secret(),
        feed=update_feed(application) if webhook_url else None,
        dashboard=Dashboard(
            db=services.db,
            clock=services.clock,
            texts=services.texts,
            library=services.library,
            public_url=lambda: services.public_url,
            templates=make_templates(),
        ),
    )


def bootstrap(
    settings: Settings,
    *,
    clock: Clock | None = None,
    telegram: TelegramOptions | None = None,
    db: Database | None = None,
    texts: Texts | None = None,
    library: Library | None = None,
) -> Tandem:
    """Build Tandem: database, texts, services, the bot, the web app and the scheduler."""
    clock = clock or SystemClock()
    settings.check_web()
    db = db or open_database(settings)
    dirs = settings.content_dirs()  # TANDEM_CONTENT_DIR, or the content shipped in the package
    texts = texts or Texts.load(dirs.prompts)
    library = library or Library.load_or_fail(dirs.content, dirs.prompts)
    safeguarding = default_rules(dirs.prompts / RULES_FILE)
    signposts = default_signposts(dirs.prompts / SIGNPOSTS_FILE)
    services = Services(
        settings=settings,
        db=db,
        clock=clock,
        texts=texts,
        library=library,
        safeguarding=safeguarding,
        signposts=signposts,
    )
    webhook_url = settings.telegram_webhook_url
    telegram = telegram or TelegramOptions(
        token=settings.bot_token(),
        base_url=settings.telegram_base_url,
        webhook=bool(webhook_url),
    )
    application = build_application(services, telegram)
    web = _web_app(settings, services, application)
    dispatcher = Dispatcher(services, application.bot, sending_lock=SendingLock(db))
    scheduler = build_scheduler(db, clock, library.timetable, dispatcher)
    return Tandem(
        settings=settings,
        db=db,
        services=services,
        application=application,
        web=web,
        scheduler=scheduler,
        dispatcher=dispatcher,
    )
