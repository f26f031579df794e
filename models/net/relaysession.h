#pragma once

#include "intercept/messagegate.h"
#include "intercept/messagerules.h"
#include "log/wireevent.h"
#include "net/clienttls.h"
#include "net/httpproxytunnel.h"
#include "net/outgoingproxy.h"
#include "net/relayleg.h"
#include "protocol/frameparser.h"
#include "protocol/handshake.h"

#include <QObject>
#include <QPointer>
#include <QSslError>
#include <QTimer>
#include <QUrl>

#include <memory>

class QTcpSocket;

// Everything a relay needs to know to stand between applications and one server.
struct RelayOptions {
    QUrl to; // ws:// or wss:// URL of the server; each application's path and query are appended
    QString origin; // replaces the application's Origin when not empty
    bool allowCertificateErrors = false; // wss:// upstream: on the user's explicit request only
    ClientTls tls; // wss:// upstream: certificate authorities of its own, a client certificate
    ProxySetting proxy; // how the server is reached: directly, through a fixed proxy, the environment's
    int handshakeTimeoutMs = 10'000; // for the application's request, and for the server's answer
    qsizetype maxHandshakeBytes = 16 * 1024;
    qsizetype maxResponseBodyBytes = 64 * 1024; // of a non-101 answer, kept for the log (all is forwarded)
    FrameParser::Limits limits; // for inspecting frames; larger ones are still forwarded
    // A side is not read while the other has this many bytes not yet taken by its socket: the
    // relay then slows the sender down through TCP instead of buffering without bound.
    qint64 highWaterBytes = 4 << 20;
    // A proxy: requests name their server in the absolute form ("GET http://host/path"), which
    // then overrides `to`.
    bool absoluteTargets = false;
    // What the log calls the application ("QWebSocket" when the relay watches Qt's engine inside
    // the process); empty: "the application".
    QString applicationName;
    // Match and replace rules (wsinspector-cli --intercept-rule): messages are then forwarded frame
    // by frame once parsed (MessageGate), and the application's permessage-deflate offer is left
    // out of the request so that they cross uncompressed.
    std::shared_ptr<const MessageRules> rules;
    // Intercept can be switched on at any time (the window's relays, on request): both directions
    // go through a gate from the start, so messages cross uncompressed, as with rules.
    bool interceptable = false;
};

// One application connection passed through to the server: two TCP connections (legs), bytes
// forwarded both ways as they arrive and byte-exact, and both legs recorded at the frame level as
// they go by. The application's handshake request goes on with Host rewritten (and Origin when
// asked), the server's answer comes back as it came, whatever its status. Frames are never
// changed, held or answered: each side meets the other's real behaviour, and the inspector names
// every violation on the leg where it happened. Compression negotiated between the two passes
// through; both legs are inflated for the log with the parameters they agreed on.
//
// Events: the application's request (leg app, in) and the request sent on (leg server, out); the
// answer (leg server, in) and as passed back (leg app, out); each side's frames (in, on its leg);
// state changes on the leg that caused them.
class RelaySession : public QObject {
    Q_OBJECT
public:
    // Takes `app` (connected, nothing read yet) over.
    RelaySession(quint32 connectionId, QTcpSocket *app, const RelayOptions &options, QObject *parent = nullptr);
    ~RelaySession() override;

    void addSink(WireEventSink *sink);
    // Starts reading the application's request.
    void start();
    // Instead of start(): a tunnel to host:port (a proxy's CONNECT that is not inspected, or a
    // plain HTTP request passed on), over TLS when `secure`. `prefix` goes to the server first,
    // then the application's bytes as they come, and everything back; nothing is parsed. `what`
    // says why, for the log. `answered`: the application was already told the tunnel is up
    // (CONNECT's 200, bytes that are not HTTP), so when the server cannot be reached it is dropped
    // rather than sent a 502.
    void startTunnel(
        const QString &host, quint16 port, bool secure, const QByteArray &prefix, const QString &what, bool answered);
    bool isTunnel() const { return m_tunnel; }

    quint32 connectionId() const { return m_id; }
    ReadyState readyState() const { return m_state; }
    bool isFinished() const { return m_finished; }
    QString appPeer() const { return m_appPeer; } // "127.0.0.1:51234"
    QUrl targetUrl() const { return m_options.to; } // what the relay was told to relay to
    QUrl upstreamUrl() const { return m_upstreamUrl; } // with the application's path; empty until its request arrived
    const HttpRequest &appRequest() const { return m_requestParser.request(); }
    QByteArray forwardedRequest() const { return m_forwardedRequest; }
    const HttpResponse &response() const { return m_responseParser.response(); }
    const HandshakeCheck &handshakeCheck() const { return m_check; }
    quint64 bytesFromApp() const { return m_bytesFromApp; }
    quint64 bytesFromServer() const { return m_bytesFromServer; }

    // Drops both legs at once (the user stopped the relay); recorded as the inspector's doing.
    void abort(const QString &why);

    // Intercept, once the connection is open and when the options asked for it (interceptable, or
    // rules for that direction); `from` is the leg whose peer sends the messages. False when it
    // cannot be done: not open yet or any more, no gate, no such held message; the log says why.
    bool canIntercept(Leg from) const;
    // Whether messages go through gates (intercept or rules asked for): fixed when the session starts.
    bool isGated() const { return gatesWanted(); }
    // Started to allow intercept (not only rules): the Intercept pane may act on it.
    bool allowsIntercept() const { return m_options.interceptable; }
    bool setIntercept(Leg from, bool holding, bool controlFrames = false, bool perFrame = false);
    bool forwardHeld(Leg from, quint32 hold, const std::optional<QByteArray> &edited = std::nullopt);
    bool dropHeld(Leg from, quint32 hold);
    bool forwardAllHeld(Leg from);
    // A frame of the inspector's own to `toward`'s peer (Leg::Server: to the server), between messages.
    bool inject(Leg toward, const FrameSpec &frame);

Q_SIGNALS:
    void stateChanged(ReadyState state);
    void finished();

private:
    enum class Phase {
        Request, // reading the application's request head
        Response, // request passed on (or being connected); reading the server's answer
        Frames, // 101: WebSocket frames both ways
        Passthrough, // not upgraded (or unreadable answer): bytes both ways, not parsed
        Done,
    };
    void readApp();
    void readServer();
    void onRequestComplete(QByteArrayView rest);
    void connectUpstream();
    void connectTo(const QString &host, quint16 port, bool secure);
    // The HTTP proxy's answer to CONNECT on the server leg; once open, TLS or the relaying starts.
    void readTunnelAnswer();
    bool tunnelPending() const
    {
        return m_upstreamTunnel && m_upstreamTunnel->status() == HttpProxyTunnel::Status::NeedMore;
    }
    void failServerLeg(const QString &why); // before the server leg was up: recorded, 502 to the application
    void listenToApp();
    void onUpstreamReady();
    void onUpstreamSslErrors(const QList<QSslError> &errors);
    void onUpstreamError();
    void onResponseComplete();
    bool hasRules() const { return m_options.rules && !m_options.rules->isEmpty(); }
    bool gatesWanted() const { return hasRules() || m_options.interceptable; }
    MessageGate *gateFrom(Leg from) const;
    static qint64 waiting(const MessageGate *gate);
    bool refuseIntercept(Leg from, const QString &why);
    void startGates();
    void onAppDisconnected();
    void onServerDisconnected();
    void resumeReading();
    void answerApp(int status, const QString &why);
    void writeToServer(QByteArrayView bytes);
    void writeToApp(QByteArrayView bytes);
    static void forward(QTcpSocket *to, QByteArrayView bytes);
    // Since `readTimeUs`, until what was just forwarded to `to` was in the kernel's hands; RelayHeld
    // when some of it still waits there.
    qint32 handOverDelay(const QTcpSocket *to, qint64 readTimeUs) const;
    qint64 unwritten(const QTcpSocket *socket) const;
    void closeAppLeg();
    void closeServerLeg();
    void noteCloseFrames();
    void finish();
    QString sideName(Leg leg) const; // "application" (or its name) and "server"
    QString theApplication() const; // "the application" (or its name), inside a sentence
    void setState(ReadyState state, Leg leg, const QString &detail);
    void recordBytes(EventKind kind, Leg leg, Direction direction, QByteArrayView bytes, qint64 timeUs = 0);
    void recordText(EventKind kind, Leg leg, Direction direction, const QString &text);
    void emitEvent(WireEvent &event);

    quint32 m_id;
    RelayOptions m_options;
    QList<WireEventSink *> m_sinks;
    QPointer<QTcpSocket> m_app;
    QPointer<QTcpSocket> m_server;
    std::optional<OutgoingProxy> m_upstreamProxy; // the one the server leg goes through, if any
    std::optional<HttpProxyTunnel> m_upstreamTunnel; // through an HTTP proxy: its CONNECT exchange
    QString m_appPeer;
    Phase m_phase = Phase::Request;
    ReadyState m_state = ReadyState::Connecting;
    bool m_finished = false;
    bool m_tunnel = false;
    bool m_appAnswered = false; // an HTTP answer of the relay's own can no longer be sent

    RequestParser m_requestParser;
    ResponseParser m_responseParser;
    HandshakeCheck m_check;
    QUrl m_upstreamUrl;
    QByteArray m_forwardedRequest;
    QByteArray m_toServerPending; // written once the server connection is up
    QByteArray m_appFramesUnparsed; // frames the application sent before the answer: parsed after it
    qint64 m_appFramesTimeUs = 0;
    bool m_serverUp = false; // connected (and encrypted for wss://)
    bool m_responseBytesForwarded = false;
    QTimer m_handshakeTimer;
    QByteArray m_readBuffer;

    RelayLeg m_appLeg;
    RelayLeg m_serverLeg;
    std::unique_ptr<MessageGate> m_appGate; // the application's messages, when rules apply to them
    std::unique_ptr<MessageGate> m_serverGate;
    bool m_appGone = false;
    bool m_serverGone = false;
    bool m_closingAppByUs = false;
    bool m_closingServerByUs = false;
    Leg m_firstCloser = Leg::None; // the side that sent the first close frame, or else dropped first
    bool m_closeFramesNoted[3] = {};
    quint64 m_bytesFromApp = 0;
    quint64 m_bytesFromServer = 0;
};
