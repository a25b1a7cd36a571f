#!/usr/bin/python3
"""A TCP proxy that delays every chunk by a fixed one-way delay in each direction.

The fallback for machines where the benchmark may not create network namespaces (not root):
delay_link.py is exact at the packet level; this proxy is exact at the byte-stream level.

How the TCP handshake is modelled: the client's kernel completes its connect to the proxy at
once (no user-space program can hold back a SYN-ACK), so the proxy charges the handshake to the
first thing an SMTP client waits for. On a real link the first SYN reaches the server after one
one-way delay, the SYN-ACK returns after two, and the server accepts (and writes its greeting)
when the client's ACK arrives after three; the greeting reaches the client after four one-way
delays, i.e. 2 RTT. So the proxy waits 3 × delay after accepting before it connects upstream,
and from then on delays each chunk by one delay in each direction, preserving order; EOF is
delayed like data. Client bytes sent before that are held, as a real network would hold them.

What this cannot model (delay_link.py does): the timing of ACKs. The client and the server each
talk to the proxy over loopback, so a client that writes two small segments with Nagle's
algorithm on is not held back by the missing ACK of the first, as it would be on a real link.

Usage: delay_proxy.py --listen 127.0.0.1:0 --target HOST:PORT --delay-ms 40
Prints "listening HOST PORT" when ready; runs until SIGTERM/SIGINT.
"""

import argparse
import asyncio
import signal
import socket


def set_nodelay(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class DelayedPipe:
    """Copies one direction of a connection, each chunk written `delay` after it was read."""

    def __init__(self, reader, delay):
        self.reader = reader
        self.delay = delay
        self.queue = asyncio.Queue()

    async def read_side(self):
        loop = asyncio.get_running_loop()
        try:
            while True:
                data = await self.reader.read(65536)
                self.queue.put_nowait((loop.time() + self.delay, data))
                if not data:
                    return
        except (ConnectionError, OSError):
            self.queue.put_nowait((loop.time() + self.delay, b""))

    async def write_side(self, writer_future):
        loop = asyncio.get_running_loop()
        writer = None
        while True:
            due, data = await self.queue.get()
            if writer is None:
                writer = await writer_future  # bytes arriving before the upstream connect wait
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
            except (ConnectionError, OSError):
                return


async def handle(client_reader, client_writer, target_host, target_port, delay):
    loop = asyncio.get_running_loop()
    set_nodelay(client_writer)
    upstream_writer_future = loop.create_future()
    client_writer_future = loop.create_future()
    client_writer_future.set_result(client_writer)
    to_server = DelayedPipe(client_reader, delay)
    tasks = [asyncio.create_task(to_server.read_side()),
             asyncio.create_task(to_server.write_side(upstream_writer_future))]
    try:
        # SYN, SYN-ACK and the client's ACK: the server sees the connection after 3 delays.
        await asyncio.sleep(3 * delay)
        upstream_reader, upstream_writer = await asyncio.open_connection(target_host, target_port)
    except OSError:
        for task in tasks:
            task.cancel()
        client_writer.close()
        return
    set_nodelay(upstream_writer)
    upstream_writer_future.set_result(upstream_writer)
    to_client = DelayedPipe(upstream_reader, delay)
    tasks += [asyncio.create_task(to_client.read_side()),
              asyncio.create_task(to_client.write_side(client_writer_future))]
    await asyncio.gather(*tasks, return_exceptions=True)
    for writer in (client_writer, upstream_writer):
        writer.close()


async def serve(args):
    listen_host, listen_port = args.listen.rsplit(":", 1)
    target_host, target_port = args.target.rsplit(":", 1)
    delay = args.delay_ms / 1000.0
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, target_host, int(target_port), delay),
        listen_host, int(listen_port), backlog=256)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"listening {host} {port}", flush=True)
    stop = asyncio.get_running_loop().create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set_result, None)
    await stop
    server.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:0")
    parser.add_argument("--target", required=True)
    parser.add_argument("--delay-ms", type=float, default=40.0)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
