"""Signed links: confirm a sign-up, manage an address, unsubscribe in one click.

Every link is signed with the project's secret and a purpose of its own
(``salt``), and carries the subscriber's ``nonce``: erasing or resetting an
address voids every link in every e-mail it was ever sent.  A confirmation
link also expires (``ALERTS_CONFIRM_HOURS``); manage and unsubscribe links
do not (they sit in old e-mails, and RFC 8058 asks that they keep working).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

_CONFIRM, _MANAGE, _UNSUBSCRIBE = "alerts.confirm", "alerts.manage", "alerts.unsubscribe"


class BadLinkError(Exception):
    """The link was altered, is not ours, or has expired (``expired`` says which)."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True)
class LinkData:
    subscriber_id: int
    nonce: str
    subscription_ids: tuple[int, ...] = ()


def _dump(salt: str, subscriber_id: int, nonce: str, ids: tuple[int, ...] = ()) -> str:
    return signing.dumps({"s": subscriber_id, "n": nonce, "i": list(ids)}, salt=salt, compress=True)


def _load(salt: str, token: str, max_age: int | None = None) -> LinkData:
    if len(token) > 2000:
        raise BadLinkError()
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadLinkError(expired=True) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadLinkError() from error
    try:
        return LinkData(int(data["s"]), str(data["n"]), tuple(int(i) for i in data.get("i", [])))
    except (KeyError, TypeError, ValueError) as error:
        raise BadLinkError() from error


def confirm_token(subscriber_id: int, nonce: str, subscription_id: int) -> str:
    return _dump(_CONFIRM, subscriber_id, nonce, (subscription_id,))


def read_confirm_token(token: str) -> LinkData:
    return _load(_CONFIRM, token, max_age=settings.ALERTS_CONFIRM_HOURS * 3600)


def manage_token(subscriber_id: int, nonce: str) -> str:
    return _dump(_MANAGE, subscriber_id, nonce)


def read_manage_token(token: str) -> LinkData:
    return _load(_MANAGE, token)


def unsubscribe_token(subscriber_id: int, nonce: str, subscription_ids: tuple[int, ...]) -> str:
    """Unsubscribes from ``subscription_ids`` (all of the address's if empty)."""
    return _dump(_UNSUBSCRIBE, subscriber_id, nonce, subscription_ids)


def read_unsubscribe_token(token: str) -> LinkData:
    return _load(_UNSUBSCRIBE, token)
