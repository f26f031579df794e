#pragma once

#include "net/relaysession.h"
#include "protocol/relayhandshake.h"

#include <QHostAddress>
#include <QObject>
#include <QRegularExpression>
#include <functional>

class QTcpServer;
class QTcpSocket;

// What the proxy is told: limits for its relays, the hosts it must never look into, and whether
// certificate errors of servers are allowed.
struct ProxyOptions {
    RelayOptions relay; // `to` is ignored: each request names its server
    // Hosts whose connections are tunnelled untouched ("*.bank.example", "example.org"; * matches
    // any run of characters within the name, case-insensitively).
    QStringList noIntercept;
    int sniffTimeoutMs = 2'000; // a CONNECT client that says nothing first gets a tunnel after this
};

// An HTTP proxy on 127.0.0.1 (wsinspector-cli --proxy, the window's Proxy mode) for browsers and
// applications that take a proxy setting. What it does with each client connection:
// - CONNECT host:port: answers 200, then looks at the first bytes. A plain HTTP WebSocket upgrade
//   (ws://, which RFC 6455 §4.1 tells clients to send through CONNECT) is relayed and inspected
//   like the reverse relay's; anything else (TLS for https:// and wss://, other protocols) and
//   every host matching noIntercept is tunnelled byte for byte, uninspected. (Terminating TLS with
//   a local certificate authority is not built yet.)
// - "GET http://host/path" with Upgrade: websocket (the absolute form): relayed and inspected.
// - Any other request in the absolute form: passed on to its server unchanged but for
//   "Connection: close", so that pages keep working.
// - Anything else: 400 with the reason.
class ProxyServer : public QObject {
    Q_OBJECT
public:
    explicit ProxyServer(const ProxyOptions &options, QObject *parent = nullptr);
    ~ProxyServer() override;

    // "*.example.org" and the like; empty when the pattern can be used, or what is wrong with it.
    static QString patternProblem(const QString &pattern);
    bool matchesNoIntercept(const QString &host) const;

    bool listen(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost), quint16 port = 0);
    void close();
    bool isListening() const;
    quint16 port() const;
    // http://127.0.0.1:PORT: what browsers and applications are told to use as their proxy.
    QUrl url() const;
    QString errorString() const { return m_error; }
    void setIdAllocator(std::function<quint32()> next) { m_nextId = std::move(next); }

Q_SIGNALS:
    // A WebSocket connection relayed and inspected; add sinks here, before it reads.
    void sessionStarted(RelaySession *session);
    // A tunnel or a plain HTTP request passed on; add sinks here to record it (a line or two).
    void tunnelStarted(RelaySession *session);
    // A client connection the proxy refused (bad request line, bad CONNECT target), with why.
    void refused(const QString &peer, const QString &why);

private:
    void accept();
    void classify(QTcpSocket *socket);
    void afterConnect(QTcpSocket *socket, const RelayHandshake::Authority &target);
    RelaySession *newSession(QTcpSocket *socket, const RelayOptions &options, bool tunnel);
    void refuse(QTcpSocket *socket, int status, const QString &why);

    ProxyOptions m_options;
    QTcpServer *m_listener;
    QString m_error;
    QList<QRegularExpression> m_noIntercept;
    QList<RelaySession *> m_sessions;
    std::function<quint32()> m_nextId;
    quint32 m_counter = 0;
};
