"""The one question other apps ask of this one: may this user read embargoed material?

``pressroom`` and ``api`` call :func:`trusted_journalist`; none of them reads
``Journalist.status`` themselves, so the rule (approved, active, re-confirmed,
current agreement accepted) lives here once.
"""

from __future__ import annotations

from journalists.models import AgreementAcceptance, EmbargoAgreement, Journalist


def journalist_of(user) -> Journalist | None:
    """The user's journalist record, or None (anonymous users and staff have none)."""
    if not getattr(user, "is_authenticated", False) or user.is_staff:
        return None
    return Journalist.objects.filter(user=user).first()


def has_accepted_current_agreement(journalist: Journalist) -> bool:
    current = EmbargoAgreement.current()
    if current is None:
        return False
    return AgreementAcceptance.objects.filter(journalist=journalist, agreement=current).exists()


def trusted_journalist(user) -> Journalist | None:
    """The user's journalist record if they may read embargoed material now, else None."""
    if not getattr(user, "is_authenticated", False) or user.is_staff or not user.is_active:
        return None
    journalist = Journalist.objects.approved().filter(user=user).first()
    if journalist is None or not has_accepted_current_agreement(journalist):
        return None
    return journalist
