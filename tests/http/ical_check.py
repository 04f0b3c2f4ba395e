"""Parses an iCalendar file with an independent parser (python3-icalendar)
and checks it against what the test expects.

usage: ical_check.py FILE SUMMARY ZONE START_UTC [ABSENT]
  SUMMARY   an event that must be there, starting at START_UTC (seconds)
            in its zone ZONE, which the file's VTIMEZONE must describe
  ABSENT    a summary that must not be there
Exit 0 when every check holds; else a message and 1."""
import sys
from datetime import datetime, timezone

import icalendar

path, summary, zone, start = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
absent = sys.argv[5] if len(sys.argv) > 5 else None
with open(path, "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())
zones = [str(c.get("TZID")) for c in cal.walk("VTIMEZONE")]
if zone not in zones:
    sys.exit("no VTIMEZONE %s in %s" % (zone, zones))
found = False
wrong = []
for ev in cal.walk("VEVENT"):
    s = str(ev.get("SUMMARY"))
    if absent and s == absent:
        sys.exit("%s is in the feed" % absent)
    if s != summary:
        continue
    dt = ev.decoded("DTSTART")
    if dt.tzinfo is None:
        sys.exit("DTSTART without a zone")
    if ev["DTSTART"].params.get("TZID") != zone:
        sys.exit("DTSTART TZID %s" % ev["DTSTART"].params.get("TZID"))
    if ev.decoded("DTEND") <= dt:
        sys.exit("DTEND before DTSTART")
    if not str(ev.get("UID")):
        sys.exit("no UID")
    got = int(dt.astimezone(timezone.utc).timestamp())
    # several events may share a summary (a secret community's neutral one)
    if got == start:
        found = True
    else:
        wrong.append(dt.isoformat())
if not found and wrong:
    sys.exit("%s starts %s, expected %d" % (summary, ", ".join(wrong), start))
if not found:
    sys.exit("no event %s" % summary)
print("ok", datetime.fromtimestamp(start, timezone.utc).isoformat())
