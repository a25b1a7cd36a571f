#!/usr/bin/env python3
"""Bounded resources under hostile servers: one `relaydeck-cli test --all` over N stored
connections (default 200) to scripted servers that never give a usable answer, run under
/usr/bin/time to measure the CLI's peak memory.

The servers (asyncio, loopback, one port and one process per behaviour; the connections are
spread evenly):
  multiline  an endless multi-line greeting ("220-..." lines as fast as the client reads)
  longline   a 10 MiB greeting line, then nothing
  slowloris  a greeting one byte a second, never finished
  auth334    a proper greeting and EHLO offering ANONYMOUS, then "334" to every line, forever
  tlsstall   implicit TLS: accepts the connection, reads the ClientHello and never answers

Checks: the CLI finishes within its own deadlines (each test: 3 x the profile's timeout, plus
QUIT's grace; all at once with --parallel N), every connection failed with the error id its
server deserves, and prints peak RSS (target: under 100 MiB). Exit 1 when a check fails.

  hostile_testall.py --cli build/bench/app/relaydeck-cli [--connections 200] [--timeout 5]
                     [--parallel 200] [--max-rss-mib 100]
"""
import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import multiprocessing
import time
import uuid

CHUNK = b"220-endless greeting line that never ends the reply\r\n" * 64


async def multiline(reader, writer):
    while True:
        writer.write(CHUNK)
        await writer.drain()


async def longline(reader, writer):
    writer.write(b"220 ")
    piece = b"x" * 65536
    for _ in range(10 * 1024 * 1024 // len(piece)):  # 10 MiB, as fast as the client reads
        writer.write(piece)
        await writer.drain()
    writer.write(b"\r\n")
    await writer.drain()
    await reader.read()


async def slowloris(reader, writer):
    for byte in b"220 slow server, one byte a second\r\n" * 1000:
        writer.write(bytes([byte]))
        await writer.drain()
        await asyncio.sleep(1)


async def auth334(reader, writer):
    writer.write(b"220 hostile ESMTP\r\n")
    await writer.drain()
    while True:
        line = await reader.readline()
        if not line:
            return
        if line.upper().startswith((b"EHLO", b"HELO")):
            writer.write(b"250-hostile\r\n250 AUTH ANONYMOUS PLAIN\r\n")
        elif line.upper().startswith(b"QUIT"):
            writer.write(b"221 bye\r\n")
        else:
            writer.write(b"334 bW9yZQ==\r\n")
        await writer.drain()


async def tlsstall(reader, writer):
    while await reader.read(65536):
        pass


BEHAVIOURS = {
    # name: (handler, security, auth mechanism, the error ids that are right)
    "multiline": (multiline, "none", "none", {"protocol-error"}),
    "longline": (longline, "none", "none", {"protocol-error"}),
    "slowloris": (slowloris, "none", "none", {"timeout", "greeting-timeout"}),
    "auth334": (auth334, "none", "anonymous", {"protocol-error", "auth-failed"}),
    "tlsstall": (tlsstall, "tls", "none", {"timeout", "tls-handshake-failed"}),
}


def guarded(handler):
    async def run(reader, writer):
        try:
            await handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            writer.close()
    return run


def serve(name, queue):
    """One behaviour in its own process: a busy server must not slow the others down."""
    async def main():
        handler = BEHAVIOURS[name][0]
        server = await asyncio.start_server(guarded(handler), "127.0.0.1", 0, backlog=1024)
        queue.put((name, server.sockets[0].getsockname()[1]))
        await asyncio.Event().wait()
    asyncio.run(main())


def start_servers():
    queue = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=serve, args=(name, queue), daemon=True)
                 for name in BEHAVIOURS]
    for process in processes:
        process.start()
    ports = dict(queue.get(timeout=10) for _ in processes)
    return ports, processes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--timeout", type=int, default=5)
    parser.add_argument("--parallel", type=int, default=200)
    parser.add_argument("--max-rss-mib", type=float, default=100)
    args = parser.parse_args()

    ports, servers = start_servers()

    names = list(BEHAVIOURS)
    expected = {}
    profiles = []
    for i in range(args.connections):
        kind = names[i % len(names)]
        _handler, security, mechanism, errors = BEHAVIOURS[kind]
        name = f"{kind}-{i:03d}"
        expected[name] = (kind, errors)
        profiles.append({
            "id": str(uuid.uuid4()), "name": name, "host": "127.0.0.1", "port": ports[kind],
            "security": security, "timeout": args.timeout,
            "auth": {"mechanism": mechanism},
            "tls": {"verifyPeer": False},
        })
    with tempfile.TemporaryDirectory(prefix="relaydeck-hostile-") as config:
        with open(os.path.join(config, "connections.json"), "w") as f:
            json.dump({"format": "relaydeck-profiles", "version": 1, "profiles": profiles}, f)
        env = dict(os.environ, RELAYDECK_CONFIG_DIR=config, HOME=config, LC_ALL="C.UTF-8",
                   LANGUAGE="", XDG_CONFIG_HOME=config)
        waves = -(-args.connections // args.parallel)
        bound = waves * (3 * args.timeout + 2) + 10  # each test's deadline, QUIT's grace, start
        started = time.monotonic()
        run = subprocess.run(["/usr/bin/time", "-v", args.cli, "test", "--all", "--json",
                              "--parallel", str(args.parallel)],
                             env=env, capture_output=True, text=True, timeout=bound * 2)
        elapsed = time.monotonic() - started
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    peak_mib = int(rss.group(1)) / 1024 if rss else float("nan")
    try:
        summary = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(run.stdout[-2000:], run.stderr[-2000:], file=sys.stderr)
        sys.exit("relaydeck-cli did not print a JSON summary")

    problems = []
    by_kind = {}
    for result in summary.get("results", []):
        report = result.get("report") or result
        name = result.get("name") or report.get("profile")
        error = (report.get("error") or {}).get("id") if isinstance(report.get("error"), dict) else None
        kind, errors = expected.get(name, ("?", set()))
        by_kind.setdefault(kind, {}).setdefault(error, 0)
        by_kind[kind][error] += 1
        if error not in errors:
            problems.append(f"{name}: error id {error!r}, expected one of {sorted(errors)}")
    if summary.get("total") != args.connections:
        problems.append(f"the summary counts {summary.get('total')} connections")
    if summary.get("failed") != args.connections:
        problems.append(f"{summary.get('failed')} of {args.connections} failed; all should have")
    if elapsed > bound:
        problems.append(f"took {elapsed:.1f} s, more than the deadlines allow ({bound} s)")
    if not peak_mib < args.max_rss_mib:
        problems.append(f"peak RSS {peak_mib:.1f} MiB is not under {args.max_rss_mib} MiB")

    print(f"Hostile Test all: {args.connections} connections, --parallel {args.parallel}, "
          f"timeout {args.timeout} s")
    for kind in names:
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(by_kind.get(kind, {}).items(),
                                                           key=lambda kv: str(kv[0])))
        print(f"  {kind:10s} {counts}")
    print(f"  wall time {elapsed:.1f} s (bound {bound} s), exit code {run.returncode}")
    print(f"  peak memory (max RSS of relaydeck-cli): {peak_mib:.1f} MiB "
          f"(target < {args.max_rss_mib:g} MiB)")
    for problem in problems[:20]:
        print("  PROBLEM:", problem)
    for server in servers:
        server.terminate()
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
