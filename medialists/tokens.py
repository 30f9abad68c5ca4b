"""The signed unsubscribe link of a media-list e-mail.

Signed with the project's secret and a purpose of its own; it names the copy
(recipient row) and its address, so it keeps working in an old e-mail
(RFC 8058) and cannot be turned against another address.
"""

from __future__ import annotations

from django.core import signing

_SALT = "medialists.unsubscribe"


class BadLinkError(Exception):
    """The link was altered or is not ours."""


def unsubscribe_token(recipient_id: int, email: str) -> str:
    return signing.dumps({"r": recipient_id, "e": email.lower()}, salt=_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    if len(token) > 1000:
        raise BadLinkError()
    try:
        data = signing.loads(token, salt=_SALT)
        return int(data["r"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise BadLinkError() from error
