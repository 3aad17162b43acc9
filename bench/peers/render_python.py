#!/usr/bin/env python3
"""Renders the benchmark letter for every CSV row with Jinja2 (compiled once) or
chevron, writing the letters to standard output.  render_python.py ENGINE FOLDER ROWS.csv"""
import csv
import json
import sys

engine, folder, rows_path = sys.argv[1:4]
data = json.load(open(f"{folder}/data.json"))
rows = list(csv.DictReader(open(rows_path, newline="")))
out = sys.stdout
chunks = []
if engine == "jinja2":
    import jinja2
    template = jinja2.Environment(keep_trailing_newline=True, autoescape=False).from_string(open(f"{folder}/letter.jinja2").read())
    for row in rows:
        chunks.append(template.render(recipient=row, signer=row, **data))
elif engine == "chevron":
    import chevron
    source = open(f"{folder}/letter.mustache").read()
    for row in rows:
        context = dict(data)
        context["recipient"] = row
        context["signer"] = row
        chunks.append(chevron.render(source, context))
else:
    sys.exit(f"unknown engine {engine}")
out.write("".join(chunks))
