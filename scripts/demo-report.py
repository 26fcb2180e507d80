#!/usr/bin/env python3
"""The demo's summary: a few lines on stdout and OUT/report.html (tables, the link charts, the rota month view)
for a browser. Reads what scripts/demo.sh left in OUT. Usage: demo-report.py OUT"""
import collections, csv, gzip, html, json, os, sys, tempfile

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


def seconds(value):
    """Seconds as people read them: 0.43 s, 12.3 s, 2 min 05 s."""
    if value in ("", None):
        return "-"
    value = float(value)
    if value >= 120:
        return f"{int(value // 60)} min {int(value % 60):02d} s"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


SYNTAXES = {"1.2.840.10008.1.2.4.80": "JPEG-LS lossless", "1.2.840.10008.1.2.1": "Explicit VR Little Endian",
            "1.2.840.10008.1.2": "Implicit VR Little Endian", "1.2.840.10008.1.2.5": "RLE lossless",
            "1.2.840.10008.1.2.4.70": "JPEG lossless"}


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
    table([["images stored", send_summary["stored"]], ["images failed", send_summary["failed"]],
           ["associations", send_summary["associations"]], ["data sent", f"{send_summary['bytes'] / 1e6:.1f} MB"],
           ["time", seconds(send_summary["seconds"])], ["throughput", f"{send_summary['mb_per_second']:.1f} MB/s"],
           ["images per second", f"{send_summary['images_per_second']:.0f}"], ["retries", send_summary["retries"]]],
          ["", "value"]),
    table([[SYNTAXES.get(uid, "") + f" ({uid})", count] for uid, count in syntaxes.items()], ["transfer syntax sent", "images"]),
]
def svg(name):
    text = open(path(name)).read()
    return f'<div class="chart">{text[text.find("<svg"):]}</div>'


for link, rows in links.items():
    sections += [f"<h2>CT angiography over {html.escape(link)}</h2>",
                 table([[r["strategy"], seconds(r["median_s"]), seconds(r["first_image_s"]),
                         f'{int(r["wire_bytes"]) / 1e6:.1f} MB', f'{float(r["goodput_mbit_s"]):.1f} Mbit/s',
                         seconds(r["floor_s"]), f'{float(r["over_floor"]):.2f}x' if r["over_floor"] else "-"] for r in rows],
                       ["strategy", "total time", "first image", "on the wire", "goodput", "floor", "time / floor"]),
                 svg(f"link-{link}.svg")]
sections += ["<h3>Both links over time (throughput per 100 ms, images arrived, per-image latency)</h3>", svg("link-series.svg")]
stroke_rows = []
for link in ("island-radio", "4g-evening"):
    record = json.load(gzip.open(path(f"stroke-{link}.json.gz")))
    for run in record["runs"]:
        latencies = run["image_latencies"]
        stroke_rows.append([link, run["strategy"]] + [seconds(s["seconds"]) for s in run["series"]]
                           + [seconds(latencies[len(latencies) // 2]) if latencies else "-"])
    series_names = [s["series"] for s in record["runs"][0]["series"]]
sections += ["<h2>A stroke as it happens: scanner at 10 images/s, the forwarding node streaming</h2>",
             "<p>When each series was complete at the expert, counted from the scanner's first image "
             "(the non-contrast CT decides on thrombolysis, the angiography on thrombectomy):</p>",
             table(stroke_rows, ["link", "strategy"] + [f"{name} complete" for name in series_names] + ["median image latency"]),
             svg("stroke-series.svg")]
sections += [
    "<h2>The territory's on-call rota, 2027</h2>",
    "<p>Fairness per radiologist against their pro-rata target (history included):</p>",
    table([[r["person"], r["name"], r["fte"], f'{r["nights"]} / {r["nights_target"]}',
            f'{r["weekends"]} / {r["weekends_target"]}', f'{r["holidays"]} / {r["holidays_target"]}'] for r in fairness],
          ["person", "name", "FTE", "nights / target", "weekends / target", "holidays / target"]),
    "<h3>Repair after a sick week</h3><pre>" + html.escape("\n".join(repair)) + "</pre>",
    "<h3>Who could take the Brest night garde of 3 March instead of its holder?</h3><pre>" + html.escape(open(path("who-can.txt")).read()) + "</pre>",
    "<h3>B07's weekend of 6-7 March: the fairest legal exchanges</h3><pre>" + html.escape(open(path("swap.txt")).read()) + "</pre>",
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
