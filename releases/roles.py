"""The newsroom's roles as Django groups, and the permissions each holds.

The workflow (``releases/workflow/``) asks for *permissions*, never for
group names; these groups are the sensible default bundles.  ``sync_roles``
is used by the ``roles`` data migration and by ``manage.py sync_roles`` (run
it after adding models, so Administrator gets their permissions too).
"""

from __future__ import annotations

from typing import Any

WRITER = "Writer"
EDITOR = "Editor"
PUBLISHER = "Publisher"
CONTACTS_MANAGER = "Contacts manager"
ADMINISTRATOR = "Administrator"

_RELEASE_PARTS = ("releaseorganisation", "releasecontact", "releaseimage", "releaseattachment")
_CRUD = ("add", "change", "delete", "view")


def _parts() -> list[tuple[str, str]]:
    return [("releases", f"{verb}_{model}") for model in _RELEASE_PARTS for verb in _CRUD]


_READ_CONTACTS = [
    ("contacts", "view_organisation"),
    ("contacts", "view_mediacontact"),
    ("contacts", "view_partnership"),
    ("contacts", "view_partnershipmember"),
]
#: Those who draft releases add the people and organisations a draft needs
#: (the "+" next to the release form's contact and organisation fields); the
#: contacts managers keep changing and deleting to themselves.
_ADD_CONTACTS = [
    ("contacts", "add_mediacontact"),
    ("contacts", "add_organisation"),
]
_STAFF_COMMON = [
    ("releases", "view_pressrelease"),
    ("releases", "view_changenote"),
    ("releases", "view_auditlogentry"),
    ("releases", "view_previewlink"),
    ("releases", "add_previewlink"),
    *_READ_CONTACTS,
    # Whoever may not add a contact asks for one (contacts.requests).
    ("contacts", "add_contactrequest"),
    # A release's reach panel (views, downloads per day).
    ("reach", "view_dailycount"),
]

#: Who sends to media lists sees the lists, their people and the send reports.
_MEDIALISTS_READ = [
    ("medialists", "view_outlet"),
    ("medialists", "view_mediaperson"),
    ("medialists", "view_medialist"),
    ("medialists", "view_distribution"),
]

#: Contacts managers vet journalists' accounts: see them, decide on them, and
#: publish new versions of the embargo agreement (journalists/rules.py).
_VET_JOURNALISTS = [
    ("journalists", "view_journalist"),
    ("journalists", "vet_journalist"),
    ("journalists", "view_journalistevent"),
    ("journalists", "view_embargoagreement"),
    ("journalists", "add_embargoagreement"),
    ("journalists", "change_embargoagreement"),
    ("journalists", "view_agreementacceptance"),
]

#: group name -> (app_label, codename) pairs; ``None`` means every permission.
ROLES: dict[str, list[tuple[str, str]] | None] = {
    WRITER: [
        *_STAFF_COMMON,
        ("releases", "add_pressrelease"),
        ("releases", "change_pressrelease"),
        *_parts(),
        *_ADD_CONTACTS,
    ],
    EDITOR: [
        *_STAFF_COMMON,
        ("releases", "add_pressrelease"),
        ("releases", "change_pressrelease"),
        ("releases", "review_pressrelease"),
        *_parts(),
        *_ADD_CONTACTS,
    ],
    PUBLISHER: [
        *_STAFF_COMMON,
        ("releases", "change_pressrelease"),
        ("releases", "publish_pressrelease"),
        *_parts(),
        # Whoever schedules decides on advance access for journalists (pressroom).
        ("pressroom", "grant_advance_access"),
        ("pressroom", "view_advanceaccess"),
        ("pressroom", "view_accesslogentry"),
        # Media lists: publishers send a release to them and read the reports.
        *_MEDIALISTS_READ,
        ("medialists", "send_distribution"),
    ],
    CONTACTS_MANAGER: [
        ("releases", "view_pressrelease"),
        *[
            ("contacts", f"{verb}_{model}")
            for model in (
                "organisation",
                "mediacontact",
                "partnership",
                "partnershipmember",
                "contactrequest",
            )
            for verb in _CRUD
        ],
        # Vetting journalists (journalists/rules.py) and the agreement's versions.
        *_VET_JOURNALISTS,
        # Media lists: the journalists' side of the address book is theirs.
        *[
            ("medialists", f"{verb}_{model}")
            for model in ("outlet", "mediaperson", "medialist")
            for verb in _CRUD
        ],
        ("medialists", "view_distribution"),
    ],
    ADMINISTRATOR: None,
}


def sync_roles(apps: Any) -> None:
    """Create the groups and give each exactly its permissions (idempotent)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Permissions are normally created after *all* migrations; make them now.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if wanted is None:
            perms = list(Permission.objects.all())
        else:
            perms = []
            for app_label, codename in wanted:
                perm = Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).first()
                if perm is not None:  # a model another module has not added yet
                    perms.append(perm)
        group.permissions.set(perms)


def staff_status_follows_roles(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    """Giving someone a role makes them able to work; taking every role away
    stops them.

    Without this an administrator who put a colleague in the Writer group
    saw them fail to log in with a message about a wrong password: the admin
    lets in only ``is_staff`` users.  Superusers keep their status whatever
    their groups.  Connected to ``User.groups``' ``m2m_changed`` (the admin's
    user form and ``user.groups.add()`` alike).
    """
    if action not in {"post_add", "post_remove", "post_clear"} or kwargs.get("reverse"):
        return
    has_role = instance.groups.filter(name__in=list(ROLES)).exists()
    wanted = has_role or instance.is_superuser or (instance.is_staff and action == "post_add")
    if wanted != instance.is_staff:
        type(instance).objects.filter(pk=instance.pk).update(is_staff=wanted)
        instance.is_staff = wanted
