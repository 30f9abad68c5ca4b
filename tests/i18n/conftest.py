"""Fixtures of the language tests: the workflow's users by role and releases."""

from tests.workflow.conftest import (  # noqa: F401 - fixtures shared with the workflow tests
    contacts_manager,
    editor,
    make_release,
    make_user,
    publisher,
    writer,
)
