#!/usr/bin/env python3
"""Renders the benchmark letter for every CSV row with Jinja2 (compiled once) or
chevron, writing the letters to standard output.  render_python.py ENGINE FOLDER ROWS.csv
Prints the seconds the render loop took (after loading, before writing) to standard error."""
import csv
import json
import sys
import time

engine, folder, rows_path = sys.argv[1:4]
data = json.load(open(f"{folder}/data.json"))
rows = list(csv.DictReader(open(rows_path, newline="")))
out = sys.stdout
chunks = []
if engine == "jinja2":
    import jinja2
    template = jinja2.Environment(keep_trailing_newline=True, autoescape=False).from_string(open(f"{folder}/letter.jinja2").read())
    start = time.perf_counter()
    for row in rows:
        chunks.append(template.render(recipient=row, signer=row, **data))
elif engine == "chevron":
    import chevron
    source = open(f"{folder}/letter.mustache").read()
    start = time.perf_counter()
    for row in rows:
        context = dict(data)
        context["recipient"] = row
        context["signer"] = row
        chunks.append(chevron.render(source, context))
else:
    sys.exit(f"unknown engine {engine}")
text = "".join(chunks)
print(f"render-seconds {time.perf_counter() - start:.6f}", file=sys.stderr)
out.write(text)
