"""The confidential register: exact data match of the office's own sensitive values.

Like enterprise DLP's exact data match, but holding no plaintext: the register is a set of
keyed hashes of normalised values, and the message's normalised n-grams are hashed the same way
to look them up. Evidence is masked, so a finding never repeats a complainant's name.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.models import Explanation, Message
from commsguard.registers import REGISTER_KINDS, TOKEN, keyed_hash, tokens

_KIND_NAMES = {
    "complainant": "a complainant's name",
    "case_ref": "a case reference",
    "investigation": "an investigation's name",
    "staff": "a staff member's confidential details",
    "other": "a confidential register value",
}


class RegisterParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Which kinds of register value this rule looks for.
    kinds: list[str] = Field(default_factory=lambda: list(REGISTER_KINDS))
    score: float = Field(default=0.95, ge=0, le=1)
    #: Report (as a near miss) a multi-word value matched in part, e.g. a surname alone.
    explain_partial: bool = True


def mask(text: str) -> str:
    """Hide every letter and digit but keep the shape (spaces, punctuation)."""
    return "".join("•" if ch.isalnum() else ch for ch in text)


class ConfidentialRegisterDetector(Detector):
    name = "confidential-register"
    description = "Keyed-hash exact match of complainant names, case references, investigations."
    Params = RegisterParams

    #: How many distinct words' digests to remember. Everyday words repeat from message to
    #: message, so most tokens become a dict look-up instead of an HMAC. The cache holds words
    #: of messages (never register values) and lives only in this process's memory.
    TOKEN_CACHE_SIZE = 200_000

    def __init__(self, params: BaseModel, context: DetectorContext) -> None:
        super().__init__(params, context)
        assert isinstance(params, RegisterParams)
        self.kinds = frozenset(params.kinds)
        self.score = params.score
        self.explain_partial = params.explain_partial
        self._token_digests: dict[str, bytes] = {}

    def _token_digest(self, secret: bytes, token: str) -> bytes:
        digest = self._token_digests.get(token)
        if digest is None:
            digest = keyed_hash(secret, token)
            if len(self._token_digests) >= self.TOKEN_CACHE_SIZE:
                self._token_digests.clear()
            self._token_digests[token] = digest
        return digest

    def detect(self, message: Message) -> Iterator[Hit]:
        register = self.context.register
        if register is None or not register.entries:
            return
        secret, entries, max_n = register.secret, register.entries, register.max_tokens
        first, partial = register.first_tokens, register.token_index
        # Fast path, all in C but the cache look-ups: most messages name nothing in the
        # register, and for them no offsets are needed at all.
        text = message.text
        if text.isascii():  # there casefold is lower(), letter for letter: fold the text once
            words = list(set(TOKEN.findall(text.lower())))
        else:
            words = list({w.casefold() for w in TOKEN.findall(text)})
        quick = list(map(self._token_digests.get, words))
        if None in quick:
            quick = [q or self._token_digest(secret, w) for q, w in zip(quick, words, strict=True)]
        if first.isdisjoint(quick) and not (
            self.explain_partial and not partial.keys().isdisjoint(quick)
        ):
            return
        toks = tokens(message.text)
        digests = [self._token_digest(secret, t) for _, _, t in toks]
        matched_until = -1
        for i, digest in enumerate(digests):
            if digest in first:
                hit = self._longest_match(message.text, toks, digests, i, max_n, entries, secret)
                if hit is not None:
                    matched_until = max(matched_until, i + hit[1] - 1)
                    yield hit[0]
                    continue
            if self.explain_partial and i > matched_until and digest in partial:
                kind, size = partial[digest]
                if kind in self.kinds:
                    start, end = toks[i][0], toks[i][1]
                    yield Hit(
                        start=start,
                        end=end,
                        score=0.0,
                        entity=kind.upper(),
                        evidence=mask(message.text[start:end]),
                        explanation=Explanation(detector=self.name),
                        near_miss=(
                            f"one word of a {size}-word {kind} register value "
                            "matched, but not the whole value"
                        ),
                    )

    def _longest_match(
        self,
        text: str,
        toks: list[tuple[int, int, str]],
        digests: list[bytes],
        i: int,
        max_n: int,
        entries: dict[bytes, str],
        secret: bytes,
    ) -> tuple[Hit, int] | None:
        """The longest register value starting at token ``i``, as a hit and its token count."""
        # Longest first, so "marjorie pettigrew" wins over a one-word entry inside it.
        for n in range(min(max_n, len(toks) - i), 0, -1):
            if n == 1:
                digest = digests[i]
            else:
                digest = keyed_hash(secret, " ".join(t for _, _, t in toks[i : i + n]))
            kind = entries.get(digest)
            if kind is None or kind not in self.kinds:
                continue
            start, end = toks[i][0], toks[i + n - 1][1]
            hit = Hit(
                start=start,
                end=end,
                score=self.score,
                entity=kind.upper(),
                evidence=mask(text[start:end]),
                message=f"Names {_KIND_NAMES[kind]} held in the confidential register.",
                explanation=Explanation(
                    detector=self.name,
                    pattern=f"register:{kind}",
                    validation=f"keyed hash of {n} normalised token(s) matched",
                ),
            )
            return hit, n
        return None
