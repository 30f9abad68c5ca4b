"""The parser alone: pure text in, dataclasses out (no database)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.parser import match_dateline, normalise_line, parse

SEED_TITLES = [
    "NCHR and IOM Pakistan sign an MoU to strengthen cooperation on initiatives relating to "
    "promotion and protection of human rights of migrants",
    "IOM Pakistan Empowers Stakeholders through Comprehensive Trainings to Combat Human "
    "Trafficking and Migrant Smuggling",
]


def _lost_lines(text: str) -> list[str]:
    """Non-empty input lines that appear in no piece of the parse result."""
    pieces = "\n".join(parse(text).texts())
    lost = []
    for raw in text.split("\n"):
        line = normalise_line(raw)
        if line and line not in pieces:
            lost.append(line)
    return lost


def test_seed_structure(seed_text):
    doc = parse(seed_text)
    assert doc.bulletin is not None
    assert doc.bulletin.date == datetime.date(2023, 10, 19)
    assert doc.bulletin.organisation_key == "IOM"
    assert [r.title for r in doc.releases] == SEED_TITLES
    first, second = doc.releases
    assert (first.dateline_place, first.dateline_date) == ("Islamabad", datetime.date(2023, 10, 18))
    assert (second.dateline_place, second.dateline_date) == (
        "Islamabad",
        datetime.date(2023, 9, 25),
    )
    assert first.labels == ["PRESS RELEASE"] and second.labels == []
    assert [a.organisation_key for a in first.abouts] == ["NCHR", "IOM"]
    assert first.organisation_keys == ["IOM Pakistan", "NCHR"]
    assert second.organisation_keys == ["IOM Pakistan", "FIA"]
    assert doc.organisations["IOM Pakistan"].parent_key == "IOM"
    assert doc.organisations["NCHR"].name == "National Commission for Human Rights"
    emails = [c.email for r in doc.releases for c in r.contacts]
    assert emails == ["zunaira@nchr.gov.pk", "spaklar@iom.int", "rnadeem@iom.int"]
    paklar = first.contacts[1]
    assert (paklar.honorific, paklar.name, paklar.organisation_key) == (
        "Ms.",
        "Suzana Paklar",
        "IOM Pakistan",
    )
    assert paklar.job_title == "Senior Programme Coordinator (Partnerships and Coordination)"
    nadeem = second.contacts[0]
    assert nadeem.job_title == "Media & Communications Assistant"
    assert nadeem.phone == "+(92) 334 4563210"
    assert {(i.kind, i.value) for i in second.inboxes} == {
        ("email", "iomislamabad@iom.int"),
        ("website", "www.iom.int/pakistan"),
    }
    assert len(first.quotes) == 2  # one straight-quoted, one curly-quoted


def test_seed_loses_no_line(seed_text):
    assert _lost_lines(seed_text) == []


@pytest.mark.parametrize(
    ("line", "place", "date"),
    [
        ("Islamabad, 18 October 2023: Text.", "Islamabad", datetime.date(2023, 10, 18)),
        (
            "Islamabad, Pakistan - September 25, 2023 – Text.",
            "Islamabad",
            datetime.date(2023, 9, 25),
        ),
        ("GENEVA, 3 March 2024 — Text.", "Geneva", datetime.date(2024, 3, 3)),
        ("Karachi (12 May 2024) - Text.", "Karachi", datetime.date(2024, 5, 12)),
        ("New York, 1st June 2024 - Text.", "New York", datetime.date(2024, 6, 1)),
    ],
)
def test_dateline_forms(line, place, date):
    doc = parse(f"A headline for the test\n\n{line}")
    (release,) = doc.releases
    assert (release.dateline_place, release.dateline_date) == (place, date)
    assert release.paragraphs == ["Text."]
    assert release.title == "A headline for the test"


@pytest.mark.parametrize(
    "line",
    ["Since February 2023, more people came.", "On 3 March 2024, the board met.", "Hello world"],
)
def test_sentences_are_not_datelines(line):
    assert match_dateline(line) is None


def test_contacts_in_many_layouts():
    text = (
        "PRESS RELEASE\n\nA headline\n\nLahore, 2 May 2024: Body text here.\n\n"
        "Media contacts:\n"
        "Jane Roe, Press Officer, Example Agency, jane@example.org, +92 42 3555 0100\n"
        "Mr. John Doe | Spokesperson | Email: john@example.org | Tel: +41 22 555 0123\n"
        "Email: press@example.org\n"
    )
    (release,) = parse(text).releases
    assert [(c.name, c.job_title, c.email) for c in release.contacts] == [
        ("Jane Roe", "Press Officer", "jane@example.org"),
        ("John Doe", "Spokesperson", "john@example.org"),
    ]
    assert release.contacts[0].organisation_text == "Example Agency"
    assert release.contacts[1].honorific == "Mr."
    assert [(i.kind, i.value) for i in release.inboxes] == [("email", "press@example.org")]


def test_text_without_release_has_none():
    assert parse("Just a shopping list\n\nmilk\n\neggs").releases == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.sampled_from(
                [
                    "PRESS RELEASE",
                    "Media Update",
                    "19 October 2023",
                    "Islamabad, 18 October 2023: The body starts here.",
                    "GENEVA, 3 March 2024 —",
                    "About NCHR: A body that protects rights.",
                    "About the Example Agency",
                    "For more information:",
                    "Media Contact:",
                    "Ms. Jane Roe, Press Officer, Example Agency",
                    "Email: jane@example.org",
                    "+(92) 334 4563210",
                    "ENDS",
                    "###",
                    "Notes to editors:",
                    "",
                ]
            ),
        ),
        max_size=30,
    )
)
def test_parser_never_crashes_nor_loses_a_line(lines):
    text = "\n".join(lines)
    assert _lost_lines(text) == []
