"""A client driver written for Autobahn|Testsuite's fuzzing server, on Debian's python3-websockets:
asks for the case count, runs every case on its own connection echoing each message, then asks
for the reports. Prints "DONE <count>" at the end. Run with /usr/bin/python3.

    python3 autobahn_driver_py.py ws://127.0.0.1:PORT AGENT [deflate]

With "deflate" the client offers permessage-deflate as websockets does by default.
"""
import asyncio
import sys
import urllib.parse

import websockets


async def run(uri, echo, compression=None):
    try:
        async with websockets.connect(uri, compression=compression, max_size=64 * 1024 * 1024) as ws:
            async for message in ws:
                if echo:
                    await ws.send(message)
                else:
                    return message
    except (websockets.ConnectionClosed, websockets.InvalidHandshake, OSError):
        pass
    except ValueError as error:
        # websockets 10.4 accepts a window of 8 bits, which zlib refuses for raw deflate: the
        # case fails, the next one runs.
        print(f"case failed in the client: {error}", file=sys.stderr, flush=True)
    return None


async def main(base, agent, compression):
    count = int(await run(base + "/getCaseCount", False))
    quoted = urllib.parse.quote(agent)
    for i in range(1, count + 1):
        await run(f"{base}/runCase?case={i}&agent={quoted}", True, compression)
    await run(f"{base}/updateReports?agent={quoted}", False)
    print(f"DONE {count}", flush=True)


asyncio.run(main(sys.argv[1], sys.argv[2], "deflate" if sys.argv[3:] == ["deflate"] else None))
