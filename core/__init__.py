"""The shared kernel: rules every app applies and that know no app of ours.

Rich-text sanitising (``richtext``), image validation (``images``), the one
bounded decode of a picture (``decoding``), HTTP helpers that views of any
app need (``http``), values remembered per content state (``memo``) and the
one CSV writer, which neutralises spreadsheet formulas in every cell of
every export (``csv``).  Nothing
here imports ``contacts``, ``releases`` or any other app of ours, so every
app may import it (the dependency rule in docs/ARCHITECTURE.md, checked by
import-linter).
"""
