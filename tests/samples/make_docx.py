"""Build tests/samples/lahore_training.docx, a fictional release in Word.

Run: .venv/bin/python tests/samples/make_docx.py  (the .docx is committed too,
so tests never depend on running this script).
"""

from __future__ import annotations

from pathlib import Path

import docx

OUT = Path(__file__).with_name("lahore_training.docx")


def build(path: Path = OUT) -> Path:
    document = docx.Document()
    document.add_paragraph("PRESS RELEASE").runs[0].bold = True
    document.add_heading("Provincial Literacy Council trains 500 teachers in digital skills", 1)
    document.add_paragraph(
        "Lahore, Pakistan - January 15, 2024 – The Provincial Literacy Council (PLC) "
        "completed a three-week course that taught 500 primary-school teachers how to use "
        "tablets and free learning apps in the classroom."
    )
    document.add_paragraph(
        "The course was run in twelve districts with the support of the Open Schools "
        "Foundation (OSF). Teachers who finished it received a certificate and a tablet."
    )
    document.add_paragraph(
        "‘My pupils now read on screen every morning’, said one teacher from Kasur, "
        "“and they ask for more stories.”"
    )
    document.add_paragraph("ENDS")
    document.add_paragraph(
        "About PLC: The Provincial Literacy Council is a public body that sets reading "
        "programmes for primary schools in the province."
    )
    document.add_paragraph("For more information:")
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = (
        "Dr. Sana Iqbal, Head of Communications, PLC\nEmail: sana.iqbal@plc.example.org\n"
        "Phone: +92 42 3555 0199"
    )
    document.save(path)
    return path


if __name__ == "__main__":
    print(build())
