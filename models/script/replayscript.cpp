#include "script/replayscript.h"

#include "log/capture.h"
#include "protocol/frame.h"
#include "protocol/handshake.h"

#include <QSet>

std::optional<ReplayScript> ReplayScript::fromCapture(const Capture &capture, quint32 connectionId, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<ReplayScript> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    ReplayScript script;
    script.connectionId = connectionId;
    bool inspectorIsClient = true; // leg None: who sent the handshake request
    qint64 openUs = -1;
    qint64 firstUs = -1;
    bool found = false;
    struct Pending {
        quint8 opcode = 0; // of the message being put together; 0: none
        QByteArray payload;
    };
    Pending pendingOf[6]; // by leg and direction
    for (qsizetype index = 0; index < capture.count(); ++index) {
        const WireEvent e = capture.event(index);
        if (script.connectionId == 0 && (e.kind == EventKind::HandshakeRequest || e.kind == EventKind::Frame))
            script.connectionId = e.connectionId;
        if (e.connectionId != script.connectionId || script.connectionId == 0)
            continue;
        found = true;
        if (firstUs < 0)
            firstUs = e.timeUs;
        if (e.kind == EventKind::HandshakeRequest && e.leg != Leg::Server) {
            inspectorIsClient = e.direction == Direction::Outgoing;
            RequestParser parser;
            if (parser.feed(e.payload) == RequestParser::Status::Complete) {
                const HttpRequest &request = parser.request();
                script.path = QString::fromUtf8(request.target);
                for (const QByteArray &token : HttpHeaderList::tokens(request.headers, "Sec-WebSocket-Protocol"))
                    script.subprotocols << QString::fromUtf8(token);
            }
            continue;
        }
        if (e.kind == EventKind::StateChange && e.state == ReadyState::Open && openUs < 0) {
            openUs = e.timeUs;
            continue;
        }
        if (e.kind != EventKind::Frame || Opcode::isControl(e.frame.opcode))
            continue;
        // A relay records what each peer sent as it arrived, on its leg; what the relay itself wrote
        // (an edit, a rule's rewrite, an injection) is an outgoing frame on the other leg, beside the
        // original. The conversation is the peers' own: those are left out.
        if (e.leg != Leg::None && e.direction != Direction::Incoming)
            continue;
        // Whole messages are put together here rather than by Capture::message(), whose index of
        // messages is per leg and direction: a session file may hold several connections.
        Pending &pending = pendingOf[int(e.leg) * 2 + (e.direction == Direction::Incoming ? 1 : 0)];
        if (e.frame.opcode != Opcode::Continuation) {
            pending.opcode = e.frame.opcode;
            pending.payload.clear();
        }
        if (pending.opcode == 0)
            continue; // a continuation whose start is not in the capture
        if (e.payloadDropped)
            return fail(tr("connection #%1: a message's payload was dropped from the capture to stay within its "
                           "memory budget, so the conversation cannot be replayed as it was")
                            .arg(script.connectionId));
        pending.payload += e.payload;
        if (!e.frame.fin)
            continue;
        if (e.compressed && !e.hasInflated)
            return fail(tr("connection #%1: a compressed message could not be inflated, so what it said is not known")
                            .arg(script.connectionId));
        const MessageDiff::Message message { pending.opcode,
                                             e.hasInflated ? e.inflated.toByteArray() : std::exchange(pending.payload, {}) };
        pending.opcode = 0;
        const bool fromClient = e.leg == Leg::None ? (e.direction == Direction::Outgoing) == inspectorIsClient
                                                   : e.leg == Leg::App;
        if (fromClient)
            script.sends.append({ e.timeUs, message });
        else
            script.answers.append(message);
    }
    if (!found)
        return fail(connectionId == 0 ? tr("the capture holds no connection")
                                      : tr("the capture holds no connection #%1").arg(connectionId));
    const qint64 originUs = openUs >= 0 ? openUs : firstUs;
    for (Send &send : script.sends)
        send.afterOpenUs = std::max<qint64>(0, send.afterOpenUs - originUs);
    return script;
}

QList<quint32> ReplayScript::connectionsIn(const Capture &capture)
{
    QList<quint32> ids;
    QSet<quint32> seen;
    for (qsizetype index = 0; index < capture.count(); ++index) {
        const WireEvent e = capture.event(index);
        if ((e.kind == EventKind::HandshakeRequest || e.kind == EventKind::Frame) && e.connectionId != 0
            && !seen.contains(e.connectionId)) {
            seen.insert(e.connectionId);
            ids << e.connectionId;
        }
    }
    return ids;
}
