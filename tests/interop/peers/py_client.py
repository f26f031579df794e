#!/usr/bin/python3
"""Independent WebSocket client for interop tests: Debian's python3-websockets.

    py_client.py URL [COMMAND...]

Run it with /usr/bin/python3 (another python3 on PATH may lack the module).
Commands and output are those of node_client.js: text=HEX, binary=HEX, pattern=N, ping=HEX, wait=N,
close=CODE[,REASON]; one JSON object per line for open, message, pong, close and error.
"""

import asyncio
import json
import sys

import websockets


def emit(**fields):
    print(json.dumps(fields), flush=True)


async def session(url, commands):
    received = 0
    closing = False
    async with websockets.connect(url, max_size=None) as ws:
        emit(event="open")
        for command in commands:
            name, _, arg = command.partition("=")
            if name == "text":
                await ws.send(bytes.fromhex(arg).decode("utf-8"))
            elif name == "binary":
                await ws.send(bytes.fromhex(arg))
            elif name == "pattern":
                await ws.send(bytes(i & 0xFF for i in range(int(arg))))
            elif name == "ping":
                waiter = await ws.ping(bytes.fromhex(arg))
                await waiter  # websockets matches the pong to this ping by its payload
                emit(event="pong", hex=arg)
            elif name == "wait":
                while received < int(arg):
                    try:
                        message = await ws.recv()
                    except websockets.ConnectionClosed:
                        # The server closed first: say how, as node_client.js does.
                        emit(event="close", code=ws.close_code, reason=ws.close_reason)
                        return 0
                    received += 1
                    if isinstance(message, str):
                        emit(event="message", type="text", hex=message.encode("utf-8").hex())
                    else:
                        emit(event="message", type="binary", hex=message.hex())
            elif name == "close":
                code, _, reason = arg.partition(",")
                closing = True
                await ws.close(int(code), reason)
            else:
                emit(event="error", message="unknown command " + command)
                return 2
        if not closing:
            await ws.close(1000)
        emit(event="close", code=ws.close_code, reason=ws.close_reason)
    return 0


def main():
    try:
        return asyncio.run(asyncio.wait_for(session(sys.argv[1], sys.argv[2:]), 20))
    except Exception as error:  # reported, not raised: the test reads stdout
        emit(event="error", message=f"{type(error).__name__}: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
