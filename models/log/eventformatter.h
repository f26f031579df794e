#pragma once

#include "log/wireevent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <limits>

// Turns WireEvents into text: one JSON object per line (jsonl, for scripts and session files) or one
// readable line (the command line's default). Output is appended to a caller-owned QByteArray so a
// printer can batch many events into one write; the JSON path never builds a QString or a
// QJsonDocument, because the command-line companion prints about a million frames a second.
//
// jsonl schema, version 1. Every line is one object; fields appear in this order; fields marked
// "if" are absent otherwise. Byte strings go out as JSON strings only when they are valid UTF-8;
// otherwise the same field name with a "_b64" suffix carries them in base64, so no invalid UTF-8
// is ever emitted.
//
//   every event  time       "2026-11-21T05:30:00.123456Z" (UTC, microseconds)
//                us         microseconds since the Unix epoch (int)
//                conn       connection id (int)
//                dir        "in" (peer -> us), "out" (us -> peer), "local"
//                kind       "handshake-request", "handshake-response", "frame", "violation", "state",
//                           "tls", "error"
//   frame        fin, rsv1, rsv2, rsv3, masked (bools); opcode (int 0-15); type ("text", "binary",
//                "continuation", "close", "ping", "pong", "reserved-3" ... "reserved-15");
//                mask_key ("1a2b3c4d" or null); len (declared length); len_form (7, 16 or 64);
//                header (lowercase hex of the exact header bytes);
//                close frames: close_code (int, null when the payload has no code), close_name
//                (registry name, if a code), close_reason (or close_reason_b64);
//                payload last: text (text frames whose payload is valid UTF-8) or b64 (everything
//                else, unmasked), and invalid_utf8: true on text frames carried as b64.
//   violation    rule (Violation::ruleId), rfc (section), close_code (what a strict peer answers
//                with; null: none), message (or message_b64), header (hex, if a frame broke it)
//   handshake-*  raw (the exact bytes) or raw_b64
//   state        state ("CONNECTING", "OPEN", "CLOSING", "CLOSED"), message (or message_b64),
//                if CLOSED: close_code (int), was_clean (bool)
//   tls, error   message (or message_b64)
// wsinspector-cli --serve adds two kinds that never appear in session files: "message" (a whole
// message as Qt's server reports it: type, text or b64) and "listening" (url, mode; the first line).
//
// Text format, one line per event (UTC time):
//   05:30:00.123456 #1 <- text   FIN rsv=000 op=1 mask=- len=5 (7-bit) hdr=81 05  "Hello"
// "<-" incoming, "->" outgoing, "--" local. Control characters are escaped, long payloads are cut
// with a note of their total length, invalid UTF-8 and binary payloads are shown as hex, and
// handshakes (and other multi-line texts) are printed as indented lines below the event's line.

// A WireEvent read back from a jsonl line, owning the bytes its views point to.
class StoredEvent {
public:
    WireEvent fields; // header and payload views left empty: use event()
    QByteArray header;
    QByteArray payload;

    // The event with header/payload pointing into this object (valid while it lives unchanged).
    WireEvent event() const
    {
        WireEvent e = fields;
        e.header = header;
        e.payload = payload;
        return e;
    }
};

class EventFormatter {
public:
    struct TextLimits {
        qsizetype maxTextBytes = 200; // UTF-8 payload bytes shown before cutting
        qsizetype maxHexBytes = 48; // binary / invalid UTF-8 bytes shown as hex before cutting
        qsizetype maxBlockBytes = 16 * 1024; // handshake, tls and other multi-line blocks
    };

    EventFormatter() = default;

    void setTextLimits(const TextLimits &limits) { m_limits = limits; }
    const TextLimits &textLimits() const { return m_limits; }

    // One JSON object followed by '\n'.
    void appendJson(QByteArray &out, const WireEvent &event);
    // One readable line (more for multi-line events), each ending in '\n'.
    void appendText(QByteArray &out, const WireEvent &event);

    QByteArray toJson(const WireEvent &event)
    {
        QByteArray out;
        appendJson(out, event);
        return out;
    }
    QByteArray toText(const WireEvent &event)
    {
        QByteArray out;
        appendText(out, event);
        return out;
    }

    // A whole message from a peer that reports messages rather than frames (the embedded server,
    // which is Qt's QWebSocketServer): {..."kind":"message","type":"text","text":"..."} with "b64"
    // (and "invalid_utf8") as for frames; text: "#1 <- message text   len=5  "Hello"".
    void appendMessageJson(
        QByteArray &out, qint64 timeUs, quint32 connectionId, Direction direction, bool isText, QByteArrayView payload);
    void appendMessageText(
        QByteArray &out, qint64 timeUs, quint32 connectionId, Direction direction, bool isText, QByteArrayView payload);

    // Parses one jsonl line (with or without its '\n') back into an event. On failure returns false
    // and sets `error` to what is wrong ("not valid JSON: ...", "unknown kind \"framez\"", ...).
    static bool parseJsonLine(QByteArrayView line, StoredEvent &out, QString &error);

    // "2026-11-21T05:30:00.123456Z"
    static QByteArray isoTime(qint64 timeUs);
    // Appends `utf8` as a quoted JSON string if it is valid UTF-8 and returns true; otherwise appends
    // nothing and returns false.
    static bool appendJsonString(QByteArray &out, QByteArrayView utf8);
    // The opcode names of Opcode::name(), as static C strings for the hot path.
    static const char *opcodeName(quint8 opcode);

private:
    // Date and time up to the second of the last event: events mostly share a second.
    struct TimeCache {
        qint64 second = std::numeric_limits<qint64>::min();
        char iso[20] = {}; // "2026-11-21T05:30:00"
    };
    const char *isoSecond(qint64 second);

    TimeCache m_time;
    TextLimits m_limits;
};
