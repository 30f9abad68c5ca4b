"""The role users and release fixtures of the workflow tests, for the security tests too."""

from tests.workflow.conftest import (  # noqa: F401 - fixtures, found by name
    administrator,
    editor,
    make_release,
    other_writer,
    publisher,
    writer,
)
