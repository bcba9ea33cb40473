"""The plain data documents are rendered from (strings, numbers and dates, never model
instances), and the logo marks they print (`lider.core.documents` renders them)."""

import base64
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

Number = int | float | Decimal


@dataclass(frozen=True)
class Logo:
    """One mark of a logo strip: its caption, and its image as SVG text, or "" for none.

    A mark with an image prints the image, the caption being its alternative text; a mark
    without prints the caption as text (nobody draws an official mark Lider was not given).
    A raster image becomes SVG with `raster_svg`. A plain string in a document's ``logos`` is
    an SVG image without a caption (the EU flag of documents issued before strips existed).
    """

    caption: str
    svg: str = ""


# A caption is a line or two in a strip (lider.projects bounds it at 200 characters).
LOGO_CAPTION_MAX_LENGTH = 300


def raster_svg(png: bytes, width: int, height: int) -> str:
    """A PNG (or JPEG) as an SVG document of its own size, the picture embedded as data."""
    kind = "jpeg" if png.startswith(b"\xff\xd8") else "png"
    encoded = base64.b64encode(png).decode("ascii")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{int(width)}" height="{int(height)}" viewBox="0 0 {int(width)} {int(height)}">'
        f'<image width="{int(width)}" height="{int(height)}" '
        f'xlink:href="data:image/{kind};base64,{encoded}"/></svg>'
    )


@dataclass(frozen=True)
class AttendanceListData:
    """One session's attendance list; ``participants`` are full names, in the order to print."""

    cofinancing: str
    project_title: str
    project_number: str
    session_title: str
    date: datetime.date
    start: datetime.time
    end: datetime.time
    venue: str
    address: str
    trainer: str  # "" for a session without a trainer (a conference): no trainer line
    session_url: str
    participants: Sequence[str]
    # Indices in `participants` of people whose processing is restricted (art. 18): still
    # listed, since the signature is the evidence, but marked (art. 4(3): restriction is the
    # marking of stored data) with a note under the table.
    restricted: frozenset[int] = frozenset()
    blank_rows: int = 0
    logos: Sequence[str | Logo] = ()
    support: str = ""  # the form of support, e.g. "training cycle: Cykl szkoleń dla Liderów"
    group: str = ""


@dataclass(frozen=True)
class ProgrammeItem:
    topic: str
    hours: Number


@dataclass(frozen=True)
class CertificateData:
    """One person's certificate; ``gender`` is "female", "male" or "" (the neutral form)."""

    cofinancing: str
    title: str
    full_name: str
    project_title: str
    project_number: str
    training_title: str
    hours: Number
    start_date: datetime.date
    end_date: datetime.date
    place: str
    number: str
    issue_date: datetime.date
    issue_place: str
    verification_url: str
    verification_code: str
    programme: Sequence[ProgrammeItem] = ()
    subtitle: str = ""
    gender: str = ""
    signatory: str = ""
    logos: Sequence[str | Logo] = ()
    # The hours unit, translated: "Number of teaching hours (45 min)" beside the hours, and
    # "teaching hours (45 min)" over the programme's hours; "" prints plain "Number of hours".
    hours_label: str = ""
    hours_unit: str = ""


@dataclass(frozen=True)
class ReportTable:
    """Columns and rows; numbers are formatted for the language and aligned right."""

    columns: Sequence[str]
    rows: Sequence[Sequence[str | Number | datetime.date | None]]
    caption: str = ""


@dataclass(frozen=True)
class ReportChart:
    svg: str
    caption: str = ""


@dataclass(frozen=True)
class ReportSection:
    heading: str
    paragraphs: Sequence[str] = ()
    tables: Sequence[ReportTable] = ()
    charts: Sequence[ReportChart] = ()


@dataclass(frozen=True)
class ReportData:
    title: str
    subtitle: str = ""
    cofinancing: str = ""
    sections: Sequence[ReportSection] = ()
    date: datetime.date | None = None
    logos: Sequence[str | Logo] = ()
