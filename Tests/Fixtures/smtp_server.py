#!/usr/bin/python3
"""A real SMTP server for Megaphone's tests (Debian's python3-aiosmtpd), with faults.

Usage: smtp_server.py --store DIR [--port N] [--starttls CERT KEY] [--smtps CERT KEY]
                      [--auth USER:PASSWORD] [--fault NAME[:ARG]]...

It listens on 127.0.0.1 only, prints "READY <port>" once it accepts connections,
and stores every accepted message as DIR/<n>.json (envelope and exact bytes).

Faults:
  connect-421          every connection is greeted with 421 and closed
  stall-greeting       connections are accepted but never greeted
  mail-451:N           the first N MAIL commands get 451
  mail-550             every MAIL gets 550 (the sender is refused)
  mail-421-47          every MAIL gets 421 4.7.0 (refused for policy)
  rcpt-451:N           the first N RCPT commands get 451
  rcpt-550:ADDRESS     RCPT TO ADDRESS gets 550 5.1.1
  data-451:N           the first N messages get 451 after the final dot (not stored)
  data-552             every message gets 552 after the final dot (not stored)
  drop-mid-data:N      the first N DATA transfers: the server hangs up after one line
  stall-after-data:S   the first message is stored, then the reply waits S seconds
"""
import argparse
import asyncio
import base64
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Faults:
    def __init__(self, specs):
        self.counts = {}
        self.args = {}
        self.lock = threading.Lock()
        for spec in specs:
            name, _, arg = spec.partition(":")
            self.args.setdefault(name, []).append(arg)
            if name == "stall-after-data":
                self.counts[name] = 1          # its argument is seconds; it stalls once
            elif arg.isdigit():
                self.counts[name] = int(arg)

    def has(self, name):
        return name in self.args

    def take(self, name):
        """True while the fault's count lasts (always true for faults without a count)."""
        with self.lock:
            if name not in self.args:
                return False
            if name not in self.counts:
                return True
            if self.counts[name] > 0:
                self.counts[name] -= 1
                return True
            return False


class Handler:
    def __init__(self, store, faults):
        self.store = store
        self.faults = faults
        self.sequence = 0
        self.lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.faults.take("mail-550"):
            return "550 5.7.1 Sender refused"
        if self.faults.take("mail-421-47"):
            return "421 4.7.0 Too many messages from you, go away"
        if self.faults.take("mail-451"):
            return "451 4.3.0 Try MAIL again later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.faults.args.get("rcpt-550", []):
            return "550 5.1.1 No such mailbox here"
        if self.faults.take("rcpt-451"):
            return "451 4.2.0 Mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.faults.take("data-552"):
            return "552 5.3.4 Message too big for this mailbox"
        if self.faults.take("data-451"):
            return "451 4.3.0 Local problem, try again"
        with self.lock:
            self.sequence += 1
            number = self.sequence
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": base64.b64encode(envelope.original_content or envelope.content).decode(),
            "auth": getattr(session, "authenticated", False),
            "tls": server.transport.get_extra_info("ssl_object") is not None,
        }
        path = os.path.join(self.store, f"{number:06d}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        if self.faults.take("stall-after-data"):
            # Stored first: the server has the message, but the client hears nothing.
            await asyncio.sleep(float(self.faults.args["stall-after-data"][0]))
        return f"250 2.0.0 Ok: queued as Q{number:06d}"


class FaultySMTP(SMTP):
    faults = None

    async def smtp_DATA(self, arg):
        if self.faults is not None and self.faults.take("drop-mid-data"):
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            await self._reader.readline()
            self.transport.close()
            return
        return await super().smtp_DATA(arg)


class FaultyController(Controller):
    def __init__(self, handler, faults, **kwargs):
        self.faults = faults
        super().__init__(handler, **kwargs)

    def factory(self):
        server = FaultySMTP(self.handler, **self.SMTP_kwargs)
        server.faults = self.faults
        return server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def raw_server(port, greeting):
    async def serve(reader, writer):
        if greeting is not None:
            writer.write(greeting)
            await writer.drain()
            writer.close()
            return
        await asyncio.sleep(3600)

    server = await asyncio.start_server(serve, "127.0.0.1", port)
    print(f"READY {port}", flush=True)
    async with server:
        await server.serve_forever()


def main():
    # A parent may pass SIGTERM down ignored; this server must always be stoppable.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--starttls", nargs=2)
    parser.add_argument("--smtps", nargs=2)
    parser.add_argument("--auth")
    parser.add_argument("--fault", action="append", default=[])
    parser.add_argument("--size-limit", type=int, help="the largest message taken, advertised as EHLO SIZE")
    options = parser.parse_args()
    os.makedirs(options.store, exist_ok=True)
    faults = Faults(options.fault)
    port = options.port or free_port()

    if faults.has("connect-421"):
        asyncio.run(raw_server(port, b"421 4.3.2 Service not available, try later\r\n"))
        return
    if faults.has("stall-greeting"):
        asyncio.run(raw_server(port, None))
        return

    kwargs = {}
    if options.size_limit:
        kwargs.update(data_size_limit=options.size_limit)
    if options.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*options.starttls)
        kwargs.update(tls_context=context, require_starttls=True)
    if options.smtps:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*options.smtps)
        kwargs.update(ssl_context=context)
    if options.auth:
        user, _, password = options.auth.partition(":")

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
            # handled=False makes aiosmtpd answer 535 itself on failure (its default is True: silence).
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(options.starttls))
    controller = FaultyController(Handler(options.store, faults), faults, hostname="127.0.0.1", port=port,
                                  server_hostname="megaphone-test", **kwargs)
    if options.smtps:
        # The controller's readiness probe speaks plain text; with implicit TLS, probe over TLS.
        def trigger():
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
                with context.wrap_socket(raw) as tls:
                    tls.recv(1024)

        controller._trigger_server = trigger
    controller.start()
    print(f"READY {port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
