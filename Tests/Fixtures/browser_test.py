#!/usr/bin/env python3
"""Drives headless Chromium (Selenium) through a running `megaphone serve`, as a
supporter on a 320-pixel-wide phone would: sign the petition, confirm from the
email in the outbox, see the count go up; write a letter to a chosen embassy with
a paragraph of one's own, confirm it, and find the letter in the outbox once.

Usage: browser_test.py BASE OUTBOX SCREENSHOT_DIR
Prints one line per step; exits non-zero at the first failure.
"""
import email
import email.policy
import os
import struct
import sys
import time
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, outbox, shots = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(shots, exist_ok=True)


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def png_is_blank(path):
    """True when every pixel of the PNG (8-bit RGB/RGBA, non-interlaced) is the same colour."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return True
    pos, idat, width, height, channels = 8, b"", 0, 0, 3
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            channels = {2: 3, 6: 4}.get(colour, 3)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels + 1
    previous = bytearray(stride - 1)
    colours = set()
    for row in range(height):
        line = raw[row * stride:(row + 1) * stride]
        kind, current = line[0], bytearray(line[1:])
        for i in range(len(current)):
            left = current[i - channels] if i >= channels else 0
            up = previous[i]
            upleft = previous[i - channels] if i >= channels else 0
            if kind == 1:
                current[i] = (current[i] + left) & 255
            elif kind == 2:
                current[i] = (current[i] + up) & 255
            elif kind == 3:
                current[i] = (current[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                current[i] = (current[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else upleft)) & 255
        for x in range(0, len(current), channels * 7):
            colours.add(bytes(current[x:x + 3]))
        previous = current
        if len(colours) > 3:
            return False
    return len(colours) <= 1


def shot(driver, name):
    path = os.path.join(shots, name + ".png")
    driver.save_screenshot(path)
    if png_is_blank(path):
        fail(f"the screenshot {path} is blank")
    print(f"screenshot {name}.png: not blank ({os.path.getsize(path)} bytes)")


def submit(driver):
    """Presses the form's button and waits for the next page: a click returns before
    the browser has loaded what the form's POST answered."""
    # A mark on this page's window: a new page has a new window object without it.
    # (Selenium's staleness_of trips over chromedriver's "node does not belong to the
    # document" error instead of the stale-element one it expects.)
    driver.execute_script("window.megaphoneOldPage = true")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(driver, 15).until(lambda d: d.execute_script(
        "return window.megaphoneOldPage === undefined && document.readyState === 'complete'"))


def mails_to(address):
    found = []
    folder = os.path.join(outbox, "new")
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        with open(os.path.join(folder, name), "rb") as f:
            message = email.message_from_binary_file(f, policy=email.policy.default)
        if address in str(message.get("X-Envelope-To", "")):
            found.append(message)
    return found


def wait_for_mail(address, predicate, count=1):
    for _ in range(200):
        matching = [m for m in mails_to(address) if predicate(m)]
        if len(matching) >= count:
            return matching
        time.sleep(0.05)
    fail(f"no email to {address} arrived in the outbox")


def link(message, kind):
    body = message.get_body(preferencelist=("plain",)).get_content()
    for word in body.split():
        if f"/{kind}/" in word:
            return word
    fail(f"the email has no {kind} link")


options = webdriver.ChromeOptions()
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=320,900"]:
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    # The petition.
    driver.get(base + "/petition")
    shot(driver, "1-petition")
    if driver.execute_script("return document.documentElement.scrollWidth > document.documentElement.clientWidth"):
        fail("the petition page is wider than a 320 px screen")
    before = int(driver.find_element(By.ID, "count").text.replace(",", ""))
    driver.find_element(By.ID, "f-name").send_keys("Siobhán O'Connell")
    driver.find_element(By.ID, "f-email").send_keys("siobhan@example.com")
    driver.find_element(By.ID, "f-organisation").send_keys("Unite, Leeds branch")
    driver.find_element(By.ID, "f-city").send_keys("Leeds")
    submit(driver)
    if "Check your email" not in driver.find_element(By.TAG_NAME, "h1").text:
        fail("after signing, the page is not 'Check your email': " + driver.page_source[:500])
    shot(driver, "2-check-email")
    confirmation = wait_for_mail("siobhan@example.com", lambda m: "confirm" in str(m["Subject"]).lower())[0]
    driver.get(link(confirmation, "confirm"))
    shot(driver, "3-confirm")
    if int(driver.find_element(By.TAG_NAME, "body").text.count("Thank you")) != 0:
        fail("opening the link confirmed without pressing the button")
    submit(driver)
    if "Thank you" not in driver.find_element(By.TAG_NAME, "h1").text:
        fail("pressing the button did not show the thank-you page")
    shot(driver, "4-thanks")
    driver.get(base + "/petition")
    after = int(driver.find_element(By.ID, "count").text.replace(",", ""))
    if after != before + 1:
        fail(f"the count went from {before} to {after}, not up by one")
    print(f"petition: signed, confirmed, count {before} -> {after}")

    # The letter.
    driver.get(base + "/letters")
    shot(driver, "5-letter")
    driver.find_element(By.CSS_SELECTOR, "input[name=target][value='berlin@example.org']").click()
    driver.find_element(By.ID, "f-name").send_keys("Jonas Weber")
    driver.find_element(By.ID, "f-email").send_keys("jonas@example.com")
    driver.find_element(By.ID, "f-city").send_keys("Berlin")
    driver.find_element(By.ID, "f-message").send_keys("I stood with the strikers in Aktau.")
    # "The recipients may reply to me directly": unticked by default; Jonas ticks it.
    reply = driver.find_element(By.ID, "f-reply")
    if reply.is_selected():
        fail("the reply checkbox is ticked by default")
    reply.click()
    submit(driver)
    confirmation = wait_for_mail("jonas@example.com", lambda m: True)[0]
    driver.get(link(confirmation, "confirm"))
    if "I stood with the strikers in Aktau." not in driver.page_source:
        fail("the confirmation page does not preview the letter with the supporter's paragraph")
    shot(driver, "6-letter-preview")
    submit(driver)
    shot(driver, "7-letter-sent")
    letters = wait_for_mail("berlin@example.org", lambda m: "Aktau" in m.get_body(preferencelist=("plain",)).get_content())
    time.sleep(1)
    letters = [m for m in mails_to("berlin@example.org")]
    if len(letters) != 1:
        fail(f"{len(letters)} letters reached the Berlin embassy, not one")
    if "jonas@example.com" not in str(letters[0]["Reply-To"]):
        fail("the letter's Reply-To is not the supporter")
    if mails_to("london@example.org"):
        fail("a letter went to an embassy the supporter did not choose")
    print("letter: written, previewed, confirmed, delivered once to the chosen embassy")
finally:
    driver.quit()
print("OK")
