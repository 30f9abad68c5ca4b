"""URLs for journalists' tools: search and feeds, in the ``releases`` namespace.

Included at the site root so that search lives at ``/search/`` and feeds at
``/feeds/…``, while the release list and pages keep ``/releases/…``: this
module pulls in ``releases.urls``' patterns under ``releases/`` so the whole
``releases:`` namespace is defined once (Django resolves a namespace from its
first include only)::

    path("", include("releases.journalist_urls")),   # replaces "releases/" include
"""

from django.urls import include, path

from releases import feeds, search_views
from releases import urls as release_urls

app_name = "releases"

urlpatterns = [
    path("releases/", include(release_urls.urlpatterns)),
    path("search/", search_views.search, name="search"),
    path("feeds/releases.rss", feeds.ReleaseFeed(), name="feed_rss"),
    path("feeds/releases.atom", feeds.ReleaseAtomFeed(), name="feed_atom"),
    path(
        "feeds/organisations/<slug:slug>.rss",
        feeds.OrganisationReleaseFeed(),
        name="organisation_feed_rss",
    ),
    path(
        "feeds/organisations/<slug:slug>.atom",
        feeds.OrganisationReleaseAtomFeed(),
        name="organisation_feed_atom",
    ),
    path("feeds/tags/<str:slug>.rss", feeds.TagReleaseFeed(), name="tag_feed_rss"),
    path("feeds/tags/<str:slug>.atom", feeds.TagReleaseAtomFeed(), name="tag_feed_atom"),
]
