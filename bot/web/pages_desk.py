"""Dashboard pages other than reflections and broadcasts: overview, a partner's timeline,
participation, questions, meetings and outcomes. (The audit log is in pages_audit.py.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.responses import RedirectResponse, Response

from bot.domain import outcomes, overview, participation, questions
from bot.domain.reflection_search import ReflectionFilter, search
from bot.models import QuestionStatus
from bot.web.auth import RouteCall, staff_route
from bot.web.charts import bar_chart, line_chart
from bot.web.context import page


def home(call: RouteCall) -> Response:
    """GET /dashboard: cohorts, upcoming meetings, this month, open questions and flags."""
    viewer, now = call.viewer, call.dashboard.clock.now()
    with call.dashboard.db.reading() as session:
        cohorts = overview.cohort_summaries(session, viewer_id=viewer.person_id)
        cohort_ids = [c.id for c in cohorts]
        upcoming = overview.upcoming(session, viewer_id=viewer.person_id, now=now)
        responded, eligible = participation.this_month(session, cohort_ids=cohort_ids, now=now)
        open_questions = questions.open_questions(session, viewer_id=viewer.person_id, limit=5)
        flagged = search(
            session,
            viewer_id=viewer.person_id,
            wanted=ReflectionFilter(flagged=True),
            prompt_sets=call.dashboard.library.prompt_sets,
            per_page=5,
        )
    return page(
        call.request,
        "overview.html",
        {
            "cohorts": cohorts,
            "upcoming": upcoming,
            "responded": responded,
            "eligible": eligible,
            "open_questions": open_questions,
            "flagged": flagged,
        },
    )


def partner_timeline(call: RouteCall) -> Response:
    """GET /dashboard/partners/{id}: what one partner has read, shared, asked and said."""
    person_id = int(call.request.path_params["person_id"])
    titles = {b.id: b.meta.title for b in call.dashboard.library.briefings.values()}
    with call.dashboard.db.reading() as session:
        person, entries = overview.timeline(
            session, viewer_id=call.viewer.person_id, person_id=person_id, briefing_titles=titles
        )
    call.audit.subject = person_id
    return page(call.request, "partner.html", {"person": person, "entries": entries})


def participation_page(call: RouteCall) -> Response:
    """GET /dashboard/participation: response rates per meeting, partner and cohort."""
    now = call.dashboard.clock.now()
    with call.dashboard.db.reading() as session:
        cohorts = overview.cohort_summaries(session, viewer_id=call.viewer.person_id)
        ids = [c.id for c in cohorts]
        meetings = participation.by_meeting(session, cohort_ids=ids, now=now, limit=12)
        partners = participation.by_partner(
            session, cohort_ids=ids, now=now, since=now - timedelta(days=183)
        )
        months = participation.by_month(session, cohort_ids=ids, now=now, months=6)
    series: dict[str, list[tuple[str, float]]] = {}
    for month in months:
        points = series.setdefault(month.cohort, [])
        if month.eligible:  # a month without meetings has no rate, not a rate of 0%
            points.append((month.month.strftime("%b %Y"), month.rate))
    return page(
        call.request,
        "participation.html",
        {
            "meetings": meetings,
            "partners": partners,
            "months": months,
            "meeting_chart": bar_chart(
                [(f"{m.title}, {m.starts_at:%d %b}", m.rate) for m in meetings[::-1]],
                label="Response rate per meeting",
            ),
            "partner_chart": bar_chart(
                [(p.name, p.rate) for p in partners[:30]],
                label="Response rate per partner (lowest first)",
            ),
            "month_chart": line_chart(series, label="Response rate per cohort, by month"),
        },
    )


def questions_page(call: RouteCall) -> Response:
    """GET /dashboard/questions: partners' questions, open first, with a reply box."""
    show = call.query("show", "open")
    with call.dashboard.db.reading() as session:
        found = questions.inbox(
            session,
            viewer_id=call.viewer.person_id,
            status=None if show == "all" else QuestionStatus.OPEN,
        )
    call.audit.detail = f"{len(found)} shown"
    return page(
        call.request,
        "questions.html",
        {
            "found": found,
            "show": show,
            "done": call.query("done"),
            "briefings": {b.id: b.meta.title for b in call.dashboard.library.briefings.values()},
        },
    )


def question_answer(call: RouteCall) -> Response:
    """POST /dashboard/questions/{id}/answer: the answer reaches the partner in Telegram."""
    question_id = int(call.request.path_params["question_id"])
    with call.dashboard.db.transaction() as session:
        questions.answer_question(
            session,
            viewer_id=call.viewer.person_id,
            question_id=question_id,
            text=call.field("text"),
            clock=call.dashboard.clock,
        )
    return RedirectResponse("/dashboard/questions?done=answered", 303)


def question_outcome(call: RouteCall) -> Response:
    """POST /dashboard/questions/{id}/outcome: what came of a question ("you said, we did")."""
    question_id = int(call.request.path_params["question_id"])
    with call.dashboard.db.transaction() as session:
        outcomes.record_outcome(
            session,
            viewer_id=call.viewer.person_id,
            clock=call.dashboard.clock,
            text=call.field("text"),
            prompt_sets=call.dashboard.library.prompt_sets,
            question_id=question_id,
        )
    return RedirectResponse("/dashboard/questions?show=all&done=outcome", 303)


def meetings_page(call: RouteCall) -> Response:
    """GET /dashboard/meetings: a calendar of the viewer's cohorts' meetings by month."""
    now = call.dashboard.clock.now()
    month = call.query("month")
    try:
        first = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC) if month else None
    except ValueError:
        first = None
    if first is None:
        first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (first + timedelta(days=32)).replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    with call.dashboard.db.reading() as session:
        found = overview.meetings(
            session, viewer_id=call.viewer.person_id, after=first, before=following
        )
    return page(
        call.request,
        "meetings.html",
        {
            "found": found,
            "month": first,
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
            "now": now,
        },
    )


def outcomes_page(call: RouteCall) -> Response:
    """GET /dashboard/outcomes: every "you said, we did" so far."""
    with call.dashboard.db.reading() as session:
        found = overview.outcomes(session, viewer_id=call.viewer.person_id)
    return page(call.request, "outcomes.html", {"found": found})


home_route = staff_route(home, action="dashboard.view_overview")
partner_route = staff_route(partner_timeline, action="dashboard.view_partner")
participation_route = staff_route(participation_page, action="dashboard.view_participation")
questions_route = staff_route(questions_page, action="dashboard.view_questions")
answer_route = staff_route(question_answer, action="dashboard.answer_question")
question_outcome_route = staff_route(question_outcome, action="dashboard.record_outcome")
meetings_route = staff_route(meetings_page, action="dashboard.view_meetings")
outcomes_route = staff_route(outcomes_page, action="dashboard.view_outcomes")
