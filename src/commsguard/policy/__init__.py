"""The policy pack: schema, loader and self-test."""

from commsguard.policy.loader import DEFAULT_PACK, Pack, load_pack

__all__ = ["DEFAULT_PACK", "Pack", "load_pack"]
