"""Search and the release list in each language edition, with Urdu text.

Most tests run on both databases (SQLite's fallback normalises too); the
phrase order, stemming, trigram and index tests need PostgreSQL and skip
without it.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Value
from django.utils import timezone

from releases.models import PressRelease
from search.query import SearchText, WordSimilarTo, count_matches, search
from tests.factories import PressReleaseFactory

pytestmark = pytest.mark.django_db

ZWNJ = "\u200c"


def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def releases():
    flood = PressReleaseFactory(
        language="ur",
        title="سندھ میں سیلاب متاثرین کے لیے ہنگامی امداد روانہ",
        slug="sindh-flood-ur",
        summary=(
            "صوبائی حکومت نے متاثرہ اضلاع میں خیمے، صاف پانی اور ادویات پہنچانا شروع کر دیا ہے۔"
        ),
        body=(
            f"<p>حکام کے مطابق تین لاکھ سے زائد افراد نقل مکانی پر مجبور ہو{ZWNJ}گئے ہیں۔ "
            "UNHCR کی امدادی ٹیمیں دور دراز دیہات تک پہنچ رہی ہیں۔</p>"
        ),
        dateline_place="حیدرآباد",
    )
    vaccine = PressReleaseFactory(
        language="ur",
        title="کراچی میں بچوں کی ویکسین مہم کا آغاز",
        slug="karachi-vaccine-ur",
        summary="پانچ روزہ مہم پیر سے شروع ہوگی اور گھر گھر ٹیمیں جائیں گی۔",
        body="<p>محکمہ صحت نے والدین سے تعاون کی اپیل کی ہے۔</p>",
        dateline_place="کراچی",
        publish_at=timezone.now() - datetime.timedelta(days=2),
    )
    english = PressReleaseFactory(
        language="en-gb",
        title="Flood relief reaches Sindh",
        slug="sindh-flood-en",
        summary="UNHCR tents and clean water for displaced families.",
        body="<p>Floods displaced more than 300,000 people.</p>",
    )
    embargoed = PressReleaseFactory(
        language="ur",
        title="سیلاب کے بعد بحالی کا منصوبہ",
        slug="embargoed-ur",
        summary="ہنگامی امداد کا اگلا مرحلہ",
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    return {"flood": flood, "vaccine": vaccine, "english": english, "embargoed": embargoed}


def slugs(response) -> list[str]:
    assert response.status_code == 200
    return [r.slug for r in response.context["page_obj"].object_list]


def test_an_urdu_word_finds_the_urdu_release(client, releases):
    assert slugs(client.get("/ur/search/", {"q": "سیلاب"})) == ["sindh-flood-ur"]
    assert slugs(client.get("/ur/search/", {"q": "ویکسین"})) == ["karachi-vaccine-ur"]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("سيلاب", "sindh-flood-ur"),  # Arabic yeh for ی
        ("كراچی", "karachi-vaccine-ur"),  # Arabic kaf for ک
        ("ہنگامِی اِمداد", "sindh-flood-ur"),  # with diacritics
        ("ہوگئے", "sindh-flood-ur"),  # the body has a ZWNJ inside
        ("ویکسـین", "karachi-vaccine-ur"),  # tatweel
    ],
)
def test_variant_spellings_find_the_same_release(client, releases, query, slug):
    assert slugs(client.get("/ur/search/", {"q": query})) == [slug]


def test_a_zwnj_in_the_query_finds_text_written_without_it(client, releases):
    assert slugs(client.get("/ur/search/", {"q": f"شروع ہو{ZWNJ}گی"})) == ["karachi-vaccine-ur"]


def test_urdu_text_with_variants_is_found_by_the_urdu_keyboard_spelling(client, releases):
    PressReleaseFactory(language="ur", title="كوئٹہ ميں اَمدادی سامان", slug="quetta-ur")
    assert slugs(client.get("/ur/search/", {"q": "کوئٹہ میں امدادی"})) == ["quetta-ur"]


def test_a_phrase_in_quotes(client, releases):
    assert slugs(client.get("/ur/search/", {"q": '"ہنگامی امداد"'})) == ["sindh-flood-ur"]
    assert slugs(client.get("/ur/search/", {"q": '"نقل مکانی"'})) == ["sindh-flood-ur"]


def test_the_phrase_must_be_in_order(releases):
    postgres_only()
    urdu = PressRelease.objects.published().in_language("ur")
    assert count_matches(urdu, '"ہنگامی امداد"', language="ur") == 1
    assert count_matches(urdu, '"امداد ہنگامی"', language="ur") == 0


def test_each_edition_searches_its_own_language(client, releases):
    # UNHCR is in the English release and in the Urdu flood release's body.
    assert slugs(client.get("/search/", {"q": "UNHCR"})) == ["sindh-flood-en"]
    assert slugs(client.get("/ur/search/", {"q": "UNHCR"})) == ["sindh-flood-ur"]
    assert slugs(client.get("/search/", {"q": "سیلاب"})) == []
    assert slugs(client.get("/ur/search/", {"q": "flood"})) == []


def test_the_language_filter_chooses_another_or_all(client, releases):
    assert slugs(client.get("/search/", {"q": "سیلاب", "language": "ur"})) == ["sindh-flood-ur"]
    both = slugs(client.get("/ur/search/", {"q": "UNHCR", "language": "all"}))
    assert sorted(both) == ["sindh-flood-en", "sindh-flood-ur"]
    response = client.get("/ur/search/", {"q": "UNHCR"})
    links = {link.code: link for link in response.context["language_links"]}
    assert links["ur"].selected and not links["en-gb"].selected
    assert "language=en-gb" in links["en-gb"].url and "q=UNHCR" in links["en-gb"].url
    assert b'lang="ur" dir="rtl"' in response.content


def test_the_release_list_shows_the_edition_language(client, releases):
    assert slugs(client.get("/ur/releases/")) == ["sindh-flood-ur", "karachi-vaccine-ur"]
    assert slugs(client.get("/releases/")) == ["sindh-flood-en"]
    assert len(slugs(client.get("/releases/", {"language": "all"}))) == 3
    response = client.get("/ur/releases/")
    years = next(g for g in response.context["facet_groups"] if g["param"] == "year")
    # Facets count the edition's releases only.
    assert sum(link.count for link in years["links"]) == 2


def test_an_unknown_language_is_ignored_with_a_message(client, releases):
    response = client.get("/ur/releases/", {"language": "xx"})
    assert slugs(response) == ["sindh-flood-ur", "karachi-vaccine-ur"]
    # In the edition's own language.
    assert "نامعلوم زبان: یہ فلٹر نظر انداز کر دیا گیا۔" in response.context["messages_list"]
    english = client.get("/releases/", {"language": "xx"})
    assert "Unknown language: the filter was ignored." in english.context["messages_list"]


def test_embargoed_urdu_release_is_never_found(client, releases):
    for params in ({"q": "سیلاب"}, {"q": "بحالی"}, {"q": "بحالی", "language": "all"}):
        assert "embargoed-ur" not in slugs(client.get("/ur/search/", params))
    assert "embargoed-ur" not in slugs(client.get("/ur/releases/"))
    assert "embargoed-ur" not in slugs(client.get("/releases/", {"language": "all"}))
    found = search(PressRelease.objects.published(), "بحالی منصوبہ", language="ur")
    assert list(found.queryset) == []


def test_english_is_stemmed_urdu_is_read_word_by_word(releases):
    postgres_only()
    english = PressRelease.objects.published().in_language("en-gb")
    assert [r.slug for r in search(english, "flooding", language="en-gb").queryset] == [
        "sindh-flood-en"
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM releases_pressrelease WHERE slug = %s",
            ["sindh-flood-ur"],
        )
        vector = cursor.fetchone()[0]
    # 'simple' keeps the Urdu words whole, normalised (no ZWNJ split).
    assert "'سیلاب'" in vector and "'ہوگئے'" in vector


def test_a_near_miss_spelling_falls_back_to_trigrams(client, releases):
    postgres_only()
    response = client.get("/ur/search/", {"q": "سیلابی"})
    assert response.context["outcome"].fuzzy
    assert "sindh-flood-ur" in slugs(response)


def test_the_trigram_fallback_can_use_its_index(releases):
    postgres_only()
    outcome = search(PressRelease.objects.published(), "سیلابی", language="ur")
    assert outcome.fuzzy
    # The fallback's condition is written as the index's expression; on a
    # few rows the planner prefers reading them, so the table scan is off.
    near = PressRelease.objects.filter(WordSimilarTo(SearchText(), Value("سیلابی")))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = near.order_by().values("pk").explain()
    assert "release_search_text_trgm" in plan, plan


def test_urdu_words_are_highlighted_in_the_original_text(client, releases):
    postgres_only()
    response = client.get("/ur/search/", {"q": "سیلاب"})
    [release] = response.context["page_obj"].object_list
    assert "<mark>سیلاب</mark>" in release.title_html
    assert "<mark>" in response.content.decode()
