"""The speaker's stance towards words a conduct detector matched: said, or only reported?

"Shut up and get a life" is abuse; "he told me to shut up and get a life" reports abuse the
speaker received, and "I was called a clown" or 'someone wrote "you're a disgrace" on my post'
are the same. A victim describing harassment, a reader quoting a troll to criticise them, a
colleague relaying what a third party said: the words are someone else's, and the speaker's
stance is the reporter's, not the abuser's.

:func:`reported` decides by the grammar of the sentence before the match:

* **Reported speech**: a reporting verb ("called", "said", "told", "wrote", "yelled",
  "accused"…) shortly before the match, whose subject is someone other than the speaker ("he",
  "my manager", "the columnist"): not the speaker's words. "I told him he was an idiot" and
  "we called him a fraud" are the speaker's own.
* **Passive report**: "I was called …", "she got labelled …": the subject received the words.
* **Quotation**: the match inside quotation marks opened after a reporting verb whose subject
  is not the speaker ('Someone commented "you're a disgrace"').

Linear: one sentence around the match, scanned by anchored patterns.
"""

from __future__ import annotations

import re

from commsguard.detectors.gazetteer import sentence_bounds

_VERBS = (
    r"call(?:s|ed|ing)?|sa(?:y|ys|id|ying)|t(?:ell|ells|old|elling)|wr(?:ite|ites|ote|iting)|"
    r"post(?:s|ed|ing)?|comment(?:s|ed|ing)?|yell(?:s|ed|ing)?|shout(?:s|ed|ing)?|"
    r"scream(?:s|ed|ing)?|text(?:s|ed|ing)?|messag(?:e|es|ed|ing)|email(?:s|ed|ing)?|"
    r"repl(?:y|ies|ied|ying)|snap(?:s|ped|ping)?|mutter(?:s|ed|ing)?|label(?:s|led|ed|ling)?|"
    r"brand(?:s|ed|ing)?|accus(?:e|es|ed|ing)|abus(?:e|es|ed|ing)|swor(?:e|n)|swear(?:s|ing)?|"
    r"ask(?:s|ed|ing)?|suggest(?:s|ed|ing)?|jok(?:e|es|ed|ing)|remark(?:s|ed|ing)?"
)
#: Adverbs and auxiliaries between a subject and its verb ("he keeps telling", "she has
#: literally called").
_BETWEEN = (
    r"(?:(?:keeps?|kept|has|had|have|just|then|also|even|always|literally|actually|basically|"
    r"once|apparently|allegedly|constantly|repeatedly|openly|publicly|loudly|would|will|never|"
    r"not|did|do|does|didn'?t|don'?t|doesn'?t)"
    r"\s+)*"
)
#: A reporting verb and the word before it (its subject, or a passive's auxiliary).
_REPORT = re.compile(rf"(?P<subject>[\w'’]+)\s+{_BETWEEN}(?P<verb>{_VERBS})\b", re.I)
_PASSIVE = frozenset({"was", "were", "got", "get", "gets", "being", "been", "am", "is", "are"})
#: Subjects that make the report the speaker's own words.
_SPEAKER = frozenset({"i", "we", "i've", "we've", "i'd", "we'd", "i'll", "we'll", "i’ve", "you",
                      "u", "ya", "me", "us"})
#: Words before a verb-like word that make it no report: "I want to tell …", or a noun ("my
#: post", "the comments").
_NOT_A_SUBJECT = frozenset({
    "to", "gotta", "gonna", "wanna", "must", "should", "could", "would", "can", "will", "may",
    "might", "let", "please", "the", "a", "an", "my", "your", "his",
    "her", "their", "our", "its", "these", "those", "this", "that", "of", "and", "or", "ur",
    # An auxiliary where the subject should be means there is none: an imperative ("Don't
    # tell the others but …", "never say …") is the speaker's own instruction, not a report.
    "don't", "don’t", "dont", "do", "does", "did", "didn't", "didn’t", "never", "just", "always",
    "also", "then", "even", "not", "pls", "plz",
})
_OPEN_QUOTE = re.compile(r"[\"“‘]|(?<!\w)'")
_CLOSE_QUOTE = re.compile(r"[\"”’]|'(?!\w)")
#: How far after the reporting verb a reported insult may start ("he called me, in front of
#: the whole team, an idiot" is still his).
_REACH = 60


def reported(text: str, start: int, end: int) -> str | None:
    """Why ``text[start:end]`` is words the speaker reports rather than says, else None."""
    lo, _ = sentence_bounds(text, start, end)
    before = text[lo:start]
    last = None
    for m in _REPORT.finditer(before):  # the nearest reporting verb decides
        if m["subject"].lower() not in _NOT_A_SUBJECT:
            last = m
    if last is None:
        return None
    if len(before) - last.end() > _REACH and not _inside_quotes(before[last.end() :]):
        return None
    subject, verb = last["subject"], last["verb"]
    if subject.lower() in _PASSIVE:
        return f"reported: {subject} {verb} … (the speaker received these words)"
    if subject.lower() in _SPEAKER:
        return None  # "I told him he was an idiot": the speaker's own words
    return f"reported speech: {subject} {verb} …"


def _inside_quotes(before: str) -> bool:
    """True when a quotation opened in ``before`` is still open at its end."""
    opened = False
    i = 0
    while True:
        if not opened:
            m = _OPEN_QUOTE.search(before, i)
            if m is None:
                return False
            opened, i = True, m.end()
        else:
            m = _CLOSE_QUOTE.search(before, i)
            if m is None:
                return True
            opened, i = False, m.end()
