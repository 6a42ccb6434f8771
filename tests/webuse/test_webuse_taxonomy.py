from __future__ import annotations

from pathlib import Path

import pytest

from commsguard.errors import PackError
from commsguard.webuse.taxonomy import classify, default_taxonomy, host_of, load_taxonomy

POLICY_CATEGORIES = {
    "social-networking",
    "video-photo-sharing",
    "blogs",
    "micro-blogging",
    "wikis-collaboration",
    "forums",
    "online-gaming",
    "geo-tagging",
    "internal-social-media",
    "instant-messaging",
}


def test_when_default_pack_loaded_then_it_has_the_ten_policy_categories() -> None:
    tax = default_taxonomy()
    assert {c.id for c in tax.categories} == POLICY_CATEGORIES
    assert all(c.policy_words and c.title for c in tax.categories)


@pytest.mark.parametrize(
    ("target", "site", "category", "background"),
    [
        ("m.facebook.com", "facebook.com", "social-networking", False),
        ("https://static.xx.fbcdn.net/rsrc.php/v3/x.js", "fbcdn.net", "social-networking", True),
        ("www.youtube.com", "youtube.com", "video-photo-sharing", False),
        ("i.ytimg.com", "ytimg.com", "video-photo-sharing", True),
        ("old.reddit.com", "reddit.com", "forums", False),
        ("aus.social", "aus.social", "social-networking", False),
        ("https://mastodon.social/@someone", "mastodon.social", "social-networking", False),
        ("bsky.app", "bsky.app", "social-networking", False),
        ("www.threads.net", "threads.net", "social-networking", False),
        ("www.instagram.com:443", "instagram.com", "social-networking", False),
        ("http://user@www.tiktok.com:8080/@x", "tiktok.com", "video-photo-sharing", False),
        ("pbs.twimg.com", "twimg.com", "micro-blogging", True),
        ("x.com", "x.com", "micro-blogging", False),
        ("en.wikipedia.org", "wikipedia.org", "wikis-collaboration", False),
        ("groups.google.com", "groups.google.com", "forums", False),
        ("forums.whirlpool.net.au", "whirlpool.net.au", "forums", False),
        ("www.roblox.com", "roblox.com", "online-gaming", False),
        ("eu.battle.net", "battle.net", "online-gaming", False),
        ("www.strava.com", "strava.com", "geo-tagging", False),
        ("foursquare.com", "foursquare.com", "geo-tagging", False),
        ("contoso.sharepoint.com", "sharepoint.com", "internal-social-media", False),
        ("web.whatsapp.com", "whatsapp.com", "instant-messaging", False),
        ("web.telegram.org", "telegram.org", "instant-messaging", False),
        ("discord.com", "discord.com", "instant-messaging", False),
        ("www.snapchat.com", "snapchat.com", "social-networking", False),
        ("au.pinterest.com", "pinterest.com", "video-photo-sharing", False),
        ("www.twitch.tv", "twitch.tv", "video-photo-sharing", False),
        ("someone.blogspot.com", "blogspot.com", "blogs", False),
        ("comments.theage.com.au", "comments.theage.com.au", "blogs", False),
    ],
)
def test_when_social_media_then_category_and_definitions_clause(
    target: str, site: str, category: str, background: bool
) -> None:
    c = classify(target)
    assert (c.site, c.category, c.background) == (site, category, background)
    assert c.clause == "definitions"
    assert c.kind == "social-media"
    assert c.is_social_media


@pytest.mark.parametrize(
    ("target", "kind", "clause"),
    [
        ("www.google.com", "unknown", "definitions"),
        ("www.theage.com.au", "unknown", "definitions"),
        ("10.1.2.3", "unknown", "definitions"),
        ("intranet.ombudsman.vic.gov.au", "internal-tool", "work-resources"),
        ("teams.microsoft.com", "internal-tool", "work-resources"),
        ("a1.akamaihd.net", "background", "work-resources"),
    ],
)
def test_when_not_social_media_then_no_category(target: str, kind: str, clause: str) -> None:
    c = classify(target)
    assert c.category is None
    assert (c.kind, c.clause) == (kind, clause)


def test_when_unknown_then_the_in_doubt_words_are_given() -> None:
    assert "Manager, Information and Technology Systems" in classify("example.org").note


def test_when_manager_answers_then_taxonomy_is_extended() -> None:
    tax = default_taxonomy().extend({"forum.example.org": "forums", "google.com": "internal-tool"})
    assert tax.classify("forum.example.org").category == "forums"
    assert tax.classify("www.forum.example.org").site == "forum.example.org"
    assert tax.classify("www.google.com").kind == "internal-tool"
    assert default_taxonomy().classify("forum.example.org").category is None


def test_when_answer_names_unknown_category_then_error() -> None:
    with pytest.raises(PackError, match="unknown category"):
        default_taxonomy().extend({"x.org": "gossip"})


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("HTTPS://WWW.Facebook.COM./x", "www.facebook.com"),
        ("www.reddit.com:443", "www.reddit.com"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("facebook.com/groups/x", "facebook.com"),
        ("", ""),
    ],
)
def test_when_host_of_then_lower_case_host_without_port(text: str, host: str) -> None:
    assert host_of(text) == host


def test_when_domain_listed_twice_then_pack_error(tmp_path: Path) -> None:
    path = tmp_path / "social_media.yaml"
    path.write_text(
        """
categories:
  - {id: a, title: A, policy_words: a, domains: [x.com]}
  - {id: b, title: B, policy_words: b, domains: [x.com]}
""",
        encoding="utf-8",
    )
    with pytest.raises(PackError, match=r"'x.com' is listed under both 'a' and 'b'"):
        load_taxonomy(path)


def test_when_pack_has_unknown_key_then_error_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "social_media.yaml"
    path.write_text("categories: []\nsurprise: 1\n", encoding="utf-8")
    with pytest.raises(PackError, match="surprise"):
        load_taxonomy(path)


def test_when_manager_answers_not_social_media_then_site_is_no_longer_unknown() -> None:
    assert default_taxonomy().classify("https://recipes.example.net/pasta").kind == "unknown"
    tax = default_taxonomy().extend({"recipes.example.net": "not-social-media"})
    c = tax.classify("https://recipes.example.net/pasta")
    assert (c.kind, c.category, c.clause) == ("not-social-media", None, "definitions")
    assert not c.is_social_media
    assert "Manager, IT Systems" in c.note
