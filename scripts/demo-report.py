#!/usr/bin/env python3
"""The demo's summary: a few lines on stdout and OUT/report.html (tables, the link charts, the rota month view)
for a browser. Reads what scripts/demo.sh left in OUT. Usage: demo-report.py OUT"""
import collections, csv, html, json, os, sys, tempfile

out = sys.argv[1]


def path(*parts):
    return os.path.join(out, *parts)


def dicom_files(folder):
    found = []
    for root, _, names in os.walk(path(folder)):
        found += [os.path.join(root, name) for name in names if name.endswith(".dcm")]
    return found


def megabytes(files):
    return sum(os.path.getsize(f) for f in files) / 1e6


def table(rows, header):
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


study, anon, jls, received = (dicom_files(f) for f in ("study", "anon", "jpeg-ls", "received"))
actions = collections.Counter(json.loads(line)["action"] for line in open(path("anon-report.jsonl")))
send = [json.loads(line) for line in open(path("send.jsonl"))]
send_summary = next(event for event in send if event.get("summary"))
syntaxes = collections.Counter(event.get("syntax", "") for event in send if event.get("status") == "stored")
links = {}
for link in ("4g", "satellite"):
    with open(path(f"link-{link}.csv")) as f:
        links[link] = list(csv.DictReader(f))
with open(path("rota", "fairness.csv")) as f:
    fairness = list(csv.DictReader(f))
nights_per_fte = [int(r["nights"]) / float(r["fte"]) for r in fairness if float(r["nights_target"]) > 0]
repair = open(path("repair.txt")).read().strip().splitlines()

ratio = megabytes(study) / max(megabytes(jls), 1e-9)
lines = [
    f"study: {len(study)} images, {megabytes(study):.1f} MB; de-identified {len(anon)} "
    f"({sum(actions.values())} attribute changes); JPEG-LS {megabytes(jls):.1f} MB ({ratio:.2f}x, verified bit-exact)",
    f"sent over emulated 4G: {send_summary['stored']} stored, {send_summary['failed']} failed in "
    f"{send_summary['seconds']:.1f} s ({send_summary['mb_per_second']:.1f} MB/s, {send_summary['associations']} associations); "
    f"{len(received)} arrived, none carries an identifying value of the originals",
]
for link, rows in links.items():
    best = min(rows, key=lambda r: float(r["median_s"]))
    lines.append(f"CT angiography over {link}: fastest {best['strategy']} in {float(best['median_s']):.1f} s "
                 f"(slowest {max(float(r['median_s']) for r in rows):.1f} s)")
lines.append(f"rota 2027: {len(fairness)} radiologists, nights per FTE from {min(nights_per_fte):.1f} to "
             f"{max(nights_per_fte):.1f}; repair after a sick week: {repair[-1] if repair else 'no output'}")
lines.append(f"report: {path('report.html')}")
print("\n".join(lines))

sections = [
    "<h2>The study</h2>",
    table([["generated (stroke: NCCT, CTA, perfusion)", len(study), f"{megabytes(study):.1f}"],
           ["de-identified (PS3.15, keyed)", len(anon), f"{megabytes(anon):.1f}"],
           ["JPEG-LS lossless, verified", len(jls), f"{megabytes(jls):.1f}"],
           ["arrived at the receiver (through 4G)", len(received), f"{megabytes(received):.1f}"]],
          ["stage", "images", "MB"]),
    "<h3>De-identification: changes by action</h3>",
    table(sorted(actions.items(), key=lambda item: -item[1]), ["action", "attributes changed"]),
    "<h3>Sending (dcm-send over the shaped link)</h3>",
    table([[k, v] for k, v in send_summary.items() if k != "summary"], ["", "value"]),
    table(syntaxes.items(), ["transfer syntax sent", "images"]),
]
for link, rows in links.items():
    keys = ["strategy", "median_s", "first_image_s", "wire_bytes", "goodput_mbit_s", "floor_s", "over_floor"]
    sections += [f"<h2>CT angiography over {html.escape(link)}</h2>", table([[r[k] for k in keys] for r in rows], keys)]
    svg = open(path(f"link-{link}.svg")).read()
    sections.append(f'<div class="chart">{svg[svg.find("<svg"):]}</div>')
sections += [
    "<h2>The territory's on-call rota, 2027</h2>",
    "<p>Fairness per radiologist against their pro-rata target (history included):</p>",
    table([[r["person"], r["name"], r["fte"], f'{r["nights"]} / {r["nights_target"]}',
            f'{r["weekends"]} / {r["weekends_target"]}', f'{r["holidays"]} / {r["holidays_target"]}'] for r in fairness],
          ["person", "name", "FTE", "nights / target", "weekends / target", "holidays / target"]),
    "<h3>Repair after a sick week</h3><pre>" + html.escape("\n".join(repair)) + "</pre>",
    '<h3>Month view</h3><iframe src="rota/month-view.html" title="month view"></iframe>',
    '<p>Files: <a href="rota/rota.csv">rota.csv</a>, <a href="rota/calendars/">calendars (iCalendar)</a>, '
    '<a href="rota/fairness.txt">fairness.txt</a>.</p>',
]
page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Telerad toolkit demo</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1em; }}
td, th {{ border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }}
th {{ background: #f0f0f0; }}
iframe {{ width: 100%; height: 40em; border: 1px solid #ccc; }}
.chart svg {{ max-width: 100%; height: auto; }}
</style></head><body>
<h1>Telerad toolkit demo</h1>
<ul>{"".join(f"<li>{html.escape(line)}</li>" for line in lines[:-1])}</ul>
{"".join(sections)}
</body></html>
"""
handle, temporary = tempfile.mkstemp(dir=out, prefix=".report-", suffix=".html")
with os.fdopen(handle, "w") as f:
    f.write(page)
os.chmod(temporary, 0o644)
os.replace(temporary, path("report.html"))
