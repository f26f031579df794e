#include "log/textformatter.h"

#include "log/apicall.h"
#include "log/interceptnote.h"
#include "log/outbuffer.h"
#include "log/payloadpreview.h"
#include "protocol/closecodes.h"
#include "text/utf8validator.h"

namespace {

void putTotalNote(OutBuffer &o, qsizetype shown, qsizetype total)
{
    if (shown >= total)
        return;
    o.text("... (");
    o.need(24);
    o.putUInt(quint64(total));
    o.text(" bytes)");
}

void putHexPreview(OutBuffer &o, QByteArrayView bytes, qsizetype maxBytes)
{
    const qsizetype shown = std::min(bytes.size(), maxBytes);
    o.putHex(bytes.first(shown), true);
    if (shown < bytes.size())
        o.text(" ");
    putTotalNote(o, shown, bytes.size());
}

// "Hello" or "Hello wor"... (5000 bytes): peer bytes between quotes, by the display rule.
void putQuotedPreview(OutBuffer &o, QByteArrayView bytes, qsizetype maxChars)
{
    o.text("\"");
    const DisplayText::Result shown = o.putDisplayText(bytes, { DisplayText::Lines::Single, maxChars, true });
    o.text("\"");
    putTotalNote(o, shown.consumed, bytes.size());
}

// The lines of `bytes` after the event line, each indented by four spaces and shown by the display
// rule with `lines` (Http for a handshake: CR LF ends a line, a bare LF shows as \n). Trailing
// empty lines (the blank line that ends an HTTP head) are noise and left out.
void putIndentedBlock(OutBuffer &o, QByteArrayView bytes, qsizetype maxBytes, DisplayText::Lines lines)
{
    const QByteArrayView shown = PayloadPreview::utf8Prefix(bytes, maxBytes);
    QByteArray text(DisplayText::maxOutputBytes(shown.size()), Qt::Uninitialized);
    text.truncate(DisplayText::write(text.data(), shown, { lines, -1, false }) - text.data());
    while (text.endsWith('\n'))
        text.chop(1);
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        o.text("    ");
        o.need(end - start + 1);
        o.put(QByteArrayView(text).sliced(start, end - start));
        o.put('\n');
        start = end + 1;
    }
    if (shown.size() < bytes.size()) {
        o.text("    ... (");
        o.need(24);
        o.putUInt(quint64(bytes.size()));
        o.text(" bytes in all)\n");
    }
}

// First line of a message on the event line, further lines indented below.
void putMessage(OutBuffer &o, QByteArrayView message, qsizetype maxChars)
{
    const qsizetype newline = message.indexOf('\n');
    const QByteArrayView first = newline < 0 ? message : message.first(newline);
    const DisplayText::Result shown = o.putDisplayText(first, { DisplayText::Lines::Single, maxChars, false });
    putTotalNote(o, shown.consumed, first.size());
    o.text("\n");
    if (newline >= 0)
        putIndentedBlock(o, message.sliced(newline + 1), maxChars, DisplayText::Lines::Multiple);
}

// "05:30:00.123456 #1 <- ", and on a relay "05:30:00.123456 #1 app <- " or "... #1 server -> "
void putTextPrefix(
    OutBuffer &o, const char *isoSecond, quint32 micro, quint32 connectionId, Leg leg, Direction direction)
{
    o.need(64);
    o.put(isoSecond + 11, 8);
    o.put('.');
    o.putDigits(micro, 6);
    o.lit(" #");
    o.putUInt(connectionId);
    if (leg != Leg::None) {
        o.put(' ');
        const char *name = legKey(leg);
        o.put(name, qsizetype(std::strlen(name)));
    }
    switch (direction) {
    case Direction::Incoming:
        o.lit(" <- ");
        break;
    case Direction::Outgoing:
        o.lit(" -> ");
        break;
    case Direction::Local:
        o.lit(" -- ");
        break;
    }
}

} // namespace

void TextFormatter::append(QByteArray &out, const WireEvent &e)
{
    OutBuffer o(out, 256 + e.header.size() * 3 + std::min(e.payload.size(), m_limits.maxTextChars) * 2);
    qint64 second;
    quint32 micro;
    EventTime::split(e.timeUs, second, micro);
    putTextPrefix(o, m_time.isoSecond(second), micro, e.connectionId, e.leg, e.direction);

    switch (e.kind) {
    case EventKind::Frame: {
        const FrameHeader &f = e.frame;
        const quint8 opcode = f.opcode & 0xF;
        const char *type = Opcode::key(opcode);
        const auto typeLength = qsizetype(std::strlen(type));
        o.put(type, typeLength);
        for (qsizetype i = typeLength; i < 6; ++i)
            o.put(' ');
        if (f.fin)
            o.lit(" FIN rsv=");
        else
            o.lit(" fin=0 rsv=");
        o.put(f.rsv & Rsv::Rsv1 ? '1' : '0');
        o.put(f.rsv & Rsv::Rsv2 ? '1' : '0');
        o.put(f.rsv & Rsv::Rsv3 ? '1' : '0');
        o.lit(" op=");
        o.put("0123456789ABCDEF"[opcode]);
        o.lit(" mask=");
        if (f.masked) {
            for (int shift = 24; shift >= 0; shift -= 8)
                o.putHexByte(uchar(f.maskingKey >> shift));
        } else {
            o.put('-');
        }
        o.lit(" len=");
        o.putUInt(f.declaredLength);
        o.lit(" (");
        o.putUInt(quint64(lengthFormBits(f.lengthForm)));
        o.text("-bit) hdr=");
        o.putHex(e.header, true);

        const QByteArrayView payload = e.payload;
        if (opcode == Opcode::Close) {
            if (payload.isEmpty()) {
                o.text("  (no status code)");
            } else if (payload.size() == 1) {
                o.text("  (1-byte payload: ");
                o.putHex(payload, true);
                o.text(")");
            } else {
                const quint16 code = quint16((uchar(payload[0]) << 8) | uchar(payload[1]));
                o.text("  ");
                o.need(8);
                o.putUInt(code);
                const QString name = CloseCodes::info(code).name;
                if (!name.isEmpty()) {
                    o.text(" ");
                    const QByteArray utf8 = name.toUtf8();
                    o.need(utf8.size());
                    o.put(utf8);
                }
                const QByteArrayView reason = payload.sliced(2);
                if (!reason.isEmpty()) {
                    o.text(" ");
                    if (PayloadPreview::breaksUtf8(reason, true))
                        o.text("reason (invalid UTF-8): ");
                    putQuotedPreview(o, reason, m_limits.maxTextChars);
                }
            }
        } else if (e.compressed) {
            // permessage-deflate: the wire bytes mean nothing until inflated, so both are shown.
            o.text("  compressed ");
            putHexPreview(o, payload, qMin<qsizetype>(m_limits.maxHexBytes, 16));
            if (e.hasInflated) {
                o.text(" -> inflated ");
                o.need(24);
                o.putUInt(quint64(e.inflated.size()));
                o.text(" B: ");
                if (PayloadPreview::breaksUtf8(e.inflated, true))
                    putHexPreview(o, e.inflated, m_limits.maxHexBytes);
                else
                    putQuotedPreview(o, e.inflated, m_limits.maxTextChars);
            }
        } else if (!payload.isEmpty() || opcode == Opcode::Text) {
            o.text("  ");
            // Text frames always read as text (bytes that are not UTF-8 as \xHH); pings and pongs when
            // they are text; everything else as hex.
            const bool valid = !PayloadPreview::breaksUtf8(payload, f.fin);
            if (opcode == Opcode::Text) {
                if (!valid)
                    o.text("invalid UTF-8: ");
                putQuotedPreview(o, payload, m_limits.maxTextChars);
            } else if ((opcode == Opcode::Ping || opcode == Opcode::Pong) && valid) {
                putQuotedPreview(o, payload, m_limits.maxTextChars);
            } else {
                putHexPreview(o, payload, m_limits.maxHexBytes);
            }
        }
        o.text("\n");
        return;
    }
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        o.str(eventKindKey(e.kind));
        o.text(" (");
        o.need(24);
        o.putUInt(quint64(e.payload.size()));
        o.text(" bytes)\n");
        putIndentedBlock(o, e.payload, m_limits.maxBlockBytes, DisplayText::Lines::Http);
        return;
    case EventKind::Violation:
        o.text("VIOLATION ");
        o.str(Violation::ruleId(e.violation).toLatin1().constData());
        o.text(" (");
        o.str(Violation::rfcDocument(e.violation));
        o.text(" ");
        o.str(Violation::rfcSection(e.violation).toLatin1().constData());
        if (e.closeCode) {
            o.text(", close ");
            o.need(8);
            o.putUInt(e.closeCode);
        }
        if (!e.header.isEmpty()) {
            o.text(", hdr=");
            o.putHex(e.header, true);
        }
        o.text("): ");
        putMessage(o, e.payload, m_limits.maxTextChars * 4);
        return;
    case EventKind::StateChange: {
        const char *state = readyStateKey(e.state);
        if (!e.payload.startsWith(state)) {
            o.str(state);
            if (!e.payload.isEmpty())
                o.text(": ");
        }
        putMessage(o, e.payload, m_limits.maxTextChars * 4);
        return;
    }
    case EventKind::TlsInfo:
        o.text("TLS: ");
        putMessage(o, e.payload, m_limits.maxBlockBytes);
        return;
    case EventKind::Error:
        o.text("ERROR: ");
        putMessage(o, e.payload, m_limits.maxBlockBytes);
        return;
    case EventKind::Api: {
        // The summary already went through the display rule.
        o.text("API ");
        const std::optional<ApiCall> call = ApiCall::fromJson(e.payload);
        if (!call) {
            putMessage(o, e.payload, m_limits.maxTextChars * 4);
            return;
        }
        const QByteArray text = call->summary(m_limits.maxTextChars).toUtf8();
        o.need(text.size() + 1);
        o.put(text);
        o.put('\n');
        return;
    }
    case EventKind::Intercept: {
        o.text("INTERCEPT ");
        const std::optional<InterceptNote> note = InterceptNote::fromJson(e.payload);
        if (!note) {
            putMessage(o, e.payload, m_limits.maxTextChars * 4);
            return;
        }
        const QByteArray text = note->summary().toUtf8();
        o.need(text.size() + 1);
        o.put(text);
        o.put('\n');
        return;
    }
    }
    o.text("\n");
}

