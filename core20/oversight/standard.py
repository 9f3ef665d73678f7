"""The standard quarterly return, copied into a wave's template when the national team
creates one (and then changed as the wave needs).

It asks what the programme's learning and evaluation needs (the narrative of the quarter
and what communities said and changed), and the figures commonly collected by connector
schemes (domain notes §7): connectors, activities, reach, insight, funding and places.
Figures the platform already holds are prefilled (core20.oversight.prefill).
"""

NARRATIVE = "narrative"
NUMBER = "number"
MONEY = "money"

# (section title, description, [(key, text, hint, kind, prefill, required, column label)])
STANDARD_SECTIONS = [
    (
        "Progress this quarter",
        "In your own words: what happened, what helped and what got in the way.",
        [
            (
                "summary",
                "Summary of progress this quarter",
                "A few paragraphs the national team can share in programme updates.",
                NARRATIVE,
                "",
                True,
                "",
            ),
            (
                "what_went_well",
                "What went well",
                "",
                NARRATIVE,
                "",
                False,
                "",
            ),
            (
                "challenges",
                "Challenges, and how you are dealing with them",
                "",
                NARRATIVE,
                "",
                False,
                "",
            ),
            (
                "community_voice",
                "What communities told you, and what changed as a result",
                "For example a service that changed how it works after hearing from "
                "connectors (“you said, we did”).",
                NARRATIVE,
                "",
                False,
                "",
            ),
            (
                "next_quarter",
                "Plans for next quarter",
                "",
                NARRATIVE,
                "",
                False,
                "",
            ),
        ],
    ),
    (
        "Connectors and activity",
        "Counts for the quarter. Enter 0 if none; leave blank if you do not know.",
        [
            (
                "connectors_recruited",
                "How many connectors did you recruit this quarter?",
                "",
                NUMBER,
                "connectors_recruited",
                False,
                "Connectors recruited",
            ),
            (
                "connectors_active",
                "How many connectors were active this quarter?",
                "",
                NUMBER,
                "connectors_active",
                False,
                "Connectors active",
            ),
            (
                "activities_held",
                "How many community activities did connectors run or attend?",
                "",
                NUMBER,
                "activities_held",
                False,
                "Activities",
            ),
            (
                "people_reached",
                "Roughly how many people did connectors reach?",
                "",
                NUMBER,
                "people_reached",
                False,
                "People reached",
            ),
            (
                "insights_recorded",
                "How many pieces of insight did you pass to decision-makers?",
                "Insights sent to at least one decision-making organisation or forum this "
                "quarter. Insights recorded but not sent do not count.",
                NUMBER,
                "insights_recorded",
                False,
                "Insights sent",
            ),
        ],
    ),
    (
        "Funding",
        "Spend comes from what you report on your site's funding page.",
        [
            (
                "spend_this_quarter",
                "Programme funding spent this quarter (£)",
                "",
                MONEY,
                "spend_this_quarter",
                False,
                "Spent in quarter",
            ),
            (
                "micro_grants_awarded",
                "Micro-grants awarded to community groups this quarter (£)",
                "Leave blank if your site does not give micro-grants.",
                MONEY,
                "micro_grants_awarded",
                False,
                "Micro-grants",
            ),
            (
                "funding_note",
                "Anything the national team should know about your spending",
                "For example spend that was delayed, and when you expect it.",
                NARRATIVE,
                "",
                False,
                "",
            ),
        ],
    ),
    (
        "Places and partners",
        "Where you work and who with.",
        [
            (
                "target_population",
                "How many people live in the areas you target?",
                "",
                NUMBER,
                "target_population",
                False,
                "Target population",
            ),
            (
                "core20_population",
                "How many of them live in Core20 neighbourhoods?",
                "The most deprived 20% of neighbourhoods in England.",
                NUMBER,
                "core20_population",
                False,
                "Core20 population",
            ),
            (
                "partner_organisations",
                "How many organisations are you working with?",
                "",
                NUMBER,
                "partner_organisations",
                False,
                "Organisations",
            ),
        ],
    ),
]
