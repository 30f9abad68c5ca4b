"""Public views of releases, by what they serve: the release page (``pages``),
its files (``files``), previews before publication (``previews``), the pages
of the organisations and partnerships that issue releases (``issuers``) and
contact cards (``vcards``).  Feeds are in ``releases.feeds``."""
