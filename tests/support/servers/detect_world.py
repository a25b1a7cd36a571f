#!/usr/bin/python3
"""A small private Internet for `relaydeck-cli detect`: a private network and mount namespace
(`unshare --net --mount`, as root) in which

  - dnsmasq (Debian package dnsmasq-base) on 127.0.0.1:53 serves the test domains' A, MX and
    SRV records, and a private /etc/resolv.conf, /etc/nsswitch.conf and /etc/hosts (bind-mounted
    in this namespace only; the host's /etc is never changed) make it the system resolver;
  - aiosmtpd (smtp_server.py) listens on the fixed submission ports 465/587 of test addresses
    in 127.0.1.0/24, each offering AUTH PLAIN LOGIN, logging every command it receives to
    DIR/logs/<name>.log;
  - python3's http.server with TLS serves a Thunderbird autoconfig file on 127.0.1.3:443;
  - 10.9.9.9 is routed to lo without being a local address: packets to it vanish (a silent
    host that drops every SYN).

Certificates come from make_certs.sh's test CA (DIR/certs/ca.pem); smtp.mismatch.test gets a
certificate of that CA for another name. Once everything answers, the ready file gets
{"pid": P} where P is a process inside the namespaces: run the client with
`nsenter -t P --net --mount ...`. Exit code 77: this machine cannot do this (not root, no
dnsmasq, no namespaces). SIGTERM stops everything.

    detect_world.py --dir DIR --ready-file FILE [--exit-with-parent]
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from launcher_common import (log, remove_stale_ready_file, set_parent_death_signal,  # noqa: E402
                             stop_process, write_atomically)

EXIT_UNAVAILABLE = 77
SILENT = "10.9.9.9"

# name -> address (A records)
HOSTS = {
    "smtp.probe.test": "127.0.1.1",
    "submit.srv.test": "127.0.1.2",
    "autoconfig.auto.test": "127.0.1.3",
    "out.auto.test": "127.0.1.4",
    "smtp.office365.com": "127.0.1.5",
    "smtp.gmail.com": "127.0.1.6",
    "smtp.mismatch.test": "127.0.1.7",
    "mail.mismatch.test": "127.0.1.8",
    "mail.slow.test": "127.0.1.9",
    "smtp.slow.test": SILENT,
}
# (name, port, security, certificate)
SMTP = [
    ("smtp.probe.test", 465, "tls", "good"),
    ("smtp.probe.test", 587, "starttls", "good"),
    ("submit.srv.test", 587, "starttls", "good"),
    ("out.auto.test", 465, "tls", "good"),
    ("smtp.office365.com", 587, "starttls", "good"),
    ("smtp.gmail.com", 465, "tls", "good"),
    ("smtp.mismatch.test", 465, "tls", "wrong"),
    ("mail.mismatch.test", 587, "starttls", "good"),
    ("mail.slow.test", 587, "starttls", "good"),
]
DNSMASQ_RECORDS = [
    "--mx-host=mx365.test,mx365-test.mail.protection.outlook.com,10",
    "--mx-host=filtered.test,mx1.filtered.pphosted.com,10",
    "--srv-host=_submission._tcp.srv.test,submit.srv.test,587,0,1",
]
AUTOCONFIG = """<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="auto.test">
    <domain>auto.test</domain>
    <incomingServer type="imap">
      <hostname>imap.auto.test</hostname><port>993</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>out.%EMAILDOMAIN%</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <username>%EMAILLOCALPART%</username>
      <authentication>OAuth2</authentication>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"""

HTTPS_SERVER = r"""
import http.server, ssl, sys
root, cert, key, host = sys.argv[1:5]
class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=root, **k)
    def translate_path(self, path):
        return super().translate_path(path.split("?", 1)[0])
server = http.server.ThreadingHTTPServer((host, 443), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
"""


def run(command):
    subprocess.run(command, check=True, capture_output=True)


def make_certificates(directory):
    certs = os.path.join(directory, "certs")
    run(["sh", os.path.join(HERE, "make_certs.sh"), certs] + sorted(HOSTS))
    # A certificate of the same CA for a name that is not the probed host's.
    wrong = os.path.join(certs, "wrong")
    run(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", wrong + ".key", "-out", wrong + ".csr", "-subj", "/CN=elsewhere.test"])
    with open(wrong + ".ext", "w") as file:
        file.write("subjectAltName=DNS:elsewhere.test\nextendedKeyUsage=serverAuth\n")
    run(["openssl", "x509", "-req", "-in", wrong + ".csr", "-CA", os.path.join(certs, "ca.pem"),
         "-CAkey", os.path.join(certs, "ca.key"), "-CAcreateserial", "-out", wrong + ".pem",
         "-days", "7", "-extfile", wrong + ".ext"])
    with open(wrong + "-chain.pem", "w") as out:
        for name in (wrong + ".pem", os.path.join(certs, "ca.pem")):
            with open(name) as part:
                out.write(part.read())
    return certs


def answers(host, port):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def inner(options):
    """Runs inside the new namespaces."""
    set_parent_death_signal()
    directory = options.dir
    certs = os.path.join(directory, "certs")
    etc = os.path.join(directory, "etc")
    os.makedirs(etc, exist_ok=True)
    files = {"resolv.conf": "nameserver 127.0.0.1\n",
             "nsswitch.conf": "hosts: files dns\n",
             "hosts": "127.0.0.1 localhost\n::1 localhost\n"}
    for name, text in files.items():
        with open(os.path.join(etc, name), "w") as file:
            file.write(text)
        run(["mount", "--bind", os.path.join(etc, name), f"/etc/{name}"])
    run(["ip", "link", "set", "lo", "up"])
    run(["ip", "route", "add", f"{SILENT}/32", "dev", "lo"])

    logs = os.path.join(directory, "logs")
    os.makedirs(logs, exist_ok=True)
    processes = []

    def start(command, log_name, env=None):
        with open(os.path.join(logs, log_name), "ab") as log_file:
            processes.append(subprocess.Popen(command, stdout=log_file, stderr=log_file, env=env,
                                              preexec_fn=set_parent_death_signal))

    dnsmasq = shutil.which("dnsmasq") or "/usr/sbin/dnsmasq"
    records = [f"--host-record={name},{address}" for name, address in HOSTS.items()]
    start([dnsmasq, "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
           "--listen-address=127.0.0.1", "--bind-interfaces", "--port=53", "--user=root",
           "--local=/test/",  # authoritative for the test domains: unknown names are NXDOMAIN
           "--pid-file=", "--log-queries", "--log-facility=-"] + records + DNSMASQ_RECORDS,
          "dnsmasq.log")

    environment = dict(os.environ, DETECT_WORLD_PW="never-sent-during-detection")
    for name, port, security, certificate in SMTP:
        cert, key = ((os.path.join(certs, "server-chain.pem"), os.path.join(certs, "server.key"))
                     if certificate == "good" else
                     (os.path.join(certs, "wrong-chain.pem"), os.path.join(certs, "wrong.key")))
        start(["/usr/bin/python3", os.path.join(HERE, "smtp_server.py"), "--security", security,
               "--host", HOSTS[name], "--port", str(port), "--cert", cert, "--key", key,
               "--user", "probe", "--password-env", "DETECT_WORLD_PW", "--server-name", name,
               "--verbose", "--exit-with-parent"],
              f"{name}-{port}.log", environment)

    site = os.path.join(directory, "site")
    for path in ("mail", ".well-known/autoconfig/mail"):
        os.makedirs(os.path.join(site, path), exist_ok=True)
        with open(os.path.join(site, path, "config-v1.1.xml"), "w") as file:
            file.write(AUTOCONFIG)
    start(["/usr/bin/python3", "-c", HTTPS_SERVER, site, os.path.join(certs, "server-chain.pem"),
           os.path.join(certs, "server.key"), HOSTS["autoconfig.auto.test"]], "https.log")

    waiting = [("127.0.0.1", 53)] + [(HOSTS[n], p) for n, p, _, _ in SMTP] + \
              [(HOSTS["autoconfig.auto.test"], 443)]
    deadline = time.monotonic() + 60
    while waiting and time.monotonic() < deadline:
        waiting = [target for target in waiting if not answers(*target)]
        if any(process.poll() is not None for process in processes):
            break
        time.sleep(0.1)
    if waiting:
        log("detect_world", f"not answering: {waiting}; see {logs}")
        for process in processes:
            stop_process(process, 5)
        return 1

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
    write_atomically(options.ready_file, json.dumps({"pid": os.getpid()}) + "\n")
    log("detect_world", "ready")
    while not stopping and all(process.poll() is None for process in processes):
        time.sleep(0.2)
    for process in processes:
        stop_process(process, 5)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--ready-file", required=True)
    parser.add_argument("--exit-with-parent", action="store_true")
    parser.add_argument("--parent-pid", type=int)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    options.dir = os.path.abspath(options.dir)
    if options.inner:
        sys.exit(inner(options))

    if options.exit_with_parent:
        set_parent_death_signal()
    remove_stale_ready_file(options.ready_file)
    if os.geteuid() != 0:
        log("detect_world", "needs root (a private network namespace with ports 25/53/443/465/587)")
        sys.exit(EXIT_UNAVAILABLE)
    if not (shutil.which("dnsmasq") or os.path.exists("/usr/sbin/dnsmasq")):
        log("detect_world", "dnsmasq is not installed (Debian package dnsmasq-base)")
        sys.exit(EXIT_UNAVAILABLE)
    probe = subprocess.run(["unshare", "--net", "--mount", "true"], capture_output=True)
    if probe.returncode != 0:
        log("detect_world", f"cannot create namespaces: {probe.stderr.decode().strip()}")
        sys.exit(EXIT_UNAVAILABLE)
    os.makedirs(options.dir, exist_ok=True)
    make_certificates(options.dir)
    child = subprocess.Popen(["unshare", "--net", "--mount", "--propagation", "private",
                              "/usr/bin/python3", os.path.abspath(__file__), "--inner",
                              "--dir", options.dir, "--ready-file", options.ready_file],
                             preexec_fn=set_parent_death_signal)
    signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    signal.signal(signal.SIGINT, lambda *_: child.terminate())
    sys.exit(child.wait())


if __name__ == "__main__":
    main()
