#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/seed-*).

Run it again after changing a seed here; it rewrites the seed-* files and leaves the inputs that
libFuzzer found (found-*) alone. Input layouts are described in fuzzinput.h and at the top of
each fuzz_*.cpp: [options byte] [chunk plan] [bytes to parse] for the parsers, the file itself
for the session reader.
"""

import base64
import hashlib
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
KEY = bytes.fromhex("37fa213d")  # the RFC 6455 section 5.7 example key


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


def plan(*sizes):
    """Chunk plan: sizes 1..240 as bytes b = size - 1; a power of two from 256 as 0xE8 + log2."""
    out = bytearray([len(sizes)])
    for size in sizes:
        out.append(size - 1 if size <= 240 else 0xE8 + size.bit_length() - 1)
    return bytes(out)


# --- WebSocket frames ---------------------------------------------------------------------------

def frame(first, payload=b"", key=None, form=None):
    """One frame: first byte (FIN, RSV, opcode), payload; masked with `key`; length in the minimal
    form unless `form` (7, 16 or 64) says otherwise."""
    n = len(payload)
    form = form or (7 if n < 126 else 16 if n <= 0xFFFF else 64)
    mask = 0x80 if key else 0
    out = bytearray([first])
    if form == 7:
        out.append(mask | n)
    elif form == 16:
        out += bytes([mask | 126]) + struct.pack(">H", n)
    else:
        out += bytes([mask | 127]) + struct.pack(">Q", n)
    if key:
        out += key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    else:
        out += payload
    return bytes(out)


def close(code, reason=b""):
    return struct.pack(">H", code) + reason


# Options byte of the frame targets: bit 0 keep masked payload, bits 1-3 allowed RSV, bits 4-6 limits
# (fuzz_frameparser.cpp limitsFor(): 0 defaults, 1 tiny 125/300/3, 2 1000/1000/16, 3 message 64 and
# 1 fragment, 4 all zero, 5 frame 16, 6 INT_MAX fragments, 7 65536/100000/2); bit 7 and a second
# byte: the handler calls reset() from the callback of that number.
def options(keep=False, rsv=0, limits=0, reset=None):
    first = int(keep) | (rsv << 1) | (limits << 4)
    return bytes([first]) if reset is None else bytes([first | 0x80, reset])


def frame_seeds(key):
    """(name, options, chunk plan, stream) for one role; key None for frames from a server."""
    f = lambda first, payload=b"", form=None: frame(first, payload, key, form)
    hello = f(0x81, b"Hello")
    deflated = bytes.fromhex("f248cdc9c90700")  # "Hello" with permessage-deflate
    seeds = [
        ("text-hello", options(), plan(), hello),
        ("text-hello-kept-masked-whole", options(keep=True), plan(64), hello),
        ("fragmented-text", options(), plan(3), f(0x01, b"Hel") + f(0x80, b"lo")),
        ("ping-pong-close", options(), plan(2, 5),
         f(0x89, b"Hello") + f(0x8A, b"Hello") + f(0x88, close(1000, b"bye"))),
        ("binary-256-16bit", options(), plan(7, 100), f(0x82, bytes(range(256)))),
        ("binary-70000-64bit-cut", options(), plan(200), f(0x82, bytes(70000))[:3000]),
        ("fragments-with-control-between", options(), plan(1, 2, 3),
         f(0x02, b"A") + f(0x00, b"B") + f(0x89, b"ping") + f(0x00, b"C") + f(0x8A) + f(0x80, b"D")),
        ("utf8-split-across-fragments", options(), plan(4),
         f(0x01, b"a\xf0\x9f") + f(0x89) + f(0x80, b"\x98\x80b")),
        ("utf8-overlong", options(), plan(), f(0x81, b"\xc0\xaf") + hello),
        ("utf8-surrogate-deep-in-frame", options(), plan(50, 1),
         f(0x81, b"z" * 300 + b"\xed\xa0\x80" + b"z" * 20)),
        ("utf8-truncated-at-fin", options(), plan(), f(0x01, b"\xe2") + f(0x80, b"\x82") + hello),
        ("utf8-invalid-across-fragments", options(), plan(2), f(0x01, b"\xc3") + f(0x00, b"A") + f(0x80, b"\xff")),
        ("close-codes", options(), plan(9),
         b"".join(f(0x88, close(c, b"r")) for c in (999, 1004, 1005, 1006, 1012, 1015, 2999, 3000, 4999, 5000))),
        ("close-one-byte", options(), plan(), f(0x88, b"\x03") + hello),
        ("close-reason-invalid", options(), plan(), f(0x88, close(1000, b"\xc0\xaf")) + f(0x88, close(1000, b"A\xe2\x82"))),
        ("close-125-bytes", options(), plan(), f(0x88, close(1000, b"x" * 123))),
        ("close-empty", options(), plan(), f(0x88) + hello),
        ("control-too-long", options(), plan(), f(0x89, b"p" * 126) + hello),
        ("control-fragmented", options(), plan(), f(0x09, b"ping") + f(0x0A) + hello),
        ("reserved-opcodes", options(), plan(3),
         b"".join(f(0x80 | op, b"x") for op in (3, 4, 5, 6, 7, 11, 12, 13, 14, 15)) + hello),
        ("rsv-bits", options(), plan(), f(0xC1, b"a") + f(0xA2, b"b") + f(0x99) + f(0x01, b"c") + f(0xF0, b"d")),
        ("rsv1-deflate-allowed", options(rsv=4), plan(3), f(0x41, deflated[:3]) + f(0x80, deflated[3:])),
        ("continuation-without-start", options(), plan(), f(0x80, b"lo") + f(0x00, b"x") + hello),
        ("data-frame-inside-message", options(), plan(1),
         f(0x01, b"Hel") + f(0x00, b"l") + f(0x02, b"ab") + f(0x80, b"cd")),
        ("non-minimal-lengths", options(), plan(5),
         f(0x81, b"Hello", form=16) + f(0x82, b"b" * 125, form=16) + f(0x81, b"Hello", form=64)),
        ("length-top-bit", options(), plan(), bytes.fromhex("827f8000000000000005") + b"Hello" + hello),
        ("declared-2-to-40", options(), plan(4), bytes.fromhex("827f0000010000000000") + b"b" * 100),
        ("frame-over-tiny-limit", options(limits=1), plan(), f(0x82, b"b" * 126) + hello),
        ("message-over-limit", options(limits=3), plan(), f(0x01, b"a" * 40) + f(0x80, b"b" * 40) + hello),
        ("many-fragments-tiny-limit", options(limits=1), plan(1), f(0x01) + f(0x00) * 10 + f(0x80) + hello),
        ("data-frame-inside-message-past-limit", options(limits=1), plan(2), f(0x01) + f(0x00) * 4 + hello),
        # The flood of empty continuations that overflowed the fragment count, in miniature.
        ("empty-continuation-flood", options(limits=7), plan(2, 7),
         f(0x01) + f(0x00) * 200 + f(0x80) + hello),
        ("zero-limits", options(limits=4), plan(), f(0x81) + hello),
        ("int-max-fragments", options(limits=6), plan(3), f(0x01, b"a") + f(0x00, b"b") * 5 + f(0x80, b"c")),
        ("many-small-frames", options(), plan(240),
         b"".join(f(0x81, b"m%d" % i) for i in range(60))),
        ("incomplete-header", options(), plan(), f(0x81, b"x" * 300)[:3]),
        ("incomplete-payload-unfinished-message", options(), plan(), f(0x01, b"ab") + f(0x00, b"cdef")[:4]),
        ("big-chunks", options(keep=True), plan(256, 4096), f(0x82, bytes(i % 251 for i in range(5000)))),
        # reset() from a callback: at a violation, at the frame, at the message, at a stopping violation.
        ("reset-at-violation", options(reset=0), plan(3), f(0xC1, b"a") + hello + hello),
        ("reset-at-frame-mid-message", options(reset=1), plan(5), f(0x01, b"Hel") + f(0x80, b"lo") + hello),
        ("reset-at-message", options(reset=1), plan(2), hello + f(0x01, b"x") + hello),
        ("reset-at-utf8-inside-frame", options(reset=0), plan(4, 100), f(0x81, b"ab\xc0" + b"z" * 200) + hello),
        ("reset-at-stop", options(reset=0), plan(), bytes.fromhex("827f8000000000000005") + hello),
        ("reset-at-too-many-fragments", options(limits=1, reset=3), plan(1), f(0x01) + f(0x00) * 5 + hello),
    ]
    if key:
        seeds.append(("unmasked-from-client", options(), plan(), frame(0x81, b"Hello") + hello))
        seeds.append(("other-key", options(keep=True), plan(3), frame(0x81, b"Hello", bytes.fromhex("a1b2c3d4"))))
        seeds.append(("zero-key", options(), plan(), frame(0x81, b"Hello", bytes(4))))
    else:
        seeds.append(("masked-from-server", options(keep=True), plan(), frame(0x81, b"Hello", KEY) + hello))
    return seeds


for target, key in (("fuzz_frameparser_client", None), ("fuzz_frameparser_server", KEY)):
    for name, opts, chunks, stream in frame_seeds(key):
        write(target, name, opts + chunks + stream)


# --- The opening handshake ------------------------------------------------------------------------

def accept(key):
    guid = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    return base64.b64encode(hashlib.sha1(key + guid).digest())


WSKEY = b"dGhlIHNhbXBsZSBub25jZQ=="
requests = [
    ("rfc-example", b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
     b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://example.com\r\n"
     b"Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n"),
    ("ours", b"GET /?room=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
     b"Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\nSec-WebSocket-Version: 13\r\n"
     b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\nX-Trace: 1\r\n\r\n"),
    ("browser", b"GET /socket HTTP/1.1\r\nHost: localhost:3000\r\nConnection: Upgrade\r\nPragma: no-cache\r\n"
     b"Cache-Control: no-cache\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36\r\n"
     b"Upgrade: websocket\r\nOrigin: http://localhost:3000\r\nSec-WebSocket-Version: 13\r\n"
     b"Accept-Encoding: gzip, deflate, br\r\nAccept-Language: en-US,en;q=0.9\r\n"
     b"Cookie: session=abc; theme=dark\r\nSec-WebSocket-Key: 6nzGCn3b4jHXk8ScXh5xTw==\r\n"
     b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"),
    ("lf-only", b"GET / HTTP/1.1\nHost: a\nUpgrade: websocket\nConnection: Upgrade\n\n"),
    ("with-frame-after", b"GET / HTTP/1.1\r\nHost: a\r\n\r\n" + frame(0x81, b"Hello", KEY)),
    ("http10", b"GET / HTTP/1.0\r\nHost: a\r\n\r\n"),
    ("absolute-target", b"GET http://a.example/chat?x=1 HTTP/1.1\r\nHost: a.example\r\n\r\n"),
    ("connect-proxy", b"CONNECT echo.example:443 HTTP/1.1\r\nHost: echo.example:443\r\n\r\n"),
    ("empty-value-and-tabs", b"GET / HTTP/1.1\r\nHost:\r\nX-A:\t v \t\r\nX-B: a:b:c\r\n\r\n"),
    ("repeated-headers", b"GET / HTTP/1.1\r\nConnection: keep-alive\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"),
    ("folded-header", b"GET / HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n two\r\n\r\n"),
    ("no-colon", b"GET / HTTP/1.1\r\nHost a\r\n\r\n"),
    ("space-before-colon", b"GET / HTTP/1.1\r\nHost : a\r\n\r\n"),
    ("two-spaces-in-request-line", b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("bad-version", b"GET / HTTP/1\r\nHost: a\r\n\r\n"),
    ("tls-client-hello", bytes.fromhex("160301020001000200030312345678")),
    ("leading-blank-line", b"\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("incomplete", b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: webso"),
    ("bare-cr-in-value", b"GET / HTTP/1.1\r\nHost: a\rX-Injected: 1\r\n\r\n"),
    ("utf8-and-controls", "GET /caf\u00e9 HTTP/1.1\r\nX-Name: \u00e9t\u00e9\x01\x7f\r\n\r\n".encode("utf-8")),
    ("long-header", b"GET / HTTP/1.1\r\nX-Big: " + b"v" * 300 + b"\r\n\r\n"),
]
for i, (name, data) in enumerate(requests):
    # Options bits 0-1: header limit 16 KiB, 64, 200 or 1 (fuzz_requestparser.cpp).
    limit = 1 if name == "long-header" else 2 if name == "browser" else 0
    chunks = plan() if i % 3 == 0 else plan(1 + i * 7 % 40) if i % 3 == 1 else plan(2, 13)
    write("fuzz_requestparser", name, bytes([limit]) + chunks + data)

ACCEPT = accept(WSKEY)
responses = [
    ("101", b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
     b"Sec-WebSocket-Accept: " + ACCEPT + b"\r\n\r\n"),
    ("101-then-frames", b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
     b"Sec-WebSocket-Accept: " + ACCEPT + b"\r\nSec-WebSocket-Protocol: chat\r\n\r\n" + frame(0x81, b"Hello")),
    ("101-deflate", b"HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nconnection: upgrade\r\n"
     b"sec-websocket-accept: " + ACCEPT + b"\r\n"
     b"Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=15\r\n\r\n"),
    ("101-no-reason-lf", b"HTTP/1.1 101\nUpgrade: websocket\nConnection: Upgrade\n\n"),
    ("400-content-length", b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\n"
     b"Bad Request"),
    ("404-until-close", b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<h1>Not Found</h1>"),
    ("200-chunked", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
    ("204", b"HTTP/1.1 204 No Content\r\n\r\n" + frame(0x81, b"x")),
    ("304", b"HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n"),
    ("100-continue-then-101", b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 101 Switching Protocols\r\n\r\n"),
    ("content-length-0", b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n"),
    ("conflicting-lengths", b"HTTP/1.1 400 Bad\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
    ("same-length-twice", b"HTTP/1.1 400 Bad\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
    ("invalid-length", b"HTTP/1.1 400 Bad\r\nContent-Length: -1\r\n\r\n"),
    ("huge-length", b"HTTP/1.1 400 Bad\r\nContent-Length: 99999999999999999999\r\n\r\nx"),
    ("folded-header", b"HTTP/1.1 101 Switching Protocols\r\nX-Long: one\r\n\ttwo\r\n   \r\nUpgrade: websocket\r\n\r\n"),
    ("malformed-status", b"HTTP/1.1 10 OK\r\n\r\n"),
    ("http2-preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
    ("ssh", b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"),
    ("tls-alert", bytes.fromhex("15030300020250")),
    ("incomplete-head", b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConne"),
    ("body-over-limit", b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2000\r\n\r\n" + b"e" * 1200),
    ("header-over-limit", b"HTTP/1.1 101 Switching Protocols\r\nX-Padding: " + b"p" * 400 + b"\r\n\r\n"),
]
for i, (name, data) in enumerate(responses):
    # Options bits 0-1 header limit (16 KiB, 64, 300, 1), bits 2-3 body limit (64 KiB, 0, 10, 1000),
    # bit 4 finish() at the end (fuzz_responseparser.cpp).
    opts = 0
    if name in ("404-until-close", "incomplete-head", "200-chunked"):
        opts |= 0x10
    if name == "header-over-limit":
        opts |= 2
    if name == "body-over-limit":
        opts |= 3 << 2
    if name == "400-content-length":
        opts |= 2 << 2
    chunks = plan() if i % 3 == 0 else plan(1 + i * 11 % 50) if i % 3 == 1 else plan(5, 1, 64)
    write("fuzz_responseparser", name, bytes([opts]) + chunks + data)


# --- Session files ------------------------------------------------------------------------------

T0 = 1795239000123456  # 2026-11-21T05:30:00.123456Z


def iso(us):
    import datetime
    t = datetime.datetime.fromtimestamp(us // 1000000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % (us % 1000000)


def line(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n"


def event(offset, conn, direction, kind, **fields):
    us = T0 + offset
    return line({"time": iso(us), "us": us, "conn": conn, "dir": direction, "kind": kind, **fields})


def frame_event(offset, direction, header_hex, payload, text=None):
    h = bytes.fromhex(header_hex)
    fields = {"fin": bool(h[0] & 0x80), "rsv1": bool(h[0] & 0x40), "rsv2": bool(h[0] & 0x20),
              "rsv3": bool(h[0] & 0x10), "opcode": h[0] & 0xF, "type": "text", "masked": bool(h[1] & 0x80),
              "mask_key": None, "len": len(payload), "len_form": 7, "header": header_hex}
    if text is not None:
        fields["text"] = text
    else:
        fields["b64"] = base64.b64encode(payload).decode()
    return event(offset, 1, direction, "frame", **fields)


HEADER = line({"format": "wsinspector-session", "version": 1, "created": iso(T0), "tool": "wsinspector-cli 0.1.0",
               "url": "ws://127.0.0.1:8080/"})
request = requests[1][1].decode()
response = responses[0][1].decode()
session = [
    event(0, 1, "local", "state", state="CONNECTING", message="CONNECTING to ws://127.0.0.1:8080/"),
    event(1, 1, "out", "handshake-request", raw=request),
    event(2, 1, "in", "handshake-response", raw=response),
    event(3, 1, "local", "state", state="OPEN", message="OPEN"),
    frame_event(4, "out", "81851a2b3c4d", b"hello", "hello"),
    frame_event(5, "in", "8105", b"hello", "hello"),
    frame_event(6, "in", "0103", b"\xe2\x82"),
    frame_event(7, "in", "8001", b"\xac"),
    frame_event(8, "in", "8900", b""),
    frame_event(9, "in", "c900", b""),
    event(10, 1, "in", "violation", rule="reserved-bits-set", rfc="5.2", close_code=1002,
          message="RSV1 set on a ping frame without a negotiated extension that defines it", header="c900"),
    frame_event(11, "out", "88820a0b0c0d", b"\x03\xea"),
    frame_event(12, "in", "8802", b"\x03\xe8"),
    event(13, 1, "local", "state", state="CLOSED", message="CLOSED: 1000 Normal Closure", close_code=1000,
          was_clean=True),
]
write("fuzz_sessionfile", "session.jsonl", HEADER + b"".join(session))
write("fuzz_sessionfile", "no-header.jsonl", b"".join(session[4:8]))
write("fuzz_sessionfile", "header-only.jsonl", HEADER)
write("fuzz_sessionfile", "header-extra-fields.jsonl",
      line({"format": "wsinspector-session", "version": 1, "created": iso(T0), "note": "x", "n": [1, {"a": None}]})
      + session[4])
write("fuzz_sessionfile", "newer-version.jsonl", line({"format": "wsinspector-session", "version": 2}) + session[5])
write("fuzz_sessionfile", "other-format.jsonl", line({"format": "har", "version": 1}) + session[5])
write("fuzz_sessionfile", "cut-short.jsonl", HEADER + b"".join(session[:5]) + session[5][:40])
write("fuzz_sessionfile", "crlf.jsonl", (HEADER + b"".join(session[4:6])).replace(b"\n", b"\r\n"))
write("fuzz_sessionfile", "blank-lines.jsonl", HEADER + b"\n   \n" + session[5] + b"\n")
write("fuzz_sessionfile", "invalid-utf8-text.jsonl",
      HEADER + event(1, 1, "in", "frame", fin=True, rsv1=False, rsv2=False, rsv3=False, opcode=1, type="text",
                     masked=False, mask_key=None, len=2, len_form=7, header="8102", b64="wK8=", invalid_utf8=True))
write("fuzz_sessionfile", "escapes.jsonl",
      HEADER + event(1, 1, "in", "frame", header="8106", text="\u0000\u001b\"\\\u202e\U0001F600")
      + b'{"us":1,"conn":1,"dir":"in","kind":"frame","header":"8103","text":"\\ud800x"}\n'
      + event(2, 1, "local", "error", message="line\nbreak\ttab")
      + event(3, 1, "local", "tls", message="TLS 1.3, TLS_AES_256_GCM_SHA384"))
write("fuzz_sessionfile", "binary-and-64bit-header.jsonl",
      HEADER + event(1, 2, "out", "frame", header="82ff000000000001000037fa213d",
                     b64=base64.b64encode(bytes(range(256))).decode())
      + event(2, 2, "in", "handshake-response", raw_b64=base64.b64encode(b"HTTP/1.1 101 \xff\r\n\r\n").decode()))
write("fuzz_sessionfile", "close-frames.jsonl",
      HEADER + frame_event(1, "in", "8805", b"\x03\xe8bye") + frame_event(2, "in", "8801", b"\x03")
      + frame_event(3, "in", "8800", b""))
write("fuzz_sessionfile", "violations.jsonl", HEADER + b"".join(
      event(i, 1, "in", "violation", rule=rule, close_code=code, message=msg, **({"header": h} if h else {}))
      for i, (rule, code, msg, h) in enumerate([
          ("too-many-fragments", 1009, "text message has more than 3 fragments", "0000"),
          ("frame-too-big", 1009, "binary frame declares a 2^40-byte payload", "827f0000010000000000"),
          ("handshake-failed", None, "Sec-WebSocket-Accept mismatch", None),
          ("data-after-close", 1002, "text frame after the close frame", "8100"),
          ("none", 0, "", None)])))
write("fuzz_sessionfile", "bad-lines.jsonl", HEADER + b"".join([
    b'{"kind":\n',
    b'{"us":1,"conn":1,"dir":"in","kind":"framez"}\n',
    b'{"kind":"error","us":1.5,"conn":1,"dir":"in"}\n',
    b'{"kind":"frame","us":1,"conn":1,"dir":"in","header":"817e00","b64":""}\n',
    b'{"kind":"frame","us":1,"conn":1,"dir":"in","header":"8200","b64":"@@"}\n',
    b'{"kind":"state","us":1,"conn":1,"dir":"local","state":"HALF-OPEN"}\n',
    b'{"kind":"violation","us":1,"conn":1,"dir":"in","rule":"none","close_code":70000,"message":""}\n',
    b'[1,2,3]\n',
    b'\xff\xfe{"kind":"error"}\n',
]))
write("fuzz_sessionfile", "extreme-numbers.jsonl", HEADER + b"".join([
    event(0, 4294967295, "local", "error", message="max conn"),
    line({"time": "", "us": -9223372036854775807, "conn": 0, "dir": "local", "kind": "error", "message": "min"}),
    line({"time": "", "us": 9223372036854775807, "conn": 0, "dir": "local", "kind": "error", "message": "max"}),
    line({"time": "", "us": 253402300800000000, "conn": 0, "dir": "local", "kind": "tls", "message": "year 10000"}),
]))
write("fuzz_sessionfile", "empty.jsonl", b"")


# --- HAR files (fuzz_harreader) -----------------------------------------------------------------

def har(entries, **log):
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
                               "entries": entries, **log}}, indent=2).encode()


def har_entry(url, messages=None, status=101, started="2026-11-21T05:30:00.123Z", **extra):
    entry = {"startedDateTime": started, "time": 12.5, "_resourceType": "websocket",
             "request": {"method": "GET", "url": url, "httpVersion": "HTTP/1.1",
                         "headers": [{"name": "Host", "value": "example.com"}, {"name": "Upgrade", "value": "websocket"}],
                         "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
             "response": {"status": status, "statusText": "Switching Protocols", "httpVersion": "HTTP/1.1",
                          "headers": [{"name": "Upgrade", "value": "websocket"}], "cookies": [],
                          "content": {"size": 0, "mimeType": "x-unknown"}, "redirectURL": "", "headersSize": -1, "bodySize": -1},
             "cache": {}, "timings": {"blocked": -1, "dns": -1, "ssl": -1, "connect": -1, "send": 0, "wait": 2, "receive": 10}, **extra}
    if messages is not None:
        entry["_webSocketMessages"] = messages
    return entry


CHROME_MESSAGES = [
    {"type": "send", "time": 1795239000.2, "opcode": 1, "data": '{"op":"subscribe","id":1}'},
    {"type": "receive", "time": 1795239000.25, "opcode": 1, "data": "caf\u00e9 \u2713"},
    {"type": "receive", "time": 1795239000.3, "opcode": 2, "data": base64.b64encode(bytes(range(8))).decode()},
    {"type": "error", "time": 1795239000.4, "opcode": -1, "data": "net::ERR_CONNECTION_RESET"},
]
write("fuzz_harreader", "chrome.har", har([har_entry("https://example.com/", status=200), har_entry("wss://example.com/ws?x=1", CHROME_MESSAGES)]))
write("fuzz_harreader", "firefox.har", har([har_entry("ws://localhost:8080/", started="2026-11-21T07:30:00.500+02:00",
                                                      _securityState="insecure", connection="8080")], version="1.1"))
write("fuzz_harreader", "own-events.har", har([{
    "_resourceType": "websocket", "_wsinspectorConnection": 3, "_wsinspectorOrder": [0, 1, 2],
    "_webSocketMessages": [],
    "_wsinspectorEvents": [
        {"time": "2026-11-21T05:30:00.123456Z", "us": 1795239000123456, "conn": 3, "dir": "out", "kind": "frame",
         "fin": True, "rsv1": False, "rsv2": False, "rsv3": False, "masked": True, "opcode": 1, "type": "text",
         "mask_key": "37fa213d", "len": 5, "len_form": 7, "header": "818537fa213d", "text": "Hello"},
        {"time": "2026-11-21T05:30:00.123456Z", "us": 1795239000123457, "conn": 3, "dir": "in", "kind": "frame",
         "fin": False, "rsv1": False, "rsv2": False, "rsv3": False, "masked": False, "opcode": 2, "type": "binary",
         "mask_key": None, "len": 2, "len_form": 7, "header": "0202", "b64": "AP8="},
        {"time": "2026-11-21T05:30:00.123456Z", "us": 1795239000123458, "conn": 3, "dir": "local", "kind": "error",
         "message": "cut"}]}], _wsinspectorSession={"format": "wsinspector-session", "version": 1, "url": "ws://h/"}))
write("fuzz_harreader", "bad-messages.har", har([har_entry("ws://h/", [
    {"type": "receive", "time": 1, "opcode": 2, "data": "@@@"},
    {"type": "sent", "time": 1, "opcode": 1, "data": ""},
    {"type": "send", "time": "1", "opcode": 1, "data": ""},
    {"type": "send", "time": 1e300, "opcode": 99, "data": ""},
    "not an object"])]))
write("fuzz_harreader", "no-websocket.har", har([har_entry("https://example.com/", status=200, _resourceType="document")]))
write("fuzz_harreader", "not-har.json", b'{"entries":[]}')
