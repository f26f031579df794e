#pragma once

#include "log/wireevent.h"
#include "net/relayleg.h"
#include "protocol/handshake.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QTcpSocket;

// How the embedded server's QWebSocketServer is watched on the wire (DESIGN.md: Qt's engines are
// observed through a relay inside the process). QWebSocket gives messages, not frames, and hides
// pings, so the client's socket is not handed to Qt: the tap keeps it, opens a loopback connection
// to QWebSocketServer, and passes bytes both ways as they arrive, unchanged. On the way it records
// what crossed the client's wire, as the server sees it: the request and the client's frames
// (incoming), Qt's response and frames (outgoing), and every rule either side broke.
//
// The tap only watches: it never answers, holds or changes a byte, so the client meets Qt's real
// behaviour. It ends when both connections are closed (finished()).
class ServerWireTap : public QObject {
    Q_OBJECT
public:
    using Recorder = std::function<void(WireEvent &)>;

    // `client`: accepted, its request head complete and still unread (the server only peeked at
    // it); taken over. Connects to QWebSocketServer's loopback listener at `innerPort` at once.
    // `limits` are for inspecting frames (Qt applies its own); `maxHandshakeBytes` as the server
    // admitted the request head.
    ServerWireTap(quint32 connectionId, QTcpSocket *client, quint16 innerPort, const FrameParser::Limits &limits,
        qsizetype maxHandshakeBytes, Recorder record, QObject *parent = nullptr);
    ~ServerWireTap() override;

    quint32 connectionId() const { return m_id; }
    // The port QWebSocketServer sees its peer on, while connected (0 before and after): how the
    // server tells which tap a QWebSocket belongs to.
    quint16 innerLocalPort() const;
    // The close frame the client sent, once one crossed (code 0 when it carried none).
    bool clientCloseSeen() const { return m_clientLeg.closeFrameSeen(); }
    quint16 clientCloseCode() const { return m_clientLeg.closeCode(); }
    QByteArray clientCloseReason() const { return m_clientLeg.closeReason(); }
    // The embedded server's message size changed: inspect with the limits Qt now applies.
    void setLimits(const FrameParser::Limits &limits);
    bool isFinished() const { return m_finished; }
    // Qt answered the request with 101 and the tap recorded that answer.
    bool isUpgraded() const { return m_upgraded; }
    // QWebSocketServer's side closed before the client's (it refused or ended the connection).
    bool serverClosedFirst() const { return m_serverClosedFirst; }

    // Passes on at once what Qt has already written (its close frames when the server stops), for at
    // most `timeoutMs`, without waiting for the event loop; then closes the client's connection.
    void drain(int timeoutMs);
    // Drops both connections at once.
    void abort();

Q_SIGNALS:
    void innerConnected();
    void upgraded();
    void finished();

private:
    void readClient();
    void readInner();
    void onClientGone();
    void onInnerGone();
    void observeResponse(QByteArrayView bytes, qint64 timeUs);
    void record(WireEvent &event, Direction direction);
    void recordText(EventKind kind, const QString &text);
    void noteSilentPong();
    void checkFinished();

    quint32 m_id;
    QPointer<QTcpSocket> m_client;
    QTcpSocket *m_inner = nullptr;
    Recorder m_record;
    RequestParser m_requestParser;
    ResponseParser m_responseParser;
    bool m_requestDone = false;
    bool m_upgraded = false; // the response was a 101: frames follow
    bool m_responseDone = false;
    QByteArray m_toInnerPending; // written once the loopback connection is up
    bool m_innerUp = false;
    bool m_clientGone = false;
    bool m_innerGone = false;
    bool m_finished = false;
    bool m_serverClosedFirst = false;
    QByteArray m_readBuffer;
    RelayLeg m_clientLeg; // the client's frames, parsed in the server role
    RelayLeg m_serverLeg; // Qt's frames, parsed in the client role
};
