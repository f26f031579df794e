#include "probe/proberesult.h"

#include "protocol/closecodes.h"
#include "text/utf8validator.h"
#include "text/displaytext.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace {

// Translation context for what was expected, what was seen and why (ProbeResult is not a QObject).
// Ids, reaction names, PASS/FAIL and the JSON field names stay as they are.
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(ProbeResult)
};

using Kind = ProbePresets::Expectation::Kind;

QString codeList(const QList<quint16> &codes)
{
    QStringList parts;
    for (quint16 code : codes)
        parts << (code == CloseCodes::NoStatusReceived ? Tr::tr("(empty)") : QString::number(code));
    if (parts.size() <= 1)
        return parts.value(0);
    const QString last = parts.takeLast();
    return Tr::tr("%1 or %2").arg(parts.join(QStringLiteral(", ")), last);
}

QString describeCloseFrame(const ProbeResult &r)
{
    if (!r.closeHasCode) {
        return r.closePayloadSize == 0 ? Tr::tr("close without a status code")
                                       : Tr::tr("malformed close (%1-byte payload)").arg(r.closePayloadSize);
    }
    QString text = Tr::tr("close %1").arg(CloseCodes::label(r.closeCode));
    if (!r.closeReason.isEmpty())
        text += Tr::tr(" reason %1").arg(ProbeResult::describeBytes(r.closeReason, 40));
    return text;
}

} // namespace

quint16 ProbeResult::effectiveCloseCode() const
{
    if (!closeFrameReceived)
        return 0;
    if (closeHasCode)
        return closeCode;
    return closePayloadSize == 0 ? quint16(CloseCodes::NoStatusReceived) : quint16(0);
}

void ProbeResult::judge()
{
    const ProbePresets::Expectation &e = preset.expected;
    passed = false;
    if (notApplicable) {
        why = Tr::tr("not applicable: %1").arg(error);
        return;
    }
    if (reaction == Reaction::HandshakeFailed) {
        why = Tr::tr("the opening handshake failed, so the probe never ran: %1").arg(error);
        return;
    }
    if (e.kind == Kind::Echo) {
        if (echoComplete && echo == e.echo) {
            passed = true;
            why = Tr::tr("echoed the message, as a correct server does");
        } else if (echoFrames > 0) {
            why = Tr::tr("sent back %1 instead of %2").arg(describeBytes(echo), describeBytes(e.echo));
        } else if (reaction == Reaction::Close) {
            why = Tr::tr("closed (%1) instead of echoing a valid message").arg(describeCloseFrame(*this));
        } else if (reaction == Reaction::Drop) {
            why = Tr::tr("dropped the connection instead of echoing a valid message");
        } else {
            why = Tr::tr("no echo within %1 ms").arg(timeoutMs);
        }
        return;
    }

    // Close expectations: the frames broke a rule (or closed the connection), so anything sent back
    // means the server accepted what it had to refuse.
    if (echoFrames > 0) {
        why = Tr::tr("sent data back (%1): it accepted frames it had to refuse").arg(describeBytes(echo));
        return;
    }
    if (!pongs.isEmpty()) {
        why = Tr::tr("answered with a pong: it accepted a ping it had to refuse");
        return;
    }
    switch (reaction) {
    case Reaction::Close: {
        const quint16 code = effectiveCloseCode();
        if (code != 0 && e.closeCodes.contains(code)) {
            passed = true;
            why = Tr::tr("answered with %1, as expected").arg(describeCloseFrame(*this));
        } else {
            why = Tr::tr("answered with %1; expected %2").arg(describeCloseFrame(*this), codeList(e.closeCodes));
        }
        return;
    }
    case Reaction::Drop:
        passed = e.dropAccepted;
        why = e.dropAccepted
            ? Tr::tr("dropped the TCP connection without a close frame (allowed when failing the connection)")
            : Tr::tr("dropped the TCP connection instead of answering with a close frame");
        return;
    case Reaction::Nothing:
    case Reaction::Echo:
        why = Tr::tr("no close frame and no drop within %1 ms: the server let it pass").arg(timeoutMs);
        return;
    case Reaction::HandshakeFailed:
        return;
    }
}

QString ProbeResult::expectedText() const
{
    const ProbePresets::Expectation &e = preset.expected;
    if (e.kind == Kind::Echo)
        return Tr::tr("echo %1").arg(describeBytes(e.echo));
    QString text = Tr::tr("close %1").arg(codeList(e.closeCodes));
    if (e.dropAccepted)
        text += Tr::tr(" or drop");
    return text;
}

QString ProbeResult::seenText() const
{
    if (notApplicable)
        return error;
    if (reaction == Reaction::HandshakeFailed)
        return Tr::tr("handshake failed: %1").arg(error);
    QStringList parts;
    if (echoFrames > 0) {
        QString text = Tr::tr("echo %1").arg(describeBytes(echo));
        if (!echoComplete)
            text += Tr::tr(" (unfinished)");
        parts << text;
    }
    if (!pongs.isEmpty())
        parts << (pongs.size() == 1 ? Tr::tr("pong") : Tr::tr("%1 pongs").arg(pongs.size()));
    switch (reaction) {
    case Reaction::Close:
        parts << describeCloseFrame(*this) + (clean ? QString() : Tr::tr(" (not clean)"));
        break;
    case Reaction::Drop:
        parts << Tr::tr("drop (TCP closed without a close frame)");
        break;
    case Reaction::Nothing:
        parts << Tr::tr("nothing within %1 ms").arg(timeoutMs);
        break;
    case Reaction::Echo:
        if (echoFrames == 0)
            parts << Tr::tr("nothing within %1 ms").arg(timeoutMs);
        break;
    case Reaction::HandshakeFailed:
        break;
    }
    QString text = parts.join(Tr::tr(", then "));
    if (!serverViolations.isEmpty())
        text += Tr::tr(" [server frames broke: %1]").arg(serverViolations.join(QStringLiteral(", ")));
    return text;
}

QString ProbeResult::reactionName(Reaction reaction)
{
    switch (reaction) {
    case Reaction::Echo:
        return QStringLiteral("echo");
    case Reaction::Close:
        return QStringLiteral("close");
    case Reaction::Drop:
        return QStringLiteral("drop");
    case Reaction::Nothing:
        return QStringLiteral("nothing");
    case Reaction::HandshakeFailed:
        return QStringLiteral("handshake-failed");
    }
    return QString();
}

QString ProbeResult::describeBytes(const QByteArray &bytes, qsizetype maxChars)
{
    if (Utf8Validator::isValid(bytes)) {
        DisplayText::Result result;
        const QString body = DisplayText::fromPeer(bytes, { DisplayText::Lines::Single, maxChars, true }, &result);
        // The cut mark goes after the closing quote: the quotes hold exactly what was received.
        return QLatin1Char('"') + (result.cut ? body.chopped(1) : body) + QLatin1Char('"')
            + (result.cut ? QStringLiteral("…") : QString());
    }
    const qsizetype maxBytes = qMax<qsizetype>(1, maxChars / 3);
    QString out = Tr::tr("hex %1").arg(QString::fromLatin1(bytes.first(qMin(bytes.size(), maxBytes)).toHex(' ')));
    if (bytes.size() > maxBytes)
        out += Tr::tr(" … (%1 bytes)").arg(bytes.size());
    return out;
}

QJsonObject ProbeResult::toJson() const
{
    const ProbePresets::Expectation &e = preset.expected;
    QJsonObject expected;
    expected.insert(QStringLiteral("kind"), e.kind == Kind::Echo ? QStringLiteral("echo") : QStringLiteral("close"));
    if (e.kind == Kind::Echo) {
        expected.insert(QStringLiteral("echoHex"), QString::fromLatin1(e.echo.toHex()));
    } else {
        QJsonArray codes;
        for (quint16 code : e.closeCodes)
            codes.append(int(code));
        expected.insert(QStringLiteral("closeCodes"), codes);
        expected.insert(QStringLiteral("dropAccepted"), e.dropAccepted);
    }
    expected.insert(QStringLiteral("text"), expectedText());

    QJsonObject seen;
    seen.insert(QStringLiteral("reaction"), reactionName(reaction));
    seen.insert(QStringLiteral("text"), seenText());
    if (echoFrames > 0) {
        seen.insert(QStringLiteral("echoHex"), QString::fromLatin1(echo.toHex()));
        seen.insert(QStringLiteral("echoFrames"), echoFrames);
        seen.insert(QStringLiteral("echoComplete"), echoComplete);
    }
    if (!pongs.isEmpty())
        seen.insert(QStringLiteral("pongs"), int(pongs.size()));
    if (closeFrameReceived) {
        if (closeHasCode)
            seen.insert(QStringLiteral("closeCode"), int(closeCode));
        else
            seen.insert(QStringLiteral("closeCode"), QJsonValue::Null);
        seen.insert(QStringLiteral("closeReason"), QString::fromUtf8(closeReason));
        seen.insert(QStringLiteral("clean"), clean);
    }
    if (!serverViolations.isEmpty())
        seen.insert(QStringLiteral("serverViolations"), QJsonArray::fromStringList(serverViolations));
    if (!error.isEmpty())
        seen.insert(QStringLiteral("error"), error);
    seen.insert(QStringLiteral("elapsedMs"), elapsedMs);

    QJsonObject o;
    o.insert(QStringLiteral("id"), preset.id);
    o.insert(QStringLiteral("title"), preset.title);
    o.insert(QStringLiteral("rfcSection"), preset.rfcSection);
    o.insert(QStringLiteral("expected"), expected);
    o.insert(QStringLiteral("seen"), seen);
    o.insert(QStringLiteral("verdict"),
        notApplicable ? QStringLiteral("n/a") : passed ? QStringLiteral("pass") : QStringLiteral("fail"));
    o.insert(QStringLiteral("why"), why);
    return o;
}
