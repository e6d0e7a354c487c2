"""Function words: the words that say nothing about what a passage or a story is about.

One list for every stage; a stage that needs a few more adds them to this one.
"""
from __future__ import annotations

# What an apostrophe leaves as a word of its own ("it's" -> "it" "s").
CLITICS = frozenset("s t d ll re ve m".split())
FUNCTION_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say""".split()
) | CLITICS
# The rest of spaCy's stop list that is no noun: adverbs, quantifiers, conjunctions. Stages
# whose words must say what a story or a count is about add them to ``FUNCTION_WORDS``.
MORE_FUNCTION_WORDS = frozenset(
    """almost although among another around became become done either else even ever every
    however least less like many may might much must near neither never often per rather since
    still though thus upon us whether whose within without yet""".split()
)
