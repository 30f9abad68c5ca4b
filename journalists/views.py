"""A journalist's own pages: the account, the embargo agreement, re-confirmation, deletion.

Every page here is private (``journalists.middleware``: ``private,
no-store``, ``noindex``; never in the public page cache) and asks for a
signed-in journalist: staff have no journalist account and are sent to the
admin.  The status itself changes only through :mod:`journalists.rules`.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.http import public_cache_exempt
from journalists import panels, reconfirm, rules
from journalists.access import journalist_of
from journalists.forms import ProfileForm
from journalists.models import AgreementAcceptance, EmbargoAgreement, Journalist

#: What each status means for the journalist, in their words.
STATUS_MEANING = {
    Journalist.Status.PENDING: _(
        "The press office is checking your details. You will get an e-mail when they decide."
    ),
    Journalist.Status.MORE_INFO: _(
        "The press office asked you for more information "
        "(see their e-mail). Update your profile below: saving it sends it back for approval."
    ),
    Journalist.Status.APPROVED: _(
        "You may read embargoed releases you are given access to, "
        "once you have accepted the embargo agreement."
    ),
    Journalist.Status.REJECTED: _(
        "Your request was not approved. Public releases remain open to you."
    ),
    Journalist.Status.SUSPENDED: _("Your access to embargoed material is suspended."),
    Journalist.Status.REVOKED: _("Your access to embargoed material has been withdrawn."),
    Journalist.Status.LAPSED: _(
        "Your account was not re-confirmed within the year, so it lapsed. "
        "Write to the press office to have it reinstated."
    ),
}


def journalist_required(view):
    """Signed in (allauth's login page otherwise) and a journalist (staff go to the admin)."""

    @wraps(view)
    @login_required(login_url="account_login")
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_staff:
            return redirect("admin:index")
        journalist = journalist_of(request.user)
        if journalist is None:
            return render(request, "journalists/not_a_journalist.html", status=403)
        return view(request, journalist, *args, **kwargs)

    return public_cache_exempt(wrapper)


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@journalist_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest, journalist: Journalist) -> HttpResponse:
    """The journalist's page: profile, status, agreement, alerts, security, deletion."""
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=journalist)
        if form.is_valid():
            with transaction.atomic():
                form.save()
                if journalist.status == Journalist.Status.MORE_INFO:
                    rules.resubmit(journalist, request.user)
                    messages.success(
                        request, gettext("Your profile is saved and sent back to the press office.")
                    )
                else:
                    messages.success(request, gettext("Your profile is saved."))
            return HttpResponseRedirect(reverse("journalists:account"))
    else:
        form = ProfileForm(instance=journalist)
    acceptance = (
        AgreementAcceptance.objects.filter(journalist=journalist)
        .select_related("agreement")
        .order_by("-agreement__version")
        .first()
    )
    current = EmbargoAgreement.current()
    return render(
        request,
        "journalists/account.html",
        {
            "journalist": journalist,
            "form": form,
            "meaning": STATUS_MEANING.get(journalist.status, ""),
            "acceptance": acceptance,
            "current_agreement": current,
            "agreement_is_current": bool(
                acceptance and current and acceptance.agreement_id == current.pk
            ),
            "subscriptions": _alert_subscriptions(journalist),
            "panels": panels.render_all(request, journalist),
        },
    )


def _alert_subscriptions(journalist: Journalist) -> dict:
    """The alerts subscriber with the journalist's address, and a link to manage it."""
    from alerts import tokens
    from alerts.models import Subscriber

    subscriber = (
        Subscriber.objects.filter(email__iexact=journalist.email)
        .prefetch_related("subscriptions")
        .first()
    )
    if subscriber is None:
        return {"subscriber": None, "items": [], "manage_url": ""}
    return {
        "subscriber": subscriber,
        "items": list(subscriber.subscriptions.all()),
        "manage_url": reverse(
            "alerts:manage", args=[tokens.manage_token(subscriber.pk, subscriber.nonce)]
        ),
    }


@journalist_required
@require_http_methods(["GET", "POST"])
def agreement(request: HttpRequest, journalist: Journalist) -> HttpResponse:
    """The embargo agreement in force, and "I agree" (which version, when: recorded)."""
    current = EmbargoAgreement.current()
    next_url = _safe_next(request, reverse("journalists:account"))
    accepted = (
        current is not None
        and AgreementAcceptance.objects.filter(journalist=journalist, agreement=current).exists()
    )
    if request.method == "POST" and current is not None:
        if str(current.version) != request.POST.get("version"):
            messages.error(
                request,
                gettext("The agreement changed while you were reading: please read it again."),
            )
        else:
            AgreementAcceptance.objects.get_or_create(journalist=journalist, agreement=current)
            messages.success(
                request,
                gettext("You accepted the embargo agreement, version %(version)s.")
                % {"version": current.version},
            )
            return HttpResponseRedirect(next_url)
    return render(
        request,
        "journalists/agreement.html",
        {"agreement": current, "accepted": accepted, "next": next_url, "journalist": journalist},
    )


@public_cache_exempt
@login_required(login_url="account_login")
@require_http_methods(["GET", "POST"])
def reconfirm_account(request: HttpRequest, token: str) -> HttpResponse:
    """The yearly e-mail's link: one button, for the journalist it was sent to."""
    journalist = reconfirm.read_token(token)
    if journalist is None or journalist.user_id != request.user.pk:
        return render(request, "journalists/reconfirm_invalid.html", status=400)
    if request.method == "POST":
        try:
            rules.reconfirm(journalist, request.user)
        except rules.RuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, gettext("Thank you: your account is confirmed for another year.")
            )
        return HttpResponseRedirect(reverse("journalists:account"))
    return render(request, "journalists/reconfirm.html", {"journalist": journalist, "token": token})


@journalist_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest, journalist: Journalist) -> HttpResponse:
    """Delete the account and the journalist's data: user, journalist row, alerts."""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        delete_journalist(journalist)
        logout(request)
        messages.success(request, gettext("Your account and its data are deleted."))
        return HttpResponseRedirect("/")
    return render(request, "journalists/delete.html", {"journalist": journalist})


def delete_journalist(journalist: Journalist) -> None:
    """Erase a journalist: sessions, user (and with it the journalist row, its history,
    acceptances and allauth's records), and the alerts subscriber of the same address
    with its subscriptions and deliveries (the alerts app's erasure is that delete)."""
    from alerts.models import Subscriber

    user = journalist.user
    email = user.email
    with transaction.atomic():
        rules.end_sessions(user)
        if email:
            Subscriber.objects.filter(email__iexact=email).delete()
        user.delete()
