"""Why a file cannot be imported: each message is meant for the staff member."""


class ImportFileError(Exception):
    """A file that cannot be imported; ``str()`` is a message for staff."""


class AlreadyImportedError(ImportFileError):
    """The same bytes were imported before; nothing is written again."""
