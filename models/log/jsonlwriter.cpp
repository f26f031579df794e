#include "log/jsonlwriter.h"

#include "log/apicall.h"
#include "log/interceptnote.h"
#include "log/outbuffer.h"
#include "log/payloadpreview.h"
#include "protocol/closecodes.h"
#include "text/bytescan.h"
#include "text/utf8validator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtEndian>

#include <array>
#include <cstring>

namespace {

constexpr char Base64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The two base64 digits of every 12-bit value: one look-up per 12 bits instead of one per 6.
constexpr auto Base64Pairs = [] {
    std::array<char, 2 * 4096> pairs {};
    for (int v = 0; v < 4096; ++v) {
        pairs[2 * v] = Base64Alphabet[v >> 6];
        pairs[2 * v + 1] = Base64Alphabet[v & 63];
    }
    return pairs;
}();

// Writes the body of a JSON string (no quotes). Returns false at the first invalid UTF-8 byte; the
// caller then rewinds.
bool putJsonBody(OutBuffer &o, QByteArrayView bytes)
{
    const auto *s = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype n = bytes.size();
    constexpr qsizetype Block = 4096;
    qsizetype i = 0;
    while (i < n) {
        const qsizetype stop = std::min(n, i + Block);
        // Worst case 6 output bytes per input byte (\u00XX); a sequence may run 3 bytes past stop.
        o.need((stop - i) * 6 + 8);
        while (i < stop) {
            // Most text needs no escaping: copy the plain run in one go (it fits: the room is for 6x).
            const qsizetype plain = ByteScan::copyJsonPlainRun(o.cursor(), s + i, stop - i);
            o.advance(plain);
            i += plain;
            if (i >= stop)
                break;
            const uchar c = s[i];
            if (c >= 0x80) {
                char32_t codePoint;
                const int len = Utf8Validator::decode(s + i, n - i, codePoint);
                if (!len)
                    return false;
                o.put(reinterpret_cast<const char *>(s + i), len);
                i += len;
                continue;
            }
            o.put('\\');
            switch (c) {
            case '"':
                o.put('"');
                break;
            case '\\':
                o.put('\\');
                break;
            case '\n':
                o.put('n');
                break;
            case '\r':
                o.put('r');
                break;
            case '\t':
                o.put('t');
                break;
            default:
                o.lit("u00");
                o.putHexByte(c);
            }
            ++i;
        }
    }
    return true;
}

void putBase64Body(OutBuffer &o, QByteArrayView bytes)
{
    const auto *s = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype n = bytes.size();
    o.need((n + 2) / 3 * 4 + 4);
    qsizetype i = 0;
    // Binary payloads and compressed frames go out this way, every byte of them: 6 bytes make 8
    // digits from one 8-byte load, which reads 2 bytes past the 6 and so stops 2 bytes short.
    char *out = o.cursor();
    for (; i + 8 <= n; i += 6) {
        const quint64 v = qFromBigEndian<quint64>(s + i) >> 16;
        std::memcpy(out, &Base64Pairs[2 * (v >> 36)], 2);
        std::memcpy(out + 2, &Base64Pairs[2 * ((v >> 24) & 0xFFF)], 2);
        std::memcpy(out + 4, &Base64Pairs[2 * ((v >> 12) & 0xFFF)], 2);
        std::memcpy(out + 6, &Base64Pairs[2 * (v & 0xFFF)], 2);
        out += 8;
    }
    o.advance(out - o.cursor());
    char quad[4];
    for (; i + 3 <= n; i += 3) {
        const quint32 v = (quint32(s[i]) << 16) | (quint32(s[i + 1]) << 8) | s[i + 2];
        quad[0] = Base64Alphabet[v >> 18];
        quad[1] = Base64Alphabet[(v >> 12) & 63];
        quad[2] = Base64Alphabet[(v >> 6) & 63];
        quad[3] = Base64Alphabet[v & 63];
        o.put(quad, 4);
    }
    if (i < n) {
        const quint32 v = (quint32(s[i]) << 16) | (i + 1 < n ? quint32(s[i + 1]) << 8 : 0);
        quad[0] = Base64Alphabet[v >> 18];
        quad[1] = Base64Alphabet[(v >> 12) & 63];
        quad[2] = i + 1 < n ? Base64Alphabet[(v >> 6) & 63] : '=';
        quad[3] = '=';
        o.put(quad, 4);
    }
}

// ,"name":"escaped" when valid UTF-8, else ,"name_b64":"base64". `name` is a C string literal.
void putTextField(OutBuffer &o, const char *name, QByteArrayView bytes)
{
    const qsizetype mark = o.offset();
    const auto nameLength = qsizetype(std::strlen(name));
    o.need(nameLength + 12);
    o.lit(",\"");
    o.put(name, nameLength);
    o.lit("\":\"");
    if (putJsonBody(o, bytes)) {
        o.need(1);
        o.put('"');
        return;
    }
    o.rewind(mark);
    o.need(nameLength + 16);
    o.lit(",\"");
    o.put(name, nameLength);
    o.lit("_b64\":\"");
    putBase64Body(o, bytes);
    o.put('"');
}

// {"time":"...","us":...,"conn":...[,"leg":"..."],"dir":"...","kind":"..."  (the object stays open)
void putJsonPrefix(OutBuffer &o, const char *isoSecond, quint32 micro, qint64 timeUs, quint32 connectionId,
    Leg leg, Direction direction, const char *kind)
{
    o.need(160);
    o.lit("{\"time\":\"");
    o.put(isoSecond, 19);
    o.put('.');
    o.putDigits(micro, 6);
    o.lit("Z\",\"us\":");
    o.putInt(timeUs);
    o.lit(",\"conn\":");
    o.putUInt(connectionId);
    if (leg != Leg::None) {
        o.lit(",\"leg\":\"");
        const char *name = legKey(leg);
        o.put(name, qsizetype(std::strlen(name)));
        o.put('"');
    }
    o.lit(",\"dir\":\"");
    const char *dir = directionKey(direction);
    o.put(dir, qsizetype(std::strlen(dir)));
    o.lit("\",\"kind\":\"");
    o.put(kind, qsizetype(std::strlen(kind)));
    o.put('"');
}

} // namespace

bool JsonlWriter::appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    const qsizetype size = out.size();
    bool ok;
    {
        OutBuffer o(out, utf8.size() + 2);
        o.put('"');
        ok = putJsonBody(o, utf8);
        if (ok) {
            o.need(1);
            o.put('"');
        }
    }
    if (!ok)
        out.truncate(size);
    return ok;
}

void JsonlWriter::append(QByteArray &out, const WireEvent &e)
{
    OutBuffer o(out, 448 + e.header.size() * 2 + e.payload.size() + e.payload.size() / 2);
    qint64 second;
    quint32 micro;
    EventTime::split(e.timeUs, second, micro);
    putJsonPrefix(o, m_time.isoSecond(second), micro, e.timeUs, e.connectionId, e.leg, e.direction, eventKindKey(e.kind));
    if (e.payloadDropped) // the bytes below are empty because the memory budget dropped them
        o.text(",\"payload_dropped\":true");

    switch (e.kind) {
    case EventKind::Frame: {
        const FrameHeader &f = e.frame;
        o.lit(",\"fin\":");
        o.putBool(f.fin);
        o.lit(",\"rsv1\":");
        o.putBool(f.rsv & Rsv::Rsv1);
        o.lit(",\"rsv2\":");
        o.putBool(f.rsv & Rsv::Rsv2);
        o.lit(",\"rsv3\":");
        o.putBool(f.rsv & Rsv::Rsv3);
        o.lit(",\"opcode\":");
        o.putUInt(f.opcode & 0xF);
        o.lit(",\"type\":\"");
        const char *type = Opcode::key(f.opcode);
        o.put(type, qsizetype(std::strlen(type)));
        o.lit("\",\"masked\":");
        o.putBool(f.masked);
        if (f.masked) {
            o.lit(",\"mask_key\":\"");
            for (int shift = 24; shift >= 0; shift -= 8)
                o.putHexByte(uchar(f.maskingKey >> shift));
            o.put('"');
        } else {
            o.lit(",\"mask_key\":null");
        }
        o.lit(",\"len\":");
        o.putUInt(f.declaredLength);
        o.lit(",\"len_form\":");
        o.putUInt(quint64(lengthFormBits(f.lengthForm)));
        o.lit(",\"header\":\"");
        o.putHex(e.header, false);
        o.put('"');
        if (e.compressed)
            o.text(",\"compressed\":true");
        if (e.relayDelayUs == WireEvent::RelayHeld) {
            o.text(",\"relay_held\":true");
        } else if (e.relayDelayUs >= 0) {
            o.text(",\"relay_us\":");
            o.need(12);
            o.putUInt(quint64(e.relayDelayUs));
        }
        if (e.hasInflated) {
            o.text(",\"inflated_len\":");
            o.need(20);
            o.putUInt(quint64(e.inflated.size()));
            putTextField(o, "inflated", e.inflated);
        }

        if ((f.opcode & 0xF) == Opcode::Close) {
            if (e.payload.size() >= 2) {
                const quint16 code = quint16((uchar(e.payload[0]) << 8) | uchar(e.payload[1]));
                o.text(",\"close_code\":");
                o.need(8);
                o.putUInt(code);
                const CloseCodeInfo info = CloseCodes::info(code);
                if (!info.name.isEmpty()) {
                    o.text(",\"close_name\":");
                    o.putJsonString(info.name);
                }
                putTextField(o, "close_reason", e.payload.sliced(2));
            } else {
                o.text(",\"close_code\":null");
            }
        }

        // A compressed frame's bytes are DEFLATE data, never text: b64, without an invalid_utf8 verdict.
        if ((f.opcode & 0xF) == Opcode::Text && !e.compressed) {
            const qsizetype mark = o.offset();
            o.need(10);
            o.lit(",\"text\":\"");
            if (putJsonBody(o, e.payload)) {
                o.need(3);
                o.lit("\"}\n");
                return;
            }
            o.rewind(mark);
            o.text(",\"b64\":\"");
            putBase64Body(o, e.payload);
            // A first fragment cut inside a code point goes as b64 too, but is not invalid.
            o.str(PayloadPreview::breaksUtf8(e.payload, f.fin) ? "\",\"invalid_utf8\":true}\n" : "\"}\n");
            return;
        }
        o.text(",\"b64\":\"");
        putBase64Body(o, e.payload);
        o.need(3);
        o.lit("\"}\n");
        return;
    }
    case EventKind::Violation:
        o.lit(",\"rule\":");
        o.putJsonString(Violation::ruleId(e.violation));
        o.text(",\"rfc\":");
        o.putJsonString(Violation::rfcSection(e.violation));
        o.text(",\"close_code\":");
        o.need(8);
        if (e.closeCode)
            o.putUInt(e.closeCode);
        else
            o.lit("null");
        putTextField(o, "message", e.payload);
        if (!e.header.isEmpty()) {
            o.text(",\"header\":\"");
            o.putHex(e.header, false);
            o.put('"');
        }
        break;
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        putTextField(o, "raw", e.payload);
        break;
    case EventKind::StateChange: {
        o.lit(",\"state\":\"");
        const char *state = readyStateKey(e.state);
        o.put(state, qsizetype(std::strlen(state)));
        o.put('"');
        putTextField(o, "message", e.payload);
        if (e.state == ReadyState::Closed) {
            o.text(",\"close_code\":");
            o.need(24);
            o.putUInt(e.closeCode);
            o.lit(",\"was_clean\":");
            o.putBool(e.wasClean);
        }
        break;
    }
    case EventKind::TlsInfo:
    case EventKind::Error:
        putTextField(o, "message", e.payload);
        break;
    case EventKind::Api:
        // Rare (one per signal of a Qt engine): parsed again rather than trusted as it was stored.
        if (const std::optional<ApiCall> call = ApiCall::fromJson(e.payload)) {
            o.text(",\"signal\":");
            o.putJsonString(call->signal);
            const QByteArray args = QJsonDocument(call->args).toJson(QJsonDocument::Compact);
            o.text(",\"args\":");
            o.need(args.size());
            o.put(args);
            if (!call->note.isEmpty()) {
                o.text(",\"note\":");
                o.putJsonString(call->note);
            }
        } else {
            o.text(",\"signal\":\"?\",\"args\":[]");
            putTextField(o, "message", e.payload);
        }
        break;
    case EventKind::Intercept:
        if (const std::optional<InterceptNote> note = InterceptNote::fromJson(e.payload)) {
            o.text(",\"action\":\"");
            o.str(InterceptNote::actionKey(note->action));
            o.text("\",\"message_id\":");
            o.need(12);
            o.putUInt(note->message);
            o.text(",\"rules\":[");
            for (qsizetype i = 0; i < note->rules.size(); ++i) {
                if (i)
                    o.text(",");
                o.need(12);
                o.putUInt(quint64(qMax(0, note->rules[i])));
            }
            o.text("]");
            if (note->hold) {
                o.text(",\"hold\":");
                o.need(12);
                o.putUInt(note->hold);
                o.text(",\"opcode\":");
                o.need(4);
                o.putUInt(note->opcode);
                if (!note->fin)
                    o.text(",\"fin\":false");
                o.text(",\"b64\":\"");
                putBase64Body(o, note->payload);
                o.text("\"");
            }
            o.text(",\"message\":");
            o.putJsonString(note->detail);
        } else {
            o.text(",\"action\":\"?\"");
            putTextField(o, "message", e.payload);
        }
        break;
    }
    o.text("}\n");
}

