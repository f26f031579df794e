#!/usr/bin/python3
"""Independent client for tst_serverbehaviour: Debian's python3-websockets (run with /usr/bin/python3).

    behaviour_client.py URL [--protocol NAME]... [--origin ORIGIN] [COMMAND...]

Commands and output are those of behaviour_client.js (text=HEX, binary=HEX, wait=N, pings=N, hold,
close=CODE[,REASON]), plus one line per data frame received, which node-ws does not expose:
    {"event":"frame","opcode":N,"fin":true|false,"len":N}
"""

import asyncio
import json
import sys
import time

import websockets
import websockets.client
from websockets.frames import Opcode


def emit(**fields):
    print(json.dumps(fields), flush=True)


def now():
    return time.monotonic() * 1000.0


class Recorder(websockets.client.WebSocketClientProtocol):
    """Reports every frame as it is read; the library itself only hands over whole messages."""

    pings = 0
    ping_seen = None

    async def read_frame(self, max_size):
        frame = await super().read_frame(max_size)
        if frame.opcode == Opcode.PING:
            Recorder.pings += 1
            emit(event="ping", hex=frame.data.hex(), t=now())
            if Recorder.ping_seen is not None:
                Recorder.ping_seen.set()
        elif frame.opcode in (Opcode.TEXT, Opcode.BINARY, Opcode.CONT):
            emit(event="frame", opcode=int(frame.opcode), fin=frame.fin, len=len(frame.data))
        return frame


async def session(url, protocols, origin, commands):
    received = 0
    closing = False
    Recorder.ping_seen = asyncio.Event()
    async with websockets.connect(
        url, subprotocols=protocols or None, origin=origin, max_size=None, create_protocol=Recorder
    ) as ws:
        emit(event="open", protocol=ws.subprotocol or "")
        # Messages are read in the background so that pings and closes are seen while waiting.
        inbox = asyncio.Queue()

        async def reader():
            try:
                async for message in ws:
                    t = now()
                    if isinstance(message, str):
                        emit(event="message", type="text", hex=message.encode("utf-8").hex(), t=t)
                    else:
                        emit(event="message", type="binary", hex=message.hex(), t=t)
                    await inbox.put(message)
            except websockets.ConnectionClosed:
                pass

        reading = asyncio.ensure_future(reader())
        for command in commands:
            name, _, arg = command.partition("=")
            if name in ("text", "binary"):
                data = bytes.fromhex(arg)
                # The time before sending: the server may read it (and start its reply delay)
                # before this coroutine resumes, under load a few ms before.
                t = now()
                await ws.send(data.decode("utf-8") if name == "text" else data)
                emit(event="sent", t=t)
            elif name == "wait":
                while received < int(arg):
                    await inbox.get()
                    received += 1
            elif name == "pings":
                while Recorder.pings < int(arg):
                    Recorder.ping_seen.clear()
                    await Recorder.ping_seen.wait()
            elif name == "hold":
                closing = True
                await ws.wait_closed()
            elif name == "close":
                code, _, reason = arg.partition(",")
                closing = True
                await ws.close(int(code), reason)
            else:
                emit(event="error", message="unknown command " + command)
                return 2
        if not closing:
            await ws.close(1000)
        await ws.wait_closed()
        await reading
        emit(event="close", code=ws.close_code, reason=ws.close_reason)
    return 0


def main():
    args = sys.argv[1:]
    url = args.pop(0)
    protocols, origin, commands = [], None, []
    while args:
        arg = args.pop(0)
        if arg == "--protocol":
            protocols.append(args.pop(0))
        elif arg == "--origin":
            origin = args.pop(0)
        else:
            commands.append(arg)
    try:
        return asyncio.run(asyncio.wait_for(session(url, protocols, origin, commands), 20))
    except Exception as error:  # reported, not raised: the test reads stdout
        emit(event="error", message=f"{type(error).__name__}: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
