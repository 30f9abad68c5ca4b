"""The editorial workflow: THE one place for states, transitions and who may do what.

The admin (buttons, actions, ``has_change_permission``), the public preview,
views and management commands all ask this package; none of them changes
``status`` or ``publish_at`` on its own.  That way a rule ("a publisher may
not publish what they submitted themselves") is enforced once, on the
server, whatever the route.

Each transition is one class (``transitions.py``, the state diagram is
there) holding its check, its change and its audit action, registered in
one registry (``registry.py``) from which the admin's buttons, its bulk
actions and :func:`apply_transition` are derived.  The shared
:meth:`Transition.run <releases.workflow.base.Transition.run>` (1) checks
the user's permission, (2) locks the release row with
``select_for_update()`` inside ``transaction.atomic()`` and checks the
state *of the locked row*, (3) applies the change, keeps a
django-reversion revision, and (4) writes an
:class:`~releases.models.AuditLogEntry`.  Refusals raise
:class:`TransitionError` (wrong state, missing input) or Django's
:class:`~django.core.exceptions.PermissionDenied` (wrong role), both with a
message written for the person who clicked.

Adding a transition::

    @register
    class SendBack(Transition):
        name, label, action = "send_back", "Send back to draft", Action.REJECT
        permission, permission_message = PERM_REVIEW, "Only an editor can send a release back."
        def check_state(self, user, release, now): ...   # raise if not now
        def apply(self, release, now, given): release.status = Status.DRAFT

The modules: ``permissions`` (roles and states), ``base`` (the class and
``run``), ``transitions``, ``registry``, ``shortcuts`` (``submit()``,
``publish()``… as functions), ``edits`` (what a change of content is; an
edit after approval goes back for review; a public release's files change
only with a change note), ``files`` (pictures and documents follow their
release's rules), ``revisions`` (edits, corrections, restore, recovery),
``restoring`` (what a restore brings back besides the text), ``checks``
(the second look at a force-publish: who may mark it checked) and
``previews`` (shareable links: who may share, and when a
link dies).  Everything callers use is
importable from here, as it was when this was one module.
"""

from releases.workflow import transitions  # noqa: F401 - registers the nine transitions
from releases.workflow.base import (
    MAX_EMBARGO_AHEAD,
    Transition,
    TransitionError,
    TransitionInput,
    parse_instant,
    validate_future,
)
from releases.workflow.checks import (
    awaiting_second_look,
    can_mark_checked,
    check_can_mark_checked,
    mark_checked,
    may_check_at_all,
)
from releases.workflow.edits import (
    SUBSTANTIVE_FIELDS,
    ContentChanges,
    check_file_changes,
    edit_sends_back,
    needs_change_note,
    send_back_for_review,
)
from releases.workflow.files import can_change_files_directly, describe, drop_missing_files
from releases.workflow.permissions import (
    PERM_ADD,
    PERM_CHANGE,
    PERM_DELETE,
    PERM_PUBLISH,
    PERM_REVIEW,
    PERM_VIEW,
    Action,
    Status,
    User,
    can_edit,
    can_preview,
    check_can_edit,
    is_author,
    submitted_by_id,
)
from releases.workflow.previews import (
    PreviewState,
    can_share_preview,
    create_preview_link,
    preview_link_state,
    revoke_open_links,
    revoke_preview_link,
)
from releases.workflow.registry import (
    TRANSITIONS,
    apply_transition,
    available_transitions,
    bulk_transitions,
    get_transition,
    register,
    unregister,
)
from releases.workflow.revisions import (
    CONTENT_FIELDS,
    RestoreOutcome,
    after_recover,
    prepare_recovery,
    record_edit,
    restore_revision,
    versions_of,
)
from releases.workflow.shortcuts import (
    approve,
    force_publish,
    publish,
    reject,
    remove,
    schedule,
    submit,
    unschedule,
    withdraw,
)

__all__ = [
    "CONTENT_FIELDS",
    "MAX_EMBARGO_AHEAD",
    "PERM_ADD",
    "PERM_CHANGE",
    "PERM_DELETE",
    "PERM_PUBLISH",
    "PERM_REVIEW",
    "PERM_VIEW",
    "SUBSTANTIVE_FIELDS",
    "TRANSITIONS",
    "Action",
    "ContentChanges",
    "PreviewState",
    "RestoreOutcome",
    "Status",
    "Transition",
    "TransitionError",
    "TransitionInput",
    "User",
    "after_recover",
    "apply_transition",
    "approve",
    "available_transitions",
    "awaiting_second_look",
    "bulk_transitions",
    "can_change_files_directly",
    "can_edit",
    "can_mark_checked",
    "can_preview",
    "can_share_preview",
    "check_can_edit",
    "check_can_mark_checked",
    "check_file_changes",
    "create_preview_link",
    "describe",
    "drop_missing_files",
    "edit_sends_back",
    "force_publish",
    "get_transition",
    "is_author",
    "mark_checked",
    "may_check_at_all",
    "needs_change_note",
    "parse_instant",
    "prepare_recovery",
    "preview_link_state",
    "publish",
    "record_edit",
    "register",
    "reject",
    "remove",
    "restore_revision",
    "revoke_open_links",
    "revoke_preview_link",
    "schedule",
    "send_back_for_review",
    "submit",
    "submitted_by_id",
    "unregister",
    "unschedule",
    "validate_future",
    "versions_of",
    "withdraw",
]
