#pragma once

#include "decode/socketioclient.h"
#include "log/wireevent.h"
#include "net/clienttls.h"
#include "net/outgoingproxy.h"
#include "net/reconnectschedule.h"
#include "protocol/extensions.h"
#include "protocol/frameparser.h"
#include "protocol/framewriter.h"
#include "protocol/handshake.h"

#include <QObject>
#include <QStringList>
#include <QUrl>

#include <optional>

// Everything the user can set for one client connection. Every limit has a default.
struct ConnectionOptions {
    // Which engine runs the connection: the inspector's own (the default: it sees what QWebSocket
    // hides), or Qt's QWebSocket observed through a relay inside the process.
    enum class Engine : quint8 { Inspector, Qt };
    Engine engine = Engine::Inspector;
    QUrl url;
    HttpHeaders headers; // extra request headers, sent in order
    QStringList subprotocols;
    // permessage-deflate (RFC 7692): offered first, as browsers do; nullopt offers no compression.
    std::optional<PerMessageDeflate::Offer> deflate = PerMessageDeflate::Offer();
    QStringList extensions; // further offers, verbatim (testing what a server makes of them)
    QString origin;
    bool allowCertificateErrors = false; // for this connection only, on the user's explicit request
    ClientTls tls; // certificate authorities of its own, and a client certificate (mutual TLS)
    ProxySetting proxy; // an HTTP or SOCKS5 proxy to go through: none, a fixed one, the environment's
    // Said at the end of the CONNECTING line: why this connection is being made ("reconnect,
    // attempt 2 of 5, 1.02 s after #1 closed"); empty for a connection the user opened.
    QString openingNote;
    // The window's session: a ping every keepAliveMs (0: never), the connection given up when no
    // pong comes within pongTimeoutMs (KeepAlive); and when it drops or cannot be made without the
    // user closing it, another connection with the same options (Reconnector).
    int keepAliveMs = 0;
    int pongTimeoutMs = 10'000;
    std::optional<ReconnectPolicy> reconnect;
    int handshakeTimeoutMs = 10'000;
    int closeTimeoutMs = 5'000; // how long to wait for the peer's part of the closing handshake
    qsizetype maxHandshakeBytes = 16 * 1024;
    qsizetype maxResponseBodyBytes = 64 * 1024;
    bool autoPong = true;
    // Auto-pong waits while more than this many bytes wait to be written (a peer that floods pings
    // and stops reading would otherwise grow the write buffer without bound); then the latest ping
    // alone is answered once the buffer drains, as RFC 6455 §5.5.3 allows.
    qint64 pongBacklogLimit = 1 << 20;
    qsizetype fragmentSize = 0; // outgoing data messages are split into frames of this many bytes; 0: never
    FrameParser::Limits limits;
    // A strict peer answers a violation with a close frame carrying the violation's code. Turn off to
    // keep the connection open and only record what the server does wrong.
    bool closeOnViolation = true;
    // Engine::Qt: the relay that watches QWebSocket also gates its messages, so that they can be
    // held, edited, dropped or injected (the window's Intercept dock). Messages then go on once
    // parsed rather than as read.
    bool interceptable = false;
    // Socket.IO mode (the window's session plays a Socket.IO v4 client: it opens Engine.IO's
    // websocket transport, joins the namespace, answers Engine.IO pings); the engine itself only
    // carries the messages.
    std::optional<SocketIoClient::Options> socketIo;
};

// What runs one client connection the user opened: the inspector's own RFC 6455 engine
// (ClientConnection) or Qt's QWebSocket watched through a relay (QtClientConnection). Both record
// every byte in and out as WireEvents into their sinks, in wire order, follow the browser's
// readyState, and take the same commands; an engine that cannot do what is asked (QWebSocket
// sending a hand-made frame) refuses, returns false and says why in the log.
class ClientEngine : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    // "inspector", "qt": the names the command line and settings use.
    static QString engineKey(ConnectionOptions::Engine engine);
    static std::optional<ConnectionOptions::Engine> engineFromKey(QStringView key);
    // A new engine of that kind, not yet open.
    static ClientEngine *create(ConnectionOptions::Engine engine, quint32 connectionId, QObject *parent = nullptr);

    virtual void addSink(WireEventSink *sink) = 0;
    virtual quint32 connectionId() const = 0;
    // Starts connecting. Returns false (and records the error) when the options cannot be used.
    virtual bool open(const ConnectionOptions &options) = 0;
    virtual ReadyState readyState() const = 0;
    virtual quint16 closeCode() const = 0;
    virtual QString closeReason() const = 0;
    virtual bool wasClean() const = 0;
    virtual QString errorString() const = 0;

    enum class Compression {
        AsNegotiated, // compressed when permessage-deflate was agreed
        Uncompressed, // sent as is even then (RSV1 clear): a message the sender chose not to compress
    };
    // Outgoing data messages are split into frames of this many payload bytes (0: never).
    virtual void setFragmentSize(qsizetype bytes) = 0;
    virtual bool sendText(const QByteArray &utf8, Compression compression = Compression::AsNegotiated) = 0;
    virtual bool sendBinary(const QByteArray &data, Compression compression = Compression::AsNegotiated) = 0;
    virtual bool ping(const QByteArray &payload = {}) = 0;
    virtual bool pong(const QByteArray &payload = {}) = 0;
    // Starts the closing handshake; code 0 sends a close frame without a code.
    virtual bool close(quint16 code = 1000, const QByteArray &reason = {}) = 0;
    virtual bool sendFrame(const FrameSpec &spec, bool compressPayload = false) = 0;
    virtual bool sendRawBytes(const QByteArray &bytes) = 0;
    // Drops the TCP connection without a closing handshake.
    virtual void abort() = 0;
    // The same, for a reason the log records as an error first ("no pong within 5 s"): the
    // connection is dead, and the log says how that was found.
    virtual void giveUp(const QString &reason) = 0;

Q_SIGNALS:
    void stateChanged(ReadyState state);
    void opened();
    // Only emitted while something is connected: the command-line flood path never builds the copy.
    void messageReceived(quint8 opcode, const QByteArray &payload);
    void pingReceived(const QByteArray &payload);
    void pongReceived(const QByteArray &payload);
    void closeFrameReceived(quint16 code, const QByteArray &reason);
    void violationDetected(const QString &ruleId, quint16 closeCode, const QString &description);
    void errorOccurred(const QString &message);
    void closed(quint16 code, const QString &reason, bool wasClean);
};
