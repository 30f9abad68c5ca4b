"""The signed link of the yearly re-confirmation e-mail.

It carries the journalist's id and the instant of their last confirmation:
once used (``confirmed_at`` moves) it is spent, and it expires.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from journalists.models import Journalist

SALT = "journalists.reconfirm"


def token_for(journalist: Journalist) -> str:
    stamp = journalist.confirmed_at.timestamp() if journalist.confirmed_at else 0
    return signing.dumps({"j": journalist.pk, "c": stamp}, salt=SALT)


def read_token(token: str) -> Journalist | None:
    """The journalist a link is for, if the link is genuine, unexpired and unused."""
    try:
        data = signing.loads(
            token, salt=SALT, max_age=settings.JOURNALISTS_RECONFIRM_NOTICE_DAYS * 86400 * 2
        )
    except signing.BadSignature:
        return None
    journalist = Journalist.objects.filter(pk=data.get("j")).select_related("user").first()
    if journalist is None or journalist.confirmed_at is None:
        return None
    if abs(journalist.confirmed_at.timestamp() - float(data.get("c", -1))) > 0.001:
        return None
    return journalist
