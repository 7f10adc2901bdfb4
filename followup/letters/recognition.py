"""Recognise the elements of a letter in text written freely: a thank-you, a reason one fits...

Each element has a `Rule`: turns of phrase that show it (cues), turns that only look like it
and are taken out before looking (neutral: "thanks to the new CRM", "I'd appreciate an
update"), and marks that a sentence is about something else (veto: a question, a gift).
Text is lowercased, contractions spelt out and split into sentences first; an element is
present when one sentence shows it. The rules are measured on tests/letters/corpus/.
"""

import re
from dataclasses import dataclass


def phrases(*alternatives: str) -> re.Pattern:
    """One pattern matching any of the alternatives as whole words (each a regex)."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


@dataclass(frozen=True)
class Rule:
    cues: re.Pattern
    neutral: re.Pattern | None = None
    veto: re.Pattern | None = None
    # Questions ask the reader for something; for most elements that is not the element.
    questions_count: bool = False

    def shown_by(self, sentence: str) -> bool:
        if not self.questions_count and sentence.endswith("?"):
            return False
        if self.veto is not None and self.veto.search(sentence):
            return False
        if self.neutral is not None:
            sentence = self.neutral.sub(" ~ ", sentence)
        return bool(self.cues.search(sentence))


# --- Reading the text ---------------------------------------------------------------------

# "At Copperleaf I cut..." says where the writer worked; the name itself does not matter.
ORGANISATION = re.compile(r"\b[Aa]t (?:(?!I\b)[A-Z][\w&'-]*\s)*(?!I\b)[A-Z][\w&'-]*")
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
CONTRACTIONS = [
    (re.compile(r"\bcan't\b"), "cannot"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\blet's\b"), "let us"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"\bi'm\b"), "i am"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'d\b"), " would"),
    (re.compile(r"\b(it|that|there|here|what|he|she|who|where)'s\b"), r"\1 is"),
]
# Not at a semicolon: "I wrote a post on it; here it is" is one thought.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def normalise(text: str) -> str:
    text = ORGANISATION.sub("at someplace", text.translate(QUOTES)).lower()
    text = re.sub(r"\s*[\u2013\u2014]\s*", " - ", text)
    for pattern, replacement in CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return re.sub(r"[ \t]+", " ", text).strip()


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(normalise(text)) if s.strip()]


# --- The elements -------------------------------------------------------------------------

# The writer, with the adverbs and auxiliaries that may stand between them and their verb.
WRITER = (
    r"i (?:\w+ly |so |very much |much |also |then |once |just |still |now |already |"
    r"have |had |would |will )*"
)
PLEASURE = r"(?:pleasure|delight|privilege|honou?r|treat|joy|highlight)"

APPRECIATION = Rule(
    cues=phrases(
        r"thank(?:s|ing|ful)?",
        r"grateful",
        r"gratitude",
        r"appreciat(?:e|ed|es|ing|ion)",
        r"cheers for",
        r"(?:it|this|that) (?:was|is|has been) (?:\w+ )?(?:great|good|lovely|nice|wonderful|"
        r"fantastic|brilliant|a (?:\w+ )?pleasure|a delight|a privilege|an honou?r|"
        r"a (?:\w+ )?treat|a joy) (?:to |meeting|talking|speaking|getting|going|being|hearing)",
        rf"what a (?:\w+ )?(?:{PLEASURE}|lovely|great|good)",
        rf"(?:was|were|been) (?:a |an |the |one of the )?(?:real |genuine |very |most |"
        rf"genuinely |such a |really )?(?:{PLEASURE}|enjoyable|engaging|highlights?)",
        rf"{WRITER}(?:enjoyed|loved|liked|valued|relished) (?:every|our|the|my|it|getting|hearing|"
        r"learning|meeting|talking|speaking|chatting|discussing|seeing|visiting)",
        r"glad (?:i|we) (?:got|had|could|met|talked|spoke|were able)",
        r"(?:was|were) (?:\w+ )?(?:delighted|glad|happy|pleased) to (?:meet|talk|speak|hear|see|"
        r"learn|visit)",
        r"(?:delighted|glad|happy|pleased) to have (?:met|spoken|talked)",
        r"meant a lot",
        r"(?:kind|good|generous) of you",
        r"had a (?:\w+ )?(?:great|good|lovely|wonderful) (?:time|day|afternoon|morning)",
    ),
    neutral=phrases(
        r"(?<!my )thanks to (?!you\b)",
        r"thank goodness",
        r"thanks in advance",
        # Thanks for an errand is not thanks for the interview.
        r"thank(?:s| you) for (?:your |the )?(?:email|e-mail|message|reminder|directions|reply|"
        r"sending|forwarding|confirming|resending)",
        r"appreciate (?:that|the fact)",
        # A favour asked: "I'd appreciate an update", "any feedback would be appreciated".
        r"would (?:\w+ )?(?:appreciate|be grateful|be thankful)",
        r"(?:would|will) be (?:\w+ )?(?:appreciated|welcome)",
        r"gratefully received",
    ),
    # A line that is only "Many thanks," or "Thanks and regards, Jo" is how a letter ends.
    veto=re.compile(
        r"^(?:many |with |kind |warm |best )?(?:thanks|thank you)(?: and (?:best |kind )?"
        r"regards| again)?[,.!]?(?: \w+){0,2}[,.]?$"
    ),
)

STILL_INTERESTED = Rule(
    cues=phrases(
        rf"{WRITER}(?:am |remain |continue to be |feel )?(?:\w+ ){{0,4}}(?:interested|keen|keener|"
        r"excited|enthusiastic|eager|thrilled|passionate|motivated|drawn|determined|committed|"
        r"hopeful|hoping)",
        r"(?:my|continued) (?:interest|enthusiasm|excitement)",
        r"(?:reaffirm|reiterate|confirm) (?:my )?(?:continued )?interest",
        rf"{WRITER}(?:\w+ ){{0,3}}(?:want|love|like|hope|be (?:\w+ )?(?:thrilled|delighted|"
        r"honou?red|happy|proud|glad|pleased|excited)) (?:nothing more than |very much |so much )?"
        r"(?:the (?:chance|opportunity) )?to (?:join|be part|be the one|become part|"
        r"work (?:with|at|for|on|together)|take (?:on |the |this )|accept|help (?:build|the team)|"
        r"get started|be offered|move forward|continue|bring|contribute|take things forward|"
        r"grow into|be considered)",
        r"(?:want|like) (?:this|the) (?:job|role|one|position)",
        r"top of my list|(?:first|top) choice",
        r"the (?:job|role|position) i (?:want|would choose)",
        r"(?:want|wanting) (?:the|this) (?:job|role) (?:even )?more",
        r"exactly the kind of (?:role|job)",
        r"what i (?:want|am looking for|have been looking for)",
        r"(?:one|move|place|role|job|position) i (?:want|would rather|would love)",
        r"ready to (?:commit|start|join)",
        r"(?:the )?right (?:next )?step",
        r"(?:jump|relish|welcome) (?:at )?the (?:chance|opportunity) to (?:work|join|take)",
        r"cannot wait to (?:get started|join|start)",
        r"looking forward to (?:the possibility of |hopefully |possibly )?(?:joining|working)",
        r"looking forward to the (?:chance|opportunity) to (?:join|work)",
        r"(?:see|imagine) myself",
        r"(?:even more|even|more than ever|more) (?:convinced|certain|sure|keen|keener|excited|"
        r"eager|determined)",
        r"(?:convinced|certain|sure) (?:that )?(?:this|it) is",
        r"(?:came away|left) (?:\w+ ){0,3}(?:convinced|certain|wanting|keener|more|feeling|"
        r"with a strong sense)",
        r"(?:hope|hoping) (?:i get|to get|to join|to become|i will be joining|this works)",
        r"put me off",
        r"appeals to me",
        r"(?:be|a) (?:dream|privilege to work)",
        r"(?:mean a lot|be wonderful|be amazing) (?:to me )?to (?:join|work)",
        r"over the moon",
        r"count me in",
        r"keen as mustard",
        r"(?:still )?excites me",
        r"the more i (?:learn|hear|think)",
        r"in the running",
        r"considered (?:further|for the next)",
    ),
    neutral=phrases(
        r"(?:keen|eager|interested|curious|excited) to (?:know|hear|learn|see|find out|understand)",
        r"out of interest",
        r"interest rates?",
    ),
)

FIT_VERBS = (
    r"(?:spent|led|built|ran|cut|moved|migrated|designed|shipped|introduced|launched|reduced|"
    r"halved|doubled|grew|managed|delivered|automated|rebuilt|set up|wrote|written|trained|"
    r"created|developed|implemented|restructured|modelled|coordinated|negotiated|helped|"
    r"brought|deployed|mentored|taught|handled|supported|maintain|maintained|own|owned|"
    r"look after|looked after|cleaned up|specialise|specialize|worked|used|presented|solved|"
    r"fixed|tackled|reconciled|contributed|analysed|optimised|scaled|established|oversaw|"
    r"produced|speak fluent|take pride|use|run|lead|manage)"
)
GREAT_FIT = Rule(
    cues=phrases(
        rf"{WRITER}{FIT_VERBS}",
        r"i have been (?:doing|writing|working|building|running|the|responsible|leading)",
        r"i have done",
        r"i know how to",
        r"my (?:experience|background|skills?|strengths?|expertise|knowledge|track record|"
        r"qualifications|time at|last (?:role|project|job)|previous role|thesis|approach|years|"
        r"work (?:on|at|has|with|in)|mix|knack)",
        r"i have (?:got )?(?:\S+ ){0,4}(?:experience|background|knowledge|track record|record|"
        r"grounding|mix|blend|skills)",
        r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|many|several) "
        r"(?:years|months)",
        r"a decade",
        r"i am (?:a |an )?(?:\w+ )?(?:certified|experienced|fluent|strong|good at|comfortable|"
        r"used to|familiar|at my best|well placed|confident|the (?:person|author|go-to)|"
        r"skilled|expert)",
        r"(?:strong|good|great|perfect|close|natural|right) (?:match|fit)",
        r"(?:exactly|just) what (?:you|your team)",
        r"i (?:could|can|would) (?:help|bring|add|start contributing|hit the ground|take|turn|"
        r"apply)",
        r"i (?:bring|would bring)",
        r"familiar|comfortable|well placed|suited|qualified|fluent",
        r"at someplace,? (?:i|my|we)",
        r"(?:worked|time|years|role|job|experience|was|spent|built|led|ran) at someplace",
        r"in my (?:current|last|previous) (?:role|job|position|company)",
        r"at (?:my|the) (?:current|last|previous) (?:job|role|company|employer)",
        r"before moving into",
        r"having (?:managed|built|worked|led|run|spent)",
        r"i know \w+(?: \w+)? (?:well|inside out)",
        r"(?:similar|identical|close) to (?:what|the one|mine|ours|how)",
        r"(?:same|similar) as (?:ours|mine)",
        r"match(?:es)? (?:how i|what i|my)",
    ),
    neutral=phrases(r"background check"),
    # A gift or news since the interview is offered to the reader, not a reason one fits.
    veto=phrases(
        r"since (?:we|our|the interview|last)",
        r"here (?:is|are|it is)",
        r"attached",
        r"https?",
        r"you (?:might|may|would|will) (?:enjoy|like|find)",
        r"thought you",
        r"in case (?:it is|it would be) (?:useful|helpful)",
        r"if you would like (?:to see|to read|a copy)",
        # Weekends and races are small talk, however busy.
        r"weekend|holiday|vacation|marathon|half marathon|race|parkrun|10k",
    ),
)

AVAILABILITY = Rule(
    cues=phrases(
        r"i (?:am|will be|would be|can be|could be) (?:\w+ )?(?:available|free|flexible|around|"
        r"reachable|at your disposal)",
        r"i am ready(?=[.!]?$| whenever| to (?:come|meet|talk)| for (?:the next|a|another))",
        r"make myself (?:available|free)",
        r"my (?:schedule|diary|calendar|availability)",
        r"(?:glad|happy|pleased|delighted|ready|willing|love) to (?:\w+ ){0,2}(?:meet|talk|speak|"
        r"come|chat|return|continue (?:our|the) conversation|answer|do a|join a|present|give a|"
        r"hop on|discuss|travel|spend|go (?:deeper|through)|set up|take a|take part|arrange|"
        r"have another|make (?:the )?time)",
        r"(?:gladly|happily) (?:\w+ )?(?:meet|come|make|talk)",
        r"(?:happy|glad|pleased) to(?=[.!]?$)",
        r"(?:useful|helpful) to (?:meet|talk|speak|chat)",
        r"whenever",
        r"at your convenience",
        r"any ?(?:time|day|point|afternoon|morning|weekday)",
        r"i (?:\w+ ){0,4}(?:at|on) (?:short|a day's|a day or two's) notice",
        r"just (?:name|suggest|say|let me know|give me)",
        r"let me know (?:when|a time|a date|if (?:you would|there is))",
        r"suggest a time",
        r"name the day",
        r"fit (?:in )?(?:around|in with)",
        r"whichever you prefer",
        r"(?:another|a second|a further|any further|a follow-up|a next) (?:\w+ )?(?:interview|"
        r"round|conversation|chat|call|meeting|discussion|questions|stage)",
        r"(?:meet|meeting|talk|talking|speak|speaking|chat|chatting) (?:\w+ )?again",
        r"come (?:back|in again)",
        r"(?:call|phone|ring|reach|contact) me (?:any|whenever|if|on|at)",
        r"a phone call away",
        r"end of the phone",
        r"easy to (?:reach|get hold of)",
        r"anything else (?:you need|from me)",
        r"need anything else",
        r"say the word",
        r"(?:do not|never) hesitate",
        r"i can (?:make|do|join a|meet|come|talk|travel|clear|rearrange|be|share|walk)",
        r"i could (?:do|meet|present|come|join|spend)",
        r"so am i",
        r"i will be there",
    ),
    # "I was delighted to meet you" is about the interview that happened.
    neutral=phrases(r"(?:was|were) (?:\w+ )?(?:glad|happy|pleased|delighted) to"),
)

NEW_VALUE = Rule(
    cues=phrases(
        r"here (?:is|are)",
        r"attached",
        r"enclosed",
        r"https?",
        r"below",
        r"(?:now|put \w+ (?:\w+ ){0,6})online",
        r"thought (?:you|this)",
        r"you (?:might|may) (?:enjoy|like|find|want)",
        r"(?:you|your team|the team) (?:would|will|might|may) (?:enjoy|find|love)",
        r"(?:could|might|may) be (?:useful|helpful|of interest)",
        r"might (?:interest|help|be useful|save|like)",
        r"in case (?:it is|it would be) (?:useful|helpful|of use)",
        r"made me think of",
        r"reminded me of",
        rf"{WRITER}(?:came across|listened to|put together|summarised|drafted|mocked up|recorded|"
        r"wrote|written up|shared)",
        r"i (?:have )?found (?:a|an|this|some)",
        r"(?:spotted|noticed|saw) (?:that )?(?:\w+ ){0,4}(?:new|released|published)",
        r"since (?:we|our|the) \w+(?: \w+)?,? i (?:have )?(?:completed|finished|passed|earned|"
        r"published|written|built|given|launched|made|started)",
        r"introduce you",
        r"connect you",
        r"put you in touch",
        r"compare notes",
        r"contact details",
        r"the (?:book|talk|article|podcast|paper|list) i mentioned",
    ),
    neutral=phrases(r"if you would find"),
    # Sending what the employer asked for is not a gift.
    veto=phrases(
        r"my (?:updated )?(?:cv|portfolio|references|passport)",
        r"(?:consent )?form",
        r"as you asked",
        r"you asked for",
    ),
)

TIMING_WORDS = (
    r"(?:timing|timeline|timescale|time ?frame|schedule|decision|decide|decided|hear back|"
    r"hear from you|next steps?|update|updates|news|progress|progressing|movement|"
    r"where things|up to|in touch|shortlist|offers?|start date|in post|wrap up|on track|"
    r"slipped|make a call|dates?|when|how long|moving|still open|planned|scheduled|expected|"
    r"process)"
)
TIMING_QUESTION = Rule(
    cues=re.compile(
        r"^(?:is|are|do|does|did|has|have|could|would|can|may|might|will|when|what|where|how|"
        r"any idea)\b.*\b" + TIMING_WORDS + r"\b.*\?$"
        r"|\b(?:wonder(?:ed|ing)|would (?:appreciate|be grateful|love|like) (?:to know|an "
        r"update|to hear|knowing)|check in|could you let me know|keen to know|"
        r"ask (?:whether|if|when|about))\b.*\b" + TIMING_WORDS + r"\b"
    ),
    questions_count=True,
)

KEPT_IN_MIND = Rule(
    cues=phrases(
        r"keep (?:me|my (?:cv|details|application|name))",
        r"bear me in mind",
        r"think of me",
        r"consider(?:ed)? (?:me )?for",
        r"(?:future|other|upcoming|new) (?:roles?|openings?|vacanc(?:y|ies)|positions?|"
        r"opportunit(?:y|ies))",
        r"(?:another|a similar|a suitable|anything|a position|a role|the team|plans|"
        r"the situation|the offer|the successful|the budget) (?:\w+ ){0,4}(?:comes? up|"
        r"come through|opens?|change|changes|grows?|falls through|arises?|not work out|"
        r"available|approved)",
        r"step in",
        r"apply again",
        r"hat in the ring",
        r"on your radar",
        r"door stays open",
        r"pass my details",
        r"hiring again",
        r"in (?:the )?future",
        r"anything suitable",
        r"another role",
        r"(?:another|other) teams?",
        r"still be (?:very )?(?:happy|interested|delighted)",
        r"still love to work",
    ),
    questions_count=True,
)

STAY_IN_TOUCH = Rule(
    cues=phrases(
        r"(?:stay|keep|remain|staying|keeping) (?:in )?(?:touch|contact|connected)",
        r"each other's networks?",
        r"your network",
        r"connection request",
        r"follow(?:ing)? (?:\S+ )?(?:\S+ )?(?:work|progress)",
        r"keep an eye on",
        r"look out for you",
        r"see you at",
        r"run into each other",
        r"paths cross",
        r"meet again",
        r"catch(?:ing)? up",
        r"(?:a|for|grab|over) coffee",
        r"coffee (?:is on me|sometime|some time)",
        r"drop you a line",
        r"be in touch",
        r"get in touch when",
        r"reach out",
        r"keep you posted",
        r"let you know how",
        r"share the notes",
        r"send you the",
        r"hear how (?:the|your|it)",
        r"how (?:the|your|it) (?:\S+ ){0,3}(?:goes|went|gets on)",
        r"keep (?:exchanging|learning|the conversation going)",
        r"swapping notes",
        r"say hello",
        r"seeing what",
    ),
)

FEEDBACK = Rule(
    cues=phrases(
        r"feedback",
        r"pointers",
        r"tips",
        r"advice",
        r"insight",
        r"suggestions",
        r"comments on",
        r"notes from the panel",
        r"observations",
        r"done (?:\w+ )?(?:differently|better)",
        r"(?:what|which) (?:could|would|skills|parts)",
        r"fell short|fall short",
        r"improve",
        r"work on",
        r"strengthen",
        r"(?:could|should) (?:grow|develop|improve)",
        r"prepare(?:d)? better",
        r"learn from this",
        r"held me back",
        r"gaps in my",
        r"went less well",
        r"what (?:tipped|swung|decided)",
        r"what the successful candidate",
        r"how i came across",
        r"talk (?:me )?through the decision",
        r"(?:was|were) my (?:answers?|approach|presentation|solution)",
        r"(?:words|thoughts|notes|comments) on my",
        r"honest view",
        r"your thoughts on how",
        r"concerns about my",
        r"knowing (?:whether|why|what)",
    ),
    # Thanks for feedback already given does not ask for any.
    neutral=phrases(r"(?:and|for) (?:the|your) feedback(?! on)"),
    questions_count=True,
)

RULES = {
    "appreciation": APPRECIATION,
    "still_interested": STILL_INTERESTED,
    "great_fit": GREAT_FIT,
    "availability": AVAILABILITY,
    "new_value": NEW_VALUE,
    "timing_question": TIMING_QUESTION,
    "kept_in_mind": KEPT_IN_MIND,
    "stay_in_touch": STAY_IN_TOUCH,
    "feedback": FEEDBACK,
}


def recognise(element: str, text: str) -> bool:
    """Whether one sentence of `text` shows `element` (a key of RULES)."""
    rule = RULES[element]
    return any(rule.shown_by(sentence) for sentence in sentences(text))
