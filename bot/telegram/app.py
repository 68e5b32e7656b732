"""The PTB Application: request settings, update processing and every handler, in order."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.telegram.flows import ButtonRoute
from bot.telegram.handlers import (
    account,
    agenda,
    agenda_pair,
    agenda_staff,
    attendance,
    board,
    bookings,
    broadcast,
    broadcast_versions,
    broadcasts,
    champions,
    champions_staff,
    claims,
    dashboard,
    errors,
    fallback,
    guard,
    invite,
    journal,
    language,
    library,
    measures,
    meetings,
    meetings_admin,
    newmeeting,
    notes,
    onboarding,
    pairs,
    questions,
    record,
    reflect,
    review,
    safeguarding,
    start,
)
from bot.telegram.pacing import PriorityRateLimiter
from bot.telegram.processor import PERSON_BURST, PERSON_WINDOW_SECONDS, PerPersonProcessor
from bot.telegram.request import AiohttpRequest
from bot.telegram.services import SERVICES_KEY, Services, TandemApplication, TandemContext
from bot.telegram.ui import Screen, send


@dataclass(frozen=True)
class TelegramOptions:
    """How the bot talks to the Bot API; tests and benchmarks tune these."""

    token: str
    base_url: str
    webhook: bool = False
    overall_rate: float | None = 30.0  # messages per second in bulk; None turns pacing off
    # Sends a second to one chat; None leaves replies unpaced per chat (bulk sends never are):
    # for tests that tap faster than a person can, against a sandbox enforcing no limits.
    per_chat_rate: float | None = 1.0
    read_timeout: float = 10.0
    connect_timeout: float = 5.0
    retry_base_delay: float = 0.25
    working_updates: int = 64
    person_burst: int = PERSON_BURST
    person_window: float = PERSON_WINDOW_SECONDS


def file_base_url(base_url: str) -> str:
    """Telegram serves files beside the API: .../bot -> .../file/bot."""
    stem = base_url.removesuffix("/bot") if base_url.endswith("/bot") else base_url.rstrip("/")
    return f"{stem}/file/bot"


def build_application(services: Services, options: TelegramOptions) -> TandemApplication:
    """A configured Application with every handler registered; not yet started."""
    processor = PerPersonProcessor(
        working=options.working_updates, burst=options.person_burst, window=options.person_window
    )
    builder = (
        ApplicationBuilder()
        .token(options.token)
        .base_url(options.base_url)
        .base_file_url(file_base_url(options.base_url))
        .request(
            AiohttpRequest(
                connections=16,
                read_timeout=options.read_timeout,
                connect_timeout=options.connect_timeout,
                base_delay=options.retry_base_delay,
            )
        )
        .get_updates_request(AiohttpRequest(connections=2, read_timeout=40.0))
        .context_types(ContextTypes(context=TandemContext))
        .concurrent_updates(processor)
    )
    if options.overall_rate is not None:
        limiter = PriorityRateLimiter(
            overall_rate=options.overall_rate,
            bulk_rate=max(1.0, options.overall_rate - 1),
            per_chat_rate=options.per_chat_rate,
        )
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]
    if options.webhook:
        builder = builder.updater(None)
    application: TandemApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services

    async def flood_notice(chat_id: int) -> None:
        await send(application.bot, chat_id, Screen(services.texts.render("fallback.flood")))

    processor.set_flood_notice(flood_notice)
    processor.set_rerun(application.process_update)
    register_handlers(application)
    return application


COMMANDS = {
    "start": start.start,
    "help": account.help_command,
    "settings": account.settings_command,
    "pause": account.pause_command,
    "resume": account.resume_command,
    "stop": account.stop_command,
    "mydata": account.mydata_command,
    "forget": account.forget_command,
    "language": language.language_command,  # issue 19
    "invite": invite.invite_command,
    "library": library.library_command,
    "explain": library.explain_command,
    "ask": library.ask_command,
    "reflect": reflect.reflect_command,
    "journal": journal.journal_command,
    "calendar": meetings.calendar_command,
    "meetings": meetings_admin.meetings_command,
    "newmeeting": newmeeting.newmeeting_command,
    "questions": questions.questions_command,
    "review": review.review_command,
    "broadcast": broadcast.broadcast_command,
    "broadcasts": broadcasts.broadcasts_command,
    "pairs": pairs.pairs_command,
    "pair": pairs.pair_command,
    "dashboard": dashboard.dashboard_command,
    # Agenda items from partners (issue 17)
    "propose": agenda.propose_command,
    "agenda": agenda.agenda_command,
    # What matters to us (issue 17)
    "measures": measures.measures_command,
    # Lay partners grow (issue 18)
    "attendance": attendance.attendance_command,
    "record": record.record_command,
    # One-to-one briefings (issue 18)
    "book": bookings.book_command,
    # Champions and mentoring (issue 18)
    "champions": champions.champions_command,
    # Involvement payments and expenses (issue 18)
    "claim": claims.claim_command,
}

# Every button, by the kind of payload it answers (bot/telegram/callbacks.py). The patterns
# are the kinds' own; tests/telegram/test_callbacks.py proves none matches another's data.
BUTTONS: tuple[ButtonRoute, ...] = (
    account.help_button,
    account.settings_button,
    account.pause_button,
    account.stop_button,
    account.forget_button,
    start.rejoin_button,
    language.language_button,
    onboarding.flow_button,
    onboarding.time_zone_change_button,
    onboarding.time_zone_place_button,
    invite.cohort_button,
    invite.role_button,
    invite.language_button,
    library.topics_button,
    library.topic_button,
    library.page_button,
    library.read_button,
    library.ask_button,
    library.cancel_button,
    library.term_button,
    library.term_ask_button,
    reflect.start_button,
    reflect.meeting_prompt_button,
    reflect.choice_button,
    reflect.answer_button,
    journal.journal_button,
    journal.sharing_button,
    journal.share_button,
    notes.note_button,
    meetings.rsvp_button,
    meetings.calendar_button,
    questions.reply_button,
    review.page_button,
    review.filters_button,
    review.flag_button,
    review.reply_button,
    review.reflection_outcome_button,
    review.question_outcome_button,
    review.outcome_meeting_button,
    broadcast.who_button,
    broadcast.pick_button,
    broadcast.audience_button,
    broadcast.rewrite_button,
    broadcast.later_button,
    broadcast.send_button,
    broadcast.at_button,
    broadcast_versions.version_button,  # issue 19: the words in other languages
    broadcast_versions.drop_button,
    broadcast_versions.back_button,
    broadcasts.list_button,
    broadcasts.correct_button,
    broadcasts.correct_send_button,
    broadcasts.withdraw_ask_button,
    broadcasts.withdraw_button,
    meetings_admin.list_button,
    meetings_admin.who_button,
    meetings_admin.move_button,
    meetings_admin.move_confirm_button,
    meetings_admin.cancel_ask_button,
    meetings_admin.cancel_button,
    meetings_admin.keep_button,
    meetings_admin.summary_button_tapped,
    newmeeting.start_button,
    newmeeting.cohort_button,
    newmeeting.length_button,
    newmeeting.no_place_button,
    newmeeting.paper_button,
    newmeeting.papers_done_button,
    newmeeting.create_button,
    pairs.overview_button,
    pairs.new_button,
    pairs.first_button,
    pairs.second_button,
    pairs.end_ask_button,
    pairs.end_button,
    pairs.write_button,
    pairs.stop_button,
    pairs.resume_button,
    pairs.report_button,
    pairs.nudges_button,
    safeguarding.acknowledge_button,
    safeguarding.contacted_button,
    safeguarding.safe_button,
    safeguarding.contact_button,
    # Agenda items from partners (issue 17)
    agenda.list_button,
    agenda.propose_button,
    agenda.link_button,
    agenda.share_button,
    agenda.withdraw_button,
    agenda.support_button,
    agenda.comment_button,
    agenda_pair.pair_button,  # a pair proposes together
    agenda_staff.accept_button,
    agenda_staff.accept_for_button,
    agenda_staff.merge_button,
    agenda_staff.merge_into_button,
    agenda_staff.decline_button,
    agenda_staff.outcome_button,
    # What matters to us (issue 17)
    measures.list_button,
    measures.new_button,
    measures.vote_button,
    measures.run_button,
    measures.outcome_button,
    # issue 17: board members' learnings, and partners' reactions
    board.digest_button,
    board.learning_button,
    board.react_button,
    # issue 18: attendance (and endorsing a partner), and the record of contribution
    attendance.list_button,
    attendance.sheet_button,
    attendance.tick_button,
    attendance.confirm_button,
    attendance.endorse_list_button,
    attendance.endorse_button,
    record.summary_button,
    record.pdf_button,
    record.add_button,
    record.skip_button,
    record.mine_button,
    record.remove_button,
    record.endorsement_button,
    # One-to-one briefings (issue 18): partners, then hosts
    bookings.list_button,
    bookings.pick_button,
    bookings.confirm_button,
    bookings.move_button,
    bookings.move_to_button,
    bookings.cancel_ask_button,
    bookings.cancel_button,
    bookings.file_button,
    bookings.host_list_button,
    bookings.host_new_button,
    bookings.host_day_button,
    bookings.host_time_button,
    bookings.host_length_button,
    bookings.host_cancel_ask_button,
    bookings.host_cancel_button,
    # issue 18: champions and mentoring (partners, then staff)
    champions.home_button,
    champions.answer_button,
    champions.step_down_button,
    champions.offer_button,
    champions.write_button,
    champions.report_button,
    champions.stop_button,
    champions.fine_button,
    champions_staff.overview_button,
    champions_staff.candidates_button,
    champions_staff.ask_button,
    champions_staff.end_button,
    champions_staff.choose_mentor_button,
    champions_staff.offer_button,
    # issue 18: involvement payments and expenses
    claims.list_button,
    claims.offer_button,
    claims.start_button,
    claims.show_button,
    claims.expense_button,
    claims.category_button,
    claims.no_receipt_button,
    claims.send_button,
    claims.answer_button,
    claims.payment_button,
)


def register_handlers(application: TandemApplication) -> None:
    """Every handler, in the order PTB tries them. Order matters!"""
    # Group -2 runs first for every update: redelivered updates stop here.
    application.add_handler(TypeHandler(Update, guard.once_only), group=-2)
    # Then every message's words are checked for distress or risk (and carry on after).
    application.add_handler(
        MessageHandler(filters.TEXT | filters.CAPTION, safeguarding.watch), group=-1
    )

    # Tandem is one-to-one; anything from a group gets a short pointer.
    application.add_handler(MessageHandler(filters.ChatType.GROUPS, fallback.on_group_message))
    # Edits before commands, so an edited "/help" is not run a second time.
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, fallback.on_edited))

    new_only = filters.UpdateType.MESSAGE
    for name, callback in COMMANDS.items():
        application.add_handler(CommandHandler(name, callback, filters=new_only))
    for route in BUTTONS:
        application.add_handler(CallbackQueryHandler(route.run, pattern=route.kind.pattern))
    # Data no kind reads: a button from an older release, or a modified client.
    application.add_handler(CallbackQueryHandler(fallback.on_stale_button))

    application.add_handler(MessageHandler(filters.COMMAND, fallback.on_unknown_command))
    application.add_handler(MessageHandler(filters.TEXT, fallback.on_text))
    # A photo is a receipt when a claim waits for one (issue 18); otherwise as any media.
    application.add_handler(MessageHandler(filters.PHOTO, claims.on_photo))
    application.add_handler(MessageHandler(filters.ALL, fallback.on_media))
    application.add_handler(
        ChatMemberHandler(fallback.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_error_handler(errors.on_error)
