"""The delivery outbox: every message that is not an immediate reply is a row here.

One module for the whole life of a delivery, in the order a row lives it:

    writing.py    write rows idempotently (a unique dedupe key), re-time pending ones,
                  cancel what is no longer wanted
    claiming.py   claim due rows with a lease (UPDATE ... RETURNING; SKIP LOCKED on
                  PostgreSQL), release leases, bring deferred rows forward
    judging.py    decide each claimed row: send, defer (quiet hours, a pause), expire,
                  cancel (the person left, a broadcast was withdrawn) or skip (a nudge
                  already answered); gather what rendering it needs
    recording.py  record what happened, retry with backoff, mark people unreachable

Planning (the calendar), broadcasts and notices write through `writing`; the dispatcher in
bot/telegram claims, judges, renders and sends, then records.
"""

from bot.domain.outbox.claiming import Depth, claim_due, depth, release_all_leases, resume_deferred
from bot.domain.outbox.judging import Due, Verdict, decide, judge, quiet_end
from bot.domain.outbox.recording import (
    MAX_ATTEMPTS,
    DeliveryResult,
    after_failure,
    not_sent,
    person_unreachable,
    put_back,
    record,
    refused,
    sent,
    skipped,
)
from bot.domain.outbox.writing import (
    BROADCAST_PRIORITY,
    BULK_PRIORITY,
    LEASE,
    MEETING_CHANGE_PRIORITY,
    NOTICE_PRIORITY,
    URGENT_PRIORITY,
    cancel_pending,
    new_row,
    write,
)

__all__ = [
    "BROADCAST_PRIORITY",
    "BULK_PRIORITY",
    "LEASE",
    "MAX_ATTEMPTS",
    "MEETING_CHANGE_PRIORITY",
    "NOTICE_PRIORITY",
    "URGENT_PRIORITY",
    "DeliveryResult",
    "Depth",
    "Due",
    "Verdict",
    "after_failure",
    "cancel_pending",
    "claim_due",
    "decide",
    "depth",
    "judge",
    "new_row",
    "not_sent",
    "person_unreachable",
    "put_back",
    "quiet_end",
    "record",
    "refused",
    "release_all_leases",
    "resume_deferred",
    "sent",
    "skipped",
    "write",
]
