"""Letters the tests write, shared where several tests need the same one."""

import re

# A careful writer's thank-you, in none of the words the old keyword checklist looked for.
NATURAL = """Dear Ada,

It was a real pleasure to meet you and the team on Tuesday.

The role is still top of my list.

I spent three years moving a finance team from spreadsheets to dbt, with tests on every model.

I would be glad to meet again whenever suits you and the team.

Best regards,
Olivia"""
# What the checklist used to look for; NATURAL uses none of it.
OLD_KEYWORDS = re.compile(
    r"thank|appreciat|grateful|interest|excited|keen|eager|\bfit\b|experience|skills?|"
    r"background|availab",
    re.I,
)
THANK_YOU_PARTS = ["appreciation", "still_interested", "great_fit", "availability"]
