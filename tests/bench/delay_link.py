#!/usr/bin/python3
"""A wire with a fixed one-way delay between two network namespaces (a user-space netem).

Why not `tc qdisc ... netem`: the benchmark machine's kernel has no sch_netem (nor sch_fq for
BPF earliest-departure-time delays), and a TCP proxy cannot delay the TCP handshake, the ACKs
that drive Nagle's algorithm, or delayed ACKs. This script models all of that exactly: it
creates two network namespaces, each with one TUN interface, and copies every IP packet from one
TUN to the other after `delay` milliseconds. The client namespace reaches the server namespace
at SERVER_ADDRESS, so a TCP connect costs one RTT, the SMTP greeting arrives two RTT after the
first SYN, and each pipelined command/response flight costs exactly what it would on a real link.

Usage (root):  delay_link.py --name NAME --delay-ms 40
It prints "ready <client-ns> <server-ns> <client-ip> <server-ip>" once the link is up, then
reads commands on stdin: "delay <ms>" changes the one-way delay (for packets read afterwards),
"stats" prints packet counters, "trace PATH" appends one line per TCP packet to PATH (time in
ms, direction, flags, payload bytes) until "trace off", "quit" (or EOF) tears the namespaces
down and exits.
Run clients with `ip netns exec <client-ns> ...` and servers with `ip netns exec <server-ns> ...`.
"""

import argparse
import collections
import fcntl
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

CLIENT_ADDRESS = "10.77.0.1"
SERVER_ADDRESS = "10.77.0.2"


def run(*argv):
    subprocess.run(argv, check=True)


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


class Link:
    def __init__(self, name, hosts):
        self.client_ns = f"{name}-cli"
        self.server_ns = f"{name}-srv"
        self.hosts = hosts
        self.fds = {}
        self.created = []

    def up(self):
        for ns in (self.client_ns, self.server_ns):
            run("ip", "netns", "add", ns)
            self.created.append(ns)
        # TUN interfaces are created here and moved; the file descriptors stay attached.
        ends = [(self.client_ns, f"{self.client_ns[:11]}0", CLIENT_ADDRESS, SERVER_ADDRESS),
                (self.server_ns, f"{self.server_ns[:11]}0", SERVER_ADDRESS, CLIENT_ADDRESS)]
        for ns, ifname, local, peer in ends:
            fd = open_tun(ifname)
            self.fds[ns] = fd
            run("ip", "link", "set", ifname, "netns", ns)
            run("ip", "-n", ns, "link", "set", "lo", "up")
            run("ip", "-n", ns, "addr", "add", local, "peer", peer, "dev", ifname)
            run("ip", "-n", ns, "link", "set", ifname, "mtu", "1500", "up")
        # `ip netns exec` bind-mounts /etc/netns/<ns>/hosts over /etc/hosts: the test host name
        # resolves locally, so name resolution costs no round trip on either side.
        for ns in (self.client_ns, self.server_ns):
            os.makedirs(f"/etc/netns/{ns}", exist_ok=True)
            with open(f"/etc/netns/{ns}/hosts", "w") as hosts_file:
                hosts_file.write("127.0.0.1 localhost\n")
                for host in self.hosts:
                    hosts_file.write(f"{SERVER_ADDRESS} {host}\n")

    def down(self):
        for fd in self.fds.values():
            os.close(fd)
        self.fds = {}
        for ns in self.created:
            subprocess.run(["ip", "netns", "del", ns], check=False)
            shutil.rmtree(f"/etc/netns/{ns}", ignore_errors=True)
        self.created = []


TCP_FLAG_NAMES = ((0x02, "S"), (0x10, "."), (0x08, "P"), (0x01, "F"), (0x04, "R"))


def describe(packet):
    """(flags, payload length) of an IPv4 TCP packet, or None."""
    if len(packet) < 20 or packet[0] >> 4 != 4 or packet[9] != 6:
        return None
    ip_header = (packet[0] & 0x0F) * 4
    total = int.from_bytes(packet[2:4], "big")
    tcp_header = (packet[ip_header + 12] >> 4) * 4
    flags = packet[ip_header + 13]
    names = "".join(name for bit, name in TCP_FLAG_NAMES if flags & bit)
    return names, total - ip_header - tcp_header


def relay(link, delay_seconds):
    client_fd = link.fds[link.client_ns]
    server_fd = link.fds[link.server_ns]
    peer = {client_fd: server_fd, server_fd: client_fd}
    # One delay for both directions: packets are due in the order they were read, so one FIFO
    # keeps both directions ordered without a heap.
    queue = collections.deque()
    counts = {client_fd: 0, server_fd: 0}
    poller = select.epoll()
    poller.register(client_fd, select.EPOLLIN)
    poller.register(server_fd, select.EPOLLIN)
    stdin_fd = sys.stdin.fileno()
    poller.register(stdin_fd, select.EPOLLIN)
    stdin_buffer = b""
    trace = None
    while True:
        now = time.monotonic()
        if queue:
            remaining = queue[0][0] - now
            # epoll sleeps in whole milliseconds (rounded up): sleep until 1 ms before the
            # packet is due, then poll without sleeping, so each packet leaves within ~0.1 ms.
            timeout = max(0.0, (int(remaining * 1000) - 1) / 1000.0)
        else:
            timeout = -1
        for fd, _ in poller.poll(timeout):
            if fd == stdin_fd:
                data = os.read(stdin_fd, 4096)
                if not data:
                    return
                stdin_buffer += data
                while b"\n" in stdin_buffer:
                    line, stdin_buffer = stdin_buffer.split(b"\n", 1)
                    words = line.decode().split()
                    if not words:
                        continue
                    if words[0] == "quit":
                        return
                    if words[0] == "delay":
                        delay_seconds = float(words[1]) / 1000.0
                        print(f"delay {words[1]}", flush=True)
                    elif words[0] == "trace":
                        if trace:
                            trace.close()
                            trace = None
                        if words[1] != "off":
                            trace = open(words[1], "a")
                        print(f"trace {words[1]}", flush=True)
                    elif words[0] == "stats":
                        print(f"stats client->server {counts[client_fd]} "
                              f"server->client {counts[server_fd]}", flush=True)
                continue
            arrival = time.monotonic()
            while True:
                try:
                    packet = os.read(fd, 65536)
                except BlockingIOError:
                    break
                counts[fd] += 1
                if trace:
                    described = describe(packet)
                    if described:
                        direction = "C>S" if fd == client_fd else "S>C"
                        trace.write(f"{arrival * 1000:.3f} {direction} {described[0]} "
                                    f"{described[1]}\n")
                queue.append((arrival + delay_seconds, peer[fd], packet))
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, destination, packet = queue.popleft()
            try:
                os.write(destination, packet)
            except OSError:
                pass  # a full TUN queue drops the packet, as a congested link would


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default=f"rdb{os.getpid()}")
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--host", action="append", default=[],
                        help="host name that resolves to the server address in both namespaces")
    args = parser.parse_args()
    link = Link(args.name, args.host)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        link.up()
        print(f"ready {link.client_ns} {link.server_ns} {CLIENT_ADDRESS} {SERVER_ADDRESS}",
              flush=True)
        relay(link, args.delay_ms / 1000.0)
    finally:
        link.down()


if __name__ == "__main__":
    main()
