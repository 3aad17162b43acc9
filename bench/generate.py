#!/usr/bin/env python3
"""Generates the benchmark data in bench/work/: the protest letter in each engine's
template language, shared data, recipient CSVs of the requested sizes, and the
campaign (Megaphone) and mailmerge files for the same letter."""
import json
import os
import sys

WORK = sys.argv[1]
SIZES = [int(s) for s in sys.argv[2:]] or [1000, 10000, 100000]
os.makedirs(WORK, exist_ok=True)

DEMANDS = [
    "Release the strikers' lawyer at once and drop every charge brought against her for defending them.",
    "Reinstate every worker dismissed for taking part in the strike, with back pay for the weeks lost.",
    "Open talks with the workers' elected strike committee without preconditions and in good faith.",
    "Allow independent observers and journalists to visit the detained strikers and their families.",
    "Guarantee that no striker will be prosecuted or harassed for peaceful protest, now or later.",
    "Publish the findings of the inquiry into the dangerous conditions at the oilfield in full.",
    "Ratify and respect the ILO conventions on freedom of association and the right to organise.",
]
PARAGRAPH = ("We write on behalf of trade unionists and human rights supporters who have followed the strike "
             "at the Karatobe oilfield with growing concern. For weeks the workers have asked for nothing more "
             "than safe conditions and the wages they are owed, and their lawyer has been detained for "
             "representing them. Detaining a lawyer for doing her work undermines the rule of law itself.")
FACTS = ("On the ninth day of the strike the company cut the water supply to the workers' camp, and on the "
         "twelfth the police detained the strike committee's lawyer as she left the courthouse in Aktau. She has "
         "been held since then without charge, and her family has not been allowed to visit her. Three members of "
         "the strike committee have been dismissed, and the workers who remain have been told that they will lose "
         "their housing if they do not return. International trade unions have written to the company and to the "
         "ministry twice, and have had no reply to either letter.")
CLOSING = ("The right to strike and the right to a lawyer are not favours granted by an employer or a state. "
           "They are commitments your government has signed, and the world is watching how they are kept. "
           "We ask you to pass this letter on to your capital and to tell us what action will be taken.")

data = {
    "demands": [{"number": str(i + 1), "text": t} for i, t in enumerate(DEMANDS)],
    "paragraph": PARAGRAPH,
    "facts": FACTS,
    "closing": CLOSING,
}
with open(f"{WORK}/data.json", "w") as f:
    json.dump(data, f, ensure_ascii=False)
with open(f"{WORK}/demands.txt", "w") as f:
    f.write("\n".join(DEMANDS) + "\n")
with open(f"{WORK}/texts.json", "w") as f:
    json.dump({"paragraph": PARAGRAPH, "facts": FACTS, "closing": CLOSING}, f)

MUSTACHE = """Your Excellency {{recipient.ambassador}},

{{paragraph}}

{{facts}}

{{paragraph}}

We respectfully ask your government to:

{{#demands}}
{{number}}. {{text}}
{{/demands}}

{{closing}}

{{closing}}

Yours sincerely,

{{signer.name_upper}}
{{signer.organisation}}, {{signer.city}}
"""
# Plain-text letters: triple braces keep HTML-escaping Mustache engines from escaping "O'Connell".
import re
TRIPLE = re.sub(r"\{\{([a-z][a-z_.]*)\}\}", r"{{{\1}}}", MUSTACHE)
with open(f"{WORK}/letter.mustache", "w") as f:
    f.write(TRIPLE)
with open(f"{WORK}/letter-filters.mustache", "w") as f:
    f.write(MUSTACHE.replace("{{signer.name_upper}}", "{{signer.name | upper}}"))
with open(f"{WORK}/letter.jinja2", "w") as f:
    f.write(MUSTACHE.replace("{{#demands}}\n{{number}}. {{text}}\n{{/demands}}\n",
                             "{% for d in demands %}{{ d.number }}. {{ d.text }}\n{% endfor %}")
            .replace("{{signer.name_upper}}", "{{ signer.name|upper }}"))
with open(f"{WORK}/letter.stencil", "w") as f:
    f.write(MUSTACHE.replace("{{#demands}}\n{{number}}. {{text}}\n{{/demands}}\n",
                             "{% for d in demands %}{{ d.number }}. {{ d.text }}\n{% endfor %}"))

# The campaign: the same letter as an email, for render --mbox and send.
with open(f"{WORK}/letter.txt", "w") as f:
    f.write("Subject: Free the Karatobe strikers' lawyer\n\n" + MUSTACHE.replace("{{signer.name_upper}}", "{{signer.name | upper}}")
            .replace("{{#demands}}\n{{number}}. {{text}}\n{{/demands}}", "{{#demands}}\n{{@number}}. {{.}}\n{{/demands}}")
            .replace("{{signer.", "{{recipient."))
# mailmerge (Jinja2 with headers), same letter.
with open(f"{WORK}/mailmerge_template.txt", "w") as f:
    f.write("TO: {{email}}\nFROM: Campaign <campaign@example.org>\nSUBJECT: Free the Karatobe strikers' lawyer\n\n"
            + MUSTACHE.replace("{{recipient.ambassador}}", "{{ambassador}}")
            .replace("{{#demands}}\n{{number}}. {{text}}\n{{/demands}}\n", "".join(f"{i + 1}. {t}\n" for i, t in enumerate(DEMANDS)))
            .replace("{{paragraph}}", PARAGRAPH).replace("{{facts}}", FACTS).replace("{{closing}}", CLOSING)
            .replace("{{signer.name_upper}}", "{{name|upper}}").replace("{{signer.organisation}}", "{{organisation}}")
            .replace("{{signer.city}}", "{{city}}"))

FIRST = ["Aigerim", "Jonas", "Siobhán", "Fatima", "Olga", "Samuel", "Zoë", "Timur", "Marta", "Kwame"]
LAST = ["Nurlanova", "Weber", "O'Connell", "El Idrissi", "Petrova", "Osei", "Müller", "Abenov", "Kowalczyk", "Mensah"]
ORGS = ["Unite Leeds branch", "ver.di Berlin", "Oil Workers Union", "Amnesty group 112", "Teachers Union"]
CITIES = ["Leeds", "Berlin", "Aktau", "Lyon", "Oslo", "Accra", "Kraków"]
for size in SIZES:
    path = f"{WORK}/rows-{size}.csv"
    if os.path.exists(path) and os.path.exists(f"{WORK}/campaign-{size}.json"):
        continue   # the rows do not depend on the letter: kept between runs
    with open(path, "w") as f:
        f.write("name,name_upper,email,ambassador,organisation,city\n")
        for i in range(size):
            name = f"{FIRST[i % 10]} {LAST[(i // 10) % 10]}"
            f.write(f"{name},{name.upper()},supporter{i}@example.org,Mr Daniyar Akhmetov {i},{ORGS[i % 5]},{CITIES[i % 7]}\n")
    with open(f"{WORK}/campaign-{size}.json", "w") as f:
        json.dump({"name": f"bench-{size}", "sender": {"name": "Campaign Kazakhstan", "address": "campaign@example.org"},
                   "template": "letter.txt", "recipients": f"rows-{size}.csv", "data": ["demands.txt", "texts.json"],
                   "mode": "each-recipient"}, f)
with open(f"{WORK}/mailmerge_server.conf", "w") as f:
    f.write("[smtp_server]\nhost = 127.0.0.1\nport = 2599\nsecurity = Never\n")
