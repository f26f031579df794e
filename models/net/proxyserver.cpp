#include "net/proxyserver.h"

#include "net/localcertificateauthority.h"
#include "protocol/relayhandshake.h"
#include "text/displaytext.h"

#include <QLocale>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpServer>
#include <QTimer>

namespace {

// Every client connection is a QSslSocket, used as plain TCP until the proxy decides to terminate
// TLS on it: QSslSocket::peek() in that mode leaves the ClientHello for startServerEncryption().
class Listener : public QTcpServer {
public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QSslSocket(this);
        if (socket->setSocketDescriptor(descriptor))
            addPendingConnection(socket);
        else
            delete socket;
    }
};

QString peerOf(const QTcpSocket *socket)
{
    return QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort());
}

QRegularExpression patternToExpression(const QString &pattern)
{
    QString expression = QRegularExpression::escape(pattern.trimmed());
    expression.replace(QLatin1String("\\*"), QLatin1String("[^/]*"));
    return QRegularExpression(
        QLatin1Char('^') + expression + QLatin1Char('$'), QRegularExpression::CaseInsensitiveOption);
}

bool isWebSocketUpgrade(const HttpRequest &request)
{
    for (const QByteArray &token : HttpHeaderList::tokens(request.headers, "upgrade"))
        if (token.compare("websocket", Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

ProxyServer::ProxyServer(const ProxyOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_listener(new Listener(this))
{
    for (const QString &pattern : options.noIntercept)
        m_noIntercept << patternToExpression(pattern);
    for (const QString &pattern : options.insecureHosts)
        m_insecureHosts << patternToExpression(pattern);
    connect(m_listener, &QTcpServer::newConnection, this, &ProxyServer::accept);
}

ProxyServer::~ProxyServer()
{
    for (RelaySession *session : std::as_const(m_sessions))
        session->disconnect(this);
}

QString ProxyServer::patternProblem(const QString &pattern)
{
    const QString p = pattern.trimmed();
    if (p.isEmpty())
        return tr("the host pattern is empty");
    for (const QChar c : p)
        if (!(c.isLetterOrNumber() || c == u'.' || c == u'-' || c == u'*' || c == u':' || c == u'_'))
            return tr("\"%1\" is not a host name pattern (letters, digits, '.', '-', and '*' for any run of them)")
                .arg(p);
    return {};
}

bool ProxyServer::matchesNoIntercept(const QString &host) const
{
    // "www.bank.example." is www.bank.example: the trailing dot must not slip past a pattern.
    const QString name = host.endsWith(QLatin1Char('.')) ? host.chopped(1) : host;
    for (const QRegularExpression &expression : m_noIntercept)
        if (expression.match(name).hasMatch())
            return true;
    return false;
}

bool ProxyServer::allowsCertificateErrors(const QString &host) const
{
    if (m_options.relay.allowCertificateErrors)
        return true;
    const QString name = host.endsWith(QLatin1Char('.')) ? host.chopped(1) : host;
    for (const QRegularExpression &expression : m_insecureHosts)
        if (expression.match(name).hasMatch())
            return true;
    return false;
}

void ProxyServer::setCertificateAuthority(std::shared_ptr<LocalCertificateAuthority> authority)
{
    m_authority = std::move(authority);
}

RelayOptions ProxyServer::optionsFor(const QString &host) const
{
    RelayOptions options = m_options.relay;
    options.allowCertificateErrors = allowsCertificateErrors(host);
    return options;
}

bool ProxyServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_listener->listen(address, port)) {
        m_error = tr("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(m_listener->errorString());
        return false;
    }
    m_error.clear();
    const QHostAddress host = m_listener->serverAddress();
    m_url.setScheme(QStringLiteral("http"));
    m_url.setHost(host == QHostAddress::Any || host == QHostAddress::AnyIPv4 ? QStringLiteral("127.0.0.1")
            : host == QHostAddress::AnyIPv6                                  ? QStringLiteral("::1")
                                                                             : host.toString());
    m_url.setPort(m_listener->serverPort());
    return true;
}

void ProxyServer::close()
{
    m_listener->close();
    const QList<RelaySession *> running = m_sessions;
    for (RelaySession *session : running)
        session->abort(tr("the proxy was stopped"));
}

bool ProxyServer::isListening() const
{
    return m_listener->isListening();
}

quint16 ProxyServer::port() const
{
    return m_listener->serverPort();
}

QStringList ProxyServer::recentActivity() const
{
    const QMutexLocker lock(&m_recentLock);
    return m_recent;
}

RelaySession *ProxyServer::session(quint32 connectionId) const
{
    for (RelaySession *session : m_sessions)
        if (session->connectionId() == connectionId && !session->isTunnel())
            return session;
    return nullptr;
}

void ProxyServer::accept()
{
    while (QTcpSocket *socket = m_listener->nextPendingConnection()) {
        socket->setParent(this);
        // The request head is read with peek(), so that a relay can read it again from the start.
        auto *timeout = new QTimer(socket);
        timeout->setSingleShot(true);
        connect(timeout, &QTimer::timeout, socket, [this, socket] {
            refuse(socket, 408, tr("no complete request within %1 ms").arg(m_options.relay.handshakeTimeoutMs));
        });
        timeout->start(m_options.relay.handshakeTimeoutMs);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, timeout] {
            if (!timeout->isActive())
                return;
            classify(socket);
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void ProxyServer::classify(QTcpSocket *socket)
{
    RequestParser parser(m_options.relay.maxHandshakeBytes);
    const auto status = parser.feed(socket->peek(m_options.relay.maxHandshakeBytes + 1));
    if (status == RequestParser::Status::NeedMore)
        return;
    socket->disconnect(this); // the request is complete: whoever takes the socket over reads it
    qDeleteAll(socket->findChildren<QTimer *>(Qt::FindDirectChildrenOnly));
    if (status == RequestParser::Status::Error) {
        refuse(socket, parser.errorString().startsWith(QLatin1String("headers exceed")) ? 431 : 400,
            tr("bad request: %1").arg(parser.errorString()));
        return;
    }
    const HttpRequest &request = parser.request();
    QString error;
    if (request.method == "CONNECT") {
        const std::optional<RelayHandshake::Authority> target
            = RelayHandshake::connectAuthority(request.target, &error);
        if (!target) {
            refuse(socket, 400, error);
            return;
        }
        socket->read(parser.consumed());
        socket->write("HTTP/1.1 200 Connection established\r\n\r\n");
        afterConnect(static_cast<QSslSocket *>(socket), *target);
        return;
    }
    const std::optional<QUrl> url = RelayHandshake::absoluteTarget(request.target, &error);
    if (!url) {
        refuse(
            socket, 400, tr("a proxy takes absolute URLs (GET http://host/path) and CONNECT host:port; %1").arg(error));
        return;
    }
    if (isWebSocketUpgrade(request) && !matchesNoIntercept(url->host())) {
        RelayOptions options = optionsFor(url->host());
        options.to = *url;
        options.absoluteTargets = true;
        newSession(socket, options, false)->start();
        return;
    }
    // A plain HTTP request (a page, its scripts): on to its server, one request per connection.
    QUrl http = *url;
    const bool secure = http.scheme() == QLatin1String("wss");
    http.setScheme(secure ? QStringLiteral("https") : QStringLiteral("http"));
    const QByteArray head = RelayHandshake::forwardPlainRequest(request, http);
    socket->read(parser.consumed());
    const quint16 port = quint16(http.port(secure ? 443 : 80));
    RelaySession *session = newSession(socket, optionsFor(http.host()), true);
    session->startTunnel(http.host(), port, secure, head,
        tr("%1 %2 passed on").arg(QString::fromLatin1(request.method), http.toDisplayString()), false);
}

// A CONNECT tunnel is up for the client: looks at its first bytes (decrypted ones once TLS is
// terminated) until it can tell what to do with them, or the sniffing time is over.
void ProxyServer::afterConnect(QSslSocket *socket, const RelayHandshake::Authority &target)
{
    if (!socket->isEncrypted() && matchesNoIntercept(target.host)) {
        // Decided by the name alone: no waiting for bytes (the server may be the one to speak first).
        decideAfterConnect(socket, target, false);
        return;
    }
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, socket, [this, socket, target, timer] {
        timer->deleteLater();
        decideAfterConnect(socket, target, true);
    });
    // Inside terminated TLS the client speaks first (HTTP): it gets the whole handshake time, so a
    // connection a browser opened ahead of need is not mistaken for one that is not HTTP.
    timer->start(socket->isEncrypted() ? m_options.relay.handshakeTimeoutMs : m_options.sniffTimeoutMs);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket, target, timer] {
        if (timer->isActive() && decideAfterConnect(socket, target, false))
            timer->stop();
    });
    if (socket->bytesAvailable() > 0 && decideAfterConnect(socket, target, false))
        timer->stop();
}

// True once decided; false while the head of an HTTP request is still arriving.
bool ProxyServer::decideAfterConnect(QSslSocket *socket, const RelayHandshake::Authority &target, bool timedOut)
{
    const bool decrypted = socket->isEncrypted();
    const QByteArray first = socket->peek(m_options.relay.maxHandshakeBytes + 1);
    QString why;
    if (matchesNoIntercept(target.host)) {
        why = tr("the host matches --no-intercept");
    } else if (!decrypted && first.startsWith('\x16')) {
        if (m_authority) {
            socket->disconnect(this);
            terminateTls(socket, target);
            return true;
        }
        why = tr("TLS, passed through uninspected (no certificate authority to terminate it with)");
    } else if (timedOut && first.isEmpty()) {
        why = tr("the client sent nothing within %1 ms").arg(m_options.sniffTimeoutMs);
    } else {
        RequestParser parser(m_options.relay.maxHandshakeBytes);
        const auto status = parser.feed(first);
        if (status == RequestParser::Status::NeedMore && !timedOut)
            return false; // wait for the rest of the head
        if (status == RequestParser::Status::Complete && isWebSocketUpgrade(parser.request())
            && parser.request().target.startsWith('/')) {
            socket->disconnect(this);
            RelayOptions options = optionsFor(target.host);
            QUrl to;
            to.setScheme(decrypted ? QStringLiteral("wss") : QStringLiteral("ws"));
            to.setHost(target.host);
            to.setPort(target.port);
            to.setPath(QStringLiteral("/"));
            options.to = to;
            newSession(socket, options, false)->start();
            return true;
        }
        why = status == RequestParser::Status::Complete
            ? tr("not a WebSocket upgrade (%1 %2)")
                  .arg(QString::fromLatin1(parser.request().method), DisplayText::line(parser.request().target))
            : status == RequestParser::Status::NeedMore ? tr("an incomplete request head")
                                                        : tr("not HTTP");
        if (decrypted)
            why = tr("TLS terminated; %1: passed on over TLS, unparsed").arg(why);
    }
    socket->disconnect(this);
    RelaySession *session = newSession(socket, optionsFor(target.host), true);
    // Inside terminated TLS an HTTP client still waits for an HTTP answer: a 502 can reach it.
    session->startTunnel(target.host, target.port, decrypted, {}, tr("CONNECT: %1").arg(why), !decrypted);
    return true;
}

void ProxyServer::terminateTls(QSslSocket *socket, const RelayHandshake::Authority &target)
{
    QString error;
    const std::optional<LocalCertificateAuthority::Leaf> leaf = m_authority->certificateFor(target.host, &error);
    if (!leaf) {
        refuseClient(peerOf(socket), tr("cannot make a certificate for %1: %2").arg(target.host, error));
        socket->abort();
        socket->deleteLater();
        return;
    }
    QSslConfiguration config = socket->sslConfiguration();
    config.setLocalCertificate(leaf->certificate);
    config.setPrivateKey(leaf->key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    // HTTP/1.1 only: a WebSocket upgrade is an HTTP/1.1 request, and the tunnel for anything else
    // does not speak HTTP/2.
    config.setAllowedNextProtocols({ QByteArrayLiteral("http/1.1") });
    socket->setSslConfiguration(config);
    auto *timeout = new QTimer(socket);
    timeout->setSingleShot(true);
    const QString host = target.host;
    auto failed = [this, socket, timeout, host](const QString &why) {
        if (!timeout->isActive())
            return;
        timeout->stop();
        socket->disconnect(this);
        // A client that closes in the middle of the handshake may distrust the certificate, or may
        // only be dropping a spare connection, as browsers do: from here the two look the same.
        const QString hint = socket->error() == QAbstractSocket::RemoteHostClosedError
            ? tr("the client closed the connection during the handshake: either it does not trust the inspector's "
                 "certificate authority (wsinspector-cli --export-ca FILE writes it), or it dropped a spare "
                 "connection, as browsers do")
            : tr("does the client trust the inspector's certificate authority? wsinspector-cli --export-ca FILE "
                 "writes it");
        refuseClient(peerOf(socket), tr("TLS with the client for %1 failed: %2 (%3)").arg(host, why, hint));
        socket->abort();
        socket->deleteLater();
    };
    connect(timeout, &QTimer::timeout, socket, [this, socket, host] {
        socket->disconnect(this);
        refuseClient(peerOf(socket),
            tr("TLS with the client for %1: no handshake within %2 ms")
                .arg(host)
                .arg(m_options.relay.handshakeTimeoutMs));
        socket->abort();
        socket->deleteLater();
    });
    timeout->start(m_options.relay.handshakeTimeoutMs);
    connect(socket, &QSslSocket::sslErrors, this, [failed](const QList<QSslError> &errors) {
        QStringList lines;
        for (const QSslError &e : errors)
            lines << e.errorString();
        failed(lines.join(QStringLiteral("; ")));
    });
    connect(socket, &QTcpSocket::errorOccurred, this, [failed, socket] { failed(socket->errorString()); });
    connect(socket, &QSslSocket::encrypted, this, [this, socket, target, timeout] {
        timeout->stop();
        socket->disconnect(this);
        afterConnect(socket, target);
    });
    socket->startServerEncryption();
}

RelaySession *ProxyServer::newSession(QTcpSocket *socket, const RelayOptions &options, bool tunnel)
{
    const quint32 id = m_nextId ? m_nextId() : ++m_counter;
    socket->disconnect(this);
    disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    auto *session = new RelaySession(id, socket, options, this);
    m_sessions.append(session);
    connect(session, &RelaySession::finished, this, [this, session] {
        m_sessions.removeOne(session);
        if (session->isTunnel())
            noteActivity(tr("passed on: %1, %2 up, %3 down")
                             .arg(session->upstreamUrl().toDisplayString(),
                                 QLocale::system().formattedDataSize(qint64(session->bytesFromApp())),
                                 QLocale::system().formattedDataSize(qint64(session->bytesFromServer()))));
        session->deleteLater();
    });
    if (tunnel) {
        ++m_passedOn;
        Q_EMIT tunnelStarted(session);
    } else {
        ++m_relayed;
        Q_EMIT sessionStarted(session);
    }
    Q_EMIT activityChanged();
    return session;
}

void ProxyServer::refuseClient(const QString &peer, const QString &why)
{
    ++m_refused;
    noteActivity(tr("refused %1: %2").arg(peer, why));
    Q_EMIT refused(peer, why);
}

void ProxyServer::noteActivity(const QString &line)
{
    constexpr int Kept = 50;
    {
        const QMutexLocker lock(&m_recentLock);
        m_recent << line;
        if (m_recent.size() > Kept)
            m_recent.remove(0, m_recent.size() - Kept);
    }
    Q_EMIT activityChanged();
}

void ProxyServer::refuse(QTcpSocket *socket, int status, const QString &why)
{
    refuseClient(peerOf(socket), why);
    socket->disconnect(this);
    socket->write(RelayHandshake::errorResponse(status, why));
    socket->disconnectFromHost();
}
