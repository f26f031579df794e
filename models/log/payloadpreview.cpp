#include "log/payloadpreview.h"

#include "protocol/closecodes.h"
#include "protocol/frame.h"
#include "text/utf8validator.h"
#include "text/displaytext.h"
#include "text/jsontext.h"
#include "text/sizeformat.h"

#include <QCoreApplication>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(PayloadPreview)
};
} // namespace

QString PayloadPreview::hex(QByteArrayView bytes, qsizetype maxBytes)
{
    QString out = QString::fromLatin1(bytes.first(qMin<qsizetype>(bytes.size(), maxBytes)).toByteArray().toHex(' '));
    if (bytes.size() > maxBytes)
        out += QChar(0x2026);
    return out;
}

QString PayloadPreview::firstLine(QByteArrayView bytes, qsizetype maxChars)
{
    const qsizetype eol = bytes.indexOf('\n');
    QByteArrayView line = eol < 0 ? bytes : bytes.first(eol);
    if (line.endsWith('\r'))
        line.chop(1); // the CR of a CR LF line end is the line end, not content
    return DisplayText::line(line, maxChars);
}

QString PayloadPreview::closeLine(QByteArrayView payload, qsizetype maxChars)
{
    if (payload.isEmpty())
        return Tr::tr("(no status code)");
    const ClosePayload close = ClosePayload::parse(payload);
    if (!close.hasCode)
        return Tr::tr("(malformed: %1)").arg(hex(payload, 8));
    QString text = CloseCodes::label(close.code);
    if (!close.reason.isEmpty())
        text += QStringLiteral(": ") + DisplayText::line(close.reason, maxChars);
    return text;
}

QString PayloadPreview::frameLine(quint8 opcode, QByteArrayView payload, qsizetype maxChars)
{
    switch (opcode) {
    case Opcode::Close:
        return closeLine(payload, maxChars);
    case Opcode::Binary:
        return hex(payload, maxChars / 3);
    default:
        break;
    }
    if (payload.isEmpty())
        return QString();
    // Continuations and control payloads may be text or not: text when the shown part decodes.
    DisplayText::Result shown;
    const QString text = DisplayText::fromPeer(payload, { DisplayText::Lines::Single, maxChars, false }, &shown);
    if (opcode != Opcode::Text && !shown.validUtf8())
        return hex(payload, maxChars / 3);
    return text;
}

QString PayloadPreview::wireShare(qint64 wireBytes, qint64 inflatedBytes)
{
    if (inflatedBytes <= 0)
        return QStringLiteral("-");
    const double share = 100.0 * double(wireBytes) / double(inflatedBytes);
    return Tr::tr("%1%").arg(share, 0, 'f', share < 10 ? 1 : 0);
}

QString PayloadPreview::messageNote(const MessageShape &m)
{
    QStringList parts;
    if (!m.complete) {
        parts << (m.frames == 1 ? Tr::tr("Unfinished message: 1 frame so far, no final frame (FIN).")
                                : Tr::tr("Unfinished message: %1 frames so far, no final frame (FIN).").arg(m.frames));
    } else if (m.frames > 1) {
        parts << Tr::tr("A message of %1 frames, joined.").arg(m.frames);
    }
    if (m.compressed && m.inflated) {
        parts << Tr::tr("Compressed (permessage-deflate): %1 on the wire, %2 inflated (%3); shown inflated; the Frame "
                        "tab has the bytes as they crossed the wire.")
                     .arg(SizeFormat::bytes(quint64(m.wireBytes)), SizeFormat::bytes(quint64(m.inflatedBytes)),
                         wireShare(m.wireBytes, m.inflatedBytes));
    } else if (m.compressed && m.complete) {
        parts << Tr::tr("Compressed (RSV1), but not inflated: shown as the %1 on the wire.")
                     .arg(SizeFormat::bytes(quint64(m.wireBytes)));
    } else if (m.compressed) {
        parts << Tr::tr("Compressed (permessage-deflate): inflated once its final frame arrives; shown as the %1 on "
                        "the wire so far.")
                     .arg(SizeFormat::bytes(quint64(m.wireBytes)));
    }
    return parts.join(QLatin1Char(' '));
}

QString PayloadPreview::closeDetails(QByteArrayView payload, qint64 *badReasonByte)
{
    if (badReasonByte)
        *badReasonByte = -1;
    if (payload.isEmpty()) {
        return Tr::tr("No status code.\nThe close frame is empty; the receiving API reports %1.")
            .arg(CloseCodes::label(CloseCodes::NoStatusReceived));
    }
    if (payload.size() == 1) {
        return Tr::tr("Malformed close payload: 1 byte cannot hold a 2-byte status code.\n"
                      "A strict peer fails the connection with %1.")
            .arg(CloseCodes::label(CloseCodes::ProtocolError));
    }
    const ClosePayload close = ClosePayload::parse(payload);
    const CloseCodeInfo info = CloseCodes::info(close.code);
    QString text = Tr::tr("Status code: %1 %2\n%3").arg(close.code).arg(info.name, info.meaning);
    if (!info.validOnWire) {
        text += QLatin1Char('\n')
            + Tr::tr("This code may not appear in a close frame; a strict peer fails the connection with %1.")
                  .arg(CloseCodes::label(CloseCodes::ProtocolError));
    }
    if (close.reason.isEmpty())
        return text + QLatin1Char('\n') + Tr::tr("No reason given.");
    DisplayText::Result shownAs;
    const QString reason = DisplayText::fromPeer(close.reason, {}, &shownAs);
    text += QLatin1Char('\n') + Tr::tr("Reason (%1): %2").arg(SizeFormat::bytes(close.reason.size()), reason);
    if (badReasonByte)
        *badReasonByte = shownAs.firstInvalid;
    return text;
}

bool PayloadPreview::breaksUtf8(QByteArrayView payload, bool final)
{
    Utf8Validator validator;
    const Utf8Validator::Result result = validator.feed(payload);
    return result == Utf8Validator::Result::Invalid || (final && result == Utf8Validator::Result::Incomplete);
}

QByteArrayView PayloadPreview::utf8Prefix(QByteArrayView bytes, qint64 limit)
{
    if (bytes.size() <= limit)
        return bytes;
    QByteArrayView prefix = bytes.first(limit);
    for (qsizetype k = prefix.size() - 1; k >= 0 && k >= prefix.size() - 4; --k) {
        const auto b = quint8(prefix[k]);
        if ((b & 0xC0) == 0x80)
            continue; // continuation byte: keep looking for its lead
        const int len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (k + len > prefix.size())
            prefix = prefix.first(k);
        break;
    }
    return prefix;
}

qsizetype PayloadPreview::longestLine(QByteArrayView bytes)
{
    qsizetype longest = 0;
    qsizetype start = 0;
    while (start <= bytes.size()) {
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0)
            end = bytes.size();
        longest = qMax(longest, end - start);
        start = end + 1;
    }
    return longest;
}

PayloadPreview::TextPlan PayloadPreview::planText(quint8 opcode, QByteArrayView payload, qint64 textLimit,
                                                  qint64 longLineLimit)
{
    TextPlan plan;
    QByteArrayView shown = utf8Prefix(payload, textLimit);
    plan.longLines = longestLine(shown) > LongLine;
    if (plan.longLines)
        shown = utf8Prefix(shown, qMin(textLimit, longLineLimit));
    plan.shownBytes = shown.size();
    plan.truncated = shown.size() < payload.size();
    DisplayText::Result shownAs;
    plan.text = DisplayText::fromPeer(shown, { DisplayText::Lines::Multiple, -1, false }, &shownAs);
    plan.firstInvalid = shownAs.firstInvalid;
    // JSON views get the whole payload when it is within the limit, even when long lines cut the
    // Text tab shorter: re-indented JSON has short lines.
    plan.jsonCandidate = plan.firstInvalid < 0 && payload.size() <= textLimit && opcode != Opcode::Ping
        && opcode != Opcode::Pong && (!plan.truncated || Utf8Validator::isValid(payload))
        && JsonText::startsWithContainer(payload);
    return plan;
}
