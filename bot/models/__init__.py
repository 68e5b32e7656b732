"""SQLModel tables: the record of everything that must survive a restart.

Times are stored in UTC (see `UTCDateTime`); each person's own time zone is used only for
planning and display.
"""

from bot.models.base import UTCDateTime, utcnow
from bot.models.outbox import (
    Broadcast,
    CalendarFeed,
    Delivery,
    DeliveryStatus,
    Meeting,
    MeetingStatus,
    Rsvp,
    TimetableOverride,
)
from bot.models.people import (
    AuditEvent,
    BotState,
    Cohort,
    ConsentKind,
    ConsentRecord,
    ConversationState,
    Invite,
    Membership,
    Person,
    PersonStatus,
    ProcessedUpdate,
    Role,
)
from bot.models.reflections import (
    Answer,
    BriefingRead,
    ContributionOutcome,
    Pair,
    PartnerQuestion,
    QuestionStatus,
    Reflection,
    ReflectionStatus,
    Sharing,
)
from bot.models.web import LoginLink, WebSession

__all__ = [
    "Answer",
    "AuditEvent",
    "BotState",
    "BriefingRead",
    "Broadcast",
    "CalendarFeed",
    "Cohort",
    "ConsentKind",
    "ConsentRecord",
    "ContributionOutcome",
    "ConversationState",
    "Delivery",
    "DeliveryStatus",
    "Invite",
    "LoginLink",
    "Meeting",
    "MeetingStatus",
    "Membership",
    "Pair",
    "PartnerQuestion",
    "Person",
    "PersonStatus",
    "ProcessedUpdate",
    "QuestionStatus",
    "Reflection",
    "ReflectionStatus",
    "Role",
    "Rsvp",
    "Sharing",
    "TimetableOverride",
    "UTCDateTime",
    "WebSession",
    "utcnow",
]
