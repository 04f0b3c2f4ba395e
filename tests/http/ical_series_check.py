"""Expands a repeating event of an iCalendar file with independent tools
(python3-icalendar to parse, python3-dateutil for the RRULE) as a calendar
client would: the rule in the zone's wall-clock time, less its EXDATEs,
with each RECURRENCE-ID's own start; compares the starts with the test's.

usage: ical_series_check.py FILE SUMMARY ZONE STARTS
  SUMMARY  the series' summary
  ZONE     the TZID its DTSTART must name (and a VTIMEZONE describe)
  STARTS   the expected starts, UTC seconds, comma-separated, in order
Exit 0 when they agree; else a message and 1."""
import sys
from datetime import timezone

import icalendar
from dateutil.rrule import rrulestr

path, summary, zone = sys.argv[1], sys.argv[2], sys.argv[3]
want = [int(x) for x in sys.argv[4].split(",") if x]
with open(path, "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())
if zone not in [str(c.get("TZID")) for c in cal.walk("VTIMEZONE")]:
    sys.exit("no VTIMEZONE %s" % zone)


def utc(dt):
    return int(dt.astimezone(timezone.utc).timestamp())


def aware(naive, tz):
    return tz.localize(naive) if hasattr(tz, "localize") else naive.replace(tzinfo=tz)


masters = [e for e in cal.walk("VEVENT") if str(e.get("SUMMARY")) == summary and e.get("RRULE")]
if len(masters) != 1:
    sys.exit("%d series named %s" % (len(masters), summary))
m = masters[0]
if m["DTSTART"].params.get("TZID") != zone:
    sys.exit("DTSTART TZID %s" % m["DTSTART"].params.get("TZID"))
start = m.decoded("DTSTART")
tz = start.tzinfo
rule = rrulestr(m["RRULE"].to_ical().decode(), dtstart=start.replace(tzinfo=None))
ex = m.get("EXDATE")
ex = ex if isinstance(ex, list) else ([ex] if ex is not None else [])
gone = set(utc(d.dt) for lst in ex for d in lst.dts)
moved = {}
for e in cal.walk("VEVENT"):
    if str(e.get("UID")) == str(m.get("UID")) and e.get("RECURRENCE-ID") is not None:
        moved[utc(e.decoded("RECURRENCE-ID"))] = utc(e.decoded("DTSTART"))
got = []
for naive in rule:
    t = utc(aware(naive, tz))
    if t in gone:
        continue
    got.append(moved.get(t, t))
if got != want:
    sys.exit("starts %s, expected %s" % (got, want))
print("ok", len(got), "occurrences")
