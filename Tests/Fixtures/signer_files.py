#!/usr/bin/env python3
"""Reads a petition's message with Python's email package and its signers.csv with
the csv module, for Megaphone's tests: prints the letter's text, the attachments'
names and types, the CSV's header and rows, and the HTML file's table row count."""
import csv
import email
import email.policy
import io
import json
import sys

with open(sys.argv[1], "rb") as f:
    message = email.message_from_binary_file(f, policy=email.policy.default)
result = {"defects": [str(d) for part in message.walk() for d in part.defects],
          "text": message.get_body(("plain",)).get_content(), "attachments": [], "csv": [], "html_rows": 0, "html": ""}
for part in message.iter_attachments():
    result["attachments"].append([part.get_filename(), part.get_content_type()])
    content = part.get_content()
    if part.get_filename() == "signers.csv":
        result["csv"] = list(csv.reader(io.StringIO(content, newline="")))
    elif part.get_filename() == "signers.html":
        result["html_rows"] = content.count("<tr><td")
        result["html"] = content[:3000]
json.dump(result, sys.stdout, ensure_ascii=False)
