#include "probe/conformanceresult.h"

#include "probe/proberesult.h"
#include "protocol/closecodes.h"
#include "text/displaytext.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(Conformance)
};

using namespace Conformance;

QString describeEvents(const QList<Event> &events)
{
    if (events.isEmpty())
        return Tr::tr("nothing");
    QStringList parts;
    for (const Event &e : events)
        parts << e.describe();
    return parts.join(QStringLiteral(", "));
}

QString codesText(const QList<quint16> &codes)
{
    QStringList parts;
    for (quint16 code : codes)
        parts << QString::number(code);
    return parts.join(QStringLiteral(", "));
}

// Exact bytes for machines: `key` holds the text where it is UTF-8, `key`Base64 the bytes otherwise.
void insertBytes(QJsonObject &o, const QString &key, const QByteArray &bytes)
{
    const QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() == bytes)
        o.insert(key, text);
    else
        o.insert(key + QStringLiteral("Base64"), QString::fromLatin1(bytes.toBase64()));
}

QString compressionPercent(quint64 wire, quint64 message)
{
    return QString::number(100.0 * double(wire) / double(message), 'f', 1);
}

void gradeClose(const Case &c, const Observation &seen, TesterRole role, CaseResult &r)
{
    const ExpectedClose &e = c.close;
    if (seen.closedByTester != e.closedByTester) {
        r.closeVerdict = CloseVerdict::Failed;
        r.resultClose = e.closedByTester
            ? Tr::tr("The peer started the closing handshake (%1) where the tester should have.").arg(describePeerClose(seen))
            : Tr::tr("The peer never failed the connection: the tester had to end it.");
    } else if (e.requireClean && !seen.wasClean) {
        r.closeVerdict = CloseVerdict::Unclean;
        r.resultClose = seen.peerCloseFrame
            ? Tr::tr("The closing handshake did not end cleanly: the tester had to close TCP.")
            : Tr::tr("The closing handshake did not complete: the peer sent no close frame.");
    } else if (seen.peerCloseHasCode && !e.codes.contains(seen.peerCloseCode)) {
        r.closeVerdict = CloseVerdict::WrongCode;
        r.resultClose = Tr::tr("The peer's close code %1 is not one of %2 (or no code).")
                            .arg(CloseCodes::label(seen.peerCloseCode), codesText(e.codes));
    } else if (role == TesterRole::Client && seen.droppedByTester) {
        r.closeVerdict = CloseVerdict::FailedByClient;
        r.resultClose = Tr::tr("The server left TCP open after the close; the tester closed it (RFC 6455 §7.1.1: the "
                               "server closes TCP first).");
    } else {
        r.closeVerdict = CloseVerdict::Ok;
        r.resultClose = Tr::tr("The connection ended as it should: %1.").arg(describePeerClose(seen));
    }
}

} // namespace

namespace Conformance {

QString describePeerClose(const Observation &seen)
{
    if (!seen.peerCloseFrame)
        return seen.droppedByTester ? Tr::tr("no close frame from the peer") : Tr::tr("the peer dropped TCP without a close frame");
    if (!seen.peerCloseHasCode)
        return Tr::tr("the peer's close frame had no code");
    QString text = Tr::tr("the peer closed with %1").arg(CloseCodes::label(seen.peerCloseCode));
    if (!seen.peerCloseReason.isEmpty())
        text += Tr::tr(", reason %1").arg(ProbeResult::describeBytes(seen.peerCloseReason, 40));
    return text;
}

CaseResult judge(const Case &c, const Observation &seen, TesterRole role)
{
    CaseResult r;
    r.id = c.id;
    r.seen = seen;
    r.reportTime = c.workload.has_value();
    if (!seen.opened) {
        r.verdict = Verdict::Failed;
        r.closeVerdict = CloseVerdict::Failed;
        r.result = Tr::tr("The opening handshake never completed: %1").arg(seen.handshakeError);
        r.resultClose = r.result;
        return r;
    }
    if (c.deflate && seen.extensions.isEmpty()) {
        r.verdict = Verdict::Unimplemented;
        r.result = Tr::tr("The peer declined permessage-deflate.");
    } else if (c.workload) {
        r.verdict = seen.workloadComplete ? Verdict::Ok : Verdict::Failed;
        r.result = seen.workloadComplete
            ? Tr::tr("All %n message(s) came back unchanged in %1 ms.", nullptr, c.workload->count).arg(seen.durationMs)
            : !seen.workloadProblem.isEmpty()
            ? seen.workloadProblem
            : Tr::tr("The connection ended after %1 of %2 messages came back: %3.")
                  .arg(seen.roundTrips)
                  .arg(c.workload->count)
                  .arg(describePeerClose(seen));
        if (c.deflate && seen.workloadComplete && seen.messageBytesOut > 0 && seen.messageBytesIn > 0)
            r.result += QLatin1Char(' ')
                + Tr::tr("Compressed to %1% of the messages' size going out, %2% coming back (%3).")
                      .arg(compressionPercent(seen.wireBytesOut, seen.messageBytesOut))
                      .arg(compressionPercent(seen.wireBytesIn, seen.messageBytesIn))
                      .arg(DisplayText::quoted(seen.extensions, 120));
    } else {
        r.verdict = Verdict::Failed;
        r.result = Tr::tr("What came back (%1) is none of the expected outcomes.").arg(describeEvents(seen.events));
        for (const auto &[verdict, events] : c.expected) {
            if (events == seen.events) {
                r.verdict = verdict;
                r.result = verdict == Verdict::Ok
                    ? Tr::tr("What came back is what the case expects: %1.").arg(describeEvents(seen.events))
                    : Tr::tr("What came back is allowed but not strict: %1.").arg(describeEvents(seen.events));
                break;
            }
        }
    }
    gradeClose(c, seen, role, r);

    if (c.close.wrongEndpointFailsCase && seen.closedByTester != c.close.closedByTester) {
        r.verdict = Verdict::Failed;
        r.result = Tr::tr("The peer did not fail the connection: it never noticed the invalid UTF-8.");
    }
    if (c.wrongCodeFailsCase && r.closeVerdict == CloseVerdict::WrongCode) {
        r.verdict = Verdict::Failed;
        r.result = r.resultClose;
    }
    if (!seen.peerViolations.isEmpty() && r.verdict != Verdict::Failed) {
        r.verdict = Verdict::Failed;
        r.result = Tr::tr("The peer's own frames broke RFC 6455: %1.").arg(seen.peerViolations.join(QStringLiteral(", ")));
    }
    if (c.informational) {
        // The spec leaves this open: say what happened, never fail.
        r.result = Tr::tr("Left open by the spec. Came back: %1; %2.").arg(describeEvents(seen.events), describePeerClose(seen));
        r.verdict = Verdict::Informational;
        r.closeVerdict = CloseVerdict::Informational;
    }
    return r;
}

QJsonObject CaseResult::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("case"), id);
    o.insert(QStringLiteral("behavior"), verdictName(verdict));
    o.insert(QStringLiteral("behaviorClose"), closeVerdictName(closeVerdict));
    o.insert(QStringLiteral("result"), result);
    o.insert(QStringLiteral("resultClose"), resultClose);
    o.insert(QStringLiteral("durationMs"), seen.durationMs);
    o.insert(QStringLiteral("reportTime"), reportTime);
    QJsonArray received;
    for (const Event &e : seen.events) {
        QJsonObject event;
        static const char *const kinds[] = { "message", "ping", "pong", "timeout" };
        event.insert(QStringLiteral("type"), QLatin1String(kinds[int(e.kind)]));
        if (e.kind == Event::Kind::Message)
            event.insert(QStringLiteral("binary"), e.binary);
        insertBytes(event, QStringLiteral("data"), e.data);
        event.insert(QStringLiteral("size"), e.data.size());
        received.append(event);
    }
    o.insert(QStringLiteral("received"), received);
    QJsonObject close;
    close.insert(QStringLiteral("closedByTester"), seen.closedByTester);
    close.insert(QStringLiteral("droppedByTester"), seen.droppedByTester);
    close.insert(QStringLiteral("wasClean"), seen.wasClean);
    if (seen.peerCloseFrame) {
        close.insert(QStringLiteral("peerCode"), seen.peerCloseHasCode ? QJsonValue(seen.peerCloseCode) : QJsonValue());
        insertBytes(close, QStringLiteral("peerReason"), seen.peerCloseReason);
    }
    o.insert(QStringLiteral("close"), close);
    if (!seen.peerViolations.isEmpty())
        o.insert(QStringLiteral("peerViolations"), QJsonArray::fromStringList(seen.peerViolations));
    if (!seen.opened)
        o.insert(QStringLiteral("handshakeError"), seen.handshakeError);
    if (!seen.extensions.isEmpty())
        insertBytes(o, QStringLiteral("extensions"), seen.extensions);
    if (seen.messageBytesOut + seen.messageBytesIn > 0) {
        o.insert(QStringLiteral("compression"),
                 QJsonObject { { QStringLiteral("messageBytesOut"), qint64(seen.messageBytesOut) },
                               { QStringLiteral("wireBytesOut"), qint64(seen.wireBytesOut) },
                               { QStringLiteral("messageBytesIn"), qint64(seen.messageBytesIn) },
                               { QStringLiteral("wireBytesIn"), qint64(seen.wireBytesIn) } });
    }
    return o;
}

} // namespace Conformance
