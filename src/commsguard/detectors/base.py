"""The detector contract.

A detector is one small class. The engine builds one instance per rule, once, from the rule's
``params`` (validated by the detector's ``Params`` model) and a :class:`DetectorContext`; after
that, checking a message does no set-up at all.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from pydantic import BaseModel, ConfigDict

from commsguard.detectors.models import SharedModels
from commsguard.detectors.prefilter import Prefilter
from commsguard.errors import PackError, PackLocation
from commsguard.models import Explanation, Message

if TYPE_CHECKING:
    from commsguard.registers import AuthorisationRegister, ConfidentialRegister


T = TypeVar("T")


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True, slots=True)
class Hit:
    """What a detector found: a span, a base score and why.

    ``near_miss`` set means the detector came close but decided against it (a number that
    fails its checksum, a register value matched only in part); the engine reports those only
    when asked to explain.
    """

    start: int
    end: int
    score: float
    explanation: Explanation
    entity: str | None = None
    #: Replaces the matched text as evidence (e.g. masked register values).
    evidence: str | None = None
    #: Replaces the rule's message where the detector can say something more exact.
    message: str | None = None
    near_miss: str | None = None


def read_pack_text(path: Path, what: str) -> str:
    """A pack file's text, or a :class:`PackError` naming the file and why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PackError(f"{what} cannot be read: {exc.strerror}", PackLocation(str(path))) from None


@dataclass
class DetectorContext:
    """What a detector may consult besides the message: pack data files and the registers."""

    pack_root: Path | None = None
    register: ConfidentialRegister | None = None
    authorisations: AuthorisationRegister | None = None
    models: SharedModels = field(default_factory=SharedModels)
    #: One Hyperscan pass per text for every list pattern of the engine (see prefilter.py).
    prefilter: Prefilter = field(default_factory=Prefilter)
    _cache: dict[str, list[str]] = field(default_factory=dict)
    _shared: dict[tuple[object, ...], Any] = field(default_factory=dict)

    def shared(self, key: tuple[object, ...], build: Callable[[], T]) -> T:
        """One object per ``key`` for this engine: state several rules' detectors share."""
        if key not in self._shared:
            self._shared[key] = build()
        return cast(T, self._shared[key])

    def data_lines(self, name: str) -> list[str]:
        """A pack data file as a list of non-empty lines, ``#`` comments removed."""
        if name not in self._cache:
            if self.pack_root is None:
                raise PackError(f"data file {name!r} needs a pack directory")
            text = read_pack_text(self.pack_root / name, "data file")
            lines = (line.split(" #", 1)[0].strip() for line in text.splitlines())
            self._cache[name] = [line for line in lines if line and not line.startswith("#")]
        return self._cache[name]


class Detector(ABC):
    """Base of every detector. Subclasses set ``name``, ``Params`` and implement ``detect``."""

    name: ClassVar[str]
    #: One line for the docs and ``pack lint``.
    description: ClassVar[str] = ""
    Params: ClassVar[type[BaseModel]] = NoParams
    #: A supplementary detector's finding is dropped when another rule reports its clause.
    supplementary: ClassVar[bool] = False

    def __init__(self, params: BaseModel, context: DetectorContext) -> None:
        self.params = params
        self.context = context

    @classmethod
    def from_params(cls, params: dict[str, Any], context: DetectorContext) -> Detector:
        return cls(cls.Params.model_validate(params), context)

    @abstractmethod
    def detect(self, message: Message) -> Iterable[Hit]:
        """Every hit (and near miss) in ``message.text``."""

    def warm(self) -> None:
        """Load what the first message would otherwise pay for (models); by default nothing."""
        return None

    def detect_batch(self, messages: Sequence[Message]) -> list[list[Hit]]:
        """Hits for many messages; detectors with per-call overheads (models) override this."""
        return [list(self.detect(m)) for m in messages]
