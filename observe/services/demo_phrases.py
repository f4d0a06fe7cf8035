"""The words of the demo data: people, places, and what an observer writes down.

Every name here is invented. Notes are written the way a peer observer types during a
session: short, concrete, in the present or past tense, tagged to a criterion. ``{f}`` is
the facilitator the note is about and ``{o}`` their co-facilitator (first names).
"""

from __future__ import annotations

PROGRAMME = "Practice Supervisor Development Programme"

WAVES = ["1", "2", "3"]

REGIONS = [
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
]

PARTNERS = [
    "Tyne & Wear Learning Collaborative",
    "Pennine Practice Partnership",
    "Ridings Children's Services Academy",
    "Trent Valley Workforce Hub",
    "Black Country Practice Exchange",
    "Fenland & Broads Learning Network",
    "Thames Gateway Social Work Academy",
    "Downs and Weald Practice Alliance",
    "Severn Estuary Learning Partnership",
]

FACILITATORS = [
    "Amara Okafor",
    "Tom Hargreaves",
    "Priya Chaudhary",
    "Siân Llewellyn",
    "Kwame Mensah",
    "Hannah Whitfield",
    "Bilal Qureshi",
    "Niamh Gallagher",
    "Marcus Thompson",
    "Yetunde Adebayo",
    "Joanna Kowalska",
    "Daniel Osei",
    "Fatima Zahra Idrissi",
    "Gareth Pritchard",
    "Mei Lin Chen",
    "Ruth Abernethy",
    "Samuel Nwosu",
    "Aisling Brennan",
    "Harpreet Sandhu",
    "Lewis McAllister",
    "Zainab Hussain",
    "Claire Dubois",
    "Olusegun Bakare",
    "Eleni Papadopoulos",
]

COHORT_CODES = {
    "North East": "NE",
    "North West": "NW",
    "Yorkshire and the Humber": "YH",
    "East Midlands": "EM",
    "West Midlands": "WM",
    "East of England": "EE",
    "London": "LN",
    "South East": "SE",
    "South West": "SW",
}

TITLES = [
    "Module 1: The supervisory relationship",
    "Module 2: Leading a learning culture",
    "Module 3: Emotionally intelligent supervision",
    "Module 4: Reflective supervision in practice",
    "Module 5: Anti-racist and inclusive supervision",
    "Module 6: Supervising risk and uncertainty",
    "Module 7: Supporting practice quality",
    "Action learning set",
]

PHASES = [
    "Arrival and check-in",
    "Opening input",
    "Small-group work",
    "Plenary discussion",
    "Case discussion",
    "Reflection and close",
]

# criterion -> [(kind, text)]; kinds: observation, strength, development, question, quote
NOTES: dict[str, list[tuple[str, str]]] = {
    "R1": [
        ("strength", "{f} greeted each person by name at the door and asked about their week"),
        ("observation", "{f} revisited the group agreement before the first discussion"),
        ("quote", "What you bring in here stays in here, unless someone is at risk"),
        ("development", "Two late arrivals were not welcomed in; they sat at the back"),
    ],
    "R2": [
        ("strength", "When a participant became tearful {f} slowed right down and gave time"),
        ("observation", "Discussion of a child death review got heated; {f} named the tension"),
        ("development", "A strong reaction to the case study was moved past quickly"),
        ("question", "How did {f} decide whether to check in privately after the break?"),
    ],
    "R3": [
        ("strength", "{f} explicitly linked how the room was held to holding a supervisee"),
        ("quote", "Notice what I just did there. Would that work with your team?"),
        ("development", "The parallel process was mentioned but not explored with the group"),
    ],
    "L1": [
        ("strength", "{f} thought aloud about not knowing the answer to a legal question"),
        ("quote", "I'm not sure, and I think that uncertainty is worth staying with"),
        ("observation", "{f} paused and asked the group what they made of the dilemma"),
    ],
    "L2": [
        ("strength", "{f} shared a supervision that went badly and what was learned from it"),
        ("observation", "Slides went wrong; {f} laughed it off and carried on calmly"),
        ("development", "{f} seemed to present practice as tidier than it is"),
    ],
    "L3": [
        ("strength", "{f} thanked a participant for disagreeing and asked for more"),
        ("development", "A challenge about caseloads was acknowledged but closed down"),
        ("question", "Could the challenge on thresholds have been opened to the whole group?"),
        ("quote", "Push back on me, that's what we're here for"),
    ],
    "P1": [
        ("strength", "The group worked on a real dilemma brought by a participant, not a vignette"),
        ("observation", "{f} asked each table to pick a live case from their own team"),
        ("development", "Much of the hour was slides; little space for participants' own cases"),
    ],
    "P2": [
        ("strength", "{f} named the emotional load of court work and gave it space"),
        ("observation", "Participants spoke about anxiety before supervision with a manager"),
        ("question", "Was there a chance to link feelings about the case to decision making?"),
    ],
    "P3": [
        ("strength", "Everyone wrote one thing to try in supervision next week"),
        ("development", "The session ended before anyone said what they would do differently"),
        ("quote", "What will your supervisees notice is different on Monday?"),
    ],
    "F1": [
        ("strength", "{f} left a full minute of silence after the question, and it paid off"),
        ("development", "Reflection time was cut to five minutes because the input overran"),
        ("observation", "Quiet pairs reflection before the plenary"),
    ],
    "F2": [
        ("strength", "{f} used a follow-up question that took the group from what to why"),
        ("quote", "And what was going on for you in that moment?"),
        ("development", "Prompts stayed at the level of what happened; few asked about meaning"),
    ],
    "F3": [
        ("strength", "{f} linked the discussion to the reflective cycle without lecturing"),
        ("observation", "Research on supervision and retention cited with the source on a slide"),
        ("development", "The theory section felt separate from the case that followed"),
        ("question", "Could the attachment model have been applied to the group's own case?"),
    ],
    "D1": [
        ("strength", "{f} raised race directly in the case discussion and held the silence"),
        (
            "observation",
            "A participant described racism from a family; {f} acknowledged its impact",
        ),
        ("development", "Race came up in the case study but was not picked up"),
        ("quote", "Let's be brave here and talk about what race means in this case"),
    ],
    "D2": [
        ("strength", "{f} used the social GRACES to look at the supervisor-worker relationship"),
        ("question", "Which GRACES were visible in the room, and which were not named?"),
        ("observation", "Discussion of class and education in how families experience us"),
    ],
    "D3": [
        ("strength", "{f} checked access needs at the start and offered breaks"),
        ("development", "Small print on the handout; one participant struggled to read it"),
        ("observation", "Neurodiversity in the workforce discussed in relation to supervision"),
    ],
    "D4": [
        ("strength", "{f} noticed who had not spoken and created a way in for them"),
        ("development", "Three voices dominated the plenary; quieter people did not speak"),
        ("observation", "Round used so everyone gave one word before open discussion"),
    ],
    "S1": [
        ("strength", "Clear outcomes shared at the start and revisited before the break"),
        ("observation", "{f} showed the plan for the day and where this module fits"),
        ("development", "The purpose of the second activity was not clear to the group"),
    ],
    "S2": [
        ("development", "Input overran by 20 minutes; the last exercise was rushed"),
        ("strength", "{f} read the energy after lunch and changed the order of activities"),
        ("observation", "Break taken on time; group came back promptly"),
    ],
    "S3": [
        ("strength", "The core model was explained clearly with a worked example"),
        ("observation", "{f} used the programme's case study and slides as designed"),
        ("development", "One key message of the module was left out"),
    ],
    "S4": [
        ("strength", "Small groups had clear tasks and a report-back that built on each other"),
        ("observation", "Groups of three with roles: supervisor, supervisee, observer"),
        ("development", "One group finished early and drifted; no one checked on them"),
    ],
    "C1": [
        ("strength", "{f} and {o} handed over smoothly; roles clearly agreed"),
        ("development", "Some confusion about who was leading the next activity"),
    ],
    "C2": [
        ("strength", "{o} added a practice example that built on {f}'s point"),
        ("observation", "{f} and {o} checked with each other before changing the timing"),
        ("development", "{o} interrupted {f} mid-explanation; the thread was lost"),
    ],
    "C3": [
        ("strength", "{f} and {o} disagreed openly and respectfully, modelling a good debate"),
        ("quote", "{o} sees this differently from me, and that's useful"),
    ],
    "O1": [
        ("strength", "{f} had the links, slides and chat ready; no time lost to technology"),
        ("development", "Screen share froze twice; no plan B for the video"),
        ("observation", "{o} managed the chat while {f} led the input"),
    ],
    "O2": [
        ("strength", "Breakout task pasted in the chat and on a slide before rooms opened"),
        ("development", "Breakout rooms were opened without a clear question"),
        ("question", "Would visiting the breakout rooms have helped the quieter group?"),
    ],
    "O3": [
        ("strength", "{f} used names, reactions and the chat to keep everyone engaged"),
        ("development", "Long stretch of presentation; several cameras went off"),
        ("observation", "Poll used to check understanding halfway through"),
    ],
    "O4": [
        ("strength", "{f} opened with a check-in that gave everyone a voice online"),
        ("development", "Cameras-off participants were not invited in"),
        ("quote", "It's fine to have your camera off; use the chat whenever you want"),
    ],
}

# General notes not tied to one criterion.
GENERAL = [
    ("observation", "Room set out in small tables; 14 participants"),
    ("observation", "Break"),
    ("observation", "Participants back from lunch, energy lower"),
    ("question", "I wonder what the group made of the second case study?"),
]

# domain id -> what an observer writes about it, as a strength and as a point to develop
STRENGTHS = {
    "REL": "Warm, containing presence; people clearly felt safe to speak.",
    "OPN": "Thinks aloud and models uncertainty in a way the group can learn from.",
    "PRC": "Excellent use of participants' own practice dilemmas.",
    "RFL": "Made time for reflection and protected it.",
    "DEI": "Race and difference were discussed bravely and with care.",
    "DEL": "Clear structure and good use of small groups.",
    "COF": "Strong co-facilitation: generous, visible teamwork.",
    "ONL": "Confident online facilitation that kept everyone connected.",
}

DEVELOPMENT = {
    "REL": "Name the parallel process explicitly so participants can use it.",
    "OPN": "Stay with challenge a little longer before closing it down.",
    "PRC": "Bring participants' own cases in earlier, before the prepared vignette.",
    "RFL": "Protect the reflection time when the input runs long.",
    "DEI": "Invite the quieter voices in more deliberately.",
    "DEL": "Make the purpose of each activity explicit at the start.",
    "COF": "Agree roles for each activity with your co-facilitator beforehand.",
    "ONL": "Use breakout rooms with a clear, written task.",
}

SUMMARIES = [
    "A thoughtful session with real engagement; thank you for having me observe.",
    "Participants left with concrete ideas for their own supervision.",
    "A well-held session; a few moments where the pace squeezed the reflection.",
    "Lots to learn from here, for me as much as for you.",
]

REFLECTIONS = [
    "Thank you; it was helpful to hear the evidence with times. I agree the reflection"
    " time got squeezed and I know why.",
    "Useful feedback. I had not noticed how much I was talking in the first hour.",
    "I recognise the strengths and want to build on the small-group work.",
    "Good to have a peer in the room; the notes on the parallel process made me think.",
]

ACTIONS = [
    "Plan reflection time as fixed, not flexible",
    "Agree roles with my co-facilitator before each session",
    "Try a round to bring in quieter voices",
    "Prepare a written task for every breakout room",
    "Name the parallel process at least once per module",
    "Revisit the module plan to trim the input",
]

DISAGREEMENTS = [
    "I don't agree that the challenge was closed down: we returned to it after the break,"
    " which the notes do not show.",
    "The case study was changed at the group's request, so the content was delivered"
    " differently on purpose.",
]
