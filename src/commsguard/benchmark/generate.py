"""A seeded corpus of realistic posts with planted personal information and decoys.

``generate_posts(n, seed)`` is deterministic per seed, so runs compare. Every planted entity is
well formed for its kind (TFN, ABN, ACN and Medicare check digits, Luhn for cards, phone numbers
that ``phonenumbers`` calls valid for Australia) and records its exact span, so recall can be
scored by overlap. Decoys (order numbers, ISBNs, versions, prices, times, 13/1300/1800 lines,
non-birth dates) are recorded too, for counting false alarms.

Ground truth is kept unambiguous: a planted TFN is never also a valid ACN (and the reverse), a
planted licence or account number never passes the TFN, ACN or Medicare checks.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers

from commsguard.benchmark import corpus_data as data
from commsguard.models import Capacity, Message

ENTITIES: tuple[str, ...] = tuple(data.ENTITY_TEMPLATES)
DECOYS: tuple[str, ...] = tuple(data.DECOY_TEMPLATES)
_X = "\x00"


# --- check digits ---------------------------------------------------------------------------

def digits(value: str) -> list[int]:
    return [int(c) for c in value if c.isdigit()]


def tfn_valid(value: str) -> bool:
    d = digits(value)
    weights = (1, 4, 3, 7, 5, 8, 6, 9, 10)
    return len(d) == 9 and sum(a * b for a, b in zip(d, weights, strict=True)) % 11 == 0


def acn_valid(value: str) -> bool:
    d = digits(value)
    if len(d) != 9:
        return False
    total = sum(a * b for a, b in zip(d[:8], range(8, 0, -1), strict=True))
    return (10 - total % 10) % 10 == d[8]


def abn_valid(value: str) -> bool:
    d = digits(value)
    if len(d) != 11 or d[0] == 0:
        return False
    d[0] -= 1
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    return sum(a * b for a, b in zip(d, weights, strict=True)) % 89 == 0


def medicare_valid(value: str) -> bool:
    d = digits(value)
    if len(d) not in (10, 11) or not 2 <= d[0] <= 6:
        return False
    weights = (1, 3, 7, 9, 1, 3, 7, 9)
    return sum(a * b for a, b in zip(d[:8], weights, strict=True)) % 10 == d[8]


def luhn_valid(value: str) -> bool:
    d = digits(value)
    total = 0
    for i, n in enumerate(reversed(d)):
        if i % 2:
            n *= 2
            n -= 9 if n > 9 else 0
        total += n
    return len(d) >= 12 and total % 10 == 0


def phone_valid(value: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, "AU"))
    except phonenumbers.NumberParseException:
        return False


# --- the corpus -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Span:
    """A planted entity (``kind`` is its entity name) or a decoy (``kind`` is the decoy kind)."""

    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Post:
    id: str
    channel: str
    author: str
    capacity: Capacity
    profile: str
    text: str
    planted: tuple[Span, ...]
    decoys: tuple[Span, ...]

    def to_message(self) -> Message:
        return Message(
            id=self.id, text=self.text, author=self.author, capacity=self.capacity,
            channel=self.channel, profile=self.profile,
        )

    def to_dict(self) -> dict[str, object]:
        def span(s: Span) -> dict[str, object]:
            return {"kind": s.kind, "start": s.start, "end": s.end, "text": s.text}

        return {
            "id": self.id, "channel": self.channel, "author": self.author,
            "capacity": self.capacity, "profile": self.profile, "text": self.text,
            "planted": [span(s) for s in self.planted], "decoys": [span(s) for s in self.decoys],
        }


class _Values:
    """Realistic values for each entity and decoy kind, from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _digits(self, n: int) -> str:
        return "".join(str(self.rng.randrange(10)) for _ in range(n))

    def _group(self, value: str, sizes: tuple[int, ...], sep: str) -> str:
        out, i = [], 0
        for size in sizes:
            out.append(value[i : i + size])
            i += size
        return sep.join(out)

    def _ambiguous(self, value: str) -> bool:
        return tfn_valid(value) or acn_valid(value) or medicare_valid(value)

    def PHONE_NUMBER(self) -> str:
        r = self.rng
        while True:
            if r.random() < 0.65:
                local = "4" + self._digits(8)
                if not phone_valid("0" + local):
                    continue
                return r.choice((
                    f"0{local[:3]} {local[3:6]} {local[6:]}", f"0{local}",
                    f"+61 {local[:3]} {local[3:6]} {local[6:]}",
                    f"0{local[:3]}-{local[3:6]}-{local[6:]}",
                ))
            area = r.choice("2378")
            local = area + r.choice("3456789") + self._digits(7)
            if not phone_valid("0" + local):
                continue
            return r.choice((
                f"(0{area}) {local[1:5]} {local[5:]}", f"0{area} {local[1:5]} {local[5:]}",
                f"+61 {area} {local[1:5]} {local[5:]}",
            ))

    def EMAIL_ADDRESS(self) -> str:
        r = self.rng
        first = r.choice(data.FIRST).lower()
        last = r.choice(data.LAST).lower().replace("'", "")
        local = r.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}{r.randrange(70, 100)}",
                          f"{first}_{last}{r.randrange(1, 9)}"))
        return f"{local}@{r.choice(data.EMAIL_DOMAINS)}"

    def AU_TFN(self) -> str:
        while True:
            body = self._digits(8)
            check = sum(a * b for a, b in zip(digits(body), (1, 4, 3, 7, 5, 8, 6, 9), strict=True))
            last = check % 11  # weight 10 == -1 (mod 11), so the last digit equals the sum
            value = body + str(last)
            if last < 10 and body[0] != "0" and not acn_valid(value):
                return self._group(value, (3, 3, 3), self.rng.choice((" ", " ", "", "-")))

    def AU_ACN(self) -> str:
        while True:
            body = self._digits(8)
            total = sum(a * b for a, b in zip(digits(body), range(8, 0, -1), strict=True))
            value = body + str((10 - total % 10) % 10)
            if not tfn_valid(value):
                return self._group(value, (3, 3, 3), self.rng.choice((" ", " ", "")))

    def AU_ABN(self) -> str:
        tail = self._digits(9)
        valid = [f"{a}{b}{tail}" for a in range(1, 10) for b in range(10)
                 if abn_valid(f"{a}{b}{tail}")]
        if not valid:
            return self.AU_ABN()
        value = self.rng.choice(valid)
        return self._group(value, (2, 3, 3, 3), " ") if self.rng.random() < 0.7 else value

    def AU_MEDICARE(self) -> str:
        r = self.rng
        body = str(r.randrange(2, 7)) + self._digits(7)
        check = sum(a * b for a, b in zip(digits(body), (1, 3, 7, 9, 1, 3, 7, 9), strict=True))
        value = body + str(check % 10) + str(r.randrange(1, 10))
        return self._group(value, (4, 5, 1), " ") if r.random() < 0.7 else value

    def CREDIT_CARD(self) -> str:
        r = self.rng
        kind = r.choice(("visa", "visa", "mc", "mc", "amex"))
        prefix = {"visa": "4", "mc": str(r.randrange(51, 56)), "amex": r.choice(("34", "37"))}[kind]
        length = 15 if kind == "amex" else 16
        body = prefix + self._digits(length - len(prefix) - 1)
        for check in range(10):
            if luhn_valid(body + str(check)):
                value = body + str(check)
                break
        if kind == "amex":
            return self._group(value, (4, 6, 5), r.choice((" ", "")))
        return self._group(value, (4, 4, 4, 4), r.choice((" ", " ", "-", "")))

    def STREET_ADDRESS(self) -> str:
        r = self.rng
        suburb, state, postcode = r.choice(data.SUBURBS)
        full, short = r.choice(data.STREET_TYPES)
        street = f"{r.randrange(1, 250)} {r.choice(data.STREETS)} {r.choice((full, short))}"
        if r.random() < 0.25:
            street = f"{r.choice(('Unit ', ''))}{r.randrange(1, 30)}/{street}"
        return r.choice((
            f"{street}, {suburb} {state} {postcode}", f"{street}, {suburb}",
            f"{street} {suburb} {state} {postcode}", f"{street}, {suburb} {state}",
        ))

    def _date(self, lo: int, hi: int) -> tuple[int, int, int]:
        return self.rng.randrange(1, 29), self.rng.randrange(1, 13), self.rng.randrange(lo, hi)

    def DATE_OF_BIRTH(self) -> str:
        d, m, y = self._date(1940, 2008)
        month = ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December")[m - 1]
        return self.rng.choice((
            f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}", f"{d} {month} {y}", f"{d} {month[:3]} {y}",
            f"{y}-{m:02d}-{d:02d}", f"{d:02d}.{m:02d}.{y}",
        ))

    def DRIVER_LICENCE(self) -> str:
        while True:
            value = str(self.rng.randrange(1, 10)) + self._digits(self.rng.choice((7, 8, 8, 9)))
            if not self._ambiguous(value):
                return value

    def PASSPORT(self) -> str:
        r = self.rng
        letters = r.choice(("PA", "PB", "PE", "N", "E", "RA", "M"))
        return letters + self._digits(7)

    def BANK_ACCOUNT(self) -> str:
        r = self.rng
        bsb = r.choice(("063", "062", "033", "083", "013", "733", "082")) + self._digits(3)
        while True:
            acct = str(r.randrange(1, 10)) + self._digits(r.choice((5, 7, 7, 8)))
            if not self._ambiguous(acct):
                break
        bsb_text = self._group(bsb, (3, 3), r.choice(("-", " ", "")))
        acct_text = acct if len(acct) != 8 or r.random() < 0.5 else f"{acct[:4]} {acct[4:]}"
        return r.choice((
            f"BSB {bsb_text} account {acct_text}", f"BSB: {bsb_text}, Acc: {acct_text}",
            f"BSB {bsb_text} acc no {acct_text}", f"account {acct_text} BSB {bsb_text}",
        ))

    # decoys

    def ORDER_NUMBER(self) -> str:
        return str(self.rng.randrange(1, 10)) + self._digits(self.rng.choice((7, 8, 8, 9)))

    def ISBN(self) -> str:
        body = "978" + self.rng.choice(("0", "1")) + self._digits(8)
        total = sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits(body)))
        value = body + str((10 - total % 10) % 10)
        if self.rng.random() < 0.5:
            return value
        return f"{value[:3]}-{value[3]}-{value[4:7]}-{value[7:12]}-{value[12]}"

    def VERSION(self) -> str:
        r = self.rng
        return r.choice((
            f"{r.randrange(1, 20)}.{r.randrange(0, 30)}.{r.randrange(0, 200)}",
            f"v{r.randrange(1, 5)}.{r.randrange(0, 20)}",
            f"10.0.{r.randrange(19041, 22631)}.{r.randrange(1000, 4000)}",
        ))

    def PRICE(self) -> str:
        r = self.rng
        return r.choice((f"${r.randrange(3, 90)}.{r.randrange(0, 100):02d}",
                         f"${r.randrange(1, 9)},{r.randrange(0, 1000):03d}.00",
                         f"${r.randrange(10, 500)}", f"AUD {r.randrange(100, 5000)}"))

    def TIME(self) -> str:
        r = self.rng
        h, m = r.randrange(1, 13), r.choice((0, 15, 30, 45))
        return r.choice((f"{h}:{m:02d}{r.choice(('am', 'pm'))}", f"{h + 8}:{m:02d}",
                         f"{h}.{m:02d}pm"))

    def SERVICE_NUMBER(self) -> str:
        return self.rng.choice(("13 11 14", "1300 365 365", "1800 633 232", "13 22 15",
                                "131 444", "1300 363 472", "1800 806 292", "000", "13 28 46"))

    def DATE(self) -> str:
        d, m, y = self._date(2024, 2027)
        return self.rng.choice((f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}"))


def _fill(rng: random.Random, template: str, value: str | None = None) -> tuple[str, int]:
    """The template with its fields filled, and where ``{x}`` went (-1 if none)."""
    fields = {"first": rng.choice(data.FIRST), "last": rng.choice(data.LAST), "x": _X}
    text = template.format_map(fields)
    at = text.find(_X)
    if at >= 0 and value is not None:
        text = text.replace(_X, value)
    return text, at


def generate_posts(n: int, seed: int = 1) -> list[Post]:
    """``n`` posts, deterministic for ``seed``."""
    return list(iter_posts(n, seed))


def iter_posts(n: int, seed: int = 1) -> Iterator[Post]:
    rng = random.Random(seed)
    values = _Values(rng)
    channels = list(data.CHANNELS)
    for i in range(n):
        channel = rng.choices(channels, weights=data.CHANNEL_WEIGHTS)[0]
        lo, hi = data.CHANNELS[channel]
        target = rng.randrange(lo, hi + 1)
        n_entities = rng.choices((0, 1, 2, 3), weights=(34, 42, 17, 7))[0]
        n_decoys = rng.choices((0, 1, 2), weights=(50, 38, 12))[0]
        marked: list[tuple[str, str, bool, str]] = []  # (sentence, kind, is_entity, value)
        for kind, is_entity in [(rng.choice(ENTITIES), True) for _ in range(n_entities)] + [
            (rng.choice(DECOYS), False) for _ in range(n_decoys)
        ]:
            templates = (data.ENTITY_TEMPLATES if is_entity else data.DECOY_TEMPLATES)[kind]
            value = getattr(values, kind)()
            marked.append((rng.choice(templates), kind, is_entity, value))
        yield _assemble(rng, i, channel, lo, hi, target, marked)


def _assemble(
    rng: random.Random, i: int, channel: str, lo: int, hi: int, target: int,
    marked: list[tuple[str, str, bool, str]],
) -> Post:
    sep = "\n" if channel == "email" else " "
    pieces: list[tuple[str, str, bool, str, int]] = []  # text, kind, is_entity, value, at
    used = 0
    for template, kind, is_entity, value in marked:
        text, at = _fill(rng, template, value)
        if used + len(text) + 1 > hi:
            continue  # does not fit this channel: leave it out
        pieces.append((text, kind, is_entity, value, at))
        used += len(text) + 1
    opener = rng.choice(data.OPENERS.get(channel, ("",)))
    closer = rng.choice(data.CLOSERS.get(channel, ("",)))
    extra = [_fill(rng, t)[0] for t in (opener, closer) if t]
    fillers: list[str] = []
    pool = rng.sample(data.FILLER, len(data.FILLER))  # no sentence twice in one post
    while (used < target or used < lo) and pool:
        sentence = pool.pop()
        if used + len(sentence) + 1 + sum(len(e) + 1 for e in extra) > hi:
            if used >= lo:
                break
            sentence = sentence[: max(0, hi - used - 1)]
        fillers.append(sentence)
        used += len(sentence) + 1
    body: list[tuple[str, str, bool, str, int]] = [(f, "", False, "", -1) for f in fillers]
    for piece in pieces:
        body.insert(rng.randrange(len(body) + 1), piece)
    if extra and used + sum(len(e) + 1 for e in extra) <= hi:
        if opener:
            body.insert(0, (extra[0], "", False, "", -1))
        if closer:
            body.append((extra[-1], "", False, "", -1))
    text_parts: list[str] = []
    planted: list[Span] = []
    decoys: list[Span] = []
    pos = 0
    for text, kind, is_entity, value, at in body:
        if text_parts:
            text_parts.append(sep)
            pos += len(sep)
        if at >= 0:
            span = Span(kind, pos + at, pos + at + len(value), value)
            (planted if is_entity else decoys).append(span)
        text_parts.append(text)
        pos += len(text)
    author = f"{rng.choice(data.FIRST).lower()}.{rng.choice(data.LAST).lower()}".replace("'", "")
    return Post(
        id=f"bench-{i:06d}",
        channel=channel,
        author=author,
        capacity="official" if rng.random() < 0.1 else "private",
        profile=rng.choice(data.PROFILES),
        text="".join(text_parts),
        planted=tuple(planted),
        decoys=tuple(decoys),
    )
