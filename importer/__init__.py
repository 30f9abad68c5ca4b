"""Import media updates (.txt, .md, .docx) into draft releases and bulletins.

The pipeline is split so each step can be tested on its own and shared by the
management command and the admin:

``reader``  bytes → text (encoding detection, Word documents, bad input)
``parser``  text → dataclasses (pure: no database)
``writer``  dataclasses → rows, in one transaction (drafts only)
``report``  what was created, matched and not recognised, as text
"""
