"""Demo content for a fresh newsroom, as plain data.

``manage.py load_demo`` turns these structures into rows.  Keeping the
content here, apart from the loading code, lets an editor reword a release
without reading any ORM code, and lets tests compare the database with the
source of truth.

The first two releases retell, in our own words, the facts of the two IOM
Pakistan releases of October and September 2023 in the shared seed document
(an NCHR-IOM memorandum of understanding, and a year of anti-trafficking
training with the FIA).  Quotes are paraphrased as reported speech, never
copied.  The releases after them are ILLUSTRATIVE: realistic, built only on
the same facts, so the newsroom has enough to browse, but they were not
issued by these organisations.  They contain no invented quotes.

Keys: organisations and partnerships by ``slug``, contacts by ``email``,
releases by ``slug`` — the loader updates rows in place by these keys.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

PKT = ZoneInfo("Asia/Karachi")

#: Stands for "some days from now": the loader keeps an existing future
#: instant, and sets a new one only when the old one has passed, so the demo
#: always has one scheduled (embargoed) release and a second run changes nothing.
SCHEDULED = "scheduled"
SCHEDULED_DAYS_AHEAD = 10
SCHEDULED_TIME = datetime.time(10, 0)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An instant in Pakistan time, where these releases are issued."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PKT)


NCHR_ABOUT = (
    "<p>The National Commission for Human Rights (NCHR) is Pakistan's independent "
    "national human-rights institution. It is a federal statutory body created by the "
    "NCHR Act XVI of 2012, was set up in 2015 and works in line with the UN Paris "
    "Principles. Its work covers monitoring how the law protects human rights, advising "
    "government on policy, producing knowledge and research, and advocacy and public "
    "awareness.</p>"
)

IOM_ABOUT = (
    "<p>The International Organization for Migration (IOM) is the leading "
    "intergovernmental organisation on migration and a member of the United Nations "
    "system. Its 175 member states and its offices in more than 100 countries share one "
    "conviction: migration that is humane and orderly is good for migrants and for the "
    "societies they join.</p>"
)

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "slug": "iom",
        "name": "International Organization for Migration",
        "acronym": "IOM",
        "kind": "un_agency",
        "parent": None,
        "website": "https://www.iom.int",
        "email": "",
        "phone": "",
        "about": IOM_ABOUT,
    },
    {
        "slug": "iom-pakistan",
        "name": "IOM Pakistan",
        "acronym": "IOM Pakistan",
        "kind": "un_agency",
        "parent": "iom",
        "website": "https://www.iom.int/pakistan",
        "email": "iomislamabad@iom.int",
        "phone": "",
        # No boilerplate of its own: releases show IOM's, through ``parent``.
        "about": "",
    },
    {
        "slug": "nchr",
        "name": "National Commission for Human Rights",
        "acronym": "NCHR",
        "kind": "nhri",
        "parent": None,
        "website": "https://nchr.gov.pk",
        "email": "",
        "phone": "",
        "about": NCHR_ABOUT,
    },
    {
        "slug": "fia",
        "name": "Federal Investigation Agency",
        "acronym": "FIA",
        "kind": "government",
        "parent": None,
        "website": "https://www.fia.gov.pk",
        "email": "",
        "phone": "",
        "about": (
            "<p>The Federal Investigation Agency (FIA) is Pakistan's federal law-enforcement "
            "agency. Its Anti-Human Smuggling wing investigates human trafficking and the "
            "smuggling of migrants.</p>"
        ),
    },
    {
        "slug": "denmark-mfa",
        "name": "Ministry of Foreign Affairs of Denmark",
        "acronym": "",
        "kind": "donor",
        "parent": None,
        "website": "https://um.dk",
        "email": "",
        "phone": "",
        "about": "",
    },
    {
        "slug": "australia-dfat",
        "name": "Department of Foreign Affairs and Trade, Australia",
        "acronym": "DFAT",
        "kind": "donor",
        "parent": None,
        "website": "https://www.dfat.gov.au",
        "email": "",
        "phone": "",
        "about": "",
    },
    {
        "slug": "glo-act",
        "name": "EU/UNODC Global Action against Trafficking in Persons and the "
        "Smuggling of Migrants",
        "acronym": "GLO.ACT",
        "kind": "donor",
        "parent": None,
        "website": "https://www.unodc.org",
        "email": "",
        "phone": "",
        "about": "",
    },
]

CONTACTS: list[dict[str, Any]] = [
    {
        "email": "zunaira@nchr.gov.pk",
        "honorific": "Ms.",
        "name": "Zunaira Inam",
        "job_title": "",
        "organisation": "nchr",
        "phone": "",
        "is_public": True,
        "staff_notes": "",
    },
    {
        "email": "spaklar@iom.int",
        "honorific": "Ms.",
        "name": "Suzana Paklar",
        "job_title": "Senior Programme Coordinator (Partnerships and Coordination)",
        "organisation": "iom-pakistan",
        "phone": "",
        "is_public": True,
        "staff_notes": "",
    },
    {
        "email": "rnadeem@iom.int",
        "honorific": "",
        "name": "Ramsha Nadeem",
        "job_title": "Media & Communications Assistant",
        "organisation": "iom-pakistan",
        "phone": "+(92) 334 4563210",
        "is_public": True,
        "staff_notes": "",
    },
    {
        "email": "iomislamabad@iom.int",
        "honorific": "",
        "name": "IOM Pakistan general enquiries",
        "kind": "desk",
        "job_title": "Shared inbox, Islamabad office",
        "organisation": "iom-pakistan",
        "phone": "",
        "is_public": True,
        "staff_notes": "Shared inbox; answered on working days.",
    },
]

PARTNERSHIPS: list[dict[str, Any]] = [
    {
        "slug": "nchr-iom-pakistan-mou-2023",
        "title": "NCHR–IOM Pakistan memorandum of understanding on migrants' rights",
        "kind": "mou",
        "status": "active",
        "signed_on": datetime.date(2023, 10, 18),
        "starts_on": datetime.date(2023, 10, 18),
        "ends_on": None,
        "summary": (
            "A formal agreement to work together on promoting and protecting the human "
            "rights of migrants: research and evidence, outreach and awareness, and "
            "policy advice in line with national priorities."
        ),
        "members": [("nchr", "signatory"), ("iom-pakistan", "signatory")],
    },
    {
        "slug": "counter-trafficking-training-2023",
        "title": "Counter-trafficking training with the FIA",
        "kind": "technical",
        "status": "active",
        "signed_on": None,
        "starts_on": datetime.date(2023, 2, 1),
        "ends_on": None,
        "summary": (
            "IOM Pakistan and the Federal Investigation Agency train members of the "
            "anti-human-trafficking committees in victim-centred approaches to human "
            "trafficking and migrant smuggling, with funding from Denmark, Australia and "
            "the EU/UNODC GLO.ACT project."
        ),
        "members": [
            ("iom-pakistan", "lead"),
            ("fia", "partner"),
            ("denmark-mfa", "donor"),
            ("australia-dfat", "donor"),
            ("glo-act", "donor"),
        ],
    },
]

MOU_BODY = """\
<p>Pakistan's National Commission for Human Rights (NCHR) and the country office of the \
International Organization for Migration (IOM) have put their cooperation on a formal footing. \
A memorandum of understanding signed in Islamabad commits the two to joint work on promoting \
and protecting the rights of migrants, with particular attention to people whose situation \
leaves them exposed to abuse.</p>
<p>Under the agreement the partners will gather evidence and commission research, reach out \
to communities and the public, and advise on policy. Their joint activities will follow the \
priorities set by the Government of Pakistan.</p>
<p>Both organisations see migration as a source of opportunity in a globalised world, but one \
that only pays off when people can move safely, regularly and in an orderly way.</p>
<p>NCHR Chairperson Rabiya Javeri Agha pointed to this year's shipwreck off the coast of \
Greece as a painful illustration of what migrants risk, noting that more than 2,000 people \
have died in the Mediterranean in 2023 alone. She called irregular migration an urgent \
concern and said the new agreement would help build a safer and more humane response, one \
that protects the dignity of people looking for a better life.</p>
<p>Mio Sato, IOM Pakistan's Chief of Mission, said the agreement came at the right moment, \
given how migration patterns are shifting and how badly evidence-based answers are needed. \
She recalled that the two organisations had already worked together on advocacy, and said a \
formal partnership would let each do more within its own mandate and direct support to those \
who need it most, women and children at risk among them.</p>
<p>The partnership follows the principles of the GCM, the Global Compact for Safe, Orderly \
and Regular Migration, under which the human rights of every migrant are to be respected, \
whatever their status and at every stage of their journey.</p>"""

TRAINING_BODY = """\
<p>Over the past ten months the International Organization for Migration (IOM) in Pakistan \
and the Federal Investigation Agency (FIA) have run 15 training courses across the country \
for government officials and civil-society workers who deal with human trafficking and \
migrant smuggling. The courses teach a victim-centred approach: the needs, rights and safety \
of victims, and of people at risk, come first.</p>
<p>More than 386 people have taken part since February 2023, from over 44 districts: from \
Karachi, Quetta and Peshawar to Gilgit and Muzaffarabad, and from Islamabad and Lahore to \
Sialkot, Gujrat, Kasur and Jhelum.</p>
<p>FIA trainers co-delivered every course. Participants sit on the Anti-Human Trafficking \
Committees that the Government of Pakistan has recently notified at national, provincial \
and district level. The committees bring district administrations, the FIA, the police, \
social welfare and labour departments and civil society together so that they respond as one.</p>
<p>The courses concentrated on prevention and safeguarding. They also gave participants room \
to discuss how trafficking and smuggling play out in Pakistan and what their own committees \
can do about them.</p>
<p>Rai Nasrullah, Deputy Director of the FIA's Anti-Human Smuggling wing, praised IOM's \
discussion-based format and said the training had made a real difference to the skills and \
preparedness of FIA officers.</p>
<p>IOM Pakistan wants victims to be identified, screened and referred better, so that the \
most vulnerable are kept safe. What was learned in these courses will shape the next round \
of training, which IOM and the FIA intend to continue.</p>
<p>The training was funded by the Ministry of Foreign Affairs of Denmark, Australia's \
Department of Foreign Affairs and Trade, and the European Union and UNODC through the GLO.ACT \
project.</p>"""

RELEASES: list[dict[str, Any]] = [
    # --- From the seed's facts ------------------------------------------------
    {
        "slug": "nchr-and-iom-pakistan-sign-mou-on-migrants-rights",
        "title": "NCHR and IOM Pakistan sign agreement to protect the rights of migrants",
        "summary": (
            "The National Commission for Human Rights and IOM Pakistan will work together "
            "on research, outreach and policy advice for migrants, especially those most "
            "at risk, under a memorandum of understanding signed in Islamabad."
        ),
        "dateline_place": "Islamabad",
        "dateline_date": datetime.date(2023, 10, 18),
        "body": MOU_BODY,
        "status": "published",
        "publish_at": at(2023, 10, 18, 15, 0),
        "organisations": ["nchr", "iom-pakistan"],
        "contacts": [("zunaira@nchr.gov.pk", "more_info"), ("spaklar@iom.int", "more_info")],
        "tags": ["migration", "human rights", "migrant protection", "partnerships"],
        "partnerships": ["nchr-iom-pakistan-mou-2023"],
    },
    {
        "slug": "iom-pakistan-and-fia-train-stakeholders-against-trafficking",
        "title": (
            "IOM Pakistan and FIA train hundreds of officials to counter human trafficking "
            "and migrant smuggling"
        ),
        "summary": (
            "Fifteen courses since February 2023 have reached more than 386 members of the "
            "new anti-human-trafficking committees in over 44 districts, teaching them to "
            "put victims first."
        ),
        "dateline_place": "Islamabad",
        "dateline_date": datetime.date(2023, 9, 25),
        "body": TRAINING_BODY,
        "status": "published",
        "publish_at": at(2023, 9, 25, 11, 0),
        "organisations": ["iom-pakistan", "fia"],
        "contacts": [("rnadeem@iom.int", "media"), ("iomislamabad@iom.int", "more_info")],
        "tags": [
            "human trafficking",
            "migrant smuggling",
            "capacity building",
            "migration",
        ],
        "partnerships": ["counter-trafficking-training-2023"],
    },
    # --- Illustrative (not real releases) -----------------------------------
    {
        "slug": "international-migrants-day-2023-nchr-iom-pakistan",
        "title": "On International Migrants Day, NCHR and IOM Pakistan call for safe and "
        "regular routes",
        "summary": (
            "Two months into their partnership, the two organisations urge that migrants' "
            "rights be protected at every stage of the journey, and outline their first "
            "joint activities."
        ),
        "dateline_place": "Islamabad",
        "dateline_date": datetime.date(2023, 12, 18),
        "body": (
            "<p>Marking International Migrants Day, the National Commission for Human Rights "
            "(NCHR) and IOM Pakistan restated their shared commitment to migrants' rights "
            "and set out the first steps of the cooperation agreed in October.</p>"
            "<p>The partners will begin with a review of the evidence on the risks Pakistani "
            "migrants face on irregular routes, followed by awareness sessions in districts "
            "with high rates of outward migration.</p>"
            "<h2>What the partnership covers</h2>"
            "<ul><li>Research and evidence on migrants in vulnerable situations</li>"
            "<li>Outreach and public awareness</li>"
            "<li>Policy advice in line with national priorities</li></ul>"
        ),
        "status": "published",
        "publish_at": at(2023, 12, 18, 9, 30),
        "organisations": ["nchr", "iom-pakistan"],
        "contacts": [("zunaira@nchr.gov.pk", "more_info"), ("rnadeem@iom.int", "media")],
        "tags": ["migration", "human rights", "international migrants day"],
        "partnerships": ["nchr-iom-pakistan-mou-2023"],
    },
    {
        "slug": "fia-and-iom-pakistan-review-counter-trafficking-training",
        "title": "FIA and IOM Pakistan take stock of a year of counter-trafficking training",
        "summary": (
            "Trainers and committee members met in Islamabad to review what the 2023 "
            "courses changed in practice and to plan the next round."
        ),
        "dateline_place": "Islamabad",
        "dateline_date": datetime.date(2024, 2, 15),
        "body": (
            "<p>The Federal Investigation Agency (FIA) and IOM Pakistan brought together "
            "trainers and members of district anti-human-trafficking committees to review "
            "the victim-centred training delivered across the country in 2023.</p>"
            "<p>Participants discussed how victims are identified, screened and referred in "
            "their districts, where the committees need clearer procedures, and which "
            "topics the next courses should cover.</p>"
            "<p>The programme is supported by Denmark, Australia and the EU/UNODC GLO.ACT "
            "project.</p>"
        ),
        "status": "published",
        "publish_at": at(2024, 2, 15, 12, 0),
        "organisations": ["fia", "iom-pakistan"],
        "contacts": [("rnadeem@iom.int", "media")],
        "tags": ["human trafficking", "migrant smuggling", "capacity building"],
        "partnerships": ["counter-trafficking-training-2023"],
    },
    {
        "slug": "nchr-guidance-rights-of-trafficking-survivors",
        "title": "NCHR issues guidance on the rights of trafficking survivors",
        "summary": (
            "A short guide for district committees explains what survivors of trafficking "
            "are entitled to and how to refer them to help."
        ),
        "dateline_place": "Islamabad",
        "dateline_date": datetime.date(2024, 6, 20),
        "body": (
            "<p>The National Commission for Human Rights (NCHR) has published guidance for "
            "members of anti-human-trafficking committees on the rights of people who have "
            "survived trafficking.</p>"
            "<p>The guide sets out survivors' rights to safety, information, legal help and "
            "support, and explains how committees can refer survivors to the services that "
            "provide them.</p>"
        ),
        "status": "published",
        "publish_at": at(2024, 6, 20, 10, 0),
        "organisations": ["nchr"],
        "contacts": [("zunaira@nchr.gov.pk", "more_info")],
        "tags": ["human rights", "human trafficking"],
        "partnerships": [],
    },
    {
        "slug": "nchr-iom-pakistan-study-rights-of-migrants-abroad",
        "title": "NCHR and IOM Pakistan to present a study on the rights of Pakistani "
        "migrants abroad",
        "summary": (
            "The first research product of the NCHR–IOM Pakistan partnership looks at the "
            "protection gaps Pakistani migrants meet on their way to, and in, countries "
            "of destination."
        ),
        "dateline_place": "Islamabad",
        "dateline_date": SCHEDULED,
        "body": (
            "<p>The National Commission for Human Rights (NCHR) and IOM Pakistan will present "
            "a joint study on the rights of Pakistani migrants abroad, the first research "
            "product of the partnership agreed in October 2023.</p>"
            "<p>The study maps where migrants lose protection — during recruitment, on the "
            "journey and at destination — and makes recommendations to the authorities.</p>"
        ),
        "status": "published",
        "publish_at": SCHEDULED,
        "organisations": ["nchr", "iom-pakistan"],
        "contacts": [("zunaira@nchr.gov.pk", "more_info"), ("spaklar@iom.int", "more_info")],
        "tags": ["migration", "human rights", "research"],
        "partnerships": ["nchr-iom-pakistan-mou-2023"],
    },
    {
        "slug": "training-of-trainers-fia-karachi",
        "title": "FIA officers in Karachi trained to train colleagues on victim-centred approaches",
        "summary": "Draft: a training-of-trainers course for FIA officers in Karachi.",
        "dateline_place": "Karachi",
        "dateline_date": None,
        "body": (
            "<p>IOM Pakistan and the Federal Investigation Agency (FIA) held a "
            "training-of-trainers course in Karachi so that FIA officers can pass on "
            "victim-centred approaches to colleagues in their own units.</p>"
        ),
        "status": "draft",
        "publish_at": None,
        "organisations": ["iom-pakistan", "fia"],
        "contacts": [("rnadeem@iom.int", "media")],
        "tags": ["human trafficking", "capacity building"],
        "partnerships": ["counter-trafficking-training-2023"],
    },
]

#: The two releases retold from the seed document (tests check them closely).
SEED_RELEASE_SLUGS = [RELEASES[0]["slug"], RELEASES[1]["slug"]]

#: The scheduled release approved journalists may read before its instant (the
#: press room): open from this long before the embargo, so, with the embargo
#: kept some days ahead, it is open whenever the demo is loaded.
ADVANCE_ACCESS_SLUGS = [r["slug"] for r in RELEASES if r["publish_at"] == SCHEDULED]
ADVANCE_ACCESS_BEFORE = datetime.timedelta(days=SCHEDULED_DAYS_AHEAD + 4)
# ---------------------------------------------------------------------------
# Journalists (journalists/): the embargo agreement and one approved reporter.
# ---------------------------------------------------------------------------

#: The embargo agreement's versions, by number; a journalist accepts the newest.
EMBARGO_AGREEMENTS: list[dict[str, Any]] = [
    {
        "version": 1,
        "published_at": at(2023, 9, 1, 9),
        "text": (
            "Some releases reach you before they are public, so that you can prepare "
            "your story. Each one shows the date and time its embargo lifts.\n\n"
            "Until then you do not publish, broadcast or post it, or anything taken "
            "from it, in any form, and you share it only with the colleagues who work "
            "on the story with you, who keep to the same terms.\n\n"
            "Files and links sent to you are for you alone. If an embargo changes, the "
            "new time applies.\n\n"
            "If you break an embargo, the press office may suspend or withdraw your "
            "access. We keep a record of what you opened and when."
        ),
    }
]

#: ILLUSTRATIVE: an approved journalist (no password: "Forgot your password?" on
#: /account/login/ sends a link, which lands under var/mail/ in development).
JOURNALISTS: list[dict[str, Any]] = [
    {
        "email": "demo.reporter@example.org",
        "name": "Sana Demo",
        "outlet": "The Example Daily (demo)",
        "role": "Migration correspondent",
        "beats": ["migration", "human trafficking"],
        "countries": "Pakistan",
        "languages": "English, Urdu",
        "published_work_url": "https://example.org/demo-reporter",
        "accepted": [1],
    }
]

# -- Media lists (medialists/): ILLUSTRATIVE outlets and journalists --------------
# Invented outlets and people (example.org addresses), so a demo send has
# somewhere to go; keys: outlets by ``name``, people by ``email``, lists by ``name``.
MEDIA_CONSENT_RECORDED = at(2026, 1, 5, 9, 0)

OUTLETS: list[dict[str, Any]] = [
    {
        "name": "Indus Wire Service",
        "kind": "wire",
        "country": "PK",
        "languages": "EN,UR",
        "website": "https://wire.example.org",
    },
    {
        "name": "Margalla Radio",
        "kind": "radio",
        "country": "PK",
        "languages": "UR",
        "website": "https://radio.example.org",
    },
    {
        "name": "Gulf Migration Monitor",
        "kind": "online",
        "country": "AE",
        "languages": "EN",
        "website": "https://monitor.example.org",
    },
]

MEDIA_PEOPLE: list[dict[str, Any]] = [
    {
        "email": "sana.mirza@wire.example.org",
        "name": "Sana Mirza",
        "outlet": "Indus Wire Service",
        "role": "Migration correspondent",
        "beats": ["migration", "human trafficking"],
        "countries": "PK",
        "languages": "EN,UR",
    },
    {
        "email": "kamran.ali@radio.example.org",
        "name": "Kamran Ali",
        "outlet": "Margalla Radio",
        "role": "News editor",
        "beats": ["human rights"],
        "countries": "PK",
        "languages": "UR",
    },
    {
        "email": "leila.haddad@monitor.example.org",
        "name": "Leila Haddad",
        "outlet": "Gulf Migration Monitor",
        "role": "Reporter, labour migration",
        "beats": ["migration"],
        "countries": "AE,PK",
        "languages": "EN",
    },
]

MEDIA_LISTS: list[dict[str, Any]] = [
    {
        "name": "Migration reporters",
        "kind": "smart",
        "description": "Everyone whose beats include migration, wherever they work.",
        "beats": ["migration"],
    },
    {
        "name": "Pakistan broadcasters and wires",
        "kind": "fixed",
        "description": "The desks we call first for a story in Pakistan.",
        "members": ["sana.mirza@wire.example.org", "kamran.ali@radio.example.org"],
    },
]
