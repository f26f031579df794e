#include "net/relaysession.h"

#include "log/interceptnote.h"

#include "log/eventtime.h"
#include "net/clientconnection.h"
#include "protocol/closecodes.h"
#include "protocol/relayhandshake.h"
#include "text/displaytext.h"

#include <QSslCipher>
#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>
#include <limits>

namespace {
constexpr qint64 ReadChunkBytes = 256 * 1024;


// "1000 Normal Closure, reason \"bye\"" through the display rule; "no code" for an empty close.
QString describeClose(quint16 code, const QByteArray &reason)
{
    QString text = code ? CloseCodes::label(code) : RelaySession::tr("no code");
    if (!reason.isEmpty())
        text += RelaySession::tr(", reason %1").arg(DisplayText::quoted(reason));
    return text;
}
} // namespace

RelaySession::RelaySession(quint32 connectionId, QTcpSocket *app, const RelayOptions &options, QObject *parent)
    : QObject(parent)
    , m_id(connectionId)
    , m_options(options)
    , m_app(app)
    , m_requestParser(options.maxHandshakeBytes)
    , m_responseParser(options.maxHandshakeBytes, options.maxResponseBodyBytes)
    , m_appLeg(Leg::App, FrameParser::Role::Server, [this](WireEvent &e) { emitEvent(e); })
    , m_serverLeg(Leg::Server, FrameParser::Role::Client, [this](WireEvent &e) { emitEvent(e); })
{
    app->setParent(this);
    // Qt stops reading from the OS when this much waits unread: a side the relay pauses is then
    // slowed down by TCP itself.
    app->setReadBufferSize(ReadChunkBytes);
    // What the relay hands on goes out at once (TCP_NODELAY), as the endpoints' own WebSocket
    // stacks send it: Nagle's algorithm would hold a small frame until the previous one is
    // acknowledged, adding the relay's own delay to every message.
    app->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_appPeer = QStringLiteral("%1:%2").arg(app->peerAddress().toString()).arg(app->peerPort());
    m_appLeg.setLimits(options.limits);
    m_serverLeg.setLimits(options.limits);
    m_handshakeTimer.setSingleShot(true);
    connect(&m_handshakeTimer, &QTimer::timeout, this, [this] {
        if (m_phase == Phase::Request) {
            recordText(EventKind::Error, Leg::App, Direction::Local,
                tr("%1 sent no complete handshake request within %2 ms").arg(theApplication()).arg(m_options.handshakeTimeoutMs));
            answerApp(408, tr("no complete request within %1 ms").arg(m_options.handshakeTimeoutMs));
        } else if (m_phase == Phase::Response) {
            const QString why = tunnelPending()
                ? tr("the %1 did not answer CONNECT within %2 ms").arg(m_upstreamProxy->description()).arg(m_options.handshakeTimeoutMs)
                : tr("the server did not answer the handshake within %1 ms").arg(m_options.handshakeTimeoutMs);
            recordText(EventKind::Error, Leg::Server, Direction::Local, why);
            m_serverGone = true; // before abort(), whose disconnected() comes at once
            if (m_server) {
                m_server->disconnect(this);
                m_server->abort();
            }
            if (m_responseBytesForwarded)
                closeAppLeg(); // part of an answer went through: nothing more can be said to the application
            else
                answerApp(504, why);
        }
    });
}

RelaySession::~RelaySession()
{
    // Sockets are children; their signals must not reach a half-destroyed session.
    if (m_app)
        m_app->disconnect(this);
    if (m_server)
        m_server->disconnect(this);
}

void RelaySession::addSink(WireEventSink *sink)
{
    m_sinks.append(sink);
}

void RelaySession::listenToApp()
{
    connect(m_app, &QTcpSocket::readyRead, this, &RelaySession::readApp);
    connect(m_app, &QTcpSocket::disconnected, this, &RelaySession::onAppDisconnected);
    connect(m_app, &QTcpSocket::bytesWritten, this, &RelaySession::resumeReading);
    if (auto *ssl = qobject_cast<QSslSocket *>(m_app.data())) // a proxy that terminated the application's TLS
        connect(ssl, &QSslSocket::encryptedBytesWritten, this, &RelaySession::resumeReading);
}

void RelaySession::startTunnel(
    const QString &host, quint16 port, bool secure, const QByteArray &prefix, const QString &what, bool answered)
{
    m_tunnel = true;
    m_appAnswered = answered;
    m_phase = Phase::Passthrough;
    QUrl where;
    where.setScheme(secure ? QStringLiteral("tls") : QStringLiteral("tcp"));
    where.setHost(host);
    where.setPort(port);
    m_upstreamUrl = where;
    m_options.to = where;
    listenToApp();
    setState(ReadyState::Connecting, Leg::App,
        tr("TUNNEL to %1:%2 for application %3: %4").arg(host).arg(port).arg(m_appPeer, what));
    m_toServerPending = prefix;
    connectTo(host, port, secure);
    if (m_app->bytesAvailable() > 0)
        readApp();
    if (m_app->state() != QAbstractSocket::ConnectedState)
        onAppDisconnected();
}

void RelaySession::start()
{
    if (m_finished)
        return; // dropped by whoever was told it started (the Qt engine's relay takes one connection)
    listenToApp();
    setState(ReadyState::Connecting, Leg::App,
        tr("CONNECTING (%1 %2 connected; relaying to %3)")
            .arg(sideName(Leg::App), m_appPeer, m_options.to.toDisplayString()));
    m_handshakeTimer.start(m_options.handshakeTimeoutMs);
    if (m_app->bytesAvailable() > 0)
        readApp();
    if (m_app->state() != QAbstractSocket::ConnectedState)
        onAppDisconnected();
}

qint64 RelaySession::unwritten(const QTcpSocket *socket) const
{
    if (!socket)
        return 0;
    qint64 bytes = socket->bytesToWrite();
    if (const auto *ssl = qobject_cast<const QSslSocket *>(socket))
        bytes += ssl->encryptedBytesToWrite();
    return bytes;
}

void RelaySession::readApp()
{
    if (!m_app || m_appGone)
        return;
    if (unwritten(m_server) + m_toServerPending.size() + waiting(m_appGate.get()) > m_options.highWaterBytes)
        return; // resumeReading() comes back once the server has taken enough
    while (m_app->bytesAvailable() > 0) {
        const qint64 available = qMin<qint64>(m_app->bytesAvailable(), ReadChunkBytes);
        if (m_readBuffer.size() < available)
            m_readBuffer.resize(available);
        const qint64 n = m_app->read(m_readBuffer.data(), available);
        if (n <= 0)
            return;
        m_bytesFromApp += quint64(n);
        const qint64 now = EventTime::nowUs();
        const QByteArrayView bytes(m_readBuffer.constData(), n);
        switch (m_phase) {
        case Phase::Request: {
            const qsizetype fedBefore = qsizetype(m_bytesFromApp) - n;
            const auto status = m_requestParser.feed(bytes);
            if (status == RequestParser::Status::NeedMore)
                break;
            if (status == RequestParser::Status::Error) {
                recordBytes(
                    EventKind::HandshakeRequest, Leg::App, Direction::Incoming, m_requestParser.receivedBytes(), now);
                const QString why
                    = tr("bad handshake request from %1: %2").arg(theApplication(), m_requestParser.errorString());
                recordText(EventKind::Error, Leg::App, Direction::Local, why);
                answerApp(m_requestParser.errorString().startsWith(QLatin1String("headers exceed")) ? 431 : 400, why);
                return;
            }
            recordBytes(EventKind::HandshakeRequest, Leg::App, Direction::Incoming, m_requestParser.request().raw, now);
            m_appFramesTimeUs = now;
            onRequestComplete(bytes.sliced(m_requestParser.consumed() - fedBefore));
            break;
        }
        case Phase::Response:
            // Frames sent before the answer: with gates to come, the gate sends them once it exists.
            if (!gatesWanted())
                writeToServer(bytes);
            if (m_appFramesUnparsed.isEmpty())
                m_appFramesTimeUs = now;
            m_appFramesUnparsed += bytes;
            break;
        case Phase::Frames:
            if (m_appLeg.gate()) {
                m_appLeg.observe(bytes, now); // the gate forwards, or passes bytes on once stepped aside
            } else {
                writeToServer(bytes);
                m_appLeg.observe(bytes, now, handOverDelay(m_server, now));
            }
            noteCloseFrames();
            break;
        case Phase::Passthrough:
            writeToServer(bytes);
            break;
        case Phase::Done:
            return;
        }
        if (!m_app || m_phase == Phase::Done)
            return;
        if (unwritten(m_server) + m_toServerPending.size() + waiting(m_appGate.get()) > m_options.highWaterBytes)
            return;
    }
}

void RelaySession::onRequestComplete(QByteArrayView rest)
{
    const HttpRequest &request = m_requestParser.request();
    QString error;
    const bool absolute = m_options.absoluteTargets && !request.target.startsWith('/');
    const std::optional<QUrl> upstream = absolute ? RelayHandshake::absoluteTarget(request.target, &error)
                                                  : RelayHandshake::upstreamUrl(m_options.to, request.target, &error);
    if (!upstream) {
        recordText(EventKind::Error, Leg::App, Direction::Local, error);
        answerApp(400, error);
        return;
    }
    m_upstreamUrl = *upstream;
    m_forwardedRequest
        = RelayHandshake::forwardRequest(request, m_upstreamUrl, m_options.origin.toUtf8(), gatesWanted());
    if (gatesWanted() && HttpHeaderList::contains(request.headers, "sec-websocket-extensions")) {
        const InterceptNote note = InterceptNote::make(InterceptNote::Action::Edited, 0,
            tr("Sec-WebSocket-Extensions left out of the request sent on, so that messages cross uncompressed "
               "and can be held, changed and injected"));
        const QByteArray json = note.toJson();
        recordBytes(EventKind::Intercept, Leg::Server, Direction::Local, json);
    }
    m_phase = Phase::Response;
    m_handshakeTimer.start(m_options.handshakeTimeoutMs);
    m_toServerPending = m_forwardedRequest;
    if (!rest.isEmpty()) {
        if (!gatesWanted())
            m_toServerPending += rest;
        m_appFramesUnparsed += rest;
    }
    connectUpstream();
}

void RelaySession::connectUpstream()
{
    connectTo(m_upstreamUrl.host(), ClientConnection::portOf(m_upstreamUrl), ClientConnection::isSecure(m_upstreamUrl));
}

void RelaySession::connectTo(const QString &host, quint16 port, bool secure)
{
    QUrl target;
    target.setScheme(secure ? QStringLiteral("wss") : QStringLiteral("ws"));
    target.setHost(host);
    target.setPort(port);
    QString problem;
    m_upstreamProxy = m_options.proxy.proxyFor(target, &problem);
    if (!problem.isEmpty()) {
        recordText(EventKind::Error, Leg::Server, Direction::Local, problem);
        m_serverGone = true;
        answerApp(502, problem);
        return;
    }
    if (m_upstreamProxy && m_upstreamProxy->tunnelsHere())
        m_upstreamTunnel.emplace(*m_upstreamProxy, host, port, m_options.maxHandshakeBytes);
    QTcpSocket *socket = secure ? new QSslSocket(this) : new QTcpSocket(this);
    m_server = socket;
    OutgoingProxy::route(socket, m_upstreamProxy);
    if (m_upstreamProxy)
        setState(ReadyState::Connecting, Leg::Server,
            tr("CONNECTING to %1:%2 through the %3").arg(host).arg(port).arg(m_upstreamProxy->description()));
    socket->setReadBufferSize(ReadChunkBytes);
    connect(socket, &QTcpSocket::readyRead, this, &RelaySession::readServer);
    connect(socket, &QTcpSocket::disconnected, this, &RelaySession::onServerDisconnected);
    connect(socket, &QTcpSocket::bytesWritten, this, &RelaySession::resumeReading);
    connect(socket, &QTcpSocket::errorOccurred, this, &RelaySession::onUpstreamError);
    if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
        connect(ssl, &QSslSocket::encrypted, this, &RelaySession::onUpstreamReady);
        connect(ssl, &QSslSocket::sslErrors, this, &RelaySession::onUpstreamSslErrors);
        connect(ssl, &QSslSocket::encryptedBytesWritten, this, &RelaySession::resumeReading);
        ssl->setSslConfiguration(m_options.tls.configuration());
        if (m_upstreamTunnel) {
            ssl->setPeerVerifyName(host); // the certificate and SNI are the server's, not the proxy's
            ssl->connectToHost(m_upstreamProxy->host, m_upstreamProxy->port); // TLS once the tunnel is open
        } else {
            ssl->connectToHostEncrypted(host, port);
        }
    } else if (!m_upstreamTunnel) {
        connect(socket, &QTcpSocket::connected, this, &RelaySession::onUpstreamReady);
        socket->connectToHost(host, port);
    }
    if (m_upstreamTunnel) {
        // Its credentials are not recorded.
        connect(socket, &QTcpSocket::connected, this, [this, socket] { socket->write(m_upstreamTunnel->request()); });
        if (!qobject_cast<QSslSocket *>(socket))
            socket->connectToHost(m_upstreamProxy->host, m_upstreamProxy->port);
    }
}

void RelaySession::readTunnelAnswer()
{
    const QByteArray bytes = m_server->read(ReadChunkBytes);
    switch (m_upstreamTunnel->feed(bytes)) {
    case HttpProxyTunnel::Status::NeedMore:
        return;
    case HttpProxyTunnel::Status::Refused:
        failServerLeg(m_upstreamTunnel->refusal());
        return;
    case HttpProxyTunnel::Status::Open:
        break;
    }
    setState(ReadyState::Connecting, Leg::Server, tr("CONNECTING: %1").arg(m_upstreamTunnel->openedText()));
    if (const QString stray = m_upstreamTunnel->strayBytesText(); !stray.isEmpty()) {
        failServerLeg(stray);
        return;
    }
    if (auto *ssl = qobject_cast<QSslSocket *>(m_server.data()))
        ssl->startClientEncryption();
    else
        onUpstreamReady();
}

void RelaySession::failServerLeg(const QString &why)
{
    recordText(EventKind::Error, Leg::Server, Direction::Local, why);
    m_serverGone = true;
    if (m_server) {
        m_server->disconnect(this);
        m_server->abort();
    }
    // The details (the proxy, its user, its answer) stay in the log: the application, perhaps on
    // another machine, learns that the server could not be reached.
    answerApp(502, m_upstreamProxy ? tr("the server could not be reached through the inspector's proxy") : why);
}

void RelaySession::onUpstreamReady()
{
    if (!m_server || m_serverUp)
        return;
    m_serverUp = true;
    m_server->setSocketOption(QAbstractSocket::LowDelayOption, 1); // as the application's side
    if (auto *ssl = qobject_cast<QSslSocket *>(m_server.data())) {
        const QSslCipher cipher = ssl->sessionCipher();
        recordText(EventKind::TlsInfo, Leg::Server, Direction::Local,
            tr("TLS established with %1: %2, %3").arg(m_upstreamUrl.host(), cipher.protocolString(), cipher.name()));
    }
    if (!m_tunnel)
        recordBytes(EventKind::HandshakeRequest, Leg::Server, Direction::Outgoing, m_forwardedRequest);
    else
        setState(ReadyState::Open, Leg::Server, tr("OPEN (tunnel: bytes pass both ways unparsed)"));
    const QByteArray pending = std::exchange(m_toServerPending, {});
    m_server->write(pending);
}

void RelaySession::onUpstreamSslErrors(const QList<QSslError> &errors)
{
    auto *ssl = qobject_cast<QSslSocket *>(m_server.data());
    if (!ssl)
        return;
    QStringList lines;
    for (const QSslError &error : errors)
        lines << error.errorString();
    if (m_options.allowCertificateErrors) {
        recordText(EventKind::TlsInfo, Leg::Server, Direction::Local,
            tr("certificate errors allowed by the user: %1").arg(lines.join(QStringLiteral("; "))));
        ssl->ignoreSslErrors();
        return;
    }
    const QString why
        = tr("TLS certificate of %1 rejected: %2 (to go on anyway, allow certificate errors: -k, or a proxy's "
             "--insecure-host for this host)")
              .arg(m_upstreamUrl.host(), lines.join(QStringLiteral("; ")));
    recordText(EventKind::Error, Leg::Server, Direction::Local, why);
    m_serverGone = true;
    ssl->disconnect(this);
    ssl->abort();
    answerApp(502, why);
}

void RelaySession::onUpstreamError()
{
    if (!m_server || m_serverGone)
        return;
    const auto error = m_server->error();
    if (error == QAbstractSocket::RemoteHostClosedError || error == QAbstractSocket::SslHandshakeFailedError)
        return; // disconnected() follows; certificate trouble was reported by onUpstreamSslErrors()
    const QString where
        = QStringLiteral("%1:%2").arg(m_upstreamUrl.host()).arg(ClientConnection::portOf(m_upstreamUrl));
    QString why = m_upstreamProxy ? m_upstreamProxy->socketErrorText(m_server, tunnelPending()) : QString();
    switch (why.isEmpty() ? error : QAbstractSocket::UnknownSocketError) {
    case QAbstractSocket::UnknownSocketError:
        break;
    case QAbstractSocket::ConnectionRefusedError:
        why = m_upstreamProxy ? tr("connection to %1 refused through the %2: %3")
                                    .arg(where, m_upstreamProxy->description(), m_server->errorString())
                              : tr("connection refused by %1 (is the server running?)").arg(where);
        break;
    case QAbstractSocket::HostNotFoundError:
        why = tr("host not found: %1").arg(m_upstreamUrl.host());
        break;
    default:
        why = tr("network error on the server leg (%1): %2").arg(where, m_server->errorString());
    }
    recordText(EventKind::Error, Leg::Server, Direction::Local, why);
    if (!m_serverUp) {
        m_serverGone = true;
        m_server->disconnect(this);
        m_server->abort();
        answerApp(502, why);
    }
}

void RelaySession::readServer()
{
    if (!m_server || m_serverGone)
        return;
    if (tunnelPending()) {
        readTunnelAnswer();
        return;
    }
    if (unwritten(m_app) + waiting(m_serverGate.get()) > m_options.highWaterBytes)
        return;
    while (m_server->bytesAvailable() > 0) {
        const qint64 available = qMin<qint64>(m_server->bytesAvailable(), ReadChunkBytes);
        if (m_readBuffer.size() < available)
            m_readBuffer.resize(available);
        const qint64 n = m_server->read(m_readBuffer.data(), available);
        if (n <= 0)
            return;
        m_bytesFromServer += quint64(n);
        const qint64 now = EventTime::nowUs();
        const QByteArrayView bytes(m_readBuffer.constData(), n);
        // First: the application never waits for the inspector's parsing. Only a gate, once the
        // answer is through, forwards frames itself.
        if (m_phase != Phase::Response && !(m_phase == Phase::Frames && m_serverLeg.gate()))
            writeToApp(bytes);
        switch (m_phase) {
        case Phase::Response: {
            m_responseBytesForwarded = true;
            const qsizetype fedBefore = qsizetype(m_bytesFromServer) - n;
            const auto status = m_responseParser.feed(bytes);
            if (status == ResponseParser::Status::NeedMore) {
                writeToApp(bytes);
                break;
            }
            if (status == ResponseParser::Status::Error) {
                writeToApp(bytes);
                recordBytes(EventKind::HandshakeResponse, Leg::Server, Direction::Incoming,
                    m_responseParser.receivedBytes(), now);
                recordText(EventKind::Error, Leg::Server, Direction::Local,
                    tr("bad handshake response from the server: %1; the rest is passed through unparsed")
                        .arg(m_responseParser.errorString()));
                m_handshakeTimer.stop();
                m_phase = Phase::Passthrough;
                break;
            }
            const qsizetype used = m_responseParser.consumed() - fedBefore;
            writeToApp(bytes.first(used));
            onResponseComplete();
            if (used < bytes.size()) {
                // Frames that came with the answer: through the gate, if the answer started one.
                const QByteArrayView frames = bytes.sliced(used);
                if (m_phase == Phase::Frames && m_serverLeg.gate()) {
                    m_serverLeg.observe(frames, now);
                } else {
                    writeToApp(frames);
                    if (m_phase == Phase::Frames)
                        m_serverLeg.observe(frames, now, handOverDelay(m_app, now));
                }
                noteCloseFrames();
            }
            break;
        }
        case Phase::Frames:
            if (m_serverLeg.gate())
                m_serverLeg.observe(bytes, now); // the gate forwards, or passes bytes on once stepped aside
            else
                m_serverLeg.observe(bytes, now, handOverDelay(m_app, now));
            noteCloseFrames();
            break;
        case Phase::Request: // cannot happen: there is no server connection before the request
        case Phase::Passthrough:
            break;
        case Phase::Done:
            return;
        }
        if (!m_server || m_phase == Phase::Done)
            return;
        if (unwritten(m_app) + waiting(m_serverGate.get()) > m_options.highWaterBytes)
            return;
    }
}

void RelaySession::onResponseComplete()
{
    m_handshakeTimer.stop();
    const HttpResponse &response = m_responseParser.response();
    recordBytes(EventKind::HandshakeResponse, Leg::Server, Direction::Incoming, response.raw);
    if (!m_appGone) // passed back as it arrived; an application that left got none of it
        recordBytes(EventKind::HandshakeResponse, Leg::App, Direction::Outgoing, response.raw);
    const HttpRequest &request = m_requestParser.request();
    if (response.status != 101) {
        m_phase = Phase::Passthrough;
        setState(ReadyState::Connecting, Leg::Server,
            tr("not upgraded: the server answered %1 %2; passed to %3 as it came")
                .arg(response.status)
                .arg(DisplayText::line(response.reason), theApplication()));
        if (gatesWanted() && !m_appFramesUnparsed.isEmpty())
            writeToServer(std::exchange(m_appFramesUnparsed, {})); // kept back for gates that will not come
        if (m_appGone)
            closeServerLeg();
        return;
    }
    QStringList offered;
    const Extensions::Parsed offers
        = Extensions::parse(HttpHeaderList::values(request.headers, "sec-websocket-extensions"));
    for (const Extension &offer : offers.list)
        offered << QString::fromLatin1(offer.text());
    QStringList subprotocols;
    for (const QByteArray &token : HttpHeaderList::tokens(request.headers, "sec-websocket-protocol"))
        subprotocols << QString::fromUtf8(token);
    m_check = Handshake::checkResponse(
        response, HttpHeaderList::value(request.headers, "sec-websocket-key"), subprotocols, offered);
    for (const QString &failure : std::as_const(m_check.failures)) {
        WireEvent v;
        v.kind = EventKind::Violation;
        v.direction = Direction::Incoming;
        v.leg = Leg::Server;
        v.violation = ViolationRule::HandshakeFailed;
        const QByteArray text = failure.toUtf8();
        v.payload = text;
        emitEvent(v);
    }
    if (const auto &agreed = m_check.deflate) {
        m_appLeg.setPerMessageDeflate(agreed->clientNoContextTakeover);
        m_serverLeg.setPerMessageDeflate(agreed->serverNoContextTakeover);
    }
    m_phase = Phase::Frames;
    startGates();
    QStringList details;
    if (!m_check.selectedSubprotocol.isEmpty())
        details << tr("subprotocol %1").arg(DisplayText::line(m_check.selectedSubprotocol));
    if (m_check.deflate)
        details << tr("permessage-deflate");
    if (!m_check.ok)
        details << tr("the handshake breaks RFC 6455; %1 decides").arg(theApplication());
    setState(ReadyState::Open, Leg::Server,
        details.isEmpty() ? QStringLiteral("OPEN") : tr("OPEN (%1)").arg(details.join(QStringLiteral(", "))));
    if (!m_appFramesUnparsed.isEmpty()) {
        // They waited for the server's answer before they could go on: through the gate if there
        // is one; kept back for gates that did not come, they go on now.
        const QByteArray early = std::exchange(m_appFramesUnparsed, {});
        if (gatesWanted() && !m_appLeg.gate())
            writeToServer(early);
        m_appLeg.observe(early, m_appFramesTimeUs, WireEvent::RelayHeld);
        noteCloseFrames();
    }
    if (m_appGone)
        closeServerLeg();
}

// Records the moment each side's close frame went by: the closing handshake's progress.
void RelaySession::startGates()
{
    if (!gatesWanted())
        return;
    if (m_check.deflate) {
        // Only a server that ignores the request can have agreed: its messages cannot be changed.
        const InterceptNote note = InterceptNote::make(InterceptNote::Action::Forwarded, 0,
            tr("the server agreed on permessage-deflate though it was not offered; rules do not apply to "
               "this connection"));
        const QByteArray json = note.toJson();
        recordBytes(EventKind::Intercept, Leg::Server, Direction::Local, json);
        return;
    }
    auto recorder = [this](WireEvent &event) { emitEvent(event); };
    if (m_options.interceptable || m_options.rules->hasRulesFor(true)) {
        m_appGate = std::make_unique<MessageGate>(
            Leg::App, m_options.rules, [this](QByteArrayView bytes) { writeToServer(bytes); }, recorder);
        m_appLeg.setGate(m_appGate.get());
    }
    if (m_options.interceptable || m_options.rules->hasRulesFor(false)) {
        m_serverGate = std::make_unique<MessageGate>(
            Leg::Server, m_options.rules, [this](QByteArrayView bytes) { writeToApp(bytes); }, recorder);
        m_serverLeg.setGate(m_serverGate.get());
    }
}

MessageGate *RelaySession::gateFrom(Leg from) const
{
    return from == Leg::App ? m_appGate.get() : from == Leg::Server ? m_serverGate.get() : nullptr;
}

bool RelaySession::canIntercept(Leg from) const
{
    const MessageGate *gate = gateFrom(from);
    return gate && !gate->isPassingThrough() && m_phase == Phase::Frames;
}

bool RelaySession::refuseIntercept(Leg from, const QString &why)
{
    recordText(EventKind::Error, from, Direction::Local, why);
    return false;
}

bool RelaySession::setIntercept(Leg from, bool holding, bool controlFrames, bool perFrame)
{
    MessageGate *gate = gateFrom(from);
    if (!gate)
        return refuseIntercept(from,
            m_phase == Phase::Frames || m_phase == Phase::Done
                ? tr("intercept is not available on this connection: the relay was started without it")
                : tr("intercept is available once the connection is open"));
    gate->setHolding(holding, controlFrames, perFrame);
    resumeReading();
    return true;
}

qint64 RelaySession::waiting(const MessageGate *gate)
{
    return gate ? gate->heldBytes() : 0;
}

bool RelaySession::forwardHeld(Leg from, quint32 hold, const std::optional<QByteArray> &edited)
{
    MessageGate *gate = gateFrom(from);
    if (!gate || !gate->forward(hold, edited))
        return refuseIntercept(from, tr("no held message %1 to forward").arg(hold));
    resumeReading(); // what was held no longer counts against the high-water mark
    return true;
}

bool RelaySession::dropHeld(Leg from, quint32 hold)
{
    MessageGate *gate = gateFrom(from);
    if (!gate || !gate->drop(hold))
        return refuseIntercept(from, tr("no held message %1 to drop").arg(hold));
    resumeReading();
    return true;
}

bool RelaySession::forwardAllHeld(Leg from)
{
    MessageGate *gate = gateFrom(from);
    if (!gate)
        return false;
    gate->forwardAll();
    resumeReading();
    return true;
}

bool RelaySession::inject(Leg toward, const FrameSpec &frame)
{
    const Leg from = toward == Leg::Server ? Leg::App : Leg::Server;
    if (!canIntercept(from))
        return refuseIntercept(from,
            tr("nothing injected toward the %1: %2")
                .arg(sideName(toward),
                    m_phase != Phase::Frames ? tr("the connection is not open")
                        : !gateFrom(from)    ? tr("the relay was started without intercept")
                                             : tr("that side broke RFC 6455, so its bytes now pass as they come")));
    gateFrom(from)->inject(frame);
    return true;
}

void RelaySession::noteCloseFrames()
{
    for (RelayLeg *leg : { &m_appLeg, &m_serverLeg }) {
        bool &noted = m_closeFramesNoted[int(leg->leg())];
        if (noted || !leg->closeFrameSeen())
            continue;
        noted = true;
        if (m_firstCloser == Leg::None)
            m_firstCloser = leg->leg();
        if (m_state == ReadyState::Open)
            setState(ReadyState::Closing, leg->leg(),
                tr("CLOSING (%1 sent close: %2)")
                    .arg(sideName(leg->leg()), describeClose(leg->closeCode(), leg->closeReason())));
    }
}

void RelaySession::resumeReading()
{
    // Whichever socket drained, both directions may read again: each checks its own limit.
    if (m_app && !m_appGone && m_app->bytesAvailable() > 0)
        readApp();
    if (m_server && !m_serverGone && m_server->bytesAvailable() > 0)
        readServer();
}

void RelaySession::writeToServer(QByteArrayView bytes)
{
    if (!m_server || !m_serverUp) {
        m_toServerPending += bytes;
        return;
    }
    if (!m_serverGone)
        forward(m_server, bytes);
}

void RelaySession::writeToApp(QByteArrayView bytes)
{
    if (m_app && !m_appGone)
        forward(m_app, bytes);
}

qint32 RelaySession::handOverDelay(const QTcpSocket *to, qint64 readTimeUs) const
{
    // Bytes still in Qt's buffer after the flush wait for the other side to read.
    if (!to || unwritten(to) > 0)
        return WireEvent::RelayHeld;
    return qint32(std::clamp<qint64>(EventTime::nowUs() - readTimeUs, 0, std::numeric_limits<qint32>::max()));
}

void RelaySession::forward(QTcpSocket *to, QByteArrayView bytes)
{
    to->write(bytes.data(), bytes.size());
    // Out in this turn of the event loop, not at the next one: the other side gets the bytes as
    // soon as the relay has them, and the loop wakes once less per packet.
    to->flush();
}

void RelaySession::answerApp(int status, const QString &why)
{
    m_handshakeTimer.stop();
    if (m_app && !m_appGone && !m_appAnswered) {
        const QByteArray response = RelayHandshake::errorResponse(status, why);
        recordBytes(EventKind::HandshakeResponse, Leg::App, Direction::Outgoing, response);
        m_app->write(response);
    }
    m_phase = Phase::Passthrough;
    closeAppLeg();
    if (m_server && !m_serverGone)
        closeServerLeg();
    else if (m_appGone)
        finish();
}

void RelaySession::closeAppLeg()
{
    if (!m_app || m_appGone || m_closingAppByUs)
        return;
    m_closingAppByUs = true;
    m_app->disconnectFromHost(); // after what waits to be written; disconnected() may come at once
}

void RelaySession::closeServerLeg()
{
    if (!m_server || m_serverGone || m_closingServerByUs)
        return;
    m_closingServerByUs = true;
    if (!m_serverUp) {
        m_serverGone = true;
        m_server->disconnect(this);
        m_server->abort();
        return;
    }
    m_server->disconnectFromHost();
}

void RelaySession::onAppDisconnected()
{
    if (m_appGone)
        return;
    m_appGone = true;
    if (m_firstCloser == Leg::None && !m_closingAppByUs)
        m_firstCloser = Leg::App;
    if (m_appLeg.pendingBytes() > 0)
        recordText(EventKind::Error, Leg::App, Direction::Incoming,
            tr("the connection of %1 ended in the middle of a frame: %2 bytes of it arrived")
                .arg(theApplication())
                .arg(m_appLeg.pendingBytes()));
    if (!m_closingAppByUs) {
        recordText(EventKind::StateChange, Leg::App, Direction::Local,
            m_appLeg.closeFrameSeen()
                ? tr("%1 closed its TCP connection").arg(theApplication())
                : tr("%1 dropped its connection without a closing handshake").arg(theApplication()));
        if (m_server && !m_serverGone && m_phase == Phase::Response && m_serverUp) {
            // The server's answer is under way (an application often drops on a non-101 status
            // line): read it to the end for the log, within the handshake timeout, then close.
            recordText(EventKind::StateChange, Leg::Server, Direction::Local,
                tr("%1 left; reading the rest of the server's answer for the log").arg(theApplication()));
        } else if (m_server && !m_serverGone) {
            recordText(EventKind::StateChange, Leg::Server, Direction::Local,
                tr("closing the server leg: the side of %1 is closed").arg(theApplication()));
            closeServerLeg();
        }
    }
    if (m_serverGone || !m_server)
        finish();
}

void RelaySession::onServerDisconnected()
{
    if (m_serverGone)
        return;
    if (tunnelPending()) {
        failServerLeg(m_upstreamTunnel->endedEarlyText());
        return;
    }
    m_serverGone = true;
    if (m_firstCloser == Leg::None && !m_closingServerByUs)
        m_firstCloser = Leg::Server;
    // Whatever is still unread arrived before the end: pass it on first.
    if (m_server && m_server->bytesAvailable() > 0) {
        m_serverGone = false;
        readServer();
        m_serverGone = true;
    }
    if (m_phase == Phase::Response) {
        if (m_responseParser.headComplete()) {
            m_responseParser.finish(); // a non-101 answer whose body ran until the end
            onResponseComplete();
        } else {
            if (!m_responseParser.receivedBytes().isEmpty())
                recordBytes(
                    EventKind::HandshakeResponse, Leg::Server, Direction::Incoming, m_responseParser.receivedBytes());
            const QString why = m_responseBytesForwarded
                ? tr("the server closed the connection in the middle of its handshake answer")
                : tr("the server closed the connection without answering the handshake");
            recordText(EventKind::Error, Leg::Server, Direction::Local, why);
            if (!m_responseBytesForwarded) {
                answerApp(502, why);
                return;
            }
        }
    }
    if (m_serverLeg.pendingBytes() > 0)
        recordText(EventKind::Error, Leg::Server, Direction::Incoming,
            tr("the server's connection ended in the middle of a frame: %1 bytes of it arrived")
                .arg(m_serverLeg.pendingBytes()));
    if (!m_closingServerByUs) {
        recordText(EventKind::StateChange, Leg::Server, Direction::Local,
            m_serverLeg.closeFrameSeen() ? tr("the server closed its TCP connection")
                                         : tr("the server dropped its connection without a closing handshake"));
        if (m_app && !m_appGone) {
            recordText(EventKind::StateChange, Leg::App, Direction::Local,
                tr("closing the leg of %1: the server's side is closed").arg(theApplication()));
            closeAppLeg();
        }
    }
    if (m_appGone)
        finish();
}

void RelaySession::abort(const QString &why)
{
    if (m_finished)
        return;
    recordText(EventKind::StateChange, Leg::App, Direction::Local, tr("dropping both legs: %1").arg(why));
    m_handshakeTimer.stop();
    for (QTcpSocket *socket : { m_app.data(), m_server.data() }) {
        if (socket) {
            socket->disconnect(this);
            socket->abort();
        }
    }
    m_appGone = m_serverGone = true;
    finish();
}

void RelaySession::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_phase = Phase::Done;
    m_handshakeTimer.stop();
    for (MessageGate *gate : { m_appGate.get(), m_serverGate.get() })
        if (gate)
            gate->finish();
    const bool appClosed = m_appLeg.closeFrameSeen(), serverClosed = m_serverLeg.closeFrameSeen();
    const bool wasClean = appClosed && serverClosed;
    const RelayLeg &first = m_firstCloser == Leg::Server ? m_serverLeg : m_appLeg;
    quint16 code = CloseCodes::AbnormalClosure;
    QByteArray reason;
    if (first.closeFrameSeen()) {
        code = first.closeCode() ? first.closeCode() : quint16(CloseCodes::NoStatusReceived);
        reason = first.closeReason();
    }
    QString who;
    if (m_firstCloser == Leg::None)
        who = tr("closed by the inspector");
    else if (appClosed || serverClosed)
        who = tr("%1 closed first").arg(sideName(m_firstCloser));
    else
        who = tr("%1 dropped the connection first").arg(sideName(m_firstCloser));
    WireEvent e;
    e.kind = EventKind::StateChange;
    e.direction = Direction::Local;
    e.leg = m_firstCloser == Leg::None ? Leg::App : m_firstCloser;
    e.state = ReadyState::Closed;
    e.closeCode = code;
    e.wasClean = wasClean;
    const QByteArray text
        = QStringLiteral("CLOSED: %1, wasClean=%2, %3")
              .arg(describeClose(code, reason), wasClean ? QStringLiteral("true") : QStringLiteral("false"), who)
              .toUtf8();
    e.payload = text;
    m_state = ReadyState::Closed;
    emitEvent(e);
    Q_EMIT stateChanged(m_state);
    Q_EMIT finished();
}

QString RelaySession::sideName(Leg leg) const
{
    if (leg != Leg::App)
        return tr("server");
    return m_options.applicationName.isEmpty() ? tr("application") : m_options.applicationName;
}

QString RelaySession::theApplication() const
{
    return m_options.applicationName.isEmpty() ? tr("the application") : m_options.applicationName;
}

void RelaySession::setState(ReadyState state, Leg leg, const QString &detail)
{
    m_state = state;
    recordText(EventKind::StateChange, leg, Direction::Local, detail);
    Q_EMIT stateChanged(state);
}

void RelaySession::recordBytes(EventKind kind, Leg leg, Direction direction, QByteArrayView bytes, qint64 timeUs)
{
    WireEvent e;
    e.kind = kind;
    e.leg = leg;
    e.direction = direction;
    e.payload = bytes;
    e.timeUs = timeUs;
    emitEvent(e);
}

void RelaySession::recordText(EventKind kind, Leg leg, Direction direction, const QString &text)
{
    WireEvent e;
    e.kind = kind;
    e.leg = leg;
    e.direction = direction;
    e.state = m_state;
    const QByteArray utf8 = text.toUtf8();
    e.payload = utf8;
    emitEvent(e);
}

void RelaySession::emitEvent(WireEvent &event)
{
    event.connectionId = m_id;
    if (event.timeUs == 0)
        event.timeUs = EventTime::nowUs();
    for (WireEventSink *sink : std::as_const(m_sinks))
        sink->record(event);
}
