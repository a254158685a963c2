"""Reading CSV files as Excel exports them: UTF-8 with or without BOM, ';' or ','.

Imports are all-or-nothing: every row is checked first, every problem is
reported with its line number, and nothing is stored unless all rows are good.
"""
import csv
import io
import re
from datetime import date


class CsvProblem(ValueError):
    """The file as a whole cannot be read."""


def read_rows(data):
    """Yield (line_number, {header: value}) for each non-empty data row.

    Headers are lower-cased and stripped. Raises CsvProblem.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CsvProblem("Filen er ikke UTF-8. Lagre den som «CSV UTF-8» i Excel og prøv igjen.")
    else:
        text = data.lstrip("\ufeff")
    if not text.strip():
        raise CsvProblem("Filen er tom.")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip().lower() for cell in next(reader)]
        rows = []
        ended = reader.line_num
        for cells in reader:
            # the line the row starts on: a quoted cell may run over several lines
            line, ended = ended + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
            rows.append((line, values))
    except csv.Error:
        raise CsvProblem("Filen kunne ikke leses som CSV.")
    return header, rows


def row_part(sentence):
    """A form's sentence as one part of a CSV row's problems: "Brukernavnet er i bruk." → "brukernavnet er i bruk"."""
    return sentence[0].lower() + sentence[1:].rstrip(".")


def pick(values, *names):
    """The first non-empty value among alternative column names."""
    for name in names:
        if values.get(name):
            return values[name]
    return ""


DATE_FORMATS = (
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
)


def parse_date(text):
    """A date written as 31.12.2015, 2015-12-31 or 31/12/2015; None if not a date."""
    for pattern in DATE_FORMATS:
        match = pattern.match(text.strip())
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None
