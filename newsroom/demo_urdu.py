"""Urdu versions of the demo releases, so ``make run`` opens the Urdu newsroom at /ur/.

Written in the project's own words as Pakistani media would print them
(Western digits in running text, Urdu punctuation).  Each entry names its
English source by slug; ``load_demo`` links it as that release's
translation (same ``translation_key``, ``translated_from``) with the
source's organisations, contacts, topics and partnerships, and keys it by
its own slug, like every demo row.

Three cases the demo shows on purpose:

* most are published, so /ur/ has its own latest releases and feeds;
* ``SCHEDULED``: one Urdu version is still embargoed while its English
  source is public (a translation keeps its own embargo);
* ``OUT_OF_DATE``: one Urdu version was made before its source's last major
  change (the source carries a public change note), so the admin flags it
  and the desk lists it under "Translations out of date".
"""

from __future__ import annotations

import datetime
from typing import Any

from newsroom.demo import PKT, SCHEDULED, at

#: The major change made to the out-of-date version's English source after
#: the Urdu version was written (a public change note on the source).
OUT_OF_DATE_SOURCE = "international-migrants-day-2023-nchr-iom-pakistan"
OUT_OF_DATE_CHANGE = {
    "note": "Added the districts where the first awareness sessions will be held.",
    "created_at": at(2023, 12, 20, 11, 0),
}

URDU_RELEASES: list[dict[str, Any]] = [
    {
        "source": "nchr-and-iom-pakistan-sign-mou-on-migrants-rights",
        "slug": "nchr-iom-pakistan-muahida-tarkeen-e-watan-ur",
        "title": "قومی کمیشن برائے انسانی حقوق اور آئی او ایم پاکستان کا تارکینِ وطن کے "
        "حقوق کے تحفظ کا معاہدہ",
        "summary": (
            "قومی کمیشن برائے انسانی حقوق اور آئی او ایم پاکستان نے اسلام آباد میں مفاہمت "
            "کی یادداشت پر دستخط کیے ہیں، جس کے تحت دونوں ادارے تارکینِ وطن، بالخصوص سب "
            "سے زیادہ خطرے سے دوچار افراد، کے لیے تحقیق، آگاہی اور پالیسی مشاورت پر مل کر "
            "کام کریں گے۔"
        ),
        "dateline_place": "اسلام آباد",
        "dateline_date": datetime.date(2023, 10, 18),
        "body": (
            "<p>پاکستان کے قومی کمیشن برائے انسانی حقوق (این سی ایچ آر) اور بین الاقوامی "
            "ادارہ برائے مہاجرت (آئی او ایم) کے پاکستان دفتر نے اپنے تعاون کو باقاعدہ شکل "
            "دے دی ہے۔ اسلام آباد میں طے پانے والی مفاہمت کی یادداشت کے تحت دونوں ادارے "
            "تارکینِ وطن کے حقوق کے فروغ اور تحفظ کے لیے مشترکہ کام کریں گے، اور ان لوگوں "
            "پر خاص توجہ دیں گے جن کے حالات انہیں استحصال کے خطرے میں ڈال دیتے ہیں۔</p>"
            "<p>معاہدے کے مطابق شراکت دار شواہد جمع کریں گے، تحقیق کروائیں گے، عوام اور "
            "مقامی برادریوں تک آگاہی پہنچائیں گے اور پالیسی کے معاملات پر مشورہ دیں گے۔ ان "
            "کی مشترکہ سرگرمیاں حکومتِ پاکستان کی طے کردہ ترجیحات کے مطابق ہوں گی۔</p>"
            "<p>دونوں اداروں کے نزدیک نقل مکانی آج کی دنیا میں مواقع کا ذریعہ ہے، مگر اس "
            "کا فائدہ تبھی ہے جب لوگ محفوظ، باقاعدہ اور منظم طریقے سے سفر کر سکیں۔</p>"
            "<p>یہ شراکت محفوظ، منظم اور باقاعدہ نقل مکانی کے عالمی معاہدے (جی سی ایم) کے "
            "اصولوں پر مبنی ہے، جس کے تحت ہر تارکِ وطن کے انسانی حقوق کا احترام لازم ہے، "
            "خواہ اس کی قانونی حیثیت کچھ بھی ہو اور وہ سفر کے کسی بھی مرحلے میں ہو۔</p>"
        ),
        "status": "published",
        "publish_at": at(2023, 10, 19, 10, 0),
    },
    {
        "source": "iom-pakistan-and-fia-train-stakeholders-against-trafficking",
        "slug": "iom-pakistan-fia-insani-smuggling-tarbiyat-ur",
        "title": "آئی او ایم پاکستان اور ایف آئی اے نے انسانی اسمگلنگ کی روک تھام کے لیے "
        "سیکڑوں اہلکاروں کو تربیت دی",
        "summary": (
            "فروری 2023 سے اب تک 15 تربیتی کورسز کے ذریعے 44 سے زائد اضلاع میں انسانی "
            "اسمگلنگ کے خلاف قائم نئی کمیٹیوں کے 386 سے زیادہ ارکان کو یہ سکھایا گیا ہے کہ "
            "متاثرین کی ضروریات اور تحفظ کو اولیت دی جائے۔"
        ),
        "dateline_place": "اسلام آباد",
        "dateline_date": datetime.date(2023, 9, 25),
        "body": (
            "<p>گزشتہ دس ماہ کے دوران پاکستان میں بین الاقوامی ادارہ برائے مہاجرت (آئی او "
            "ایم) اور وفاقی تحقیقاتی ادارے (ایف آئی اے) نے ملک بھر میں انسانی اسمگلنگ اور "
            "تارکینِ وطن کی غیر قانونی منتقلی سے نمٹنے والے سرکاری اہلکاروں اور سماجی "
            "کارکنوں کے لیے 15 تربیتی کورسز منعقد کیے۔ ان کورسز میں متاثرین کو مرکز میں "
            "رکھنے کا طریقہ سکھایا جاتا ہے، یعنی متاثرین اور خطرے سے دوچار افراد کی "
            "ضروریات، حقوق اور حفاظت سب سے پہلے۔</p>"
            "<p>فروری 2023 سے اب تک کراچی، کوئٹہ اور پشاور سے لے کر گلگت اور مظفرآباد تک، "
            "اور اسلام آباد و لاہور سے سیالکوٹ، گجرات، قصور اور جہلم تک، 44 سے زائد اضلاع "
            "کے 386 سے زیادہ افراد ان کورسز میں شریک ہو چکے ہیں۔</p>"
            "<p>آئی او ایم پاکستان چاہتا ہے کہ متاثرین کی شناخت، جانچ اور متعلقہ اداروں کو "
            "منتقلی کا عمل بہتر ہو تاکہ سب سے کمزور افراد محفوظ رہیں۔ ان کورسز سے حاصل ہونے "
            "والے تجربات تربیت کے اگلے مرحلے کی بنیاد بنیں گے۔</p>"
        ),
        "status": "published",
        "publish_at": at(2023, 9, 26, 10, 0),
    },
    {
        # OUT OF DATE: written before the source's change note of 20 December.
        "source": OUT_OF_DATE_SOURCE,
        "slug": "aalmi-yaum-e-mohajireen-2023-nchr-iom-pakistan-ur",
        "title": "تارکینِ وطن کے عالمی دن پر این سی ایچ آر اور آئی او ایم پاکستان کا محفوظ "
        "اور باقاعدہ راستوں پر زور",
        "summary": (
            "شراکت کے دو ماہ بعد دونوں اداروں نے مطالبہ کیا ہے کہ سفر کے ہر مرحلے پر "
            "تارکینِ وطن کے حقوق کا تحفظ کیا جائے، اور اپنی پہلی مشترکہ سرگرمیوں کا خاکہ "
            "پیش کیا ہے۔"
        ),
        "dateline_place": "اسلام آباد",
        "dateline_date": datetime.date(2023, 12, 18),
        "body": (
            "<p>تارکینِ وطن کے عالمی دن کے موقع پر قومی کمیشن برائے انسانی حقوق (این سی ایچ "
            "آر) اور آئی او ایم پاکستان نے تارکینِ وطن کے حقوق سے اپنی مشترکہ وابستگی کا "
            "اعادہ کیا اور اکتوبر میں طے پانے والے تعاون کے ابتدائی اقدامات کا اعلان کیا۔</p>"
            "<p>شراکت دار پہلے مرحلے میں ان خطرات سے متعلق شواہد کا جائزہ لیں گے جن کا "
            "سامنا غیر قانونی راستوں سے بیرونِ ملک جانے والے پاکستانیوں کو ہوتا ہے، اور پھر "
            "ان اضلاع میں آگاہی نشستیں منعقد کریں گے جہاں سے بیرونِ ملک نقل مکانی کی شرح "
            "زیادہ ہے۔</p>"
            "<h2>شراکت کن امور کا احاطہ کرتی ہے</h2>"
            "<ul><li>غیر محفوظ حالات میں تارکینِ وطن سے متعلق تحقیق اور شواہد</li>"
            "<li>عوامی رابطہ اور آگاہی</li>"
            "<li>قومی ترجیحات کے مطابق پالیسی مشاورت</li></ul>"
        ),
        "status": "published",
        "publish_at": at(2023, 12, 18, 16, 0),
        # The translator last brought it in line before the source's change.
        "source_seen_at": at(2023, 12, 18, 16, 0),
    },
    {
        # SCHEDULED: embargoed in Urdu while the English source is public.
        "source": "fia-and-iom-pakistan-review-counter-trafficking-training",
        "slug": "fia-iom-pakistan-tarbiyati-saal-ka-jaiza-ur",
        "title": "ایف آئی اے اور آئی او ایم پاکستان نے انسدادِ اسمگلنگ تربیت کے ایک سال "
        "کا جائزہ لیا",
        "summary": (
            "اسلام آباد میں تربیت کاروں اور کمیٹی ارکان نے اس بات کا جائزہ لیا کہ 2023 کے "
            "کورسز سے عملی طور پر کیا تبدیلی آئی، اور اگلے مرحلے کی منصوبہ بندی کی۔"
        ),
        "dateline_place": "اسلام آباد",
        "dateline_date": datetime.date(2024, 2, 15),
        "body": (
            "<p>وفاقی تحقیقاتی ادارے (ایف آئی اے) اور آئی او ایم پاکستان نے تربیت کاروں اور "
            "ضلعی انسدادِ انسانی اسمگلنگ کمیٹیوں کے ارکان کو یکجا کیا تاکہ 2023 میں ملک "
            "بھر میں دی گئی متاثرین پر مرکوز تربیت کا جائزہ لیا جا سکے۔</p>"
            "<p>شرکا نے اس پر بات کی کہ ان کے اضلاع میں متاثرین کی شناخت، جانچ اور منتقلی "
            "کیسے ہوتی ہے، کمیٹیوں کو کہاں واضح طریقۂ کار کی ضرورت ہے، اور آئندہ کورسز میں "
            "کون سے موضوعات شامل ہونے چاہییں۔</p>"
        ),
        "status": "published",
        "publish_at": SCHEDULED,
    },
    {
        "source": "nchr-guidance-rights-of-trafficking-survivors",
        "slug": "nchr-insani-smuggling-se-bachne-walon-ke-huqooq-ur",
        "title": "این سی ایچ آر نے انسانی اسمگلنگ سے بچ جانے والوں کے حقوق پر رہنما "
        "ہدایات جاری کر دیں",
        "summary": (
            "ضلعی کمیٹیوں کے لیے ایک مختصر رہنما کتابچہ بتاتا ہے کہ انسانی اسمگلنگ سے بچ "
            "جانے والے کن حقوق کے حق دار ہیں اور انہیں مدد کے لیے کہاں بھیجا جائے۔"
        ),
        "dateline_place": "اسلام آباد",
        "dateline_date": datetime.date(2024, 6, 20),
        "body": (
            "<p>قومی کمیشن برائے انسانی حقوق (این سی ایچ آر) نے انسدادِ انسانی اسمگلنگ "
            "کمیٹیوں کے ارکان کے لیے اسمگلنگ سے بچ جانے والے افراد کے حقوق پر رہنما ہدایات "
            "شائع کی ہیں۔</p>"
            "<p>کتابچے میں ان افراد کے تحفظ، معلومات، قانونی مدد اور معاونت کے حقوق بیان کیے "
            "گئے ہیں، اور بتایا گیا ہے کہ کمیٹیاں انہیں یہ خدمات فراہم کرنے والے اداروں تک "
            "کیسے پہنچا سکتی ہیں۔</p>"
        ),
        "status": "published",
        "publish_at": at(2024, 6, 20, 15, 0),
    },
]

#: The slug of the Urdu version still under embargo (the press-room and the
#: embargo tests look for it).
SCHEDULED_URDU_SLUGS = [r["slug"] for r in URDU_RELEASES if r["publish_at"] == SCHEDULED]

__all__ = [
    "OUT_OF_DATE_CHANGE",
    "OUT_OF_DATE_SOURCE",
    "PKT",
    "SCHEDULED_URDU_SLUGS",
    "URDU_RELEASES",
]
