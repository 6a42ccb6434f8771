"""The ``commsguard`` command line."""
