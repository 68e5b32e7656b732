"""The dashboard benchmark's data: 1,000 partners in 4 cohorts (24 meetings) and their
after-meeting reflections, bulk-inserted until there are the answers asked for."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

TEXT_QUESTIONS = ("learned", "surprised", "differently", "raise_next", "troubling")
SHARING = {"facilitators": 0.75, "anonymised": 0.15, "private": 0.10}
SENTENCES = (
    "The papers came too late to read properly",
    "Nobody explained the acronyms, so I asked about the jargon",
    "The chair listened when I spoke about waiting times",
    "Parking at the hospital was difficult again",
    "I learned how the budget for community nursing is decided",
    "I want to raise discharge letters at the next meeting",
    "I felt talked over during the finance item",
    "The online link dropped twice and I missed the vote",
)
RARE = "The pharmacy pilot in Harrow sounds promising"  # about 1 answer in 100


@dataclass
class Seeded:
    """What went into the database: ids to vary the filters, and what to expect back."""

    coordinator_id: int = 0
    cohorts: list[int] = field(default_factory=list)
    meetings: list[tuple[int, int, datetime]] = field(default_factory=list)  # id, cohort, end
    shared: set[int] = field(default_factory=set)
    private: set[int] = field(default_factory=set)
    answers: int = 0
    shared_answers: int = 0


def _insert(connection: Any, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """A bulk insert returning the new ids in the rows' order."""
    from sqlalchemy import insert

    returning = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(connection.execute(returning, rows).scalars())


def _people(connection: Any, seeded: Seeded, now: datetime, partners: int) -> list[Any]:
    """Four cohorts of partners and one coordinator; returns (person id, cohort id)."""
    from bot.models import Cohort, Membership, Person

    long_ago = now - timedelta(days=400)
    seeded.cohorts = _insert(
        connection, Cohort, [{"name": f"Cohort {c + 1}", "created_at": long_ago} for c in range(4)]
    )
    people = [
        {
            "preferred_name": f"Partner {n}" if n < partners else "Coordinator",
            "role": "partner" if n < partners else "coordinator",
            "status": "active",
            "created_at": long_ago,
        }
        for n in range(partners + 1)
    ]
    *ids, seeded.coordinator_id = _insert(connection, Person, people)
    members = [(person_id, seeded.cohorts[n % 4]) for n, person_id in enumerate(ids)]
    _insert(
        connection,
        Membership,
        [
            {"person_id": p, "cohort_id": c, "role": "partner", "joined_at": long_ago}
            for p, c in members
        ],
    )
    return members


def _meetings(connection: Any, seeded: Seeded, now: datetime, rng: random.Random) -> None:
    """Six past meetings per cohort, about two months apart over the past year."""
    from bot.models import Meeting

    rows = []
    for cohort_id in seeded.cohorts:
        for k in range(6):
            starts = now - timedelta(days=360 - 60 * k - rng.randint(0, 40), hours=3)
            rows.append(
                {
                    "cohort_id": cohort_id,
                    "title": f"Quality board {k + 1}",
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2),
                    "created_at": starts - timedelta(days=30),
                    "updated_at": starts - timedelta(days=30),
                }
            )
    ids = _insert(connection, Meeting, rows)
    seeded.meetings = [(i, r["cohort_id"], r["ends_at"]) for i, r in zip(ids, rows, strict=True)]


def _answers(rng: random.Random, finished: datetime) -> tuple[list[dict[str, Any]], bool]:
    """One reflection's answers (7, or 8 when a low equal_partner asks get_in_touch); about
    30% of the optional text questions are skipped."""
    equal = rng.choices(range(1, 6), weights=(1, 2, 3, 4, 3))[0]
    contact = equal <= 2 and rng.random() < 0.4
    rows: list[tuple[str, str, Any]] = [
        ("how_it_went", "scale", rng.randint(1, 5)),
        ("equal_partner", "scale", equal),
    ]
    if equal <= 2:
        rows.append(("get_in_touch", "yes_no", json.dumps(["yes" if contact else "no"])))
    for question in TEXT_QUESTIONS:
        said = RARE if rng.random() < 0.01 else ". ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
        rows.append((question, "text", said + "." if rng.random() < 0.7 else None))
    return [
        {
            "question_id": question,
            "kind": kind,
            "number": value if kind == "scale" else None,
            "choices": value if kind == "yes_no" else None,
            "text": value if kind == "text" else None,
            "skipped": value is None,
            "position": position,
            "answered_at": finished - timedelta(seconds=40 * (len(rows) - position)),
        }
        for position, (question, kind, value) in enumerate(rows)
    ], contact


def _reflection(seeded: Seeded, rng: random.Random, now: datetime, person: Any) -> dict[str, Any]:
    """A finished after-meeting reflection on one of the author's cohort's meetings."""
    meeting_id, _, ends_at = rng.choice([m for m in seeded.meetings if m[1] == person[1]])
    finished = min(ends_at + timedelta(minutes=rng.randint(180, 20_000)), now)
    sharing = rng.choices(list(SHARING), list(SHARING.values()))[0]
    flagged = sharing != "private" and rng.random() < 0.04
    return {
        "person_id": person[0],
        "prompt_set": "after-meeting",
        "title": "After the meeting",
        "status": "finished",
        "sharing": sharing,
        "meeting_id": meeting_id,
        "flagged_at": min(finished + timedelta(days=1), now) if flagged else None,
        "flagged_by": seeded.coordinator_id if flagged else None,
        "started_at": finished - timedelta(minutes=6),
        "updated_at": finished,
        "finished_at": finished,
    }


def seed(db: Any, rng: random.Random, *, partners: int, answers: int) -> Seeded:
    """Everyone, their meetings and reflections until there are `answers` answers."""
    from sqlalchemy import insert

    from bot.models import Answer, Reflection

    now, seeded = datetime.now(UTC), Seeded()
    with db.transaction() as session:
        connection = session.connection()
        members = _people(connection, seeded, now, partners)
        _meetings(connection, seeded, now, rng)
        reflections, planned = [], []
        while seeded.answers < answers:
            reflection = _reflection(seeded, rng, now, rng.choice(members))
            rows, reflection["wants_contact"] = _answers(rng, reflection["finished_at"])
            planned.append(rows[: answers - seeded.answers])
            reflections.append(reflection)
            seeded.answers += len(planned[-1])
        flat = []
        ids = _insert(connection, Reflection, reflections)
        for reflection_id, reflection, rows in zip(ids, reflections, planned, strict=True):
            private = reflection["sharing"] == "private"
            (seeded.private if private else seeded.shared).add(reflection_id)
            seeded.shared_answers += 0 if private else len(rows)
            flat += [{"reflection_id": reflection_id, **row} for row in rows]
        connection.execute(insert(Answer), flat)
    if not db.is_sqlite:  # as autovacuum soon would after a bulk load
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    return seeded
