"""Pieces every launcher in this folder shares (dovecot.py, postfix.py, exim.py, smtp_server.py
and, through proxy_sandbox.py, socks_proxy.py and http_proxy.py): the ready-file handshake with
the test that started us, free ports, children that never outlive us, and (ServerLauncher) the
options and the run loop of the mail server launchers.

The launchers run as scripts by path; each puts this folder on sys.path before importing this.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time


def log(prefix, message):
    print(f"{prefix}: {message}", file=sys.stderr, flush=True)


def set_parent_death_signal():
    """Ask the kernel for SIGTERM (our clean stop) when our parent process ends, however it
    ends, even by SIGKILL. False where prctl is not available."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        return True
    except (OSError, AttributeError):
        return False


def die_with_us():
    """preexec_fn for the servers we start: the kernel stops them when this launcher dies, so
    none outlives a crashed test run."""
    set_parent_death_signal()


def write_atomically(path, data):
    """The file appears complete or not at all (a reader polls for it). data: str or bytes."""
    temporary = f"{path}.tmp"
    with open(temporary, "wb") as file:
        file.write(data.encode() if isinstance(data, str) else data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def free_port(host):
    # For servers that cannot report a port they chose themselves: the kernel's pick for a
    # socket we close right away. Another process could take it in between; callers retry.
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def remove_stale_ready_file(path):
    if path and os.path.exists(path):
        os.remove(path)  # a stale one would announce old ports


def announce_ready(path, text):
    """The one line a test waits for: on stdout and, atomically, in the --ready-file."""
    print(text, flush=True)
    if path:
        write_atomically(path, f"{text}\n")


def stop_process(process, seconds):
    """SIGTERM, then SIGKILL when it has not ended within seconds."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def add_server_arguments(parser, dir_help, required=True):
    """The options every mail server launcher takes: its folder, TLS files, the one user and
    the variable holding the password, the address, and the handshake with the test."""
    parser.add_argument("--dir", required=required, help=dir_help)
    parser.add_argument("--cert", required=required, help="server certificate chain (PEM)")
    parser.add_argument("--key", required=required, help="server private key (PEM)")
    parser.add_argument("--user", required=required)
    parser.add_argument("--password-env", required=required, metavar="VAR",
                        help="environment variable holding the user's password")
    parser.add_argument("--host", default="127.0.0.1")


def add_handshake_arguments(parser):
    parser.add_argument("--ready-file")
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="stop when the process that started us ends (a crashed test)")


def absolute_server_paths(options):
    options.dir = os.path.abspath(options.dir)
    options.cert = os.path.abspath(options.cert)
    options.key = os.path.abspath(options.key)


def password_from_environment(options, prefix):
    """The user's password from --password-env VAR; exits when VAR is not set."""
    password = os.environ.get(options.password_env)
    if password is None:
        sys.exit(f"{prefix}: ${options.password_env} is not set")
    return password


class ServerLauncher:
    """Starts servers, announces them and keeps them running until SIGTERM/SIGINT, the test
    that started us going away (--exit-with-parent), or one of them ending. A subclass gives
    start() (the ready announcement as a dict; None when stopped while starting), watched()
    ((name, process) pairs that must keep running; None entries are skipped), stop(), and
    optionally tick() (each round, e.g. to copy a log)."""

    prefix = "launcher"

    def __init__(self, options, password):
        self.options = options
        self.password = password
        self.stopping = False

    def log(self, message):
        log(self.prefix, message)

    def tick(self):
        pass

    def run(self):
        def on_signal(signum, frame):
            self.stopping = True

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        remove_stale_ready_file(self.options.ready_file)
        try:
            announcement = self.start()
            if announcement is None:
                return 0
            ready = json.dumps(announcement)
            announce_ready(self.options.ready_file, ready)
            self.log(f"ready: {ready}")
            parent = os.getppid()
            while not self.stopping:
                self.tick()
                if self.options.exit_with_parent and os.getppid() != parent:
                    self.log("the process that started us is gone")
                    return 0
                for name, process in self.watched():
                    if process is not None and process.poll() is not None:
                        self.log(f"{name} exited unexpectedly ({process.returncode})")
                        return 1
                time.sleep(0.2)
            return 0
        finally:
            self.stop()
