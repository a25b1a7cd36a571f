"""Pieces every launcher in this folder shares (dovecot.py, smtp_server.py and, through
proxy_sandbox.py, socks_proxy.py and http_proxy.py): the ready-file handshake with the test
that started us, free ports, and children that never outlive us.

The launchers run as scripts by path; each puts this folder on sys.path before importing this.
"""

import os
import signal
import socket
import subprocess
import sys


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
