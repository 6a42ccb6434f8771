"""The Definitions clause as data: which sites are social media, and which category.

The pack's ``social_media.yaml`` lists the policy's ten categories with their registered domains
(and, where a registered domain is too broad, exact hosts). A host is matched by its registered
domain, found with tldextract's *bundled* public suffix list (never fetched), so
``m.facebook.com`` is ``facebook.com`` and ``static.xx.fbcdn.net`` is ``fbcdn.net``.

Order of matching: the Manager IT Systems' answers (``extra``), then exact hosts and their
subdomains, then registered domains. Background domains (CDNs such as ``fbcdn.net``) classify
but never count as time; internal tools are work, counted apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import tldextract
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from commsguard.errors import PackError, PackLocation
from commsguard.registers import AuthorisationRegister
from commsguard.webuse.config import DEFAULT_PACK

Kind = Literal["social-media", "internal-tool", "background", "not-social-media", "unknown"]
DEFINITIONS = "definitions"
WORK_RESOURCES = "work-resources"

# Bundled suffix list only: no network, no cache directory.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def _domain(value: str) -> str:
    return value.strip().lower().rstrip(".")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CategoryModel(_Strict):
    id: str
    title: str
    policy_words: str
    examples: tuple[str, ...] = ()
    apps: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    background_domains: tuple[str, ...] = ()

    @field_validator("domains", "hosts", "background_domains")
    @classmethod
    def _lower(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_domain(d) for d in value)


class ToolModel(_Strict):
    id: str
    title: str
    domains: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()

    @field_validator("domains", "hosts")
    @classmethod
    def _lower(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_domain(d) for d in value)


class BusinessUse(_Strict):
    """An authorisation to use social media for business: its time is counted apart."""

    id: str
    title: str = ""
    authority: str = ""
    people: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def covers(self, person: str, site: str, category: str | None) -> bool:
        """Whether time by ``person`` on ``site`` falls under this authorisation."""
        if self.people and person not in self.people:
            return False
        return site in self.domains or (category is not None and category in self.categories)


class TaxonomyModel(_Strict):
    version: Literal[1] = 1
    clause: str = DEFINITIONS
    in_doubt: str = ""
    categories: tuple[CategoryModel, ...]
    internal_tools: tuple[ToolModel, ...] = ()
    business_use: tuple[BusinessUse, ...] = ()
    background_domains: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> TaxonomyModel:
        ids = [c.id for c in self.categories]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"category ids must be unique; repeated: {', '.join(dupes)}")
        seen: dict[str, str] = {}
        owners: list[tuple[str, Iterable[str]]] = [
            (c.id, (*c.domains, *c.hosts, *c.background_domains)) for c in self.categories
        ]
        owners += [(t.id, (*t.domains, *t.hosts)) for t in self.internal_tools]
        for owner, names in owners:
            for name in names:
                if name in seen and seen[name] != owner:
                    raise ValueError(
                        f"{name!r} is listed under both {seen[name]!r} and {owner!r}; "
                        "keep it under one of them only"
                    )
                seen[name] = owner
        known = set(ids)
        for b in self.business_use:
            unknown = sorted(set(b.categories) - known)
            if unknown:
                raise ValueError(
                    f"business_use {b.id!r} names unknown categories {unknown}; "
                    f"known: {', '.join(ids)}"
                )
        return self


@dataclass(frozen=True, slots=True)
class Classification:
    """What a URL or domain is under the policy.

    ``category`` is a Definitions category id, or None. ``clause`` is ``definitions`` when the
    site is social media (or unknown, where the Definitions' "if in doubt" applies) and
    ``work-resources`` for internal tools and background traffic. ``site`` is the key time is
    counted under: the matched host for host entries, else the registered domain.
    """

    domain: str
    registered_domain: str
    category: str | None
    clause: str
    kind: Kind
    site: str
    title: str = ""
    matched: str = ""
    background: bool = False
    policy_words: str = ""
    note: str = ""

    @property
    def is_social_media(self) -> bool:
        return self.kind == "social-media"

    def to_dict(self) -> dict[str, object]:
        return {
            "domain": self.domain,
            "registered_domain": self.registered_domain,
            "site": self.site,
            "category": self.category,
            "title": self.title,
            "clause": self.clause,
            "kind": self.kind,
            "matched": self.matched,
            "background": self.background,
            "policy_words": self.policy_words,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: Kind
    category: str | None
    background: bool
    owner: str


def host_of(url_or_domain: str) -> str:
    """The lower-case host of a URL, ``host:port`` or bare domain ('' when there is none)."""
    text = url_or_domain.strip()
    if "://" in text:
        try:
            return _domain(urlsplit(text).hostname or "")
        except ValueError:
            return ""
    text = text.split("/", 1)[0].rsplit("@", 1)[-1]
    if text.startswith("["):
        return _domain(text[1:].split("]", 1)[0])
    if text.count(":") == 1:
        text = text.split(":", 1)[0]
    return _domain(text)


def registered_domain(host: str) -> str:
    """The registered domain of ``host`` (public suffix + one label), or the host itself."""
    ext = _EXTRACT(host)
    return ext.top_domain_under_public_suffix or host


@dataclass
class Taxonomy:
    """The loaded Definitions taxonomy; ``classify`` answers for any URL or domain."""

    model: TaxonomyModel
    extra: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    _hosts: dict[str, _Entry] = field(init=False, repr=False)
    _domains: dict[str, _Entry] = field(init=False, repr=False)
    _cache: dict[str, Classification] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._hosts, self._domains, self._cache = {}, {}, {}
        for c in self.model.categories:
            for h in c.hosts:
                self._hosts[h] = _Entry("social-media", c.id, False, c.id)
            for d in c.domains:
                self._domains[d] = _Entry("social-media", c.id, False, c.id)
            for d in c.background_domains:
                self._domains[d] = _Entry("social-media", c.id, True, c.id)
        for t in self.model.internal_tools:
            for h in t.hosts:
                self._hosts[h] = _Entry("internal-tool", None, False, t.id)
            for d in t.domains:
                self._domains[d] = _Entry("internal-tool", None, False, t.id)
        for d in self.model.background_domains:
            self._domains.setdefault(_domain(d), _Entry("background", None, True, "background"))
        ids = {c.id for c in self.model.categories}
        for name, cat in self.extra.items():
            if cat not in ids and cat not in ("internal-tool", "not-social-media"):
                raise PackError(f"{name!r}: unknown category {cat!r} (known: {sorted(ids)})")

    @property
    def categories(self) -> tuple[CategoryModel, ...]:
        return self.model.categories

    @property
    def business_use(self) -> tuple[BusinessUse, ...]:
        return self.model.business_use

    def category(self, category_id: str) -> CategoryModel:
        for c in self.model.categories:
            if c.id == category_id:
                return c
        raise KeyError(category_id)

    def extend(self, answers: Mapping[str, str]) -> Taxonomy:
        """A taxonomy that also knows the Manager IT Systems' answers (domain -> category id,
        ``internal-tool`` or ``not-social-media``)."""
        merged = {**self.extra, **{_domain(k): v for k, v in answers.items()}}
        return Taxonomy(self.model, merged, self.source)

    def classify(self, url_or_domain: str) -> Classification:
        """Classify a URL, ``host:port`` or domain."""
        host = host_of(url_or_domain)
        found = self._cache.get(host)
        if found is None:
            found = self._classify_host(host)
            if len(self._cache) < 1_000_000:
                self._cache[host] = found
        return found

    def _classify_host(self, host: str) -> Classification:
        reg = registered_domain(host) if host else ""
        entry, matched = self._lookup(host, reg)
        if entry is None:
            return Classification(
                domain=host,
                registered_domain=reg,
                category=None,
                clause=DEFINITIONS,
                kind="unknown",
                site=reg or host,
                note=self.model.in_doubt,
            )
        site = matched if matched in self._hosts or matched in self.extra else reg or host
        if entry.category is not None:
            cat = self.category(entry.category)
            return Classification(
                domain=host,
                registered_domain=reg,
                category=cat.id,
                clause=DEFINITIONS,
                kind="social-media",
                site=site,
                title=cat.title,
                matched=matched,
                background=entry.background,
                policy_words=cat.policy_words,
                note="content delivery: classified, never counted as time"
                if entry.background
                else "",
            )
        if entry.kind == "not-social-media":
            # The Manager, IT Systems settled the Definitions' "if in doubt" for this site.
            return Classification(
                domain=host,
                registered_domain=reg,
                category=None,
                clause=DEFINITIONS,
                kind="not-social-media",
                site=site,
                matched=matched,
                note="classified as not social media by the Manager, IT Systems",
            )
        return Classification(
            domain=host,
            registered_domain=reg,
            category=None,
            clause=WORK_RESOURCES,
            kind=entry.kind,
            site=site,
            title=entry.owner,
            matched=matched,
            background=entry.background,
        )

    def _lookup(self, host: str, reg: str) -> tuple[_Entry | None, str]:
        parents = _parents(host, reg)
        for name in parents:
            if name in self.extra:
                answer = self.extra[name]
                if answer == "internal-tool":
                    return _Entry("internal-tool", None, False, "manager-answer"), name
                if answer == "not-social-media":
                    return _Entry("not-social-media", None, False, "manager-answer"), name
                return _Entry("social-media", answer, False, answer), name
        for name in parents:
            if name in self._hosts:
                return self._hosts[name], name
        if reg in self._domains:
            return self._domains[reg], reg
        return None, ""


def _parents(host: str, reg: str) -> list[str]:
    """``host`` and its parent domains down to the registered domain, most specific first."""
    if not host:
        return []
    out = [host]
    labels = host.split(".")
    for i in range(1, len(labels)):
        parent = ".".join(labels[i:])
        if len(parent) < len(reg):
            break
        out.append(parent)
    return out


def load_taxonomy(path: Path | None = None, *, extra: Mapping[str, str] | None = None) -> Taxonomy:
    """Load ``social_media.yaml`` (the default pack's when ``path`` is None)."""
    path = path or DEFAULT_PACK / "social_media.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise PackError(f"cannot read the taxonomy: {e}", PackLocation(str(path))) from e
    try:
        model = TaxonomyModel.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PackError(first["msg"], PackLocation(str(path), None, where)) from None
    return Taxonomy(model, dict(extra or {}), str(path))


@cache
def default_taxonomy() -> Taxonomy:
    """The default pack's taxonomy, loaded once."""
    return load_taxonomy()


def classify(url_or_domain: str, taxonomy: Taxonomy | None = None) -> Classification:
    """Classify a URL or domain against ``taxonomy`` (the default pack's when None)."""
    return (taxonomy or default_taxonomy()).classify(url_or_domain)


def business_use_from_register(register: AuthorisationRegister, on: date) -> list[BusinessUse]:
    """Business-use authorisations current on ``on``, from the authorisations register.

    An entry's ``scope`` (or ``accounts``) names the sites or categories it covers, separated
    by commas or spaces (``facebook.com, micro-blogging``); an empty scope covers all social
    media.
    """
    categories = {c.id for c in default_taxonomy().categories}
    out: list[BusinessUse] = []
    for n, a in enumerate(register.entries):
        if a.authority != "business-use" or (a.expires is not None and a.expires < on):
            continue
        words = [w.strip().lower() for w in (a.scope or a.accounts).replace(",", " ").split()]
        cats = tuple(w for w in words if w in categories) or (
            () if words else tuple(sorted(categories))
        )
        sites = tuple(registered_domain(host_of(w)) or w for w in words if w not in categories)
        out.append(
            BusinessUse(
                id=f"register-{n + 1}",
                title=f"business use by {a.person}",
                authority="authorisations register",
                people=(a.person.strip().lower(),),
                domains=sites,
                categories=cats,
            )
        )
    return out
