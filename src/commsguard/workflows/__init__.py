"""Workflows: the library's use cases over the engine and the store."""
