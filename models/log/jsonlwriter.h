#pragma once

#include "log/eventtime.h"
#include "log/wireevent.h"

#include <QByteArray>
#include <QByteArrayView>

// Writes WireEvents as jsonl: one JSON object per line, for scripts, session files and the
// command line's --json output. Output is appended to a caller-owned QByteArray so a printer can
// batch many events into one write; nothing builds a QString or a QJsonDocument, because the
// command-line companion prints about a million frames a second. Machine output keeps the exact
// bytes: no display rule here (JsonlReader reads it back).
//
// jsonl schema, version 1. Every line is one object; fields appear in this order; fields marked
// "if" are absent otherwise. Byte strings go out as JSON strings only when they are valid UTF-8;
// otherwise the same field name with a "_b64" suffix carries them in base64, so no invalid UTF-8
// is ever emitted.
//
//   every event  time       "2026-11-21T05:30:00.123456Z" (UTC, microseconds)
//                us         microseconds since the Unix epoch (int)
//                conn       connection id (int)
//                leg        relays only: "app" (the application's connection to the inspector) or
//                           "server" (the inspector's connection to the server); dir is then as
//                           seen by the inspector on that leg
//                dir        "in" (peer -> us), "out" (us -> peer), "local"
//                kind       "handshake-request", "handshake-response", "frame", "violation", "state",
//                           "tls", "error"
//                payload_dropped  true if the window's memory budget dropped this event's payload
//                           before it was saved: its byte fields are then empty (window only)
//   frame        fin, rsv1, rsv2, rsv3, masked (bools); opcode (int 0-15); type ("text", "binary",
//                "continuation", "close", "ping", "pong", "reserved-3" ... "reserved-15");
//                mask_key ("1a2b3c4d" or null); len (declared length); len_form (7, 16 or 64);
//                header (lowercase hex of the exact header bytes);
//                compressed: true (if the frame belongs to a permessage-deflate compressed message;
//                its payload fields then carry the compressed bytes as on the wire, always as b64,
//                and len is their length); on a compressed message's final frame, if it inflated:
//                inflated_len (int) and inflated (the whole message inflated, or inflated_b64);
//                close frames: close_code (int, null when the payload has no code), close_name
//                (registry name, if a code), close_reason (or close_reason_b64);
//                payload last: text (text frames whose payload is valid UTF-8) or b64 (everything
//                else, unmasked), and invalid_utf8: true on text frames carried as b64 because
//                their bytes are not UTF-8 (a first fragment cut inside a code point is not).
//   violation    rule (Violation::ruleId), rfc (section), close_code (what a strict peer answers
//                with; null: none), message (or message_b64), header (hex, if a frame broke it)
//   handshake-*  raw (the exact bytes) or raw_b64
//   state        state ("CONNECTING", "OPEN", "CLOSING", "CLOSED"), message (or message_b64),
//                if CLOSED: close_code (int), was_clean (bool)
//   tls, error   message (or message_b64)
// wsinspector-cli adds "decoded" (an object, DecodedJson) as the last field of a data
// message's final frame when --decode reads it as a protocol on top (Socket.IO, STOMP, ...).
// wsinspector-cli --serve adds two kinds that never appear in session files: "message" (a whole
// message as Qt's server reports it: type, text or b64) and "listening" (url, mode; the first line).
//
class JsonlWriter {
public:
    // One JSON object followed by '\n'.
    void append(QByteArray &out, const WireEvent &event);
    QByteArray toJson(const WireEvent &event)
    {
        QByteArray out;
        append(out, event);
        return out;
    }

    // Appends `utf8` as a quoted JSON string if it is valid UTF-8 and returns true; otherwise appends
    // nothing and returns false.
    static bool appendJsonString(QByteArray &out, QByteArrayView utf8);

private:
    EventTime m_time;
};
