#pragma once

#include "net/relaysession.h"
#include "protocol/relayhandshake.h"

#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <QRegularExpression>
#include <QUrl>
#include <atomic>
#include <functional>
#include <memory>

class LocalCertificateAuthority;
class QSslSocket;
class QTcpServer;
class QTcpSocket;

// What the proxy is told: limits for its relays, the hosts it must never look into, and whether
// certificate errors of servers are allowed.
struct ProxyOptions {
    RelayOptions relay; // `to` is ignored: each request names its server
    // Hosts whose connections are tunnelled untouched ("*.bank.example", "example.org"; * matches
    // any run of characters within the name, case-insensitively).
    QStringList noIntercept;
    // Hosts whose certificate errors are allowed on the way to them (same patterns); for every
    // host when relay.allowCertificateErrors is set (-k).
    QStringList insecureHosts;
    int sniffTimeoutMs = 2'000; // a CONNECT client that says nothing first gets a tunnel after this
};

// An HTTP proxy on 127.0.0.1 (wsinspector-cli --proxy, the window's Proxy mode) for browsers and
// applications that take a proxy setting. What it does with each client connection:
// - CONNECT host:port: answers 200, then looks at the first bytes.
//   - TLS (https://, wss://): terminated with a certificate for the host signed by the local
//     certificate authority, when there is one; then the decrypted bytes are looked at as below,
//     and the server is reached over TLS verified against the system's CAs.
//   - A WebSocket upgrade in HTTP (ws:// goes through CONNECT by RFC 6455 §4.1; wss:// once
//     decrypted) is relayed and inspected like the reverse relay's.
//   - Anything else (other requests, other protocols) is tunnelled to the server, decrypted when
//     TLS was terminated, unparsed. Hosts matching noIntercept are tunnelled untouched, TLS and all.
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
    bool allowsCertificateErrors(const QString &host) const;

    bool listen(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost), quint16 port = 0);
    void close();
    bool isListening() const;
    quint16 port() const;
    // http://127.0.0.1:PORT: what browsers and applications are told to use as their proxy. Set by
    // listen(), then fixed: other threads may read it.
    QUrl url() const { return m_url; }
    QString errorString() const { return m_error; }
    void setIdAllocator(std::function<quint32()> next) { m_nextId = std::move(next); }
    // Without one, TLS is tunnelled uninspected (and the log says why).
    void setCertificateAuthority(std::shared_ptr<LocalCertificateAuthority> authority);
    bool intercepts() const { return m_authority != nullptr; }
    const ProxyOptions &options() const { return m_options; }

    // What the proxy has done since it started, for a status line: WebSocket connections relayed,
    // tunnels and plain requests passed on, clients refused; and the latest of those, newest last
    // ("passed on: tls://example.org:443, 2.1 kB up, 48.0 kB down"; "refused 127.0.0.1:5123: why").
    // All four may be read from any thread (the window reads them while the proxy runs on its own).
    int relayedCount() const { return m_relayed.load(); }
    int passedOnCount() const { return m_passedOn.load(); }
    int refusedCount() const { return m_refused.load(); }
    QStringList recentActivity() const;
    // The WebSocket session with this id while it runs (tunnels are not sessions the user sees).
    RelaySession *session(quint32 connectionId) const;

Q_SIGNALS:
    // A WebSocket connection relayed and inspected; add sinks here, before it reads.
    void sessionStarted(RelaySession *session);
    // A tunnel or a plain HTTP request passed on; add sinks here to record it (a line or two).
    void tunnelStarted(RelaySession *session);
    // A client connection the proxy refused (bad request line, bad CONNECT target), with why.
    void refused(const QString &peer, const QString &why);
    void activityChanged(); // a count or the recent lines changed

private:
    void accept();
    void classify(QTcpSocket *socket);
    void afterConnect(QSslSocket *socket, const RelayHandshake::Authority &target);
    bool decideAfterConnect(QSslSocket *socket, const RelayHandshake::Authority &target, bool timedOut);
    void terminateTls(QSslSocket *socket, const RelayHandshake::Authority &target);
    RelayOptions optionsFor(const QString &host) const;
    RelaySession *newSession(QTcpSocket *socket, const RelayOptions &options, bool tunnel);
    void refuse(QTcpSocket *socket, int status, const QString &why);
    void refuseClient(const QString &peer, const QString &why);
    void noteActivity(const QString &line);

    ProxyOptions m_options;
    QTcpServer *m_listener;
    QString m_error;
    QList<QRegularExpression> m_noIntercept;
    QList<QRegularExpression> m_insecureHosts;
    std::shared_ptr<LocalCertificateAuthority> m_authority;
    QList<RelaySession *> m_sessions;
    std::function<quint32()> m_nextId;
    quint32 m_counter = 0;
    std::atomic<int> m_relayed = 0;
    std::atomic<int> m_passedOn = 0;
    std::atomic<int> m_refused = 0;
    mutable QMutex m_recentLock;
    QStringList m_recent;
    QUrl m_url;
};
