#!/usr/bin/python3
"""Round trips to a verdict: relaydeck-cli side by side with swaks, msmtp and curl.

Every client talks to one real aiosmtpd server (STARTTLS with TLS 1.3, AUTH PLAIN, PIPELINING)
through a link with a fixed one-way delay. Each client runs N times with no delay and N times
with the delay; round trips = (median slow - median fast) / RTT. Process start-up, TLS CPU
cost and everything else that does not depend on the link cancel out; what remains is how many
times the client waited for the network.

The link is delay_link.py (packets copied between two network namespaces after the delay:
the TCP handshake, ACKs, Nagle and delayed ACKs behave as on a real link) when we may create
network namespaces (root), else delay_proxy.py (byte-stream delay; see its docstring).

Floors (from the first SYN, TLS 1.3, PIPELINING, SASL initial response), as the benchmark issue
counts them: AUTH verdict 6.5 RTT (connect and greeting 1.5, EHLO, STARTTLS, TLS handshake,
EHLO, AUTH), a queued message 8.5; the whole process, waiting for QUIT's reply, 7.5 and 8.5
(with PIPELINING, QUIT goes with the end of the message data, RFC 2920 3.1, so its reply comes
with the message's: no round trip of its own).
On a real TCP link connect and greeting take 2 RTT, not 1.5: the server can only accept, and
so write its greeting, when the client's ACK reaches it (1.5 RTT), and the greeting needs
another 0.5 RTT to reach the client. The "calibration" row measures exactly that (a client that
only waits for the greeting), and the table shows both floors: the issue's and the TCP one
(+0.5). A client is at the floor when its measured figure equals the TCP floor.

"Test all" is Relaydeck's own: one `relaydeck-cli test --all` process over --concurrency stored
profiles (added with `relaydeck-cli add`, passwords in a private gnome-keyring on a private
session D-Bus), against one `relaydeck-cli test NAME` of one stored profile, same keychain,
same server, with and without the delay.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))
PYTHON = "/usr/bin/python3"
SERVER_NAME = "smtp.bench.test"
USER = "bench"
SENDER = "bench@bench.test"
RECIPIENT = "rcpt@bench.test"
PASSWORD_ENV = "BENCH_SMTP_PASSWORD"

# Whole-process floors as the issue counts them (connect + greeting = 1.5 RTT).
ISSUE_FLOOR = {
    "greeting": 1.5,  # calibration: connect and read the greeting, then close
    "auth": 7.5,      # AUTH verdict 6.5 + QUIT
    "send": 8.5,      # queued message 8.5, QUIT pipelined with its end (RFC 2920 3.1)
    "info": 6.5,      # EHLO, STARTTLS, TLS, EHLO (no AUTH) 5.5 + QUIT
    "auth+cmd": 8.5,  # AUTH verdict 6.5 + one more command + QUIT
}
TCP_EXTRA = 0.5  # the greeting arrives 2 RTT after the first SYN, not 1.5

WORK_TEXT = {
    "greeting": "connect + greeting",
    "auth": "AUTH verdict + QUIT",
    "send": "send 1 message + QUIT",
    "info": "EHLO/STARTTLS/EHLO, no AUTH",
    "auth+cmd": "AUTH + NOOP + QUIT",
}


def log(message):
    print(message, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# Certificates and the server


def make_certificates(directory):
    """A private CA and a leaf for SERVER_NAME / 127.0.0.1 / 10.77.0.2 (the link's server)."""
    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    ca_key, ca_pem = f"{directory}/ca.key", f"{directory}/ca.pem"
    key, csr, pem = f"{directory}/server.key", f"{directory}/server.csr", f"{directory}/server.pem"
    ext = f"{directory}/server.ext"
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", ca_key, "-out", ca_pem, "-days", "2", "-subj", "/CN=Relaydeck bench CA")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", csr, "-subj", f"/CN={SERVER_NAME}")
    with open(ext, "w") as ext_file:
        ext_file.write(f"subjectAltName=DNS:{SERVER_NAME},DNS:localhost,IP:127.0.0.1,"
                       "IP:10.77.0.2\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-CAcreateserial",
            "-out", pem, "-days", "2", "-extfile", ext)
    return ca_pem, pem, key


def wait_for_port(wrap, host, port, deadline=15.0):
    probe = (f"import socket,sys\ntry:\n socket.create_connection(('{host}',{port}),1).close()\n"
             "except OSError: sys.exit(1)\n")
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if subprocess.run(wrap([PYTHON, "-c", probe])).returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError(f"the SMTP server did not listen on {host}:{port}")


def start_server(server_wrap, listen_host, port, cert, key, env):
    script = os.environ.get("BENCH_SERVER_SCRIPT") or os.path.join(
        SOURCE_DIR, "tests", "support", "servers", "smtp_server.py")
    argv = server_wrap([PYTHON, script, "--host", listen_host,
                        "--port", str(port), "--cert", cert, "--key", key, "--user", USER,
                        "--password-env", PASSWORD_ENV])
    log_file = open(os.path.join(os.path.dirname(cert), "server.log"), "w")
    return subprocess.Popen(argv, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                            start_new_session=True)


# ----------------------------------------------------------------------------------------------
# The network: a delayed link between namespaces, or a delaying proxy


class LinkNetwork:
    """delay_link.py: clients in one namespace, the server in another, delay switchable."""

    kind = "link"

    def __init__(self, delay_ms):
        self.delay_ms = delay_ms
        argv = [PYTHON, os.path.join(HERE, "delay_link.py"), "--host", SERVER_NAME]
        if shutil.which("chrt"):
            # Real-time priority: packets leave on time even while the machine compiles.
            argv = ["chrt", "-f", "20", *argv]
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, start_new_session=True)
        ready = self.process.stdout.readline().split()
        if not ready or ready[0] != "ready":
            raise RuntimeError("delay_link.py did not come up")
        _, self.client_ns, self.server_ns, _, self.server_address = ready
        self.host = SERVER_NAME
        self.current = None

    def client_wrap(self, argv):
        return ["ip", "netns", "exec", self.client_ns, *argv]

    def server_wrap(self, argv):
        return ["ip", "netns", "exec", self.server_ns, *argv]

    def start(self, cert, key, env):
        self.port = 587
        self.server = start_server(self.server_wrap, self.server_address, self.port, cert, key,
                                   env)
        wait_for_port(self.client_wrap, self.host, self.port)

    def endpoint(self, delayed):
        want = self.delay_ms if delayed else 0.0
        if want != self.current:
            self.process.stdin.write(f"delay {want}\n")
            self.process.stdin.flush()
            self.process.stdout.readline()
            self.current = want
            # Let packets of earlier connections (FIN/ACK) drain at the old delay.
            time.sleep(2.5 * self.delay_ms / 1000.0 + 0.05)
        return self.host, self.port

    def trace(self, path):
        self.process.stdin.write(f"trace {path or 'off'}\n")
        self.process.stdin.flush()
        self.process.stdout.readline()

    def close(self):
        stop(getattr(self, "server", None))
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            self.process.wait(10)


class ProxyNetwork:
    """delay_proxy.py in front of a server on loopback: one proxy with, one without delay."""

    kind = "proxy"

    def __init__(self, delay_ms):
        self.delay_ms = delay_ms
        self.host = "127.0.0.1"
        self.proxies = {}

    def client_wrap(self, argv):
        return argv

    def start(self, cert, key, env):
        self.port = free_port()
        self.server = start_server(lambda argv: argv, self.host, self.port, cert, key, env)
        wait_for_port(self.client_wrap, self.host, self.port)
        for delayed, delay in ((False, 0.0), (True, self.delay_ms)):
            process = subprocess.Popen(
                [PYTHON, os.path.join(HERE, "delay_proxy.py"), "--listen", f"{self.host}:0",
                 "--target", f"{self.host}:{self.port}", "--delay-ms", str(delay)],
                stdout=subprocess.PIPE, text=True, start_new_session=True)
            words = process.stdout.readline().split()
            self.proxies[delayed] = (process, int(words[2]))

    def endpoint(self, delayed):
        return self.host, self.proxies[delayed][1]

    def close(self):
        for process, _ in self.proxies.values():
            stop(process)
        stop(getattr(self, "server", None))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def may_use_link():
    if os.geteuid() != 0 or not os.path.exists("/dev/net/tun") or not shutil.which("ip"):
        return False
    probe = f"rdbprobe{os.getpid()}"
    ok = subprocess.run(["ip", "netns", "add", probe], stderr=subprocess.DEVNULL).returncode == 0
    if ok:
        subprocess.run(["ip", "netns", "del", probe])
    return ok


# ----------------------------------------------------------------------------------------------
# The clients


class Client:
    def __init__(self, name, work, argv, stdin=None, note=""):
        self.name = name
        self.work = work
        self.argv = argv      # function (host, port) -> argv
        self.stdin = stdin    # function () -> bytes, or None
        self.note = note


def build_clients(cli, workdir, ca_file, password, only):
    config_dir = os.path.join(workdir, "relaydeck-config")
    os.makedirs(config_dir, exist_ok=True)
    message_file = os.path.join(workdir, "message.eml")
    with open(message_file, "w") as message:
        message.write(f"From: <{SENDER}>\r\nTo: <{RECIPIENT}>\r\nSubject: Relaydeck bench\r\n"
                      "\r\nOne test message.\r\n")

    def relaydeck(host, port, *extra):
        return [cli, "--config-dir", config_dir, "test", "--host", host, "--port", str(port),
                "--security", "starttls", "--auth", "plain", "--user", USER,
                "--password-env", PASSWORD_ENV, "--ca-file", ca_file, "--timeout", "30", *extra]

    def swaks(host, port, *extra):
        # The password comes from $SWAKS_OPT_auth_password, never argv.
        return ["swaks", "--server", f"{host}:{port}", "--tls", "--tls-verify", "--tls-ca-path",
                ca_file, "--auth", "PLAIN", "--auth-user", USER, "--from", SENDER, "--to",
                RECIPIENT, "--hide-all", *extra]

    msmtp_config = os.path.join(workdir, "msmtprc")

    def msmtp(host, port, *extra):
        with open(msmtp_config, "w") as config:
            config.write(f"account bench\nhost {host}\nport {port}\ntls on\ntls_starttls on\n"
                         f"tls_trust_file {ca_file}\nauth plain\nuser {USER}\n"
                         f"passwordeval printenv {PASSWORD_ENV}\nfrom {SENDER}\n")
        os.chmod(msmtp_config, 0o600)
        return ["msmtp", "-C", msmtp_config, "-a", "bench", *extra]

    def curl(host, port, *extra):
        # Credentials through a config on stdin (-K -), never argv or a file.
        return ["curl", "-sS", "--ssl-reqd", "--cacert", ca_file, "-K", "-",
                f"smtp://{host}:{port}/bench-client", *extra]

    curl_config = f'user = "{USER}:{password}"\n'.encode()
    with open(message_file, "rb") as message:
        message_bytes = message.read()

    calibration = [PYTHON, "-c",
                   "import socket,sys\ns=socket.create_connection((sys.argv[1],int(sys.argv[2])))"
                   "\nwhile b'\\n' not in s.recv(512): pass\n"]
    clients = [
        Client("calibration (python)", "greeting",
               lambda h, p: [*calibration, h, str(p)], note="TCP connect + greeting only"),
        Client("relaydeck-cli test", "auth", lambda h, p: relaydeck(h, p)),
        Client("relaydeck-cli test --send-to", "send",
               lambda h, p: relaydeck(h, p, "--from", SENDER, "--send-to", RECIPIENT)),
        Client("swaks --quit-after AUTH", "auth", lambda h, p: swaks(h, p, "--quit-after", "AUTH")),
        Client("swaks (send)", "send", lambda h, p: swaks(h, p)),
        Client("swaks --pipeline (send)", "send", lambda h, p: swaks(h, p, "--pipeline"),
               note="not the default"),
        Client("msmtp --serverinfo", "info", lambda h, p: msmtp(h, p, "--serverinfo"),
               note="msmtp has no AUTH-only mode; this does no AUTH"),
        Client("msmtp (send)", "send", lambda h, p: msmtp(h, p, RECIPIENT),
               stdin=lambda: message_bytes),
        Client("curl -X NOOP (AUTH)", "auth+cmd", lambda h, p: curl(h, p, "-X", "NOOP"),
               stdin=lambda: curl_config,
               note="curl has no AUTH-only mode: AUTH, then one command"),
        Client("curl (send)", "send",
               lambda h, p: curl(h, p, "--mail-from", SENDER, "--mail-rcpt", RECIPIENT, "-T",
                                 message_file),
               stdin=lambda: curl_config),
        Client("curl --sasl-ir (send)", "send",
               lambda h, p: curl(h, p, "--sasl-ir", "--mail-from", SENDER, "--mail-rcpt",
                                 RECIPIENT, "-T", message_file),
               stdin=lambda: curl_config, note="not the default"),
    ]
    if only:
        clients = [c for c in clients if any(word in c.name for word in only)]
    return clients


# ----------------------------------------------------------------------------------------------
# Measuring


class Run:
    def __init__(self, seconds, peak_kib, code, stderr):
        self.seconds = seconds
        self.peak_kib = peak_kib
        self.code = code
        self.stderr = stderr


def run_once(network, client, delayed, env, workdir):
    host, port = network.endpoint(delayed)
    memory_file = os.path.join(workdir, "peak-kib")
    argv = network.client_wrap(["/usr/bin/time", "-f", "%M", "-o", memory_file,
                                *client.argv(host, port)])
    stdin = client.stdin() if client.stdin else b""
    start = time.perf_counter()
    try:
        done = subprocess.run(argv, input=stdin, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env=env, timeout=90)
        code, stderr = done.returncode, done.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        code, stderr = -1, "timed out after 90 s"
    seconds = time.perf_counter() - start
    peak = None
    try:
        with open(memory_file) as memory:
            lines = [line for line in memory.read().split() if line.isdigit()]
            peak = int(lines[-1]) if lines else None
    except OSError:
        pass
    return Run(seconds, peak, code, stderr)


def measure(network, clients, runs, env, workdir):
    results = {client.name: {False: [], True: []} for client in clients}
    for round_index in range(runs + 1):  # round 0 warms caches and is discarded
        for delayed in (False, True):
            for client in clients:
                run = run_once(network, client, delayed, env, workdir)
                if run.code != 0:
                    log(f"  {client.name} ({'slow' if delayed else 'fast'}) exited {run.code}: "
                        f"{run.stderr.strip()[-300:]}")
                if round_index > 0:
                    results[client.name][delayed].append(run)
        log(f"  round {round_index}/{runs} done")
    return results


def summarize(clients, results, rtt_ms):
    rows = []
    for client in clients:
        fast = results[client.name][False]
        slow = results[client.name][True]
        fast_ms = statistics.median(r.seconds for r in fast) * 1000
        slow_ms = statistics.median(r.seconds for r in slow) * 1000
        peaks = [r.peak_kib for r in fast + slow if r.peak_kib]
        failures = sum(1 for r in fast + slow if r.code != 0)
        round_trips = (slow_ms - fast_ms) / rtt_ms
        issue_floor = ISSUE_FLOOR[client.work]
        rows.append({
            "client": client.name, "work": WORK_TEXT[client.work], "note": client.note,
            "fast_ms": round(fast_ms, 1), "slow_ms": round(slow_ms, 1),
            "round_trips": round(round_trips, 2),
            "floor_issue": issue_floor, "floor_tcp": issue_floor + TCP_EXTRA,
            "over_tcp_floor": round(round_trips - issue_floor - TCP_EXTRA, 2),
            "peak_mib": round(statistics.median(peaks) / 1024, 1) if peaks else None,
            "failures": failures, "runs": len(fast),
            "fast_all_ms": [round(r.seconds * 1000, 1) for r in fast],
            "slow_all_ms": [round(r.seconds * 1000, 1) for r in slow],
        })
    return rows


def format_table(rows, rtt_ms, markdown=False):
    header = ["client", "work", "fast ms", f"+{rtt_ms:g}ms RTT ms", "round trips",
              "floor (issue)", "floor (TCP)", "peak RSS MiB", "failed"]
    lines = []
    body = []
    for row in rows:
        body.append([row["client"], row["work"], f'{row["fast_ms"]:.0f}', f'{row["slow_ms"]:.0f}',
                     f'{row["round_trips"]:.2f}', f'{row["floor_issue"]:g}',
                     f'{row["floor_tcp"]:g}',
                     "-" if row["peak_mib"] is None else f'{row["peak_mib"]:.1f}',
                     f'{row["failures"]}/{2 * row["runs"]}'])
    if markdown:
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join("---" if i < 2 else "---:" for i in range(len(header))) + "|")
        for cells in body:
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)
    widths = [max(len(str(cells[i])) for cells in [header, *body]) for i in range(len(header))]
    def line(cells):
        return "  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))
    lines.append(line(header))
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(line(cells) for cells in body)
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# Relaydeck's own view: where each round trip goes


def relaydeck_breakdown(network, relaydeck_client, env, workdir, rtt_ms, runs=3):
    """Runs `test --json --transcript` with and without delay; stage times in RTT."""
    def report(delayed):
        host, port = network.endpoint(delayed)
        argv = network.client_wrap([*relaydeck_client.argv(host, port), "--json",
                                    "--transcript"])
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                              timeout=90)
        try:
            return json.loads(done.stdout)
        except ValueError:
            return None

    def stage_ms(rep):
        return {stage.get("id"): float(stage.get("ms") or 0) for stage in rep.get("stages", [])}

    fast_reports = [r for r in (report(False) for _ in range(runs)) if r]
    slow_reports = [r for r in (report(True) for _ in range(runs)) if r]
    if not fast_reports or not slow_reports:
        return None, None
    stage_ids = [s.get("id") for s in slow_reports[0].get("stages", [])]
    stages = []
    for stage_id in stage_ids:
        fast = statistics.median(stage_ms(r).get(stage_id, 0.0) for r in fast_reports)
        slow = statistics.median(stage_ms(r).get(stage_id, 0.0) for r in slow_reports)
        stages.append({"id": stage_id, "fast_ms": fast, "slow_ms": slow,
                       "round_trips": round((slow - fast) / rtt_ms, 2)})
    return stages, slow_reports[len(slow_reports) // 2]


def format_transcript(report, rtt_ms):
    lines = []
    previous = None
    for entry in report.get("transcript", []):
        t = entry.get("t")
        try:
            t = float(t)
        except (TypeError, ValueError):
            t = None
        gap = "" if t is None or previous is None else f"+{(t - previous) / rtt_ms:5.2f} RTT"
        if t is not None:
            previous = t
        lines.append(f"  {t if t is not None else '?':>8} {gap:>11}  {entry.get('dir', '?')} "
                     f"{entry.get('line', '')}")
    return "\n".join(lines)


def packet_trace(network, client, env, workdir, rtt_ms):
    """One delayed run of `client` with every TCP packet logged by the link; times in RTT."""
    path = os.path.join(workdir, "trace.txt")
    if os.path.exists(path):
        os.remove(path)
    network.endpoint(True)
    network.trace(path)
    run = run_once(network, client, True, env, workdir)
    network.trace(None)
    lines = [f"{client.name}: exit {run.code}, {run.seconds * 1000:.0f} ms "
             f"(t = when the sender wrote the packet, in RTT after the first SYN)"]
    with open(path) as trace_file:
        packets = [line.split() for line in trace_file if line.strip()]
    start = float(packets[0][0]) if packets else 0.0
    for t, direction, flags, length in packets:
        payload = f"{length:>5} bytes" if int(length) else ""
        lines.append(f"  {(float(t) - start) / rtt_ms:6.2f}  {direction}  {flags:<4} {payload}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# "Test all": one relaydeck-cli test --all over stored profiles, secrets in a real keychain


class PrivateKeychain:
    """A session D-Bus of our own on a path socket (an abstract socket would not be reachable
    from the link's client namespace) with an unlocked gnome-keyring on it, and a private HOME
    and XDG directories under the workdir. env holds the variables for relaydeck-cli."""

    def __init__(self, workdir):
        self.processes = []
        try:
            self._start(workdir)
        except BaseException:
            self.close()
            raise

    def _start(self, workdir):
        for tool, package in (("dbus-daemon", "dbus"), ("dbus-send", "dbus"),
                              ("gnome-keyring-daemon", "gnome-keyring")):
            if not shutil.which(tool):
                raise RuntimeError(f"{tool} not found (Debian package {package})")
        home = os.path.join(workdir, "keychain-home")
        os.makedirs(home, mode=0o700)
        self.env = {"HOME": home, "XDG_RUNTIME_DIR": home,
                    "XDG_DATA_HOME": os.path.join(home, "data"),
                    "XDG_CONFIG_HOME": os.path.join(home, "config"),
                    "XDG_CACHE_HOME": os.path.join(home, "cache")}
        base = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
        base.update(self.env)
        bus = subprocess.Popen(["dbus-daemon", "--session", f"--address=unix:path={home}/bus",
                                "--nofork", "--print-address=1"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env=base, start_new_session=True)
        self.processes.append(bus)
        address = bus.stdout.readline().strip()
        if not address:
            raise RuntimeError("the private dbus-daemon did not start")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address
        base["DBUS_SESSION_BUS_ADDRESS"] = address
        keyring = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock",
                                    "--components=secrets"],
                                   stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=base, start_new_session=True)
        self.processes.append(keyring)
        keyring.stdin.write(secrets.token_urlsafe(12).encode())  # the throwaway login keyring's
        keyring.stdin.close()
        # Wait until our daemon owns the Secret Service name. NameHasOwner does not activate,
        # so no second, locked gnome-keyring can start in its place.
        has_owner = ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                     "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                     "string:org.freedesktop.secrets"]
        end = time.monotonic() + 15
        while True:
            reply = subprocess.run(has_owner, env=base, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True).stdout
            if "boolean true" in reply:
                break
            if keyring.poll() is not None or time.monotonic() > end:
                raise RuntimeError("gnome-keyring-daemon did not come up on the private bus")
            time.sleep(0.05)

    def lookup(self, key):
        """secret-tool lookup server relaydeck user KEY, or None."""
        if not shutil.which("secret-tool"):
            return None
        done = subprocess.run(["secret-tool", "lookup", "server", "relaydeck", "user", key],
                              env=dict(os.environ, **self.env), stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, timeout=20)
        return done.stdout if done.returncode == 0 else None

    def close(self):
        for process in reversed(self.processes):
            stop(process)


def profile_names(count):
    width = max(2, len(str(count)))
    return [f"bench-{index:0{width}d}" for index in range(1, count + 1)]


def store_profiles(network, cli, keychain, count, ca_file, password, workdir):
    """A config dir per endpoint with `count` profiles added by relaydeck-cli add (passwords in
    the keychain); {delayed: config dir}. The link has one endpoint (the delay is toggled), the
    proxy network a delayed and an undelayed port."""
    env = dict(os.environ, LC_ALL="C.UTF-8", **keychain.env)
    env[PASSWORD_ENV] = password
    by_endpoint, config_dirs = {}, {}
    for delayed in (True, False):
        host, port = network.endpoint(delayed)
        if (host, port) not in by_endpoint:
            config_dir = os.path.join(workdir, f"profiles-{host}-{port}")
            for name in profile_names(count):
                done = subprocess.run(
                    [cli, "--config-dir", config_dir, "add", name, "--host", host, "--port",
                     str(port), "--security", "starttls", "--auth", "plain", "--user", USER,
                     "--password-env", PASSWORD_ENV, "--ca-file", ca_file, "--timeout", "30"],
                    env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE, text=True, timeout=60)
                if done.returncode != 0:
                    raise RuntimeError(f"relaydeck-cli add {name} exited {done.returncode}: "
                                       f"{done.stderr.strip()[-300:]}")
            by_endpoint[(host, port)] = config_dir
        config_dirs[delayed] = by_endpoint[(host, port)]
    # The passwords must be in our keychain, not anywhere else.
    shown = subprocess.run([cli, "--config-dir", config_dirs[True], "show",
                            profile_names(count)[0], "--json"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        profile_id = json.loads(shown.stdout).get("id", "")
    except ValueError:
        profile_id = ""
    if profile_id and shutil.which("secret-tool"):
        if keychain.lookup(f"{profile_id.strip('{}')}:smtp-password") != password:
            raise RuntimeError("the stored password is not in the private gnome-keyring")
    return config_dirs


def timed_cli(network, argv, delayed, env, workdir):
    """One relaydeck-cli run through the network's client wrapper under /usr/bin/time."""
    network.endpoint(delayed)
    memory_file = os.path.join(workdir, "peak-kib")
    wrapped = network.client_wrap(["/usr/bin/time", "-f", "%M", "-o", memory_file, *argv])
    start = time.perf_counter()
    try:
        done = subprocess.run(wrapped, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env, timeout=300)
        code, stdout, stderr = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired:
        code, stdout, stderr = -1, b"", b"timed out after 300 s"
    seconds = time.perf_counter() - start
    peak = None
    try:
        with open(memory_file) as memory:
            digits = [word for word in memory.read().split() if word.isdigit()]
            peak = int(digits[-1]) if digits else None
    except OSError:
        pass
    return Run(seconds, peak, code, stderr.decode(errors="replace")), stdout


def test_all_failures(stdout, count, label):
    """Profiles of one `test --all --json` run that did not pass (all of them when the output
    is not the expected JSON)."""
    try:
        summary = json.loads(stdout)
        total, passed = int(summary["total"]), int(summary["passed"])
    except (ValueError, KeyError, TypeError):
        log(f"  test --all ({label}): no JSON summary: {stdout[-300:]!r}")
        return count
    if total != count:
        log(f"  test --all ({label}): {total} profiles tested, expected {count}")
    if passed != total:
        for result in summary.get("results", []):
            if result.get("ok") is not True:
                log(f"  test --all ({label}): {result.get('profile')} did not pass: "
                    f"{json.dumps(result.get('notTested') or result.get('error'))[:300]}")
                break
    return count - passed


def stored_tests(network, cli, config_dirs, count, runs, parallel, env, workdir):
    """Median wall time of `test --all --json` over the stored profiles, and of `test NAME` of
    one of them, with and without the delay (a first round warms caches and is discarded)."""
    first = profile_names(count)[0]
    result = {"profiles": count, "parallel": parallel, "runs": runs}
    all_peaks, one_peaks, failures = [], [], 0
    for delayed in (True, False):
        label = "slow" if delayed else "fast"
        all_argv = [cli, "--config-dir", config_dirs[delayed], "test", "--all", "--json"]
        if parallel:
            all_argv += ["--parallel", str(parallel)]
        one_argv = [cli, "--config-dir", config_dirs[delayed], "test", first]
        all_runs, one_runs = [], []
        for round_index in range(runs + 1):
            run, stdout = timed_cli(network, all_argv, delayed, env, workdir)
            failed = test_all_failures(stdout.decode(errors="replace"), count, label)
            if run.code != 0:
                log(f"  test --all ({label}) exited {run.code}: {run.stderr.strip()[-300:]}")
            one, _ = timed_cli(network, one_argv, delayed, env, workdir)
            if one.code != 0:
                log(f"  test {first} ({label}) exited {one.code}: {one.stderr.strip()[-300:]}")
            log(f"  test all ({label}) round {round_index}/{runs}: --all "
                f"{run.seconds * 1000:.0f} ms ({failed} failed), one "
                f"{one.seconds * 1000:.0f} ms")
            if round_index == 0:
                continue
            failures += failed + (one.code != 0)
            all_runs.append(run.seconds)
            one_runs.append(one.seconds)
            all_peaks += [run.peak_kib] if run.peak_kib else []
            one_peaks += [one.peak_kib] if one.peak_kib else []
        result[label] = {
            "all_ms": round(statistics.median(all_runs) * 1000, 1),
            "one_ms": round(statistics.median(one_runs) * 1000, 1),
            "all_runs_ms": [round(s * 1000, 1) for s in all_runs],
            "one_runs_ms": [round(s * 1000, 1) for s in one_runs],
        }
    result["failures"] = failures
    result["peak_mib"] = round(max(all_peaks) / 1024, 1) if all_peaks else None
    result["one_peak_mib"] = round(max(one_peaks) / 1024, 1) if one_peaks else None
    result["tests"] = round(result["slow"]["all_ms"] / result["slow"]["one_ms"], 2)
    return result


# ----------------------------------------------------------------------------------------------


def find_cli(given):
    if given:
        return os.path.abspath(given)
    for candidate in ("build/bench/app/relaydeck-cli", "build/release/app/relaydeck-cli",
                      "build/debug/app/relaydeck-cli"):
        path = os.path.join(SOURCE_DIR, candidate)
        if os.access(path, os.X_OK):
            return path
    raise SystemExit("relaydeck-cli not found: build it or pass --cli PATH")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", help="relaydeck-cli binary (default: build/bench, release, debug)")
    parser.add_argument("--runs", type=int, default=7, help="runs per client and delay (7)")
    parser.add_argument("--delay-ms", type=float, default=40.0,
                        help="one-way delay; RTT is twice this (40)")
    parser.add_argument("--network", choices=["auto", "link", "proxy"], default="auto")
    parser.add_argument("--concurrency", type=int, default=50,
                        help="stored profiles for the Test all figure, one relaydeck-cli test"
                        " --all over all of them (50; 0 skips it)")
    parser.add_argument("--parallel", type=int,
                        help="relaydeck-cli test --all --parallel N (default: the CLI's own)")
    parser.add_argument("--only", action="append", help="measure only clients whose name has this")
    parser.add_argument("--output", help="directory for results.json and table.md")
    parser.add_argument("--trace", action="store_true",
                        help="instead of the table, run each (--only) client once with the delay"
                        " and print every TCP packet (link network only)")
    args = parser.parse_args()

    cli = find_cli(args.cli)
    rtt_ms = 2 * args.delay_ms
    use_link = args.network == "link" or (args.network == "auto" and may_use_link())
    workdir = tempfile.mkdtemp(prefix="relaydeck-bench-")
    os.chmod(workdir, 0o755)  # the server in its namespace reads the certificate from here
    password = secrets.token_urlsafe(18)
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env[PASSWORD_ENV] = password
    env["SWAKS_OPT_auth_password"] = password
    network = None
    keychain = None
    try:
        ca_file, cert, key = make_certificates(workdir)
        network = LinkNetwork(args.delay_ms) if use_link else ProxyNetwork(args.delay_ms)
        network.start(cert, key, env)
        log(f"network: {network.kind} ({'delay_link.py, packet-level' if use_link else 'delay_proxy.py, stream-level'}), "
            f"one-way delay {args.delay_ms:g} ms, RTT {rtt_ms:g} ms; {args.runs} runs each")
        clients = build_clients(cli, workdir, ca_file, password, args.only)
        if args.trace:
            if network.kind != "link":
                raise SystemExit("--trace needs the link network (root)")
            for client in clients:
                print(packet_trace(network, client, env, workdir, rtt_ms) + "\n")
            return
        results = measure(network, clients, args.runs, env, workdir)
        rows = summarize(clients, results, rtt_ms)

        relaydeck_auth = next((c for c in build_clients(cli, workdir, ca_file, password, None)
                               if c.name == "relaydeck-cli test"), None)
        stages, sample = relaydeck_breakdown(network, relaydeck_auth, env, workdir, rtt_ms)

        test_all = None
        if args.concurrency > 0:
            log(f"  test all: a private gnome-keyring and {args.concurrency} stored profiles")
            keychain = PrivateKeychain(workdir)
            config_dirs = store_profiles(network, cli, keychain, args.concurrency, ca_file,
                                         password, workdir)
            # The secrets come from the keychain only: no password in the environment.
            stored_env = {k: v for k, v in env.items()
                          if k not in (PASSWORD_ENV, "SWAKS_OPT_auth_password")}
            stored_env.update(keychain.env)
            test_all = stored_tests(network, cli, config_dirs, args.concurrency, args.runs,
                                    args.parallel, stored_env, workdir)

        print(f"\nRelaydeck round-trip benchmark: network {network.kind}, RTT {rtt_ms:g} ms "
              f"(one-way {args.delay_ms:g} ms), median of {args.runs} runs, "
              f"round trips = (slow - fast) / RTT\n")
        print(format_table(rows, rtt_ms))
        for row in rows:
            if row["note"]:
                print(f"  {row['client']}: {row['note']}")
        print("\nFloors, whole process from the first SYN (TLS 1.3, PIPELINING, SASL-IR, "
              "waiting for QUIT's reply): issue's count / on a real TCP link (+0.5: the greeting"
              " arrives 2 RTT after the SYN; see the calibration row).")
        if stages:
            print("\nrelaydeck-cli test --json stages (median of 3, delayed vs not), in RTT:")
            for stage in stages:
                print(f"  {stage['id']:<10} {stage['fast_ms']:8.1f} ms -> {stage['slow_ms']:8.1f}"
                      f" ms  {stage['round_trips']:5.2f} RTT")
            if sample and sample.get("transcript"):
                print("\nrelaydeck-cli test --transcript under delay (t, wait since previous"
                      " line):")
                print(format_transcript(sample, rtt_ms))
        if test_all:
            slow, fast = test_all["slow"], test_all["fast"]
            parallel = f" --parallel {args.parallel}" if args.parallel else ""
            print(f"\nTest all: {test_all['profiles']} stored profiles in one relaydeck-cli test"
                  f" --all{parallel}: {slow['all_ms']:.0f} ms with the {rtt_ms:g} ms RTT "
                  f"(one stored test: {slow['one_ms']:.0f} ms) = {test_all['tests']:.2f} tests; "
                  f"{fast['all_ms']:.0f} ms without (one test: {fast['one_ms']:.0f} ms); "
                  f"failures {test_all['failures']}; peak RSS {test_all['peak_mib']} MiB "
                  f"(median of {args.runs}; passwords in a private gnome-keyring)")
        if args.output:
            os.makedirs(args.output, exist_ok=True)
            with open(os.path.join(args.output, "results.json"), "w") as out:
                json.dump({"network": network.kind, "rtt_ms": rtt_ms, "runs": args.runs,
                           "rows": rows, "relaydeck_stages": stages, "test_all": test_all,
                           "relaydeck_transcript": sample.get("transcript") if sample else None},
                          out, indent=2)
            with open(os.path.join(args.output, "table.md"), "w") as out:
                out.write(format_table(rows, rtt_ms, markdown=True) + "\n")
            log(f"results in {args.output}")
    finally:
        if keychain:
            keychain.close()
        if network:
            network.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    main()
