"""A wss:// echo server that requires a client certificate (mutual TLS): Debian's python3-websockets
over Python's ssl module, for tests/cli/tst_climtls.

Arguments: CERT KEY CA. The server presents CERT and KEY, and accepts only clients whose
certificate CA signed. Its first message to a client names the client certificate's common name
("client wsi-test-client"); then it echoes. Prints "PORT <n>" once listening on 127.0.0.1.
Run with /usr/bin/python3.
"""
import asyncio
import ssl
import sys

import websockets


async def handler(ws, path=None):
    cert = ws.transport.get_extra_info("peercert") or {}
    names = dict(pair[0] for pair in cert.get("subject", ()))
    await ws.send("client " + names.get("commonName", "(none)"))
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    cert, key, ca = sys.argv[1:4]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.load_verify_locations(ca)
    context.verify_mode = ssl.CERT_REQUIRED
    async with websockets.serve(handler, "127.0.0.1", 0, ssl=context) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        print(f"PORT {port}", flush=True)
        await asyncio.Future()


asyncio.run(main())
