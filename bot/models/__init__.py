"""SQLModel tables: the record of everything that must survive a restart.

Times are stored in UTC (see `UTCDateTime`); each person's own time zone is used only for
planning and display.
"""

from bot.models.agenda import AgendaItem, AgendaStatus, AgendaSupport
from bot.models.audit import AuditEvent
from bot.models.base import UTCDateTime, utcnow
from bot.models.board import (  # issue 17: board members
    BoardLabel,
    BoardLearning,
    BoardMember,
    LearningReaction,
    LearningStatus,
    ReactionKind,
)
from bot.models.bookings import Booking, BookingSlot, BookingStatus, SlotStatus  # i18
from bot.models.champions import (  # issue 18: champions and mentoring
    Champion,
    ChampionStatus,
    Mentorship,
    MentorshipStatus,
)
from bot.models.changes import AccountChange
from bot.models.claims import (  # issue 18: involvement payments
    Claim,
    ClaimExpense,
    ClaimStatus,
    PaymentChoice,
    PaymentRules,
)
from bot.models.cohorts import Cohort, Invite, Membership
from bot.models.concerns import Concern
from bot.models.measures import Measure, MeasureStatus, MeasureVote  # i17 measures
from bot.models.meetings import (
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingStatus,
    Rsvp,
    TimetableOverride,
)
from bot.models.notes import Note, NoteStatus
from bot.models.outbox import Broadcast, BroadcastVersion, Delivery, DeliveryStatus
from bot.models.outcomes import ContributionOutcome
from bot.models.pairs import Pair
from bot.models.people import ConsentKind, ConsentRecord, Person, PersonStatus, Role
from bot.models.questions import BriefingRead, PartnerQuestion, QuestionStatus
from bot.models.record import Achievement, Endorsement, EndorsementStatus  # i18 record
from bot.models.reflections import Answer, Reflection, ReflectionStatus, Sharing
from bot.models.runtime import BotState, ConversationState, ProcessedUpdate
from bot.models.web import LoginLink, WebSession

__all__ = [
    "AccountChange",
    "Achievement",
    "AgendaItem",
    "AgendaStatus",
    "AgendaSupport",
    "Answer",
    "Attendance",
    "AuditEvent",
    "BoardLabel",
    "BoardLearning",
    "BoardMember",
    "Booking",
    "BookingSlot",
    "BookingStatus",
    "BotState",
    "BriefingRead",
    "Broadcast",
    "BroadcastVersion",
    "CalendarFeed",
    "Champion",
    "ChampionStatus",
    "Claim",
    "ClaimExpense",
    "ClaimStatus",
    "Cohort",
    "Concern",
    "ConsentKind",
    "ConsentRecord",
    "ContributionOutcome",
    "ConversationState",
    "Delivery",
    "DeliveryStatus",
    "Endorsement",
    "EndorsementStatus",
    "Invite",
    "LearningReaction",
    "LearningStatus",
    "LoginLink",
    "Measure",
    "MeasureStatus",
    "MeasureVote",
    "Meeting",
    "MeetingStatus",
    "Membership",
    "Mentorship",
    "MentorshipStatus",
    "Note",
    "NoteStatus",
    "Pair",
    "PartnerQuestion",
    "PaymentChoice",
    "PaymentRules",
    "Person",
    "PersonStatus",
    "ProcessedUpdate",
    "QuestionStatus",
    "ReactionKind",
    "Reflection",
    "ReflectionStatus",
    "Role",
    "Rsvp",
    "Sharing",
    "SlotStatus",
    "TimetableOverride",
    "UTCDateTime",
    "WebSession",
    "utcnow",
]
