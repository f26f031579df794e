#include "net/embeddedserver.h"

#include "log/apicall.h"
#include "log/eventtime.h"
#include "net/serverconnection.h"
#include "net/serverwiretap.h"
#include "protocol/closecodes.h"
#include "text/displaytext.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

namespace {

QHostAddress withoutV4Mapping(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 && address.protocol() == QAbstractSocket::IPv6Protocol ? QHostAddress(v4) : address;
}

QString endpoint(const QHostAddress &address, quint16 port)
{
    const QHostAddress a = withoutV4Mapping(address);
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + a.toString() + QLatin1Char(']')
        : a.toString();
    return host + QLatin1Char(':') + QString::number(port);
}

QString listenErrorText(const QTcpServer &server)
{
    switch (server.serverError()) {
    case QAbstractSocket::AddressInUseError:
        return EmbeddedServer::tr("address in use");
    case QAbstractSocket::SocketAccessError:
        return EmbeddedServer::tr("permission denied");
    case QAbstractSocket::SocketAddressNotAvailableError:
        return EmbeddedServer::tr("address not available on this machine");
    case QAbstractSocket::UnsupportedSocketOperationError:
        return EmbeddedServer::tr("address family not supported");
    default:
        return server.errorString();
    }
}

} // namespace

EmbeddedServer::EmbeddedServer(QObject *parent)
    : QObject(parent)
    , m_tcpServer(new QTcpServer(this))
    , m_innerServer(new QTcpServer(this))
    , m_wsServer(new QWebSocketServer(QStringLiteral("WebSocket Inspector"), QWebSocketServer::NonSecureMode, this))
{
    // m_wsServer never listens: it only upgrades the sockets we hand to it.
    connect(m_tcpServer, &QTcpServer::newConnection, this, &EmbeddedServer::acceptConnections);
    connect(m_innerServer, &QTcpServer::newConnection, this, &EmbeddedServer::acceptInner);
    connect(m_wsServer, &QWebSocketServer::newConnection, this, &EmbeddedServer::adoptClients);
}

EmbeddedServer::~EmbeddedServer()
{
    // Receivers may be half destroyed by now; stop quietly.
    blockSignals(true);
    m_sinks.clear();
    stop();
}

bool EmbeddedServer::start(const QHostAddress &address, quint16 port)
{
    if (calledFromElsewhere())
        return onServerThread([&] { return start(address, port); });
    if (m_tcpServer->isListening()) {
        m_error = tr("already listening on %1").arg(endpoint(serverAddress(), serverPort()));
        return false;
    }
    if (!m_tcpServer->listen(address, port)) {
        m_error = tr("cannot listen on %1: %2").arg(endpoint(address, port), listenErrorText(*m_tcpServer));
        return false;
    }
    if (!m_innerServer->listen(QHostAddress::LocalHost, 0)) {
        m_error = tr("cannot listen on a loopback port for QWebSocketServer: %1").arg(listenErrorText(*m_innerServer));
        m_tcpServer->close();
        return false;
    }
    m_error.clear();
    return true;
}

void EmbeddedServer::stop()
{
    if (calledFromElsewhere())
        return onServerThread([&] { stop(); });
    m_tcpServer->close();
    m_innerServer->close();

    const QList<QTcpSocket *> pending = m_pending.keys();
    m_pending.clear();
    for (QTcpSocket *socket : pending) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    for (const HandedOver &h : std::as_const(m_handedOver)) {
        // QWebSocketServer deletes a socket whose handshake fails; aborting one still in its hands
        // leads there too. deleteLater() twice is harmless if it already did.
        if (h.inner) {
            h.inner->disconnect(this);
            h.inner->abort();
            h.inner->deleteLater();
        }
        if (h.tap) {
            h.tap->disconnect(this);
            h.tap->abort();
            h.tap->deleteLater();
        }
    }
    m_handedOver.clear();
    for (const QPointer<QTcpSocket> &socket : std::exchange(m_innerUnmatched, {})) {
        if (socket) {
            socket->abort();
            socket->deleteLater();
        }
    }

    const QMap<quint32, Entry> clients = std::exchange(m_clients, {});
    // Not translated: it goes out in close frames, where the reason must fit 123 bytes of UTF-8.
    const QString reason = QStringLiteral("server stopped");
    for (const Entry &entry : clients) {
        if (!entry.announced) // adopted by Qt, its 101 not yet seen: a client all the same
            emit clientConnected(entry.info.id, entry.info.peer, entry.info.handshakeRequest);
        if (entry.own) {
            entry.own->disconnect(this);
            entry.own->close(QWebSocketProtocol::CloseCodeGoingAway, reason);
            entry.own->flush();
            entry.own->deleteLater();
        } else {
            entry.socket->disconnect(this);
            entry.socket->close(QWebSocketProtocol::CloseCodeGoingAway, reason);
            entry.socket->flush();
            entry.socket->deleteLater();
        }
        if (entry.tap) {
            // The close frame Qt just wrote crosses to the client (and into the log) before the
            // tap goes: the caller may be about to leave the event loop.
            entry.tap->disconnect(this);
            entry.tap->drain(250);
            entry.tap->deleteLater();
        }
        recordState(entry.info.id, ReadyState::Closed,
            QStringLiteral("CLOSED: %1, reason \"%2\", the server stopped")
                .arg(CloseCodes::label(QWebSocketProtocol::CloseCodeGoingAway), reason),
            QWebSocketProtocol::CloseCodeGoingAway, false);
        emit clientDisconnected(entry.info.id, QWebSocketProtocol::CloseCodeGoingAway, reason);
    }
}

EmbeddedServer::Mode EmbeddedServer::mode() const
{
    if (calledFromElsewhere())
        return onServerThread([&] { return mode(); });
    return m_mode;
}

void EmbeddedServer::setMode(Mode mode)
{
    if (calledFromElsewhere())
        return onServerThread([&] { setMode(mode); });
    m_mode = mode;
}

QString EmbeddedServer::engineKey(Engine engine)
{
    return engine == Engine::Inspector ? QStringLiteral("inspector") : QStringLiteral("qt");
}

std::optional<EmbeddedServer::Engine> EmbeddedServer::engineFromKey(QStringView key)
{
    if (key == QLatin1String("qt"))
        return Engine::Qt;
    if (key == QLatin1String("inspector"))
        return Engine::Inspector;
    return std::nullopt;
}

EmbeddedServer::Engine EmbeddedServer::engine() const
{
    if (calledFromElsewhere())
        return onServerThread([&] { return engine(); });
    return m_engine;
}

void EmbeddedServer::setEngine(Engine engine)
{
    if (calledFromElsewhere())
        return onServerThread([&] { setEngine(engine); });
    m_engine = engine;
}

ServerBehaviour EmbeddedServer::behaviour() const
{
    if (calledFromElsewhere())
        return onServerThread([&] { return behaviour(); });
    return m_behaviour;
}

QString EmbeddedServer::errorString() const
{
    if (calledFromElsewhere())
        return onServerThread([&] { return errorString(); });
    return m_error;
}

bool EmbeddedServer::isListening() const
{
    if (calledFromElsewhere())
        return onServerThread([&] { return isListening(); });
    return m_tcpServer->isListening();
}

QHostAddress EmbeddedServer::serverAddress() const
{
    if (calledFromElsewhere())
        return onServerThread([&] { return serverAddress(); });
    return m_tcpServer->serverAddress();
}

quint16 EmbeddedServer::serverPort() const
{
    if (calledFromElsewhere())
        return onServerThread([&] { return serverPort(); });
    return m_tcpServer->serverPort();
}

QUrl EmbeddedServer::url() const
{
    if (calledFromElsewhere())
        return onServerThread([&] { return url(); });
    if (!isListening())
        return {};
    QHostAddress host = withoutV4Mapping(serverAddress());
    if (host == QHostAddress::AnyIPv4 || host == QHostAddress::Any)
        host = QHostAddress(QHostAddress::LocalHost);
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress(QHostAddress::LocalHostIPv6);
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(host.toString());
    url.setPort(serverPort());
    url.setPath(QStringLiteral("/"));
    return url;
}

QList<EmbeddedServer::Client> EmbeddedServer::clients() const
{
    if (calledFromElsewhere())
        return onServerThread([&] { return clients(); });
    QList<Client> result;
    result.reserve(m_clients.size());
    for (const Entry &entry : m_clients)
        result.append(entry.info);
    return result;
}

QString EmbeddedServer::subprotocol(quint32 id) const
{
    if (calledFromElsewhere())
        return onServerThread([&] { return subprotocol(id); });
    const auto it = m_clients.constFind(id);
    return it == m_clients.cend() ? QString() : subprotocolOf(*it);
}

bool EmbeddedServer::ping(quint32 id, const QByteArray &payload)
{
    if (calledFromElsewhere())
        return onServerThread([&] { return ping(id, payload); });
    const auto it = m_clients.constFind(id);
    if (it == m_clients.cend())
        return false;
    pingEntry(*it, payload);
    return true;
}

bool EmbeddedServer::closeClient(quint32 id, quint16 code, const QString &reason)
{
    if (calledFromElsewhere())
        return onServerThread([&] { return closeClient(id, code, reason); });
    const auto it = m_clients.find(id);
    if (it == m_clients.end())
        return false;
    it->closeHandshake = true;
    if (it->own)
        it->own->close(code, reason);
    else
        it->socket->close(QWebSocketProtocol::CloseCode(code), reason);
    return true;
}

void EmbeddedServer::setHandshakeLimits(qsizetype maxBytes, std::chrono::milliseconds timeout)
{
    if (calledFromElsewhere())
        return onServerThread([&] { setHandshakeLimits(maxBytes, timeout); });
    m_maxHandshakeBytes = maxBytes;
    m_handshakeTimeout = timeout;
}

void EmbeddedServer::addSink(WireEventSink *sink)
{
    if (calledFromElsewhere())
        return onServerThread([&] { addSink(sink); });
    if (!m_sinks.contains(sink))
        m_sinks.append(sink);
}

void EmbeddedServer::removeSink(WireEventSink *sink)
{
    if (calledFromElsewhere())
        return onServerThread([&] { removeSink(sink); });
    m_sinks.removeAll(sink);
}

bool EmbeddedServer::setBehaviour(const ServerBehaviour &behaviour, QString *error)
{
    if (calledFromElsewhere())
        return onServerThread([&] { return setBehaviour(behaviour, error); });
    const QList<ServerBehaviour::Problem> problems = behaviour.problems();
    if (!problems.isEmpty()) {
        if (error)
            *error = ServerBehaviour::settingName(problems.first().setting) + QStringLiteral(": ")
                + problems.first().message;
        return false;
    }
    m_behaviour = behaviour;
    // Verified with Qt 6.4.2 (tst_serverbehaviour::subprotocols): QWebSocketServer selects the first
    // subprotocol in the client's order of preference that is in this list, as screen() expects.
    // screen() has already refused clients that offer none of them.
    m_wsServer->setSupportedSubprotocols(behaviour.subprotocols);
    for (Entry &entry : m_clients)
        applyBehaviour(entry);
    return true;
}

void EmbeddedServer::acceptConnections()
{
    while (QTcpSocket *socket = m_tcpServer->nextPendingConnection()) {
        Pending &p = m_pending[socket];
        p.parser = RequestParser(m_maxHandshakeBytes);
        p.peer = endpoint(socket->peerAddress(), socket->peerPort());
        p.timer = new QTimer(socket);
        p.timer->setSingleShot(true);
        connect(p.timer, &QTimer::timeout, this, [this, socket] {
            reject(socket, 408, "Request Timeout",
                tr("handshake timed out after %1 ms with %2 bytes of the request received")
                    .arg(m_handshakeTimeout.count())
                    .arg(socket->bytesAvailable()));
        });
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readRequest(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            const Pending p = m_pending.take(socket);
            socket->deleteLater();
            const QByteArray received = socket->peek(socket->bytesAvailable());
            const QString reason = received.isEmpty() ? tr("connection closed before any request bytes arrived")
                                                      : tr("connection closed before the request was complete");
            recordBytes(EventKind::HandshakeRequest, Direction::Incoming, received);
            recordError(tr("handshake from %1 failed: %2").arg(p.peer, reason));
            emit handshakeFailed(p.peer, received, reason);
        });
        p.timer->start(m_handshakeTimeout);
        readRequest(socket); // bytes may have arrived with the connection
    }
}

void EmbeddedServer::readRequest(QTcpSocket *socket)
{
    const auto it = m_pending.find(socket);
    if (it == m_pending.end())
        return;
    Pending &p = *it;
    // peek(), never read(): the request must stay in the socket for QWebSocketServer.
    const QByteArray buffered = socket->peek(socket->bytesAvailable());
    if (buffered.size() <= p.fed)
        return;
    const auto status = p.parser.feed(QByteArrayView(buffered).sliced(p.fed));
    p.fed = buffered.size();
    if (status == RequestParser::Status::Error) {
        const QString error = p.parser.errorString(); // reject() drops p
        const bool tooLarge = error.startsWith(QLatin1String("headers exceed"));
        reject(socket, tooLarge ? 431 : 400, tooLarge ? "Request Header Fields Too Large" : "Bad Request", error);
    } else if (status == RequestParser::Status::Complete) {
        if (p.parser.request().raw.endsWith("\r\n\r\n"))
            admit(socket);
        else
            reject(socket, 400, "Bad Request",
                tr("request head ends with a bare LF; QWebSocketServer needs CRLF line endings"));
    }
}

void EmbeddedServer::reject(QTcpSocket *socket, int status, const QByteArray &statusText, const QString &reason)
{
    const Pending p = m_pending.take(socket);
    socket->disconnect(this);
    delete p.timer;
    const QByteArray received = socket->readAll();

    const QByteArray body = reason.toUtf8() + '\n';
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + statusText + "\r\n";
    // Headers HTTP requires with some statuses (RFC 9110 §15.5.2, §15.5.6; RFC 6455 §4.4 for 426).
    if (status == 401)
        response += "WWW-Authenticate: Basic realm=\"WebSocket Inspector\"\r\n";
    else if (status == 405)
        response += "Allow: GET\r\n";
    else if (status == 426)
        response += "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n";
    response += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size());
    response += "\r\nConnection: close\r\n\r\n" + body;
    socket->write(response);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost(); // after the response is written
    if (socket->state() == QAbstractSocket::UnconnectedState)
        socket->deleteLater();
    recordBytes(EventKind::HandshakeRequest, Direction::Incoming, received);
    recordBytes(EventKind::HandshakeResponse, Direction::Outgoing, response);
    recordError(tr("handshake from %1 failed: %2").arg(p.peer, reason));
    emit handshakeFailed(p.peer, received, reason);
    emit handshakeRejected(p.peer, status, received, reason);
}

std::optional<EmbeddedServer::Rejection> EmbeddedServer::screen(const HttpRequest &request) const
{
    const ServerBehaviour &b = m_behaviour;
    if (b.rejectStatus != 0)
        return Rejection { b.rejectStatus, tr("the server is set to reject every handshake") };

    if (!b.allowedOrigins.isEmpty()) {
        const QString allowed = b.allowedOrigins.join(QStringLiteral(", "));
        if (!HttpHeaderList::contains(request.headers, "Origin"))
            return Rejection { 403, tr("no Origin header; allowed origins: %1").arg(allowed) };
        const QByteArray origin = HttpHeaderList::value(request.headers, "Origin");
        if (!b.allowsOrigin(origin))
            return Rejection { 403,
                tr("Origin \"%1\" is not allowed; allowed origins: %2").arg(QString::fromUtf8(origin), allowed) };
    }

    if (!b.subprotocols.isEmpty()) {
        const QList<QByteArray> offered = HttpHeaderList::tokens(request.headers, "Sec-WebSocket-Protocol");
        const QString accepted = b.subprotocols.join(QStringLiteral(", "));
        if (offered.isEmpty())
            return Rejection { 400, tr("no subprotocol offered; accepted: %1").arg(accepted) };
        if (b.selectSubprotocol(offered).isEmpty())
            return Rejection { 400,
                tr("none of the offered subprotocols (%1) is accepted; accepted: %2")
                    .arg(QString::fromUtf8(offered.join(", ")), accepted) };
    }

    // Handshakes already accepted count too, or clients arriving together could all get in.
    const qsizetype busy = m_clients.size() + m_handedOver.size();
    if (b.maxClients > 0 && busy >= b.maxClients)
        return Rejection { 503, tr("the server is full: %1 of %2 clients connected").arg(busy).arg(b.maxClients) };
    return std::nullopt;
}

void EmbeddedServer::admit(QTcpSocket *socket)
{
    if (const auto rejection = screen(m_pending.value(socket).parser.request())) {
        const QByteArray phrase = ServerBehaviour::reasonPhrase(rejection->status);
        reject(socket, rejection->status, phrase,
            tr("rejected with %1 %2: %3").arg(rejection->status).arg(QString::fromLatin1(phrase), rejection->reason));
        return;
    }
    handOver(socket);
}

void EmbeddedServer::handOver(QTcpSocket *socket)
{
    Pending p = m_pending.take(socket);
    socket->disconnect(this);
    delete p.timer;
    if (m_engine == Engine::Inspector) {
        handOverToInspector(socket, p);
        return;
    }

    // The tap takes the client's socket; QWebSocketServer gets the other end of a loopback
    // connection, whose bytes are the client's, passed on unchanged (acceptInner()).
    const quint32 id = ++m_lastId;
    FrameParser::Limits limits;
    limits.maxFrameSize = m_behaviour.maxMessageSize;
    limits.maxMessageSize = m_behaviour.maxMessageSize;
    auto *tap = new ServerWireTap(id, socket, m_innerServer->serverPort(), limits, m_maxHandshakeBytes,
        [this](WireEvent &e) { emitEvent(e); }, this);
    m_handedOver.insert(id, HandedOver { tap, nullptr, p.peer, p.parser.request().raw });
    connect(tap, &ServerWireTap::innerConnected, this, &EmbeddedServer::matchInner);
    connect(tap, &ServerWireTap::upgraded, this, [this, id] { announce(id); });
    connect(tap, &ServerWireTap::finished, this, [this, id, tap] {
        tap->deleteLater();
        if (const auto h = m_handedOver.constFind(id); h != m_handedOver.cend()) {
            // Still ours to report: no QWebSocket came out of it. Qt 6.4.2 closes on a request it
            // refuses (no Sec-WebSocket-Key, say) without an HTTP answer or a serverError signal,
            // so there is no more precise reason to give.
            const HandedOver handedOver = *h;
            m_handedOver.erase(h);
            const QString reason = tap->serverClosedFirst()
                ? tr("QWebSocketServer closed the connection without completing the handshake")
                : tr("the client closed the connection before the handshake was complete");
            recordError(tr("handshake from %1 failed: %2").arg(handedOver.peer, reason));
            emit handshakeFailed(handedOver.peer, handedOver.request, reason);
            return;
        }
        const auto it = m_clients.find(id);
        if (it != m_clients.end() && it->qtClosed)
            finishClient(id);
    });

    // Verified with Qt 6.4.2 (tst_embeddedserver hands over requests that arrived whole, in pieces
    // and byte by byte): handleConnection() waits for "\r\n\r\n" in what it peeks, which is why only
    // a complete CRLF head is handed over. It starts no handshake timer for sockets handed to it,
    // hence the guard below.
    QTimer::singleShot(m_handshakeTimeout, this, [this, id, peer = p.peer] {
        const auto it = m_handedOver.constFind(id);
        if (it == m_handedOver.cend())
            return;
        const HandedOver h = *it;
        m_handedOver.erase(it);
        if (h.tap) {
            h.tap->disconnect(this);
            h.tap->abort();
            h.tap->deleteLater();
        }
        const QString reason
            = tr("QWebSocketServer did not complete the handshake within %1 ms").arg(m_handshakeTimeout.count());
        recordError(tr("handshake from %1 failed: %2").arg(peer, reason));
        emit handshakeFailed(peer, h.request, reason);
    });
}

void EmbeddedServer::handOverToInspector(QTcpSocket *socket, const Pending &p)
{
    const quint32 id = ++m_lastId;
    auto *own = new ServerConnection(id, socket, [this](WireEvent &e) { emitEvent(e); }, this);
    const QString peer = p.peer;
    const QByteArray request = p.parser.request().raw;
    connect(own, &ServerConnection::handshakeFailed, this,
        [this, own, peer, request](int status, const QString &reason) {
            own->deleteLater();
            emit handshakeFailed(peer, request, reason);
            emit handshakeRejected(peer, status, request, reason);
        });
    connect(own, &ServerConnection::opened, this, [this, id, own, peer, request] {
        Entry entry;
        entry.info = Client { id, peer, request };
        entry.own = own;
        applyBehaviour(*m_clients.insert(id, entry));
        announce(id);
    });
    connect(own, &ServerConnection::messageReceived, this, [this, id](bool isText, const QByteArray &payload) {
        emit messageReceived(id, isText, payload);
        onMessage(id, isText, payload);
    });
    connect(own, &ServerConnection::pongReceived, this,
        [this, id](quint64 elapsed, const QByteArray &payload) { emit pongReceived(id, elapsed, payload); });
    connect(own, &ServerConnection::closing, this, [this, id] {
        const auto it = m_clients.find(id);
        if (it != m_clients.end())
            it->closeHandshake = true;
    });
    connect(own, &ServerConnection::disconnected, this, [this, id](quint16 code, const QString &reason, bool clean) {
        const auto it = m_clients.find(id);
        if (it == m_clients.end())
            return;
        it->qtClosed = true;
        it->closeCode = code;
        it->closeReason = reason;
        it->wasClean = clean;
        finishClient(id);
    });

    ServerConnection::Options options;
    options.subprotocol = m_behaviour.selectSubprotocol(
        HttpHeaderList::tokens(p.parser.request().headers, "Sec-WebSocket-Protocol")).toUtf8();
    options.limits.maxFrameSize = m_behaviour.maxMessageSize;
    options.limits.maxMessageSize = m_behaviour.maxMessageSize;
    options.maxHandshakeBytes = m_maxHandshakeBytes;
    own->start(options);
}

QString EmbeddedServer::subprotocolOf(const Entry &entry)
{
    return entry.own ? QString::fromUtf8(entry.own->subprotocol()) : entry.socket->subprotocol();
}

void EmbeddedServer::send(const Entry &entry, bool isText, const QByteArray &payload)
{
    // The bytes as received: a QString round trip would drop a leading byte order mark.
    if (entry.own)
        entry.own->sendMessage(isText, payload);
    else if (isText)
        entry.socket->sendTextMessage(QString::fromUtf8(payload));
    else
        entry.socket->sendBinaryMessage(payload);
}

void EmbeddedServer::pingEntry(const Entry &entry, const QByteArray &payload)
{
    if (entry.own)
        entry.own->ping(payload);
    else
        entry.socket->ping(payload);
}

void EmbeddedServer::acceptInner()
{
    while (QTcpSocket *socket = m_innerServer->nextPendingConnection()) {
        // From here on QWebSocketServer owns the socket (see handOver()); as a child of
        // m_innerServer it would be deleted a second time should the server go first.
        socket->setParent(nullptr);
        m_innerUnmatched.append(socket);
        // Anything else on this machine may connect to the loopback port too: what no tap claims
        // soon is dropped, so nothing reaches Qt without passing the checks in admit().
        QTimer::singleShot(2000, this, [this, socket = QPointer<QTcpSocket>(socket)] {
            if (socket && m_innerUnmatched.removeAll(socket) > 0) {
                socket->abort();
                socket->deleteLater();
            }
        });
    }
    matchInner();
}

void EmbeddedServer::matchInner()
{
    for (qsizetype i = 0; i < m_innerUnmatched.size();) {
        QTcpSocket *socket = m_innerUnmatched.at(i);
        auto match = m_handedOver.end();
        // Port 0: a tap not connected (yet, or any more), or a socket already closed.
        const quint16 port = socket ? socket->peerPort() : 0;
        for (auto it = m_handedOver.begin(); port != 0 && it != m_handedOver.end(); ++it) {
            if (!it->inner && it->tap && it->tap->innerLocalPort() == port) {
                match = it;
                break;
            }
        }
        if (!socket) {
            m_innerUnmatched.removeAt(i);
            continue;
        }
        if (match == m_handedOver.end()) {
            ++i;
            continue;
        }
        m_innerUnmatched.removeAt(i);
        match->inner = socket;
        m_wsServer->handleConnection(socket);
    }
}

void EmbeddedServer::adoptClients()
{
    while (QWebSocket *ws = m_wsServer->nextPendingConnection()) {
        auto handedOver = m_handedOver.end();
        for (auto it = m_handedOver.begin(); ws->peerPort() != 0 && it != m_handedOver.end(); ++it) {
            if (it->tap && it->tap->innerLocalPort() == ws->peerPort()) {
                handedOver = it;
                break;
            }
        }
        if (handedOver == m_handedOver.end()) {
            ws->abort();
            ws->deleteLater();
            continue;
        }
        const quint32 id = handedOver.key();
        const HandedOver h = *handedOver;
        m_handedOver.erase(handedOver);

        ws->setParent(this);
        Entry entry;
        entry.info = Client { id, h.peer, h.request };
        entry.socket = ws;
        entry.tap = h.tap;
        entry.defaultFrameSize = ws->outgoingFrameSize();
        Entry &added = *m_clients.insert(id, entry);
        applyBehaviour(added);

        connect(ws, &QWebSocket::textMessageReceived, this, [this, id](const QString &message) {
            recordApi(id, ApiCall { QStringLiteral("textMessageReceived"), { ApiCall::textArgument(message) }, {} });
            const QByteArray payload = message.toUtf8();
            emit messageReceived(id, true, payload);
            onMessage(id, true, payload);
        });
        connect(ws, &QWebSocket::binaryMessageReceived, this, [this, id](const QByteArray &message) {
            recordApi(id, ApiCall { QStringLiteral("binaryMessageReceived"), { ApiCall::bytesArgument(message) }, {} });
            emit messageReceived(id, false, message);
            onMessage(id, false, message);
        });
        connect(ws, &QWebSocket::pong, this, [this, id](quint64 elapsed, const QByteArray &payload) {
            recordApi(id, ApiCall { QStringLiteral("pong"), { double(elapsed), ApiCall::bytesArgument(payload) }, {} });
            emit pongReceived(id, elapsed, payload);
        });
        // aboutToClose comes with every close frame, sent or received, and never with a bare TCP
        // drop; Qt reports 1000 for both, so this is how 1006 is told apart.
        connect(ws, &QWebSocket::aboutToClose, this, [this, id] {
            recordApi(id, ApiCall { QStringLiteral("aboutToClose"), {}, {} });
            const auto it = m_clients.find(id);
            if (it != m_clients.end())
                it->closeHandshake = true;
        });
        connect(ws, &QWebSocket::disconnected, this, [this, id, ws] {
            const auto it = m_clients.find(id);
            if (it == m_clients.end())
                return;
            const bool clean = it->closeHandshake;
            // Recorded once the tap has passed on the last bytes, to compare with the wire.
            it->qtCloseCode = ws->closeCode();
            it->qtCloseReason = ws->closeReason();
            it->qtClosed = true;
            it->closeCode = clean ? quint16(ws->closeCode()) : quint16(CloseCodes::AbnormalClosure);
            it->closeReason = clean ? ws->closeReason() : QString();
            // The client is gone once its wire is: the tap still passes on Qt's last bytes.
            if (!it->tap || it->tap->isFinished())
                finishClient(id);
        });

        announce(id);
    }
}

void EmbeddedServer::announce(quint32 id)
{
    const auto it = m_clients.find(id);
    if (it == m_clients.end() || it->announced || (it->tap && !it->tap->isUpgraded()))
        return;
    it->announced = true;
    if (it->socket)
        recordApi(id, ApiCall { QStringLiteral("newConnection"), {}, {} });
    const Client info = it->info;
    const QString subprotocol = subprotocolOf(*it);
    recordState(id, ReadyState::Open,
        subprotocol.isEmpty() ? QStringLiteral("OPEN: client %1 connected").arg(info.peer)
                              : QStringLiteral("OPEN: client %1 connected (subprotocol %2)")
                                    .arg(info.peer, DisplayText::line(subprotocol.toUtf8())));
    emit clientConnected(id, info.peer, info.handshakeRequest);
}

void EmbeddedServer::finishClient(quint32 id)
{
    const auto it = m_clients.find(id);
    if (it == m_clients.end())
        return;
    if (!it->announced) {
        it->announced = true;
        emit clientConnected(id, it->info.peer, it->info.handshakeRequest);
    }
    if (it->tap && it->qtCloseCode >= 0) {
        ApiCall call { QStringLiteral("disconnected"),
            { double(it->qtCloseCode), ApiCall::textArgument(it->qtCloseReason) }, {} };
        const ServerWireTap &tap = *it->tap;
        if (tap.clientCloseSeen()) {
            const quint16 onWire = tap.clientCloseCode() ? tap.clientCloseCode() : quint16(CloseCodes::NoStatusReceived);
            if (it->qtCloseCode != onWire)
                call.note = tr("closeCode() %1, but the client's close frame said %2")
                                .arg(it->qtCloseCode)
                                .arg(tap.clientCloseCode() ? CloseCodes::label(onWire) : tr("no status code"));
        } else if (it->qtCloseCode != CloseCodes::AbnormalClosure) {
            call.note = tr("closeCode() %1, but no close frame came from the client").arg(it->qtCloseCode);
        }
        recordApi(id, call);
    }
    const quint16 code = it->closeCode;
    const QString reason = it->closeReason;
    // QWebSocket says only whether a close frame went by, either way: its report is shown as such
    // (the frames in the log show what crossed); the inspector's engine knows both.
    const bool clean = it->own ? it->wasClean : it->closeHandshake;
    removeClient(id);
    QString text = QStringLiteral("CLOSED: %1").arg(CloseCodes::label(code));
    if (!reason.isEmpty())
        text += QStringLiteral(", reason %1").arg(DisplayText::quoted(reason.toUtf8()));
    recordState(id, ReadyState::Closed, text, code, clean);
    emit clientDisconnected(id, code, reason);
}

void EmbeddedServer::recordState(quint32 id, ReadyState state, const QString &text, quint16 closeCode, bool wasClean)
{
    WireEvent e;
    e.connectionId = id;
    e.kind = EventKind::StateChange;
    e.state = state;
    e.closeCode = closeCode;
    e.wasClean = wasClean;
    const QByteArray utf8 = text.toUtf8();
    e.payload = utf8;
    emitEvent(e);
}

void EmbeddedServer::recordBytes(EventKind kind, Direction direction, QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return;
    WireEvent e;
    e.kind = kind;
    e.direction = direction;
    e.payload = bytes;
    emitEvent(e);
}

void EmbeddedServer::recordError(const QString &text)
{
    WireEvent e;
    e.kind = EventKind::Error;
    const QByteArray utf8 = text.toUtf8();
    e.payload = utf8;
    emitEvent(e);
}

void EmbeddedServer::recordApi(quint32 id, const ApiCall &call)
{
    WireEvent e;
    e.connectionId = id;
    e.kind = EventKind::Api;
    const QByteArray json = call.toJson();
    e.payload = json;
    emitEvent(e);
}

void EmbeddedServer::emitEvent(WireEvent &event)
{
    if (event.timeUs == 0)
        event.timeUs = EventTime::nowUs();
    for (WireEventSink *sink : std::as_const(m_sinks))
        sink->record(event);
}

void EmbeddedServer::applyBehaviour(Entry &entry)
{
    const ServerBehaviour &b = m_behaviour;
    if (entry.own) {
        entry.own->setFragmentSize(b.fragmentSize);
        FrameParser::Limits limits;
        limits.maxFrameSize = b.maxMessageSize;
        limits.maxMessageSize = b.maxMessageSize;
        entry.own->setLimits(limits);
    } else {
        // Never 0: Qt 6.4.2 crashes on setOutgoingFrameSize(0). "Off" is Qt's own default, which
        // still splits messages over 512 KiB.
        entry.socket->setOutgoingFrameSize(b.fragmentSize > 0 ? quint64(b.fragmentSize) : entry.defaultFrameSize);
        // A frame larger than the largest message is too large as well; Qt answers either with 1009.
        entry.socket->setMaxAllowedIncomingFrameSize(b.maxMessageSize);
        entry.socket->setMaxAllowedIncomingMessageSize(b.maxMessageSize);
        if (entry.tap) {
            FrameParser::Limits limits;
            limits.maxFrameSize = b.maxMessageSize;
            limits.maxMessageSize = b.maxMessageSize;
            entry.tap->setLimits(limits);
        }
    }

    if (b.pingIntervalMs <= 0) {
        if (entry.pingTimer)
            entry.pingTimer->stop();
        return;
    }
    if (!entry.pingTimer) {
        entry.pingTimer = new QTimer(entry.own ? static_cast<QObject *>(entry.own) : entry.socket);
        // Precise: a test that waits for pings N seconds apart should not see them early.
        entry.pingTimer->setTimerType(Qt::PreciseTimer);
        const quint32 id = entry.info.id;
        connect(entry.pingTimer, &QTimer::timeout, this, [this, id] {
            const auto it = m_clients.find(id);
            if (it == m_clients.end() || it->closeHandshake)
                return;
            const QByteArray payload = QByteArray::number(++it->pingsSent);
            pingEntry(*it, payload);
            emit pingSent(id, payload);
        });
    }
    if (!entry.pingTimer->isActive() || entry.pingTimer->interval() != b.pingIntervalMs)
        entry.pingTimer->start(b.pingIntervalMs);
}

void EmbeddedServer::onMessage(quint32 from, bool isText, const QByteArray &payload)
{
    const auto it = m_clients.find(from);
    if (it == m_clients.end())
        return;
    const int closeAfter = m_behaviour.closeAfterMessages;
    const int count = ++it->messages;
    // Past the last one: its close is on the way (after the delay), so no more answers.
    if (closeAfter > 0 && count > closeAfter)
        return;
    const bool last = closeAfter > 0 && count == closeAfter;
    auto reply
        = [this, from, isText, payload, last, code = m_behaviour.closeCode, reason = m_behaviour.closeReason] {
              relay(from, isText, payload);
              if (last)
                  closeClient(from, code, reason);
          };
    if (m_behaviour.replyDelayMs > 0)
        QTimer::singleShot(m_behaviour.replyDelayMs, Qt::PreciseTimer, this, reply);
    else
        reply();
}

void EmbeddedServer::relay(quint32 from, bool isText, const QByteArray &payload)
{
    if (m_mode == Mode::Echo) {
        const auto it = m_clients.constFind(from);
        if (it != m_clients.cend() && !it->closeHandshake)
            send(*it, isText, payload);
        return;
    }
    // Copy: a send can fail and disconnect a client while we iterate.
    const QMap<quint32, Entry> clients = m_clients;
    for (const Entry &entry : clients) {
        if (!entry.closeHandshake)
            send(entry, isText, payload);
    }
}

void EmbeddedServer::removeClient(quint32 id)
{
    const Entry entry = m_clients.take(id);
    if (entry.socket) {
        entry.socket->disconnect(this);
        entry.socket->deleteLater();
    }
    if (entry.own) {
        entry.own->disconnect(this);
        entry.own->deleteLater();
    }
    if (entry.tap) {
        entry.tap->disconnect(this);
        entry.tap->deleteLater();
    }
}
