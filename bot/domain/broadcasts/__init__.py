"""Broadcasts: one message for many people, through the outbox like everything else.

A facilitator chooses an audience (a cohort, a pair, one person, the partners who have not
answered a meeting's reflection, or, for coordinators, everyone), writes a text that may use
placeholders such as {{ name }} and {{ next_meeting }} (rendered for each person at send
time, in Jinja's sandbox), previews it as the first recipient will see it, and sends it now
or at a local time. Sent copies can be corrected or withdrawn for 48 hours.

    audience.py   who an audience means, within what the viewer may reach; pick lists
    words.py      the text: checks, placeholders, each person's copy, the preview
    sending.py    queueing, delivery reports, corrections and withdrawals
    versions.py   the words in other languages, and which words each person gets (i19)

Chat (/broadcast), the dashboard and the dispatcher all use these same functions.
"""

from bot.domain.broadcasts.audience import (
    AUDIENCE_KINDS,
    Audience,
    Choice,
    Choices,
    choices,
    describe,
    partners_named,
    partners_page,
    recipients,
)
from bot.domain.broadcasts.sending import (
    EDIT_WINDOW,
    CorrectionPreview,
    DeliveryReport,
    changeable,
    correct,
    create_broadcast,
    preview_correction,
    recent,
    recent_reports,
    report,
    send,
    visible,
    withdraw,
)
from bot.domain.broadcasts.versions import (
    Version,
    Wording,
    check_versions,
    first_copy,
    readers,
    versions_of,
    wording_for,
)
from bot.domain.broadcasts.words import (
    PLACEHOLDERS,
    SAMPLE,
    TEXT_LIMIT,
    Preview,
    check_text,
    personal_copies,
    personal_words,
    preview,
    render_text,
    values_for,
)

__all__ = [
    "AUDIENCE_KINDS",
    "EDIT_WINDOW",
    "PLACEHOLDERS",
    "SAMPLE",
    "TEXT_LIMIT",
    "Audience",
    "Choice",
    "Choices",
    "CorrectionPreview",
    "DeliveryReport",
    "Preview",
    "Version",
    "Wording",
    "changeable",
    "check_text",
    "check_versions",
    "choices",
    "correct",
    "create_broadcast",
    "describe",
    "first_copy",
    "partners_named",
    "partners_page",
    "personal_copies",
    "personal_words",
    "preview",
    "preview_correction",
    "readers",
    "recent",
    "recent_reports",
    "recipients",
    "render_text",
    "report",
    "send",
    "values_for",
    "versions_of",
    "visible",
    "withdraw",
    "wording_for",
]
