#pragma once

#include "log/wireevent.h"
#include "net/serverbehaviour.h"
#include "protocol/handshake.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>
#include <QUrl>

#include <chrono>
#include <optional>
#include <type_traits>

class QTcpServer;
class QTcpSocket;
class QTimer;
class QWebSocket;
class QWebSocketServer;
class ServerConnection;
struct ApiCall;
class ServerWireTap;

// The embedded WebSocket server (DESIGN.md): Qt's QWebSocketServer behind our own QTcpServer, so
// that the exact bytes of every opening handshake request are recorded before Qt sees them.
//
// With QWebSocketServer, what its QWebSocket reports (messages, pongs, the close) is recorded too,
// as api events beside the frames, with a note where the report differs from the wire.
//
// Every connection is watched on the wire: a ServerWireTap stands between the client and
// QWebSocketServer inside the process and records each frame both ways as WireEvents, which go to
// the sinks (the server panel's log, `wsinspector-cli --serve` and its --capture). The server adds
// its own events: OPEN and CLOSED for each client, refused handshakes with the response it wrote.
//
// What Qt 6.4.2 hides from us, and so from these signals: incoming pings (QWebSocket answers them
// itself, no signal), whether a close frame carried a status code at all (no code reads as 1000),
// a UTF-8 byte order mark at the start of a text message (Qt's decoder drops it, so the echo and
// messageReceived lack those three bytes), and frames a client sends in the same packet as its
// request, before the 101 (Qt discards them; RFC 6455 §4.1 has clients wait anyway).
//
// It may run on another thread than its callers (the window puts it on the networking thread):
// every public function called from elsewhere runs on the server's thread while the caller waits,
// and the signals reach receivers on their own threads as queued calls.
//
// A ServerBehaviour makes it a test server: delayed or fragmented replies, periodic pings, a close
// after N messages, limits, and handshakes refused on purpose. Every refusal (a forced status, an
// Origin not allowed, no acceptable subprotocol, the server full) is decided on the request head
// before Qt sees the socket, and answered with an HTTP response written here.
class EmbeddedServer : public QObject {
    Q_OBJECT
public:
    enum class Mode {
        Echo, // every message goes back to its sender, same type
        Broadcast, // every message goes to every connected client, sender included
    };
    Q_ENUM(Mode)

    // Which engine answers new clients: Qt's QWebSocketServer (the default), watched through a
    // tap, or the inspector's own (ServerConnection: strict, permessage-deflate).
    enum class Engine { Qt, Inspector };
    Q_ENUM(Engine)
    // "qt", "inspector": the names the command line and settings use.
    static QString engineKey(Engine engine);
    static std::optional<Engine> engineFromKey(QStringView key);

    struct Client {
        quint32 id = 0;
        QString peer; // "127.0.0.1:54321", "[::1]:54321"
        QByteArray handshakeRequest; // exact request bytes, up to and including the blank line
    };

    static constexpr qsizetype DefaultMaxHandshakeBytes = 16 * 1024;
    static constexpr std::chrono::milliseconds DefaultHandshakeTimeout { 10000 };
    static constexpr quint64 DefaultMaxMessageBytes = 64 * 1024 * 1024;

    explicit EmbeddedServer(QObject *parent = nullptr);
    ~EmbeddedServer() override; // closes clients with 1001 without emitting signals

    // Port 0 picks a free port. On failure returns false; errorString() says why, e.g.
    // "cannot listen on 127.0.0.1:8080: address in use".
    bool start(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    // Stops listening, drops handshakes in progress and closes every client with 1001 Going Away
    // (clientDisconnected is emitted for each at once).
    void stop();
    bool isListening() const;
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    QUrl url() const; // ws://127.0.0.1:PORT/ (a loopback address when bound to Any); empty when stopped
    QString errorString() const;

    Mode mode() const;
    void setMode(Mode mode);
    Engine engine() const;
    // Takes effect for clients that connect from now on; those connected keep theirs.
    void setEngine(Engine engine);

    QList<Client> clients() const; // connected clients, oldest first
    QString subprotocol(quint32 id) const; // selected in the client's 101 response; empty if none
    bool ping(quint32 id, const QByteArray &payload = {}); // answered through pongReceived
    bool closeClient(quint32 id, quint16 code = 1000, const QString &reason = {});

    // Limits of the opening handshake: size of the request head and time until it is complete.
    void setHandshakeLimits(qsizetype maxBytes, std::chrono::milliseconds timeout);

    // Takes effect at once, also while listening: connected clients get the new frame size, limits
    // and ping interval; handshakes are checked against it from now on. Refused (false, nothing
    // changed, `error` says why) when behaviour.problems() is not empty.
    bool setBehaviour(const ServerBehaviour &behaviour, QString *error = nullptr);
    ServerBehaviour behaviour() const;

    // Receives every event on the server's thread, in wire order per connection (connection id =
    // client id, given when a request passes the behaviour's checks, so a handshake an engine then
    // refuses has one too; 0 for handshakes the behaviour refused). Not owned; remove it before it
    // is destroyed.
    void addSink(WireEventSink *sink);
    void removeSink(WireEventSink *sink);

signals:
    void clientConnected(quint32 id, const QString &peer, const QByteArray &handshakeRequest);
    // closeCode is 1006 when the connection ended without a closing handshake.
    void clientDisconnected(quint32 id, quint16 closeCode, const QString &reason);
    void messageReceived(quint32 id, bool isText, const QByteArray &payload);
    void pongReceived(quint32 id, quint64 elapsedMs, const QByteArray &payload);
    // A connection that never became a client: what it sent and why it was dropped.
    void handshakeFailed(const QString &peer, const QByteArray &received, const QString &reason);
    // Emitted with handshakeFailed whenever that was an HTTP response written by us (the status
    // chosen by the behaviour, 403 for an Origin, 503 when full, 400/408/431 for a bad request).
    void handshakeRejected(const QString &peer, int status, const QByteArray &received, const QString &reason);
    // A ping the behaviour sent (payload: its sequence number per client, "1", "2", ... in ASCII).
    void pingSent(quint32 id, const QByteArray &payload);

private:
    // Runs `call` on the server's thread, waiting for it, and returns its result; at once when
    // already there.
    template <typename Call>
    auto onServerThread(Call call) const;
    bool calledFromElsewhere() const { return thread() != QThread::currentThread(); }

    struct Pending {
        RequestParser parser;
        qsizetype fed = 0; // bytes of the socket buffer already given to the parser
        QString peer;
        QTimer *timer = nullptr;
    };
    // Admitted, its tap connecting to QWebSocketServer, which has not finished the handshake yet.
    struct HandedOver {
        QPointer<ServerWireTap> tap;
        QPointer<QTcpSocket> inner; // QWebSocketServer's end of the tap's loopback connection
        QString peer;
        QByteArray request;
    };
    struct Entry {
        Client info;
        QWebSocket *socket = nullptr; // Engine::Qt
        QPointer<ServerWireTap> tap; // Engine::Qt
        ServerConnection *own = nullptr; // Engine::Inspector
        bool announced = false; // clientConnected emitted (once Qt adopted it and its 101 was recorded)
        bool qtClosed = false; // QWebSocket disconnected; the client is gone once its tap finished too
        quint16 closeCode = 0; // as reported when qtClosed
        QString closeReason;
        bool wasClean = false; // Engine::Inspector: both close frames crossed
        int qtCloseCode = -1; // Engine::Qt: closeCode() and closeReason() as QWebSocket reported them
        QString qtCloseReason;
        bool closeHandshake = false; // a close frame was sent or received
        quint64 defaultFrameSize = 0; // Qt's outgoing frame size, restored when fragmenting is turned off
        int messages = 0; // received, for closeAfterMessages
        QTimer *pingTimer = nullptr; // child of socket
        quint64 pingsSent = 0;
    };
    struct Rejection {
        int status = 0;
        QString reason;
    };

    void acceptConnections();
    void readRequest(QTcpSocket *socket);
    void reject(QTcpSocket *socket, int status, const QByteArray &statusText, const QString &reason);
    // Why the behaviour refuses this request head, if it does.
    std::optional<Rejection> screen(const HttpRequest &request) const;
    void admit(QTcpSocket *socket);
    void handOver(QTcpSocket *socket);
    void handOverToInspector(QTcpSocket *socket, const Pending &pending);
    // What the client's engine does, whichever it is.
    static QString subprotocolOf(const Entry &entry);
    static void send(const Entry &entry, bool isText, const QByteArray &payload);
    static void pingEntry(const Entry &entry, const QByteArray &payload);
    void acceptInner();
    void matchInner();
    void adoptClients();
    void announce(quint32 id);
    void finishClient(quint32 id);
    void recordState(quint32 id, ReadyState state, const QString &text, quint16 closeCode = 0, bool wasClean = false);
    void recordBytes(EventKind kind, Direction direction, QByteArrayView bytes);
    void recordError(const QString &text);
    void recordApi(quint32 id, const ApiCall &call);
    void emitEvent(WireEvent &event);
    void applyBehaviour(Entry &entry);
    void onMessage(quint32 from, bool isText, const QByteArray &payload);
    void relay(quint32 from, bool isText, const QByteArray &payload);
    void removeClient(quint32 id);

    QTcpServer *m_tcpServer = nullptr;
    QTcpServer *m_innerServer = nullptr; // loopback, where the taps reach QWebSocketServer
    QWebSocketServer *m_wsServer = nullptr;
    QList<WireEventSink *> m_sinks;
    QList<QPointer<QTcpSocket>> m_innerUnmatched; // accepted before their tap knew its port
    Mode m_mode = Mode::Echo;
    Engine m_engine = Engine::Qt;
    QString m_error;
    qsizetype m_maxHandshakeBytes = DefaultMaxHandshakeBytes;
    std::chrono::milliseconds m_handshakeTimeout = DefaultHandshakeTimeout;
    quint32 m_lastId = 0;
    ServerBehaviour m_behaviour;
    QHash<QTcpSocket *, Pending> m_pending; // reading the request head
    QMap<quint32, HandedOver> m_handedOver; // given to QWebSocketServer through a tap, by client id
    QMap<quint32, Entry> m_clients; // ids increase with connection order
};

template <typename Call>
auto EmbeddedServer::onServerThread(Call call) const
{
    using Result = std::invoke_result_t<Call>;
    auto *self = const_cast<EmbeddedServer *>(this);
    if constexpr (std::is_void_v<Result>) {
        QMetaObject::invokeMethod(self, call, Qt::BlockingQueuedConnection);
    } else {
        Result result {};
        QMetaObject::invokeMethod(self, [&] { result = call(); }, Qt::BlockingQueuedConnection);
        return result;
    }
}
