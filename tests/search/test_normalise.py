"""The Arabic-script search key: unit tests (everywhere) and, on PostgreSQL,
the SQL function built from the same tables giving the same answers."""

from __future__ import annotations

import pytest
from django.db import connection

from search.languages import CONFIGS, config_for, configs_in_use
from search.normalise import normalise

# (variant, the key it must share with the Urdu-keyboard spelling)
VARIANTS = [
    ("سيلاب", "سیلاب"),  # Arabic yeh
    ("مصطفى", "مصطفی"),  # alef maksura
    ("كراچی", "کراچی"),  # Arabic kaf
    ("اَمداد", "امداد"),  # zabar
    ("ہنگامِی", "ہنگامی"),  # zer
    ("صحّت", "صحت"),  # shadda
    ("زکوٰۃ", "زکوۃ"),  # superscript alef; the Urdu ۃ is kept
    ("امــداد", "امداد"),  # tatweel
    ("ہو\u200cگئے", "ہوگئے"),  # zero-width non-joiner
    ("ہو\u200dگئے", "ہوگئے"),  # zero-width joiner
    ("۱۸ اکتوبر ۲۰۲۳", "18 اکتوبر 2023"),  # Extended Arabic-Indic digits
    ("١٨", "18"),  # Arabic-Indic digits
    ("مدينة", "مدینہ"),  # teh marbuta: Urdu writes heh goal
    ("شهر", "شہر"),  # Arabic heh after a non-aspirated letter: heh goal
    ("گروه", "گروہ"),  # Arabic heh at a word's end: heh goal
    ("بهی", "بھی"),  # Arabic heh after an aspirated consonant: do-chashmi
    ("گهر", "گھر"),
    ("ﻛﺘﺎﺏ", "کتاب"),  # presentation forms (old PDFs, Word files)
    ("نقل مکانیٔ", "نقل مکانئ"),  # yeh + combining hamza is ئ
]

UNCHANGED = ["سیلاب زدہ علاقوں میں ہنگامی امداد", "بھی", "کہا", "گھر", "Floods in Sindh, 2023"]


@pytest.mark.parametrize(("variant", "canonical"), VARIANTS)
def test_variants_share_one_key(variant, canonical):
    assert normalise(variant) == normalise(canonical)
    assert normalise(variant) != variant or variant == canonical


@pytest.mark.parametrize("text", UNCHANGED)
def test_urdu_keyboard_text_and_english_are_left_alone(text):
    # Excerpts are cut from the original text: text typed on an Urdu
    # keyboard must be its own key, or highlights would miss it.
    assert normalise(text) == text


def test_digits_become_ascii():
    assert normalise("۰۱۲۳۴۵۶۷۸۹ ٠١٢٣٤٥٦٧٨٩") == "0123456789 0123456789"


def test_empty_and_none():
    assert normalise("") == ""
    assert normalise(None) == ""


def test_language_configurations():
    assert config_for("en-gb") == "english"
    assert config_for("en") == "english"
    assert config_for("ur") == "simple"
    assert config_for("fr") == "simple"  # no entry: the fallback
    assert config_for(None) == "simple"
    assert configs_in_use() == ["english", "simple"]


def test_an_entry_adds_a_language(monkeypatch):
    monkeypatch.setitem(CONFIGS, "fr", "french")
    assert config_for("fr") == "french"
    assert config_for("fr-ca") == "french"
    assert config_for("ur") == "simple"


@pytest.mark.django_db
def test_the_database_function_gives_the_same_key():
    """The SQL function (search migration 0001, from the same tables) and the
    Python function (SQLite registers it as the same name) agree."""
    samples = [v for pair in VARIANTS for v in pair] + UNCHANGED
    with connection.cursor() as cursor:
        for text in samples:
            cursor.execute("SELECT search_normalise(%s)", [text])
            assert cursor.fetchone()[0] == normalise(text), text
        cursor.execute("SELECT search_normalise(NULL)")
        assert cursor.fetchone()[0] is None
