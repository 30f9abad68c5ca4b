from django.apps import AppConfig


class ImporterConfig(AppConfig):
    """Media updates (.txt, .md, .docx) turned into draft releases and bulletins."""

    name = "importer"
    verbose_name = "Imports"
