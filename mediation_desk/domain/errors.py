"""Errors raised by domain rules and services; each carries a message fit to show a user."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken. ``str(error)`` is a complete Chinese message for the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    """A value entered by a user is not acceptable."""


class LifecycleError(DomainError):
    """A case was asked to make a transition its lifecycle forbids."""


class PermissionDenied(DomainError):
    """The acting user's role may not perform this action."""


class NotFound(DomainError):
    """A record named by the user does not exist."""
