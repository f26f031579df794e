"""Independent peer for the interop tests: Debian's python3-websockets as a server.

Same command protocol as node_server.js (see there). Run with /usr/bin/python3.
Prints "PORT <n>" once listening on 127.0.0.1, and one JSON line per close it sees.
With "--tls CERT KEY" it serves wss:// instead. With "--no-context-takeover" it accepts
permessage-deflate with server_no_context_takeover and client_no_context_takeover (by default
it accepts the client's offer with its library's defaults). A request for a path starting with
/reject is answered "403 Forbidden" with a text body, without upgrading.
"""
import asyncio
import http
import json
import ssl
import sys

import websockets


async def command(ws, cmd):
    name, _, rest = cmd.partition(":")
    if name == "fragment":
        size, _, text = rest.partition(":")
        data = text.encode("utf-8")
        size = int(size)
        # An iterable of bytes is sent as one fragmented message, a frame per item.
        chunks = [data[i:i + size] for i in range(0, len(data), size)] or [b""]
        await ws.send([c.decode("utf-8", errors="surrogatepass") for c in chunks]
                      if all(_utf8_boundary(c) for c in chunks) else chunks)
    elif name == "binary":
        n = int(rest)
        await ws.send(bytes(i & 0xFF for i in range(n)))
    elif name == "ping":
        payload = rest.encode("utf-8")
        waiter = await ws.ping(payload)
        await waiter
        await ws.send("pong:" + rest)
    elif name == "close":
        code, _, reason = rest.partition(":")
        await ws.close(int(code), reason)


def _utf8_boundary(chunk):
    try:
        chunk.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


async def handler(ws, path=None):
    try:
        async for message in ws:
            if isinstance(message, str) and message.startswith("cmd:"):
                await command(ws, message[4:])
            else:
                await ws.send(message)
    except websockets.ConnectionClosed:
        pass
    print(json.dumps({"event": "close", "path": ws.path, "code": ws.close_code, "reason": ws.close_reason}),
          flush=True)


async def reject_some(path, request_headers):
    if path.startswith("/reject"):
        return http.HTTPStatus.FORBIDDEN, [("Content-Type", "text/plain")], b"rejected by the test server\n"
    return None


async def main():
    tls = None
    options = {}
    if len(sys.argv) == 4 and sys.argv[1] == "--tls":
        # wss:// with the certificate and key the test generated.
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(sys.argv[2], sys.argv[3])
    if "--no-context-takeover" in sys.argv[1:]:
        from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
        options["extensions"] = [ServerPerMessageDeflateFactory(server_no_context_takeover=True,
                                                                client_no_context_takeover=True)]
    async with websockets.serve(handler, "127.0.0.1", 0, max_size=64 * 1024 * 1024,
                                ping_interval=None, ssl=tls, process_request=reject_some,
                                **options) as server:
        print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
