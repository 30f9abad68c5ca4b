"""Public URLs of releases (namespace ``releases``), included at the site root.

The release page and its files, the feeds, the pages of the organisations and
partnerships that issue releases, contact cards and shareable previews.  The
filtered list at ``/releases/`` itself is the finder's (``search:release_list``).
An unknown rendition or format is a 404 from the view.
"""

from django.urls import path

from releases import feeds
from releases.views import feed_guide, files, issuers, pages, previews, vcards

app_name = "releases"

urlpatterns = [
    path("releases/<slug:slug>/", pages.release_detail, name="detail"),
    path("releases/<slug:slug>/images/<int:pk>/<str:rendition>/", files.image_file, name="image"),
    path(
        "releases/<slug:slug>/images/<int:pk>/<str:rendition>/<str:fmt>/",
        files.image_file,
        name="image_format",
    ),
    path("releases/<slug:slug>/files/<int:pk>/", files.attachment_file, name="file"),
    path("releases/<slug:slug>/media-kit.zip", files.media_kit, name="media_kit"),
    path(
        "releases/<slug:slug>/contacts.vcf",
        vcards.release_contacts_vcard,
        name="contacts_vcard",
    ),
    path("feeds/", feed_guide.feed_guide, name="feed_guide"),
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
    path("organisations/", issuers.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", issuers.organisation_detail, name="organisation_detail"),
    path("partnerships/<slug:slug>/", issuers.partnership_detail, name="partnership_detail"),
    # A preview's own doors to its files (releases.file_urls): staff first,
    # so "staff" is never read as a token.
    path(
        "preview/staff/<int:release_pk>/files/images/<int:pk>/<str:rendition>/",
        previews.staff_image,
        name="staff_preview_image",
    ),
    path(
        "preview/staff/<int:release_pk>/files/images/<int:pk>/<str:rendition>/<str:fmt>/",
        previews.staff_image,
        name="staff_preview_image_format",
    ),
    path(
        "preview/staff/<int:release_pk>/files/documents/<int:pk>/",
        previews.staff_attachment,
        name="staff_preview_file",
    ),
    path(
        "preview/staff/<int:release_pk>/files/media-kit.zip",
        previews.staff_media_kit,
        name="staff_preview_media_kit",
    ),
    path(
        "preview/staff/<int:release_pk>/files/contacts.vcf",
        previews.staff_contacts_vcard,
        name="staff_preview_contacts_vcard",
    ),
    path("preview/<str:token>/", previews.preview_link_view, name="preview_link"),
    path(
        "preview/<str:token>/files/contacts.vcf",
        previews.link_contacts_vcard,
        name="preview_contacts_vcard",
    ),
    path(
        "preview/<str:token>/files/images/<int:pk>/<str:rendition>/",
        previews.link_image,
        name="preview_image",
    ),
    path(
        "preview/<str:token>/files/images/<int:pk>/<str:rendition>/<str:fmt>/",
        previews.link_image,
        name="preview_image_format",
    ),
    path(
        "preview/<str:token>/files/documents/<int:pk>/",
        previews.link_attachment,
        name="preview_file",
    ),
    path(
        "preview/<str:token>/files/media-kit.zip",
        previews.link_media_kit,
        name="preview_media_kit",
    ),
]
