#pragma once

#include "log/apicall.h"
#include "net/clientengine.h"

#include <QPointer>
#include <QTimer>

class QWebSocket;
class RelayServer;
class RelaySession;

// A client connection run by Qt's own QWebSocket, for Qt developers who want to see what their
// code puts on the wire. QWebSocket hides the bytes, so it connects to a relay inside this object
// (127.0.0.1, a port of its own) that passes everything on to the server byte for byte and records
// both legs. The log shows each frame once, as it crossed the wire to or from the server:
// - the handshake as the server got it (the relay rewrote only Host) and as the server answered;
// - QWebSocket's frames as outgoing, the server's as incoming;
// - the relay's state changes, which speak of "QWebSocket";
// - every signal QWebSocket emitted, as an event of kind Api, with its arguments, and a note where
//   the API's report differs from the wire: a close code Qt reports differently, a ping QWebSocket
//   answered without a signal, a refused handshake QWebSocket still reports as connecting.
// TLS to a wss:// server is the relay's (QWebSocket speaks plain ws:// to it inside the process).
// QWebSocket 6.4 offers no permessage-deflate and can send neither a pong of its own nor a
// hand-made frame: those commands are refused, and the log says why.
class QtClientConnection : public ClientEngine {
    Q_OBJECT
public:
    explicit QtClientConnection(quint32 connectionId, QObject *parent = nullptr);
    ~QtClientConnection() override;

    // How long QWebSocket may stay "connecting" after the server refused the upgrade before the
    // log says so and the connection is dropped (Qt 6.4 never leaves that state by itself).
    static constexpr int NotUpgradedGraceMs = 1000;

    void addSink(WireEventSink *sink) override { m_sinks.append(sink); }
    quint32 connectionId() const override { return m_id; }
    bool open(const ConnectionOptions &options) override;
    ReadyState readyState() const override { return m_state; }
    // As the wire says (the server's close frame; 1006 without one), not as QWebSocket reports it:
    // the api events have that.
    quint16 closeCode() const override { return m_closeCode; }
    QString closeReason() const override { return m_closeReason; }
    bool wasClean() const override { return m_wasClean; }
    QString errorString() const override { return m_error; }

    void setFragmentSize(qsizetype bytes) override;
    bool sendText(const QByteArray &utf8, Compression compression = Compression::AsNegotiated) override;
    bool sendBinary(const QByteArray &data, Compression compression = Compression::AsNegotiated) override;
    bool ping(const QByteArray &payload = {}) override;
    bool pong(const QByteArray &payload = {}) override;
    bool close(quint16 code = 1000, const QByteArray &reason = {}) override;
    bool sendFrame(const FrameSpec &spec, bool compressPayload = false) override;
    bool sendRawBytes(const QByteArray &bytes) override;
    void abort() override;
    void giveUp(const QString &reason) override;

    // The relay's address that QWebSocket connects to (tests); empty before open().
    QUrl relayUrl() const;
    // The relay session between QWebSocket and the server once QWebSocket has connected to it
    // (intercept commands run on it); on this connection's thread only.
    RelaySession *relaySession() const;

private:
    class Relabel;
    void watchSocket();
    void attach(RelaySession *session);
    // An event of the relay, as this connection shows it (see the class comment); false: not shown.
    bool relabel(WireEvent &event);
    void noteWire(const WireEvent &event);
    void releaseHeldRequest();
    void recordApi(const ApiCall &call);
    void recordText(EventKind kind, const QString &text);
    bool refuse(const QString &why);
    bool canSend(const char *what);
    void emitEvent(WireEvent &event);
    void checkNotUpgraded();
    void finishIfDone();

    quint32 m_id;
    QList<WireEventSink *> m_sinks;
    ConnectionOptions m_options;
    RelayServer *m_relay = nullptr; // child
    QWebSocket *m_socket = nullptr; // child
    std::unique_ptr<Relabel> m_relabel;
    QPointer<RelaySession> m_session;
    ReadyState m_state = ReadyState::Closed;
    QString m_error;

    // What the wire showed, to compare with what QWebSocket reports.
    bool m_serverCloseSeen = false;
    quint16 m_serverCloseCode = 0; // 0: the close frame had no code
    QByteArray m_serverCloseReason;
    quint64 m_serverPings = 0;
    QByteArray m_heldRequest; // QWebSocket's request as it reached the relay, until the server's copy comes
    qint64 m_heldRequestTimeUs = 0;
    bool m_qtCloseSent = false;
    int m_responseStatus = 0;
    QTimer m_notUpgradedTimer { this };

    bool m_relayFinished = false;
    bool m_socketDone = false; // QWebSocket disconnected, or never got as far as connecting
    bool m_closedEmitted = false;
    quint16 m_closeCode = 0;
    QString m_closeReason;
    bool m_wasClean = false;
};
