"""Every button's payload (callback data), named in one place.

A `Kind` (bot/telegram/kinds.py) is one sort of button: a prefix and the typed fields after
it. `KIND(values...)` builds the data for a button; `KIND.parse(data)` reads it back (None
when it does not parse); `KIND.pattern` is what app.py registers its handler with.
tests/telegram/test_callbacks.py proves that prefixes are unique and that no pattern matches
another kind's data.

    help                          the help screen
    cancel                        stop whatever is being typed
    f:<flow>:<step>:<choice>      a choice on an onboarding or settings step
    settings:<what>               the settings menu (name, tz, quiet, keep, drop, done, show)
    tz, tz:p:<place>              change the time zone just said back; a suggested place
    pause:<choice>                the pause menu (1w, 2w, 4w, open, resume, keep, cancel, menu)
    stop|forget:<choice>:<issued> leave / erase, confirmed within a few minutes
    rejoin                        come back after /stop
    invite:<cohort>               a new invite for a cohort; invr:<cohort>:<role> with a role
    lib, lib:t:<tag>              the library's topics; one topic
    b|bg|bq:<briefing>:<page>     a briefing page; mark it read; ask about it
    x:<term>, x?:<typed>          a glossary term; ask the facilitator about a word
    rs:<set>                      begin a reflection (rs:menu, rs:journal)
    rm:<meeting>:<set>            the reflection a scheduled prompt offers
    rc:<reflection>:<choice>      carry on, start again or discard an unfinished reflection
    r:<reflection>:<question>:<action>   an answer, a tick, skip, back, later or sharing
    j:<index>                     the journal, page by page
    js:<reflection>, jss:<reflection>:<level>   who may read a reflection; change it
    rsvp:<meeting>:<yes|no>, cal:<meeting>      coming or not; add to calendar
    qa:<question>                 answer a partner's question
    rv:<index>:<filter>, rvf      review page by page; choose a filter
    rf:<reflection>:<index>:<filter>            flag or unflag, then the same page
    rr:<reflection>               reply to a reflection
    ro:<reflection>, oq:<question>, om:<meeting>   "you said, we did": about what, when
    bc:...                        writing a broadcast (who, pick, a, send, later, at, rewrite;
                                  lv:<language> write a version, ld:<language> drop it, lp
                                  back to the preview)
    bx:...                        sent broadcasts (list, e correct, E send the correction,
                                  w withdraw?, W withdraw)
    mt:...                        meetings (list, r who, m move, M move confirmed, c cancel?,
                                  C cancel, keep)
    mn:...                        /newmeeting (start, c cohort, l length, p no place, b papers,
                                  done, ok)
    sg:ack|done:<concern>         a safeguarding alert seen; the partner contacted
    sg:safe|call:<concern>        a partner's signpost: "I'm safe now"; "Please contact me"
    pp:...                        /pairs (list, n new, f first, s second, u unpair?, U unpair)
    pr:...                        /pair (write, stop, resume, report, nudges)
    ag:...                        agenda items, for partners (list, new, l link a reflection,
                                  ok share, w withdraw, s support, c comment)
    agt:...                       agenda items, for staff (a accept, A for a meeting, m merge,
                                  M into an item, n not this time, o record the outcome)
    agp:<item>:<choice>           a pair proposes together: ask my pair (ask), join as
                                  co-proposer (join), not this one (no), leave it (leave)
    ms:list, ms:new               /measures: the list; suggest a measure (partners)
    msv:<measure>:<choice>        a partner's vote (yes), taking it back (no), withdraw
                                  their own idea (withdraw)
    msr:<measure>:<choice>        staff: adopt? (adopt), adopt (Adopt), retire? (retire),
                                  retire (Retire)
    mso:<measure>                 staff: record what changed about an adopted measure
    mts:<meeting>                 staff: a meeting's summary (items, measures, learnings)
    bd:<meeting>                  a board member answers "what did you learn?" (issue 17)
    bl:<learning>:<send|drop>     a board member sends their learning to partners, or not
    blr:<learning>:<helps|talk>   a partner reacts to a board member's learning
    at:...                        /attendance, for staff (issue 18): list; s <meeting> a sheet;
                                  t <meeting>:<partner> tick or untick; ok <meeting> confirm;
                                  p the partners to endorse; e <partner> write an endorsement
    rec:...                       /record, for partners (issue 18): show the summary; pdf get
                                  it as a PDF; add an achievement; skip its second line; mine
                                  my achievements; rm <achievement> remove one;
                                  e <endorsement>:<yes|no> add an endorsement to my record
    bk:...                        /book, one-to-one briefings, for partners (issue 18): list,
                                  p:<slot> book (or move to) it?, y:<slot> book it,
                                  m:<booking> times to move to, M:<booking>:<slot> move it,
                                  c:<booking> cancel?, C:<booking> cancel, i:<booking> .ics
    bkh:...                       /book for hosts (issue 18): list, n:<cohort> a new slot
                                  (0: choose the cohort), d:<cohort>:<day> its day,
                                  t:<cohort>:<day>:<minute> its time, l:...:<minutes> its
                                  length (then the place is typed), c:<slot> cancel?,
                                  C:<slot> cancel
    ch:...                        champions and mentees (issue 18): list (/champions again),
                                  a:<champion>:<yes|no> answer being asked, d:<champion>:
                                  <ask|yes> step down, o:<mentorship>:<yes|no> take up a
                                  mentor, w write to, s:<mentorship>:<stop|resume> messages,
                                  r report a problem, ok "All good" after a check-in
    chs:...                       champions, for staff (issue 18): list, c:<cohort> choose
                                  whom to ask, a:<cohort>:<partner> ask, e:<champion>:<ask|yes>
                                  end, m:<cohort>:<partner> choose a mentor for a new partner,
                                  o:<partner>:<champion> offer that mentor
    cl                            /claim: a partner's claims (issue 18)
    cl:a:<claim>:<choice>         the offer after a meeting: claim it (yes), not now (later),
                                  no payment for me (nopay)
    cl:s:<meeting>                start a claim for an attended meeting
    cl:v:<claim>                  one claim, with its expenses
    cl:e:<claim>                  add an expense: choose its category
    cl:c:<claim>:<category>       the category chosen (its place in the cohort's list)
    cl:n:<expense>                no receipt for this expense
    cl:send:<claim>               send the claim for review
    cl:q:<claim>                  answer staff's question about a claim
    cl:p:<on|off>                 be paid for my time, or expenses only
"""

from __future__ import annotations

# Re-exported: what a kind is lives in kinds.py; tests and flows name them as callbacks.X.
from bot.telegram.kinds import CALLBACK_DATA_LIMIT as CALLBACK_DATA_LIMIT
from bot.telegram.kinds import INT_MAX as INT_MAX
from bot.telegram.kinds import Field as Field
from bot.telegram.kinds import Kind as Kind
from bot.telegram.kinds import clip as clip

YES_NO = ("yes", "no")
SHARING = ("private", "facilitators", "anonymised")

# Everyone
HELP = Kind("help")
CANCEL = Kind("cancel")
FLOW_CHOICE = Kind("f", (str, str, str))
SETTINGS = Kind("settings", (("name", "tz", "quiet", "keep", "drop", "done", "show"),))
TIME_ZONE_CHANGE = Kind("tz")
TIME_ZONE_PLACE = Kind("tz:p", (str,))
PAUSE = Kind("pause", (("1w", "2w", "4w", "open", "resume", "keep", "cancel", "menu"),))
STOP = Kind("stop", (YES_NO, int))
REJOIN = Kind("rejoin")
LANGUAGE = Kind("lang", (str,))  # a language's code, or "menu" for the list (issue 19)
FORGET = Kind("forget", (("yes", "copy", "no"), int))

# The library and the jargon buster
TOPICS = Kind("lib")
TOPIC = Kind("lib:t", (str,))
BRIEFING_PAGE = Kind("b", (str, int))
BRIEFING_READ = Kind("bg", (str, int))
BRIEFING_ASK = Kind("bq", (str, int))
TERM = Kind("x", (str,))
TERM_ASK = Kind("x?", (str,))

# Reflections and the journal
REFLECT = Kind("rs", (str,))
MEETING_PROMPT = Kind("rm", (int, str))
UNFINISHED = Kind("rc", (int, ("carry", "new", "discard")))
ANSWER = Kind("r", (int, str, str))
JOURNAL = Kind("j", (int,))
JOURNAL_SHARING = Kind("js", (int,))
JOURNAL_SHARE = Kind("jss", (int, SHARING))
NOTE = Kind("n", (int, ("journal", "facilitator", "pair")))

# Meetings, for everyone
RSVP = Kind("rsvp", (int, YES_NO))
CALENDAR = Kind("cal", (int,))

# Questions, review and "you said, we did", for staff
QUESTION_REPLY = Kind("qa", (int,))
REVIEW_PAGE = Kind("rv", (int, str))
REVIEW_FILTERS = Kind("rvf")
REVIEW_FLAG = Kind("rf", (int, int, str))
REVIEW_REPLY = Kind("rr", (int,))
OUTCOME_FOR_REFLECTION = Kind("ro", (int,))
OUTCOME_FOR_QUESTION = Kind("oq", (int,))
OUTCOME_MEETING = Kind("om", (int,))

# Safeguarding alerts, for staff
CONCERN_ACKNOWLEDGE = Kind("sg:ack", (int,))
CONCERN_CONTACTED = Kind("sg:done", (int,))
# A partner's answer to their signpost
SIGNPOST_SAFE = Kind("sg:safe", (int,))
SIGNPOST_CONTACT = Kind("sg:call", (int,))

# Invites, for staff
INVITE = Kind("invite", (int,))
INVITE_AS = Kind("invr", (int, ("partner", "facilitator")))
# issue 19: an invite for someone who reads another language (cohort, role, language code)
INVITE_IN = Kind("invl", (int, ("partner", "facilitator"), str))

# Broadcasts, for staff
BROADCAST_WHO = Kind("bc:who")
BROADCAST_PICK = Kind("bc:pick", (("pair", "person", "unanswered"), int))
BROADCAST_TO = Kind("bc:a", (str,))
BROADCAST_SEND = Kind("bc:send")
BROADCAST_LATER = Kind("bc:later")
BROADCAST_AT = Kind("bc:at", (int,))
BROADCAST_REWRITE = Kind("bc:rewrite")
# Issue 19: the words in another language (write or replace, drop), back to the preview
BROADCAST_VERSION = Kind("bc:lv", (str,))
BROADCAST_VERSION_DROP = Kind("bc:ld", (str,))
BROADCAST_VERSIONS = Kind("bc:lp")
BROADCASTS = Kind("bx:list")
BROADCAST_CORRECT = Kind("bx:e", (int,))
BROADCAST_CORRECT_SEND = Kind("bx:E", (int,))
BROADCAST_WITHDRAW_ASK = Kind("bx:w", (int,))
BROADCAST_WITHDRAW = Kind("bx:W", (int,))

# Meetings, for staff
MEETINGS = Kind("mt:list")
MEETING_WHO = Kind("mt:r", (int,))
MEETING_MOVE = Kind("mt:m", (int,))
MEETING_MOVE_CONFIRM = Kind("mt:M", (int, int))  # the meeting, its new start (a timestamp)
MEETING_CANCEL_ASK = Kind("mt:c", (int,))
MEETING_CANCEL = Kind("mt:C", (int,))
MEETING_KEEP = Kind("mt:keep")
NEW_MEETING = Kind("mn:start")
NEW_MEETING_COHORT = Kind("mn:c", (int,))
NEW_MEETING_LENGTH = Kind("mn:l", (int,))
NEW_MEETING_NO_PLACE = Kind("mn:p")
NEW_MEETING_PAPER = Kind("mn:b", (str,))
NEW_MEETING_PAPERS_DONE = Kind("mn:done")
NEW_MEETING_CREATE = Kind("mn:ok")

# Pairs: /pairs for staff, /pair for partners
PAIRS = Kind("pp:list")
PAIR_NEW = Kind("pp:n", (int,))
PAIR_FIRST = Kind("pp:f", (int, int))
PAIR_SECOND = Kind("pp:s", (int, int, int))
PAIR_END_ASK = Kind("pp:u", (int,))
PAIR_END = Kind("pp:U", (int,))
PAIR_WRITE = Kind("pr:write")
PAIR_STOP = Kind("pr:stop")
PAIR_RESUME = Kind("pr:resume")
PAIR_REPORT = Kind("pr:report")
PAIR_NUDGES = Kind("pr:nudges", (("on", "off"),))

# Agenda items from partners (issue 17): /propose and /agenda for partners, /agenda for staff
AGENDA_LIST = Kind("ag:list")
AGENDA_PROPOSE = Kind("ag:new")
AGENDA_LINK = Kind("ag:l", (int, int))  # the draft item, the reflection (0: none)
AGENDA_SHARE = Kind("ag:ok", (int,))
AGENDA_WITHDRAW = Kind("ag:w", (int,))
AGENDA_SUPPORT = Kind("ag:s", (int,))
AGENDA_COMMENT = Kind("ag:c", (int,))
AGENDA_ACCEPT = Kind("agt:a", (int,))
AGENDA_ACCEPT_FOR = Kind("agt:A", (int, int))  # the item, the meeting
AGENDA_MERGE = Kind("agt:m", (int,))
AGENDA_MERGE_INTO = Kind("agt:M", (int, int))  # the item, the item it joins
AGENDA_DECLINE = Kind("agt:n", (int,))
AGENDA_OUTCOME = Kind("agt:o", (int,))
AGENDA_PAIR = Kind("agp", (int, ("ask", "join", "no", "leave")))  # a pair proposes together
# What matters to us (issue 17): /measures for partners and staff
MEASURES = Kind("ms:list")
MEASURE_NEW = Kind("ms:new")
MEASURE_VOTE = Kind("msv", (int, ("yes", "no", "withdraw")))
MEASURE_RUN = Kind("msr", (int, ("adopt", "Adopt", "retire", "Retire")))
MEASURE_OUTCOME = Kind("mso", (int,))  # issue 17 part 4: "you said, we did" for a measure
# The meeting loop (issue 17 part 4): a meeting's summary for its facilitators
MEETING_SUMMARY = Kind("mts", (int,))
# Board members (issue 17): their learning after a meeting, and partners' reactions
BOARD_DIGEST = Kind("bd", (int,))
BOARD_LEARNING = Kind("bl", (int, ("send", "drop")))
BOARD_REACT = Kind("blr", (int, ("helps", "talk")))
# Attendance, for staff (issue 18): /attendance, its sheets, and endorsing a partner
ATTENDANCE = Kind("at:list")
ATTENDANCE_SHEET = Kind("at:s", (int,))
ATTENDANCE_TICK = Kind("at:t", (int, int))  # the meeting, the partner
ATTENDANCE_CONFIRM = Kind("at:ok", (int,))
ENDORSE_LIST = Kind("at:p")
ENDORSE = Kind("at:e", (int,))  # the partner
# The record of contribution, for partners (issue 18): /record
RECORD = Kind("rec")
RECORD_PDF = Kind("rec:pdf")
RECORD_ADD = Kind("rec:add")
RECORD_SKIP = Kind("rec:skip")
RECORD_MINE = Kind("rec:mine")
RECORD_REMOVE = Kind("rec:rm", (int,))
RECORD_ENDORSEMENT = Kind("rec:e", (int, YES_NO))
# One-to-one briefings (issue 18): /book for partners (bk) and for hosts (bkh)
BOOK_LIST = Kind("bk:list")
BOOK_PICK = Kind("bk:p", (int,))  # a free slot: book it (or move to it)?
BOOK_CONFIRM = Kind("bk:y", (int,))
BOOK_MOVE = Kind("bk:m", (int,))  # the booking: which time instead?
BOOK_MOVE_TO = Kind("bk:M", (int, int))  # the booking, the slot it moves to
BOOK_CANCEL_ASK = Kind("bk:c", (int,))
BOOK_CANCEL = Kind("bk:C", (int,))
BOOK_FILE = Kind("bk:i", (int,))  # the booking as an .ics file
HOST_LIST = Kind("bkh:list")
HOST_NEW = Kind("bkh:n", (int,))  # the cohort (0: choose one)
HOST_DAY = Kind("bkh:d", (int, int))  # the cohort, the day (a date's ordinal)
HOST_TIME = Kind("bkh:t", (int, int, int))  # ..., the start (minutes after midnight)
HOST_LENGTH = Kind("bkh:l", (int, int, int, int))  # ..., the length in minutes
HOST_CANCEL_ASK = Kind("bkh:c", (int,))
HOST_CANCEL = Kind("bkh:C", (int,))
# Champions and mentoring (issue 18): `ch` for partners (champions, mentees), `chs` for staff
CHAMPIONS = Kind("ch:list")
CHAMPION_ANSWER = Kind("ch:a", (int, YES_NO))  # the champion row
CHAMPION_STEP_DOWN = Kind("ch:d", (int, ("ask", "yes")))
MENTOR_ANSWER = Kind("ch:o", (int, YES_NO))  # the mentorship
MENTOR_WRITE = Kind("ch:w", (int,))
MENTOR_STOP = Kind("ch:s", (int, ("stop", "resume")))
MENTOR_REPORT = Kind("ch:r", (int,))
MENTOR_FINE = Kind("ch:ok", (int,))
CHAMPIONS_STAFF = Kind("chs:list")
CHAMPION_CANDIDATES = Kind("chs:c", (int,))  # the cohort
CHAMPION_ASK = Kind("chs:a", (int, int))  # the cohort, the partner
CHAMPION_END = Kind("chs:e", (int, ("ask", "yes")))  # the champion row
MENTOR_CHOOSE = Kind("chs:m", (int, int))  # the cohort, the new partner
MENTOR_OFFER = Kind("chs:o", (int, int))  # the new partner, the champion row
# Involvement payments and expenses (issue 18): /claim for partners
CLAIMS = Kind("cl")
CLAIM_OFFER = Kind("cl:a", (int, ("yes", "later", "nopay")))
CLAIM_START = Kind("cl:s", (int,))
CLAIM_SHOW = Kind("cl:v", (int,))
CLAIM_EXPENSE = Kind("cl:e", (int,))
CLAIM_CATEGORY = Kind("cl:c", (int, int))
CLAIM_NO_RECEIPT = Kind("cl:n", (int,))
CLAIM_SEND = Kind("cl:send", (int,))
CLAIM_ANSWER = Kind("cl:q", (int,))
CLAIM_PAYMENT = Kind("cl:p", (("on", "off"),))


def every_kind() -> dict[str, Kind]:
    """Every kind defined here, by constant name."""
    return {name: value for name, value in globals().items() if isinstance(value, Kind)}


def name_of(kind: Kind) -> str:
    """A kind's constant name ("BROADCAST_WITHDRAW"), for logs and the audit trail."""
    return next(name for name, found in every_kind().items() if found == kind)


# Actions the domain attaches to notices it queues (it cannot import this module): the
# dispatcher turns each into the button's data when the notice is sent.
ACTIONS: dict[str, Kind] = {
    "question.reply": QUESTION_REPLY,
    "pair.write": PAIR_WRITE,
    "pair.stop": PAIR_STOP,
    "pair.report": PAIR_REPORT,
    "pair.nudges": PAIR_NUDGES,
    "concern.acknowledge": CONCERN_ACKNOWLEDGE,
    "concern.contacted": CONCERN_CONTACTED,
    "agenda.list": AGENDA_LIST,
    "agenda.pair": AGENDA_PAIR,
    "measures.list": MEASURES,
    "learning.react": BOARD_REACT,  # issue 17
    "attendance.sheet": ATTENDANCE_SHEET,  # issue 18
    "record.endorsement": RECORD_ENDORSEMENT,
    "bookings.list": BOOK_LIST,  # issue 18: one-to-one briefings
    "bookings.host": HOST_LIST,
    "bookings.add": HOST_NEW,
    # issue 18: champions and mentoring
    "champion.answer": CHAMPION_ANSWER,
    "mentor.answer": MENTOR_ANSWER,
    "mentor.write": MENTOR_WRITE,
    "mentor.stop": MENTOR_STOP,
    "mentor.report": MENTOR_REPORT,
    "mentor.fine": MENTOR_FINE,
    # issue 18: claims
    "claims.list": CLAIMS,
    "claim.offer": CLAIM_OFFER,
    "claim.show": CLAIM_SHOW,
    "claim.expense": CLAIM_EXPENSE,
    "claim.answer": CLAIM_ANSWER,
}
