#pragma once

#include "protocol/handshake.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <chrono>

class QTcpServer;
class QTcpSocket;
class QTimer;
class QWebSocket;
class QWebSocketServer;

// The embedded WebSocket server (DESIGN.md): Qt's QWebSocketServer behind our own QTcpServer, so
// that the exact bytes of every opening handshake request are recorded before Qt sees them.
//
// What Qt 6.4.2 hides from us, and so from these signals: incoming pings (QWebSocket answers them
// itself, no signal), whether a close frame carried a status code at all (no code reads as 1000),
// a UTF-8 byte order mark at the start of a text message (Qt's decoder drops it, so the echo and
// messageReceived lack those three bytes), and frames a client sends in the same packet as its
// request, before the 101 (Qt discards them; RFC 6455 §4.1 has clients wait anyway).
class EmbeddedServer : public QObject {
    Q_OBJECT
public:
    enum class Mode {
        Echo, // every message goes back to its sender, same type
        Broadcast, // every message goes to every connected client, sender included
    };
    Q_ENUM(Mode)

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
    QString errorString() const { return m_error; }

    Mode mode() const { return m_mode; }
    void setMode(Mode mode) { m_mode = mode; }

    QList<Client> clients() const; // connected clients, oldest first
    bool ping(quint32 id, const QByteArray &payload = {}); // answered through pongReceived
    bool closeClient(quint32 id, quint16 code = 1000, const QString &reason = {});

    // Limits of the opening handshake: size of the request head and time until it is complete.
    void setHandshakeLimits(qsizetype maxBytes, std::chrono::milliseconds timeout);

signals:
    void clientConnected(quint32 id, const QString &peer, const QByteArray &handshakeRequest);
    // closeCode is 1006 when the connection ended without a closing handshake.
    void clientDisconnected(quint32 id, quint16 closeCode, const QString &reason);
    void messageReceived(quint32 id, bool isText, const QByteArray &payload);
    void pongReceived(quint32 id, quint64 elapsedMs, const QByteArray &payload);
    // A connection that never became a client: what it sent and why it was dropped.
    void handshakeFailed(const QString &peer, const QByteArray &received, const QString &reason);

private:
    struct Pending {
        RequestParser parser;
        qsizetype fed = 0; // bytes of the socket buffer already given to the parser
        QString peer;
        QTimer *timer = nullptr;
    };
    struct HandedOver {
        QPointer<QTcpSocket> socket;
        QByteArray request;
    };
    struct Entry {
        Client info;
        QWebSocket *socket = nullptr;
        bool closeHandshake = false; // a close frame was sent or received
    };

    void acceptConnections();
    void readRequest(QTcpSocket *socket);
    void reject(QTcpSocket *socket, int status, const QByteArray &statusText, const QString &reason);
    void handOver(QTcpSocket *socket);
    void adoptClients();
    void relay(quint32 from, bool isText, const QString &text, const QByteArray &binary);
    void removeClient(quint32 id);

    QTcpServer *m_tcpServer = nullptr;
    QWebSocketServer *m_wsServer = nullptr;
    Mode m_mode = Mode::Echo;
    QString m_error;
    qsizetype m_maxHandshakeBytes = DefaultMaxHandshakeBytes;
    std::chrono::milliseconds m_handshakeTimeout = DefaultHandshakeTimeout;
    quint32 m_lastId = 0;
    QHash<QTcpSocket *, Pending> m_pending; // reading the request head
    QHash<QString, HandedOver> m_handedOver; // given to QWebSocketServer, keyed by peer
    QMap<quint32, Entry> m_clients; // ids increase with connection order
};
