"""What happened at the demo's two past board meetings (0: about five weeks ago, 1: about
nine days ago): the evening's debriefs, the flags, the "you said, we did" and partners'
questions. Tomasz chose not to have his answers kept, so he has no reflections."""

from __future__ import annotations

from bot.models import Sharing

__all__ = ["FLAGGED", "HISTORY", "OUTCOMES", "QUESTIONS"]

# (partner, meeting, local time it was finished, sharing, answers by question id);
# questions not given are skipped.
HISTORY: tuple[tuple[str, int, str, Sharing, dict[str, str | int]], ...] = (
    (
        "Amina",
        0,
        "19:35",
        Sharing.FACILITATORS,
        {
            "how_it_went": 3,
            "equal_partner": 2,
            "get_in_touch": "yes",
            "learned": "The discharge letters are written by three different teams, and none "
            "of them use the same words. No wonder families get confused.",
            "surprised": "How few people in the room had ever read one of the letters.",
            "raise_next": "Ask who will put the discharge letters into plain English, and when.",
            "troubling": "I was talked over twice when I tried to give an example. The chair "
            "moved on before I had finished.",
        },
    ),
    (
        "Dev",
        0,
        "20:05",
        Sharing.FACILITATORS,
        {
            "how_it_went": 4,
            "equal_partner": 4,
            "learned": "Hospital transport has to be booked 48 hours ahead. Most patients I know "
            "don't hear about an appointment that early.",
            "surprised": "The consultant agreed with me about transport, out loud, in front of "
            "everyone.",
            "raise_next": "Could the appointment letter say how to book transport?",
        },
    ),
    (
        "Grace",
        0,
        "20:40",
        Sharing.PRIVATE,
        {
            "how_it_went": 2,
            "equal_partner": 1,
            "get_in_touch": "no",
            "differently": "PRIVATE: I would sit nearer the chair next time, so I can't be missed.",
            "troubling": "PRIVATE: I felt invisible when the chair ignored me.",
        },
    ),
    (
        "Priya",
        0,
        "19:15",
        Sharing.ANONYMISED,
        {
            "how_it_went": 3,
            "equal_partner": 3,
            "learned": "The papers arrived on Tuesday night for a Thursday meeting. Sixty pages "
            "is too much to read in a day around work.",
            "differently": "Print the papers at the library and mark the words I don't know.",
            "raise_next": "Papers need to come out at least a week before the meeting.",
        },
    ),
    (
        "Kwame",
        0,
        "20:20",
        Sharing.FACILITATORS,
        {
            "how_it_went": 4,
            "equal_partner": 5,
            "learned": "People wait about six weeks for a care package after leaving hospital.",
            "surprised": "Two board members said at the start that they are carers too.",
        },
    ),
    (
        "Amina",
        1,
        "19:20",
        Sharing.FACILITATORS,
        {
            "how_it_went": 4,
            "equal_partner": 3,
            "learned": "The letters are being rewritten. It felt good to hear my example read "
            "back to the board.",
            "raise_next": "Waiting times for the falls clinic: eleven weeks for a first visit.",
        },
    ),
    (
        "Dev",
        1,
        "20:50",
        Sharing.ANONYMISED,
        {
            "how_it_went": 2,
            "equal_partner": 2,
            "get_in_touch": "no",
            "learned": "The frailty budget was settled before the meeting. We were asked to "
            "comment, not to decide.",
            "troubling": "I was talked over when I asked about transport. Someone said \"we've "
            "covered that\", but we hadn't.",
        },
    ),
    (
        "Priya",
        1,
        "19:45",
        Sharing.FACILITATORS,
        {
            "how_it_went": 4,
            "equal_partner": 4,
            "learned": "What a virtual ward is: care at home, with checks by phone and video.",
            "differently": "Ask my question early, before the finance item takes all the time.",
            "raise_next": "Can someone go through the budget tables with us before the meeting?",
        },
    ),
    (
        "Kwame",
        1,
        "20:30",
        Sharing.FACILITATORS,
        {
            "how_it_went": 3,
            "equal_partner": 2,
            "get_in_touch": "no",
            "learned": "Joining by video from Lagos worked, but nobody heard me when I unmuted. "
            "I typed in the chat and it was read out at the end.",
            "raise_next": "How long do people wait in A&E before a frailty nurse sees them?",
        },
    ),
)
FLAGGED = (("Amina", 0), ("Dev", 1))
# (partner whose reflection at meeting 0, the outcome at meeting 1)
OUTCOMES = (
    (
        "Amina",
        "The discharge team agreed to rewrite their letters in plain English, with two "
        "lay partners checking the drafts before they go out.",
    ),
    (
        "Dev",
        "The transport lead agreed that appointment letters will say how to book hospital "
        "transport, starting with the frailty clinic.",
    ),
)
# (partner, meeting, days after it, local time, question, Margaret's answer the next day)
QUESTIONS: tuple[tuple[str, int, int, str, str, str | None], ...] = (
    (
        "Kwame",
        0,
        4,
        "11:20",
        "Why does hospital transport have to be booked two days ahead? "
        "Some patients only hear about their appointment the day before.",
        "Good question. It's in the transport contract, which the board reviews this spring. "
        "I've asked the transport lead to come to the next board to explain it.",
    ),
    (
        "Priya",
        1,
        -7,
        "20:10",
        "What is a virtual ward? It comes up three times in the papers.",
        "It means care at home instead of a hospital bed: nurses check in by phone or video and "
        "visit when needed. I'll ask the chair to explain it at the start on Thursday.",
    ),
    (
        "Dev",
        1,
        1,
        "08:15",
        "Who do I speak to about being paid for reading time? The claim "
        "form only has a box for the meeting itself.",
        None,
    ),
)
