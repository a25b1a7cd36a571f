#!/usr/bin/python3
"""A real SMTP server for Relaydeck's integration tests and benchmark: aiosmtpd (Debian package
python3-aiosmtpd) with STARTTLS, implicit TLS or plaintext, AUTH, PIPELINING and SIZE.

    smtp_server.py [--security starttls|tls|none] [--host 127.0.0.1] [--port 0]
                   [--cert PEM --key PEM] [--user NAME --password-env VAR]
                   [--mechanisms PLAIN,LOGIN] [--require-auth] [--require-starttls]
                   [--size BYTES] [--maildir DIR] [--ready-file FILE] [--server-name NAME]
                   [--exit-with-parent] [--verbose]

--port 0 picks a free port. Once the server listens it prints the port on stdout (one line)
and, with --ready-file, writes it there too (atomically: the file appears complete or not at
all), so a caller can wait for either. The password is read from the environment variable
named by --password-env, never from the command line. Every accepted message is saved to
--maildir as NNNN.eml (the DATA bytes, dot-unstuffed, line ends untouched) with NNNN.json
beside it (envelope sender, recipients, authenticated user); both appear atomically, the .eml
last. The log goes to stderr; AUTH payloads are replaced by <redacted> before they reach it.
SIGTERM and SIGINT stop the server cleanly (exit 0).
"""

import argparse
import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from launcher_common import announce_ready, remove_stale_ready_file, write_atomically  # noqa: E402

log = logging.getLogger("smtp_server")


class RedactAuth(logging.Filter):
    """aiosmtpd logs every command line at INFO; an AUTH line carries the credentials."""

    AUTH_LINE = re.compile(r"(b?['\"]AUTH\s+[A-Za-z0-9_-]+)\s+[^'\"]*", re.IGNORECASE)

    def filter(self, record):
        message = record.getMessage()
        if "login_data is deprecated" in message:
            return False  # aiosmtpd warns about its own use of its old attribute
        redacted = self.AUTH_LINE.sub(r"\1 <redacted>", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class Handler:
    def __init__(self, options, password):
        self.options = options
        self.user = options.user.encode() if options.user else None
        self.password = password.encode() if password is not None else None
        self.counter = 0
        if options.maildir:
            os.makedirs(options.maildir, exist_ok=True)
            # Continue numbering after what is already there (a restarted server).
            numbers = [int(name[:-4]) for name in os.listdir(options.maildir)
                       if re.fullmatch(r"\d+\.eml", name)]
            self.counter = max(numbers, default=0)

    # aiosmtpd does not advertise PIPELINING, though its line reader handles pipelined
    # commands in order; say so, and drop an empty "AUTH" line when no mechanism is enabled.
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        responses = [line for line in responses if line.rstrip() != "250-AUTH"]
        responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and self.user is not None
              and hmac.compare_digest(auth_data.login, self.user)
              and hmac.compare_digest(auth_data.password, self.password))
        log.info("AUTH %s for %r: %s", mechanism,
                 auth_data.login.decode(errors="replace") if isinstance(
                     auth_data, LoginPassword) else "?", "accepted" if ok else "rejected")
        # handled=False: aiosmtpd then answers a failure with its 535 itself.
        return AuthResult(success=ok, handled=False,
                          auth_data=auth_data.login.decode() if ok else None)

    # CRAM-MD5 (RFC 2195); only offered when --mechanisms names it.
    async def auth_CRAM__MD5(self, server, args):
        if len(args) != 1:
            await server.push("501 5.5.2 CRAM-MD5 takes no initial response")
            return AuthResult(success=False, handled=True)
        challenge = f"<{secrets.randbelow(10**12)}.{os.getpid()}@{self.options.server_name}>"
        answer = await server.challenge_auth(challenge)
        if not isinstance(answer, bytes):
            return AuthResult(success=False)
        user, _, digest = answer.rpartition(b" ")
        expected = hmac.new(self.password or b"", challenge.encode(), hashlib.md5).hexdigest()
        ok = (self.user is not None and hmac.compare_digest(user, self.user)
              and hmac.compare_digest(digest, expected.encode()))
        log.info("AUTH CRAM-MD5 for %r: %s", user.decode(errors="replace"),
                 "accepted" if ok else "rejected")
        return AuthResult(success=ok, handled=False, auth_data=user.decode() if ok else None)

    async def handle_DATA(self, server, session, envelope):
        self.counter += 1
        number = f"{self.counter:04d}"
        if self.options.maildir:
            meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                    "mail_options": envelope.mail_options,
                    "authenticated_as": session.auth_data if session.authenticated else None,
                    "helo": session.host_name, "tls": bool(session.ssl) or self.options.security == "tls"}
            base = os.path.join(self.options.maildir, number)
            write_atomically(base + ".json", json.dumps(meta, indent=1).encode())
            write_atomically(base + ".eml", envelope.original_content)
        log.info("message %s from %s to %s, %d bytes", number, envelope.mail_from,
                 ",".join(envelope.rcpt_tos), len(envelope.original_content))
        return f"250 2.0.0 OK queued as {number}"


async def watch_parent(parent, stop):
    while os.getppid() == parent:
        await asyncio.sleep(1)
    log.info("the process that started us is gone")
    stop.set()


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--security", choices=["starttls", "tls", "none"], default="starttls")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert", help="server certificate chain (PEM)")
    parser.add_argument("--key", help="server private key (PEM)")
    parser.add_argument("--user", help="the one user AUTH accepts (no AUTH offered without)")
    parser.add_argument("--password-env", metavar="VAR",
                        help="environment variable holding that user's password")
    parser.add_argument("--mechanisms", default="PLAIN,LOGIN",
                        help="comma-separated AUTH mechanisms among PLAIN, LOGIN, CRAM-MD5")
    parser.add_argument("--require-auth", action="store_true",
                        help="refuse MAIL before a successful AUTH (530)")
    parser.add_argument("--require-starttls", action="store_true",
                        help="refuse everything but EHLO/STARTTLS/QUIT before STARTTLS (530)")
    parser.add_argument("--tls-versions", metavar="MIN-MAX",
                        help="TLS versions the server speaks, e.g. 1.0-1.0 for a legacy server "
                             "(1.0/1.1 need OpenSSL security level 0, set for this server only)")
    parser.add_argument("--size", type=int, default=10 * 1024 * 1024, help="SIZE limit")
    parser.add_argument("--maildir", help="save every received message in this folder")
    parser.add_argument("--ready-file", help="write the listening port here once ready")
    parser.add_argument("--server-name", default="localhost",
                        help="name in the greeting and EHLO reply")
    parser.add_argument("--verbose", action="store_true", help="log aiosmtpd's debug output")
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="stop when the process that started us ends (a crashed test)")
    options = parser.parse_args()
    if options.security != "none" and not (options.cert and options.key):
        parser.error(f"--security {options.security} needs --cert and --key")
    if options.user and not options.password_env:
        parser.error("--user needs --password-env (a password never goes on the command line)")
    mechanisms = [m.strip().upper() for m in options.mechanisms.split(",") if m.strip()]
    unknown = set(mechanisms) - {"PLAIN", "LOGIN", "CRAM-MD5"}
    if unknown:
        parser.error(f"unknown mechanisms: {', '.join(sorted(unknown))}")
    options.mechanisms = mechanisms
    return options


def main():
    options = parse_arguments()
    logging.basicConfig(level=logging.DEBUG if options.verbose else logging.INFO,
                        stream=sys.stderr,
                        format="%(asctime)s smtp_server[%(process)d] %(message)s")
    redact = RedactAuth()
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)

    remove_stale_ready_file(options.ready_file)

    password = None
    if options.password_env:
        password = os.environ.get(options.password_env)
        if password is None:
            sys.exit(f"smtp_server: ${options.password_env} is not set")

    context = None
    if options.security != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.cert, options.key)
        if options.tls_versions:
            names = {"1.0": ssl.TLSVersion.TLSv1, "1.1": ssl.TLSVersion.TLSv1_1,
                     "1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}
            lowest, highest = options.tls_versions.split("-")
            if lowest in ("1.0", "1.1"):
                context.set_ciphers("DEFAULT:@SECLEVEL=0")
            context.minimum_version = names[lowest]
            context.maximum_version = names[highest]

    handler = Handler(options, password)
    offered = options.mechanisms if options.user else []
    excluded = [m for m in ("PLAIN", "LOGIN", "CRAM-MD5") if m not in offered]

    def make_protocol():
        return SMTP(handler,
                    hostname=options.server_name,
                    ident="Relaydeck test server (aiosmtpd)",
                    data_size_limit=options.size,
                    tls_context=context if options.security == "starttls" else None,
                    require_starttls=options.require_starttls,
                    # Implicit TLS and loopback plaintext: aiosmtpd would otherwise only offer
                    # AUTH after STARTTLS.
                    auth_require_tls=options.security == "starttls",
                    auth_required=options.require_auth,
                    auth_exclude_mechanism=excluded,
                    authenticator=handler.authenticate)

    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            make_protocol, host=options.host, port=options.port,
            ssl=context if options.security == "tls" else None, reuse_address=True)
        port = server.sockets[0].getsockname()[1]
        log.info("listening on %s:%d (%s, AUTH %s)", options.host, port, options.security,
                 " ".join(offered) or "off")
        announce_ready(options.ready_file, port)
        stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        if options.exit_with_parent:
            loop.create_task(watch_parent(os.getppid(), stop))
        await stop.wait()
        server.close()
        await server.wait_closed()
        log.info("stopped")

    asyncio.run(serve())


if __name__ == "__main__":
    main()
