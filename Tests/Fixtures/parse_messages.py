#!/usr/bin/env python3
"""Parse email messages with Python's email package (policy=default), an
independent parser, and print what it saw as JSON for Megaphone's tests.

Usage: parse_messages.py FILE.eml... | --mbox FILE | --maildir DIR
"""
import email
import email.policy
import hashlib
import json
import mailbox
import os
import sys

ADDRESS_HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Sender")


def defects_of(message):
    found = []
    for part in message.walk():
        found += [type(d).__name__ + ": " + str(d) for d in part.defects]
        for name, value in part.items():
            for d in getattr(value, "defects", ()):
                found.append(f"{name}: {type(d).__name__}: {d}")
    return found


def describe(raw, source):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    lines = raw.split(b"\r\n")
    bare_lf = b"\n" in raw.replace(b"\r\n", b"")
    bare_cr = b"\r" in raw.replace(b"\r\n", b"")
    result = {
        "source": source,
        "defects": defects_of(msg),
        "bare_line_endings": bare_lf or bare_cr,
        "longest_line": max(len(l) for l in lines),
        "header_names": [name for name, _ in msg.items()],
        "headers": {},
        "addresses": {},
        "text": None,
        "html": None,
        "attachments": [],
        "content_type": msg.get_content_type(),
    }
    for name in set(result["header_names"]):
        values = msg.get_all(name)
        if name in ADDRESS_HEADERS:
            result["addresses"][name] = [[a.display_name, a.addr_spec] for v in values for a in v.addresses]
        result["headers"][name] = [str(v) for v in values]
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    # Line endings are a wire matter: compare bodies with LF.
    if plain is not None:
        result["text"] = plain.get_content().replace("\r\n", "\n")
    if html is not None:
        result["html"] = html.get_content().replace("\r\n", "\n")
    for part in msg.iter_attachments():
        data = part.get_content()
        if isinstance(data, str):
            data = data.encode("utf-8")
        result["attachments"].append([part.get_filename(), part.get_content_type(), hashlib.sha256(data).hexdigest()])
    return result


def main(argv):
    out = []
    if argv and argv[0] == "--mbox":
        box = mailbox.mbox(argv[1], create=False)
        for index, key in enumerate(box.keys()):
            raw = box.get_bytes(key).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            out.append(describe(raw, f"{argv[1]}#{index}"))
    elif argv and argv[0] == "--maildir":
        for sub in ("new", "cur"):
            folder = os.path.join(argv[1], sub)
            for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
                with open(os.path.join(folder, name), "rb") as f:
                    out.append(describe(f.read(), f"{sub}/{name}"))
    else:
        for path in argv:
            with open(path, "rb") as f:
                out.append(describe(f.read(), path))
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
