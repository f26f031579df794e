"""Independent echo server for the conformance tests: Debian's python3-websockets.

Echoes every message with its type, as the servers under test by a conformance run do.
Prints "PORT <n>" once listening on 127.0.0.1 (a free port). Run with /usr/bin/python3.
"""
import asyncio

import websockets


async def echo(ws, path=None):
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    # Section 9 sends messages of up to 16 MiB; the library's default limit is 1 MiB.
    async with websockets.serve(echo, "127.0.0.1", 0, max_size=64 * 1024 * 1024) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        print(f"PORT {port}", flush=True)
        await asyncio.Future()


asyncio.run(main())
