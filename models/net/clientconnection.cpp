#include "net/clientconnection.h"

#include "text/displaytext.h"
#include "text/sizeformat.h"

#include "log/eventtime.h"
#include "protocol/closecodes.h"
#include "text/utf8validator.h"

#include <QMetaMethod>
#include <QSslCipher>
#include <QSslSocket>
#include <QTcpSocket>
#include <chrono>

namespace {
constexpr qint64 ReadChunkBytes = 256 * 1024;

// The reason is the peer's bytes: quoted by the display rule, so invalid UTF-8 shows as \xHH.
QString describeClose(quint16 code, QByteArrayView reason)
{
    if (code == 0)
        return ClientConnection::tr("no status code");
    QString text = CloseCodes::label(code);
    if (!reason.isEmpty())
        text = ClientConnection::tr("%1, reason %2").arg(text, DisplayText::quoted(reason));
    return text;
}
} // namespace

ClientConnection::ClientConnection(quint32 connectionId, QObject *parent)
    : ClientEngine(parent)
    , m_id(connectionId)
    , m_parser(FrameParser::Role::Client, this)
{
    m_handshakeTimer.setSingleShot(true);
    m_closeTimer.setSingleShot(true);
    connect(&m_handshakeTimer, &QTimer::timeout, this, [this] {
        if (tunnelPending()) {
            fail(tr("handshake timed out after %1 ms: the %2 did not answer CONNECT")
                     .arg(m_options.handshakeTimeoutMs)
                     .arg(m_proxy->description()));
            return;
        }
        fail(tr("handshake timed out after %1 ms: %2")
                 .arg(m_options.handshakeTimeoutMs)
                 .arg(m_responseParser.headComplete() || m_bytesReceived > 0
                         ? tr("the server's response was incomplete")
                         : tr("the server sent no response")));
    });
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        if (!m_socket)
            return;
        if (!(m_closeSent && m_closeReceived))
            recordText(EventKind::Error, Direction::Local,
                       tr("closing handshake timed out after %1 ms: the server did not answer the close "
                          "frame; dropping the TCP connection")
                           .arg(m_options.closeTimeoutMs));
        dropTcp();
        finishClosed();
    });
}

ClientConnection::~ClientConnection()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void ClientConnection::addSink(WireEventSink *sink)
{
    if (sink && !m_sinks.contains(sink))
        m_sinks.append(sink);
}

QString ClientConnection::openProblem(const ConnectionOptions &options)
{
    QString problem = urlProblem(options.url);
    if (problem.isEmpty())
        options.proxy.proxyFor(options.url, &problem);
    return problem;
}

QString ClientConnection::urlProblem(const QUrl &url)
{
    if (url.isEmpty())
        return tr("no URL given: expected ws://host[:port]/path or wss://...");
    if (!url.isValid())
        return tr("invalid URL: %1").arg(url.errorString());
    const QString scheme = url.scheme().toLower();
    if (scheme.isEmpty())
        return tr("URL has no scheme: use ws://%1 or wss://%1").arg(url.toString());
    if (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))
        return tr("unsupported scheme \"%1\": use ws:// or wss://").arg(url.scheme());
    if (url.host().isEmpty())
        return tr("URL has no host: %1").arg(url.toString());
    if (url.port() == 0)
        return tr("bad port 0 in %1: use 1-65535").arg(url.toString());
    if (url.hasFragment())
        return tr("URL must not contain a fragment (#%1): RFC 6455 §3 forbids them in WebSocket URIs")
            .arg(url.fragment());
    return QString();
}

bool ClientConnection::open(const ConnectionOptions &options)
{
    if (m_socket) {
        recordText(EventKind::Error, Direction::Local, tr("open() called on a connection already in use"));
        return false;
    }
    m_options = options;
    const QString problem = openProblem(options);
    if (!problem.isEmpty()) {
        m_error = problem;
        recordText(EventKind::Error, Direction::Local, problem);
        m_state = ReadyState::Closed;
        m_closeCode = CloseCodes::AbnormalClosure;
        Q_EMIT errorOccurred(problem);
        return false;
    }
    const bool secure = isSecure(options.url);
    if (secure && !QSslSocket::supportsSsl()) {
        m_error = tr("wss:// needs TLS, but no TLS backend is available (is OpenSSL 3 installed?)");
        recordText(EventKind::Error, Direction::Local, m_error);
        Q_EMIT errorOccurred(m_error);
        return false;
    }

    ClientHandshakeOptions request;
    request.url = options.url;
    request.subprotocols = options.subprotocols;
    request.extensions = offeredExtensions();
    request.origin = options.origin;
    for (const HttpHeader &extra : options.headers) {
        const QString problem = Handshake::extraHeaderProblem(request, extra);
        if (!problem.isEmpty())
            recordText(EventKind::Error, Direction::Local,
                       tr("request header \"%1\" not sent: %2").arg(QString::fromUtf8(extra.name), problem));
    }
    m_parser.setLimits(options.limits);
    m_responseParser = ResponseParser(options.maxHandshakeBytes, options.maxResponseBodyBytes);
    m_key = Handshake::generateKey();
    m_socket = secure ? new QSslSocket(this) : new QTcpSocket(this);
    QTcpSocket *socket = m_socket;
    m_proxy = options.proxy.proxyFor(options.url, nullptr); // checked above
    OutgoingProxy::route(socket, m_proxy);
    if (m_proxy && m_proxy->tunnelsHere())
        m_tunnel.emplace(*m_proxy, options.url.host(), portOf(options.url), options.maxHandshakeBytes);
    // Bounds the bytes handled per event-loop turn: during a flood each read is parsed and recorded
    // at once, and an unbounded read would stall the window for as long as the kernel buffered.
    socket->setReadBufferSize(ReadChunkBytes);
    connect(socket, &QTcpSocket::connected, this, &ClientConnection::onConnected);
    connect(socket, &QTcpSocket::readyRead, this, &ClientConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &ClientConnection::onDisconnected);
    connect(socket, &QTcpSocket::errorOccurred, this, &ClientConnection::onSocketError);
    connect(socket, &QTcpSocket::bytesWritten, this, &ClientConnection::onBytesWritten);

    const quint16 port = portOf(options.url);
    QString connecting = m_proxy ? tr("CONNECTING to %1 (%2:%3) through the %4")
                                       .arg(options.url.toString(), options.url.host())
                                       .arg(port)
                                       .arg(m_proxy->description())
                                 //: State texts start with the readyState name (CONNECTING, OPEN, CLOSING, CLOSED), which stays as it is
                                 : tr("CONNECTING to %1 (%2:%3)").arg(options.url.toString(), options.url.host()).arg(port);
    if (!options.openingNote.isEmpty())
        connecting += QStringLiteral("; ") + options.openingNote;
    setState(ReadyState::Connecting, connecting);
    m_handshakeTimer.start(options.handshakeTimeoutMs);
    if (secure) {
        auto *ssl = static_cast<QSslSocket *>(socket);
        connect(ssl, &QSslSocket::encrypted, this, &ClientConnection::onEncrypted);
        connect(ssl, &QSslSocket::encryptedBytesWritten, this, &ClientConnection::onBytesWritten);
        connect(ssl, &QSslSocket::sslErrors, this, &ClientConnection::onSslErrors);
        ssl->setSslConfiguration(options.tls.configuration());
        if (m_tunnel) {
            ssl->setPeerVerifyName(options.url.host()); // the certificate and SNI are the server's, not the proxy's
            ssl->connectToHost(m_proxy->host, m_proxy->port); // TLS starts once the tunnel is open
        } else {
            ssl->connectToHostEncrypted(options.url.host(), port);
        }
    } else if (m_tunnel) {
        socket->connectToHost(m_proxy->host, m_proxy->port);
    } else {
        socket->connectToHost(options.url.host(), port);
    }
    return true;
}

void ClientConnection::answerPing(QByteArrayView payload)
{
    if (bufferedAmount() <= m_options.pongBacklogLimit && !m_heldPong) {
        FrameSpec pong;
        pong.opcode = Opcode::Pong;
        pong.payload = payload.toByteArray();
        writeFrame(pong);
        return;
    }
    if (!m_heldPong) {
        recordText(EventKind::Error, Direction::Local,
                   tr("auto-pong held back: %1 wait to be written (the server is not reading). The latest "
                      "ping will be answered once they drain (RFC 6455 §5.5.3 lets a pong answer only the "
                      "most recent ping)")
                       .arg(SizeFormat::rounded(bufferedAmount())));
    }
    m_heldPong = payload.toByteArray();
    ++m_pingsHeld;
}

void ClientConnection::onBytesWritten()
{
    if (!m_heldPong || bufferedAmount() > m_options.pongBacklogLimit / 2 || m_state != ReadyState::Open)
        return;
    FrameSpec pong;
    pong.opcode = Opcode::Pong;
    pong.payload = *std::exchange(m_heldPong, std::nullopt);
    recordText(EventKind::Error, Direction::Local,
               tr("auto-pong resumed: the write buffer drained; answering the latest of %1 held ping(s)")
                   .arg(std::exchange(m_pingsHeld, 0)));
    writeFrame(pong);
}

qint64 ClientConnection::bufferedAmount() const
{
    if (!m_socket)
        return 0;
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        return ssl->encryptedBytesToWrite() + ssl->bytesToWrite();
    return m_socket->bytesToWrite();
}

bool ClientConnection::sendsWithoutDelay() const
{
    return m_socket && m_socket->socketOption(QAbstractSocket::LowDelayOption).toInt() != 0;
}

void ClientConnection::onConnected()
{
    // Without it, Nagle's algorithm holds each small frame (a ping, a short message) until the
    // previous one is acknowledged: round trips the inspector shows would be the kernel's doing.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_tunnel) {
        m_socket->write(m_tunnel->request()); // the CONNECT request; its credentials are not recorded
        return;
    }
    if (!qobject_cast<QSslSocket *>(m_socket))
        sendHandshakeRequest(); // over TLS the request waits for onEncrypted()
}

void ClientConnection::handleTunnelBytes(QByteArrayView bytes)
{
    switch (m_tunnel->feed(bytes)) {
    case HttpProxyTunnel::Status::NeedMore:
        return;
    case HttpProxyTunnel::Status::Refused:
        fail(m_tunnel->refusal());
        return;
    case HttpProxyTunnel::Status::Open:
        break;
    }
    //: State texts start with the readyState name (CONNECTING, OPEN, CLOSING, CLOSED), which stays as it is
    setState(ReadyState::Connecting, tr("CONNECTING: %1").arg(m_tunnel->openedText()));
    if (const QString stray = m_tunnel->strayBytesText(); !stray.isEmpty()) {
        fail(stray);
        return;
    }
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        ssl->startClientEncryption();
    else
        sendHandshakeRequest();
}

void ClientConnection::onEncrypted()
{
    recordTls();
    sendHandshakeRequest();
}

void ClientConnection::sendHandshakeRequest()
{
    ClientHandshakeOptions hs;
    hs.url = m_options.url;
    hs.extraHeaders = m_options.headers;
    hs.subprotocols = m_options.subprotocols;
    hs.extensions = offeredExtensions();
    hs.origin = m_options.origin;
    const QByteArray request = Handshake::buildRequest(hs, m_key);
    WireEvent e;
    e.kind = EventKind::HandshakeRequest;
    e.direction = Direction::Outgoing;
    e.payload = request;
    emitEvent(e);
    m_bytesSent += quint64(request.size());
    m_socket->write(request);
}

void ClientConnection::recordTls()
{
    auto *ssl = qobject_cast<QSslSocket *>(m_socket);
    if (!ssl)
        return;
    const QSslCipher cipher = ssl->sessionCipher();
    QString text = tr("TLS established: protocol %1, cipher %2 (%3 bits)\n")
                       .arg(cipher.protocolString(), cipher.name())
                       .arg(cipher.usedBits());
    const auto chain = ssl->peerCertificateChain();
    text += tr("peer certificate chain (%1):\n").arg(chain.size());
    for (qsizetype i = 0; i < chain.size(); ++i) {
        const QSslCertificate &c = chain[i];
        text += tr("  %1. subject: %2\n     issuer: %3\n     valid: %4 to %5\n     SHA-256: %6\n")
                    .arg(i)
                    .arg(c.subjectDisplayName(), c.issuerDisplayName(),
                         c.effectiveDate().toString(Qt::ISODate), c.expiryDate().toString(Qt::ISODate),
                         QString::fromLatin1(c.digest(QCryptographicHash::Sha256).toHex(':')));
    }
    if (m_options.tls.hasClientCertificate())
        text += tr("client certificate offered: %1 (issuer: %2)\n")
                    .arg(m_options.tls.certificate.subjectDisplayName(), m_options.tls.certificate.issuerDisplayName());
    if (!m_options.tls.extraCaCertificates.isEmpty())
        text += tr("trusted besides the system's: %n certificate authority(ies)\n", nullptr, int(m_options.tls.extraCaCertificates.size()));
    recordText(EventKind::TlsInfo, Direction::Local, text.trimmed());
}

void ClientConnection::onSslErrors(const QList<QSslError> &errors)
{
    auto *ssl = qobject_cast<QSslSocket *>(m_socket);
    QStringList lines;
    for (const QSslError &error : errors) {
        QString line = error.errorString();
        if (!error.certificate().isNull())
            line += tr(" (certificate: %1)").arg(DisplayText::quoted(error.certificate().subjectDisplayName().toUtf8()));
        lines << line;
    }
    if (m_options.allowCertificateErrors) {
        recordText(EventKind::TlsInfo, Direction::Local,
                   tr("certificate errors allowed for this connection by the user:\n  %1")
                       .arg(lines.join(QStringLiteral("\n  "))));
        ssl->ignoreSslErrors();
        return;
    }
    fail(tr("TLS certificate rejected: %1. To connect anyway, allow certificate errors for this connection "
            "(CLI: -k/--insecure)")
             .arg(lines.join(QStringLiteral("; "))));
}

void ClientConnection::onReadyRead()
{
    if (!m_socket)
        return;
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;
    if (m_readBuffer.size() < available)
        m_readBuffer.resize(available);
    const qint64 n = m_socket->read(m_readBuffer.data(), available);
    if (n <= 0)
        return;
    if (tunnelPending()) {
        handleTunnelBytes(QByteArrayView(m_readBuffer.constData(), n));
        return;
    }
    m_bytesReceived += quint64(n);
    m_readTimeUs = EventTime::nowUs();
    const QByteArrayView bytes(m_readBuffer.constData(), n);
    if (m_state == ReadyState::Connecting)
        handleHandshakeBytes(bytes);
    else
        processFrameBytes(bytes);
    m_readTimeUs = 0;
}

void ClientConnection::handleHandshakeBytes(QByteArrayView bytes)
{
    const qsizetype fedBefore = m_handshakeBytesFed;
    m_handshakeBytesFed += bytes.size();
    const auto status = m_responseParser.feed(bytes);
    if (status == ResponseParser::Status::NeedMore)
        return;
    if (status == ResponseParser::Status::Error) {
        recordResponse();
        fail(tr("bad handshake response: %1").arg(m_responseParser.errorString()));
        return;
    }
    finishHandshake();
    if (m_state != ReadyState::Open)
        return;
    // Frames may arrive in the same read as the end of the 101 response.
    const qsizetype used = m_responseParser.consumed() - fedBefore;
    if (used < bytes.size())
        processFrameBytes(bytes.sliced(used));
}

void ClientConnection::recordResponse()
{
    if (m_responseRecorded)
        return;
    m_responseRecorded = true;
    const HttpResponse &response = m_responseParser.response();
    WireEvent e;
    e.kind = EventKind::HandshakeResponse;
    e.direction = Direction::Incoming;
    // When the head never completed (garbage, oversized headers), record what did arrive.
    e.payload = response.raw.isEmpty() ? QByteArrayView(m_responseParser.receivedBytes()) : QByteArrayView(response.raw);
    emitEvent(e);
}

void ClientConnection::finishHandshake()
{
    m_handshakeTimer.stop();
    recordResponse();
    const HttpResponse &response = m_responseParser.response();
    m_check = Handshake::checkResponse(response, m_key, m_options.subprotocols, offeredExtensions());
    if (!m_check.ok) {
        for (const QString &failure : std::as_const(m_check.failures)) {
            WireEvent v;
            v.kind = EventKind::Violation;
            v.direction = Direction::Incoming;
            v.violation = ViolationRule::HandshakeFailed;
            const QByteArray text = failure.toUtf8();
            v.payload = text;
            emitEvent(v);
        }
        // RFC 6455 §4.1: the client must fail the connection; no close frame before the handshake.
        fail(tr("handshake failed: %1").arg(m_check.failures.join(QStringLiteral("; "))));
        return;
    }
    // Extensions we did not implement cannot be honoured: their RSV bits stay violations, which the
    // parser reports; the user chose to offer them.
    if (const auto &agreed = m_check.deflate) {
        m_parser.setPerMessageDeflate(true, agreed->serverNoContextTakeover);
        m_deflater = std::make_unique<MessageDeflater>(agreed->clientMaxWindowBits, agreed->clientNoContextTakeover);
    }
    QStringList details;
    if (!m_check.selectedSubprotocol.isEmpty())
        details << tr("subprotocol %1").arg(DisplayText::line(m_check.selectedSubprotocol));
    if (m_check.deflate)
        details << tr("permessage-deflate");
    const QString detail = details.isEmpty() ? QStringLiteral("OPEN")
                                             : tr("OPEN (%1)").arg(details.join(QStringLiteral(", ")));
    setState(ReadyState::Open, detail);
    Q_EMIT opened();
}

void ClientConnection::processFrameBytes(QByteArrayView bytes)
{
    if (m_parser.isStopped())
        return; // framing was lost: nothing after this can be decoded (recorded when it stopped)
    m_parser.feed(bytes);
}

void ClientConnection::onFrame(const ParsedFrame &frame)
{
    const bool brokeRule = m_frameViolated;
    m_frameViolated = false;
    const bool afterClose = m_closeReceived;
    if (afterClose && !Opcode::isControl(frame.header.opcode)) {
        // RFC 6455 §5.5.1: no data frames after a close frame. Recorded (before the frame, as the
        // parser orders its own violations), not acted upon: the closing handshake is under way.
        recordViolation(ViolationRule::DataAfterClose, 0,
                        tr("%1 frame received after the server's close frame")
                            .arg(Opcode::name(frame.header.opcode)),
                        frame.headerBytes);
    }
    WireEvent e = incomingFrameEvent(frame);
    e.messageId = m_incomingMessages.next(frame.header);
    emitEvent(e);
    if (afterClose)
        return;
    switch (frame.header.opcode) {
    case Opcode::Ping:
        if (isConnected<&ClientConnection::pingReceived>())
            Q_EMIT pingReceived(frame.payload.toByteArray());
        if (m_options.autoPong && m_state == ReadyState::Open && frame.payload.size() <= 125)
            answerPing(frame.payload);
        break;
    case Opcode::Pong:
        if (isConnected<&ClientConnection::pongReceived>())
            Q_EMIT pongReceived(frame.payload.toByteArray());
        break;
    case Opcode::Close:
        if (brokeRule) {
            // A malformed close frame fails the connection instead of completing the closing
            // handshake (browsers then report 1006); our close with the violation's code is out.
            if (m_closeSent && m_socket) {
                m_closedTcpFirst = true;
                m_socket->disconnectFromHost();
            }
            break;
        }
        handleCloseFrame(frame);
        break;
    default:
        break;
    }
}

void ClientConnection::onMessage(quint8 opcode, QByteArrayView payload, int fragments)
{
    Q_UNUSED(fragments);
    if (m_state != ReadyState::Open)
        return; // like a browser: no message events once closing has started
    if (isConnected<&ClientConnection::messageReceived>())
        Q_EMIT messageReceived(opcode, payload.toByteArray());
}

void ClientConnection::onViolation(const Violation &violation, QByteArrayView headerBytes)
{
    m_frameViolated = !headerBytes.isEmpty();
    recordViolation(violation.rule, violation.closeCode, violation.description, headerBytes);
    if (m_parser.isStopped() && !m_closeSent && m_state == ReadyState::Open) {
        // Framing is lost: answer with the close code, then drop, since the peer's close frame could
        // not be recognised anyway.
        sendCloseFrame(violation.closeCode ? violation.closeCode : quint16(CloseCodes::ProtocolError),
                       CloseCodes::fittingReason(violation.description));
        setState(ReadyState::Closing, tr("CLOSING (failing the connection: %1)").arg(violation.description));
        m_closedTcpFirst = true;
        m_socket->disconnectFromHost();
        return;
    }
    if (m_options.closeOnViolation && violation.closeCode != 0 && !m_closeSent && m_state == ReadyState::Open) {
        sendCloseFrame(violation.closeCode, CloseCodes::fittingReason(violation.description));
        setState(ReadyState::Closing, tr("CLOSING (client answered a violation with %1)")
                                          .arg(CloseCodes::label(violation.closeCode)));
        m_closeTimer.start(m_options.closeTimeoutMs);
    }
}

void ClientConnection::recordViolation(ViolationRule rule, quint16 closeCode, const QString &description,
                                       QByteArrayView headerBytes)
{
    const QByteArray text = description.toUtf8();
    WireEvent v = incomingViolationEvent(rule, closeCode, headerBytes, text);
    emitEvent(v);
    if (isSignalConnected(QMetaMethod::fromSignal(&ClientConnection::violationDetected)))
        Q_EMIT violationDetected(Violation::ruleId(rule), closeCode, description);
}

void ClientConnection::handleCloseFrame(const ParsedFrame &frame)
{
    m_closeReceived = true;
    const ClosePayload close = ClosePayload::parse(frame.payload);
    m_closeCode = close.hasCode ? close.code : quint16(CloseCodes::NoStatusReceived);
    m_closeReason = QString::fromUtf8(close.reason);
    m_closeReasonBytes = close.reason;
    Q_EMIT closeFrameReceived(m_closeCode, close.reason);
    if (!m_closeSent) {
        // The server started the closing handshake: echo its code as RFC 6455 §5.5.1 suggests
        // (an empty close is answered with an empty close; a code we may not send becomes 1002).
        m_closedByPeer = true;
        setState(ReadyState::Closing, tr("CLOSING (server sent close: %1)")
                                          .arg(describeClose(close.hasCode ? close.code : 0, close.reason)));
        if (!close.hasCode)
            sendCloseFrame(0, {});
        else if (CloseCodes::isValidOnWire(close.code))
            sendCloseFrame(close.code, {});
        else
            sendCloseFrame(CloseCodes::ProtocolError, {});
    }
    // Both halves are done; the server should now close TCP first (RFC 6455 §7.1.1). Give it the
    // close timeout, then close it ourselves.
    m_closeTimer.start(m_options.closeTimeoutMs);
}

QStringList ClientConnection::offeredExtensions() const
{
    QStringList offers;
    if (m_options.deflate)
        offers << QString::fromLatin1(m_options.deflate->extension().text());
    return offers + m_options.extensions;
}

bool ClientConnection::sendText(const QByteArray &utf8, Compression compression)
{
    return sendData(Opcode::Text, utf8, compression);
}

bool ClientConnection::sendBinary(const QByteArray &data, Compression compression)
{
    return sendData(Opcode::Binary, data, compression);
}

bool ClientConnection::sendData(quint8 opcode, const QByteArray &payload, Compression compression)
{
    if (m_state != ReadyState::Open) {
        recordText(EventKind::Error, Direction::Local,
                   tr("not sent: the connection is %1, not OPEN").arg(readyStateName(m_state)));
        return false;
    }
    // RFC 7692 §6: the message is compressed whole, then fragmented; RSV1 on the first frame only.
    const bool compress = m_deflater && compression == Compression::AsNegotiated;
    QList<FrameSpec> frames = FrameWriter::fragment(
        opcode, compress ? m_deflater->compress(payload) : payload, m_options.fragmentSize, true);
    if (compress)
        frames.first().rsv = Rsv::Rsv1;
    for (qsizetype i = 0; i < frames.size(); ++i)
        writeFrame(frames[i], compress, compress && i == frames.size() - 1 ? &payload : nullptr);
    return true;
}

bool ClientConnection::ping(const QByteArray &payload)
{
    if (m_state != ReadyState::Open) {
        recordText(EventKind::Error, Direction::Local,
                   tr("ping not sent: the connection is %1, not OPEN").arg(readyStateName(m_state)));
        return false;
    }
    FrameSpec spec;
    spec.opcode = Opcode::Ping;
    spec.payload = payload;
    return writeFrame(spec);
}

bool ClientConnection::pong(const QByteArray &payload)
{
    if (m_state != ReadyState::Open) {
        recordText(EventKind::Error, Direction::Local,
                   tr("pong not sent: the connection is %1, not OPEN").arg(readyStateName(m_state)));
        return false;
    }
    FrameSpec spec;
    spec.opcode = Opcode::Pong;
    spec.payload = payload;
    return writeFrame(spec);
}

bool ClientConnection::close(quint16 code, const QByteArray &reason)
{
    if (m_state == ReadyState::Connecting) {
        // Like a browser: closing before the handshake completes fails the connection.
        recordText(EventKind::StateChange, Direction::Local, tr("closed before the handshake completed"));
        abort();
        return true;
    }
    if (m_state != ReadyState::Open || m_closeSent) {
        recordText(EventKind::Error, Direction::Local,
                   tr("close not sent: the connection is %1").arg(readyStateName(m_state)));
        return false;
    }
    sendCloseFrame(code, reason);
    setState(ReadyState::Closing,
             tr("CLOSING (client sent close: %1)").arg(describeClose(code, reason)));
    m_closeTimer.start(m_options.closeTimeoutMs);
    return true;
}

void ClientConnection::sendCloseFrame(quint16 code, const QByteArray &reason)
{
    FrameSpec spec;
    spec.opcode = Opcode::Close;
    spec.payload = code == 0 ? QByteArray() : FrameWriter::closePayload(code, reason);
    writeFrame(spec);
    m_closeSent = true;
}

bool ClientConnection::sendFrame(const FrameSpec &spec, bool compressPayload)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState) {
        recordText(EventKind::Error, Direction::Local, tr("frame not sent: not connected"));
        return false;
    }
    bool ok = false;
    // Only a whole compressed data message (RSV1, FIN) may use the connection's stream: anything
    // else would put the peer's window out of step for the messages that follow. Other frames are
    // compressed on their own, which is what testing a server with them needs.
    const bool wholeMessage = m_deflater && spec.fin && (spec.rsv & Rsv::Rsv1)
        && (spec.opcode == Opcode::Text || spec.opcode == Opcode::Binary);
    if (compressPayload) {
        FrameSpec compressed = spec;
        compressed.payload
            = wholeMessage ? m_deflater->compress(spec.payload) : MessageDeflater(15, true).compress(spec.payload);
        ok = writeFrame(compressed, wholeMessage, wholeMessage ? &spec.payload : nullptr);
    } else {
        ok = writeFrame(spec);
    }
    // Only a well-formed close frame starts the closing handshake; one with RSV bits or without FIN
    // is a frame the server must refuse (conformance case 3.7), after which its close is answered.
    if (spec.opcode == Opcode::Close && spec.rsv == 0 && spec.fin && m_state == ReadyState::Open) {
        m_closeSent = true;
        setState(ReadyState::Closing, tr("CLOSING (client sent a hand-made close frame)"));
        m_closeTimer.start(m_options.closeTimeoutMs);
    }
    return ok;
}

bool ClientConnection::sendRawBytes(const QByteArray &bytes)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState) {
        recordText(EventKind::Error, Direction::Local, tr("bytes not sent: not connected"));
        return false;
    }
    recordText(EventKind::Error, Direction::Outgoing,
               tr("raw unframed bytes sent: %1").arg(QString::fromLatin1(bytes.toHex(' '))));
    m_bytesSent += quint64(bytes.size());
    return m_socket->write(bytes) == bytes.size();
}

bool ClientConnection::writeFrame(const FrameSpec &spec, bool compressed, const QByteArray *message)
{
    if (!m_socket)
        return false;
    const EncodedFrame encoded = FrameWriter::encode(spec);
    WireEvent e = outgoingFrameEvent(encoded, spec.payload);
    e.compressed = compressed;
    if (message) {
        e.hasInflated = true;
        e.inflated = *message;
    }
    e.messageId = m_outgoingMessages.next(e.frame);
    emitEvent(e);
    m_bytesSent += quint64(encoded.bytes.size());
    m_writer.write(m_socket, encoded.bytes);
    return true;
}

void ClientConnection::setWritePacing(int chop, bool flushEachFrame)
{
    m_writer.setPacing(chop, flushEachFrame);
}

bool ClientConnection::sendFrameInParts(const FrameSpec &spec, qsizetype payloadBytes)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState || m_writer.inParts()) {
        recordText(EventKind::Error, Direction::Local,
                   m_writer.inParts() ? tr("frame not sent: another frame is still being sent in parts")
                                      : tr("frame not sent: not connected"));
        return false;
    }
    const EncodedFrame encoded = FrameWriter::encode(spec);
    WireEvent e = outgoingFrameEvent(encoded, spec.payload);
    e.messageId = m_outgoingMessages.next(e.frame);
    emitEvent(e);
    m_bytesSent += quint64(encoded.bytes.size());
    return m_writer.beginParts(m_socket, encoded.bytes, encoded.headerSize + payloadBytes);
}

bool ClientConnection::continueFrame(qsizetype bytes)
{
    return m_socket && m_writer.continueParts(m_socket, bytes);
}

void ClientConnection::abort()
{
    if (!m_socket || m_finished)
        return;
    dropTcp();
    finishClosed();
}

void ClientConnection::fail(const QString &message)
{
    if (m_finished)
        return;
    m_error = message;
    recordText(EventKind::Error, Direction::Local, message);
    Q_EMIT errorOccurred(message);
    dropTcp();
    finishClosed();
}

void ClientConnection::dropTcp()
{
    if (!m_socket)
        return;
    m_closedTcpFirst = true;
    // abort() emits disconnected() synchronously; this connection has already decided what happened.
    m_socket->disconnect(this);
    m_socket->abort();
}

void ClientConnection::onDisconnected()
{
    if (tunnelPending() && !m_finished) {
        fail(m_tunnel->endedEarlyText());
        return;
    }
    if (m_state == ReadyState::Connecting && m_responseParser.headComplete() && !m_responseRecorded) {
        // A non-101 response whose body ran until the connection closed.
        m_responseParser.finish();
        finishHandshake();
        return;
    }
    if (m_state == ReadyState::Connecting && !m_finished) {
        if (m_bytesReceived > 0)
            recordResponse();
        fail(m_bytesReceived > 0 ? tr("the server closed the connection during the handshake")
                                 : tr("the server closed the connection without answering the handshake"));
        return;
    }
    finishClosed();
}

bool ClientConnection::isSecure(const QUrl &url)
{
    return url.scheme().compare(QLatin1String("wss"), Qt::CaseInsensitive) == 0;
}

quint16 ClientConnection::portOf(const QUrl &url)
{
    // RFC 6455 §3: without a port, ws:// means 80 and wss:// 443.
    return quint16(url.port(isSecure(url) ? 443 : 80));
}

void ClientConnection::onSocketError()
{
    if (!m_socket || m_finished)
        return;
    const auto error = m_socket->error();
    if (error == QAbstractSocket::RemoteHostClosedError)
        return; // onDisconnected() follows and knows whether the close was clean
    const QString where = QStringLiteral("%1:%2").arg(m_options.url.host()).arg(portOf(m_options.url));
    QString text = m_proxy ? m_proxy->socketErrorText(m_socket, tunnelPending()) : QString();
    switch (text.isEmpty() ? error : QAbstractSocket::UnknownSocketError) {
    case QAbstractSocket::UnknownSocketError:
        break;
    case QAbstractSocket::ConnectionRefusedError:
        text = m_proxy ? tr("connection to %1 refused through the %2: %3")
                             .arg(where, m_proxy->description(), m_socket->errorString())
                       : tr("connection refused by %1 (is a server listening there?)").arg(where);
        break;
    case QAbstractSocket::HostNotFoundError:
        text = tr("host not found: %1").arg(m_options.url.host());
        break;
    case QAbstractSocket::SocketTimeoutError:
        text = tr("connection to %1 timed out").arg(where);
        break;
    default:
        text = m_proxy ? tr("network error through the %1: %2").arg(m_proxy->description(), m_socket->errorString())
                       : tr("network error: %1").arg(m_socket->errorString());
    }
    if (m_state == ReadyState::Connecting || !m_socket->isOpen()) {
        fail(text);
        return;
    }
    m_error = text;
    recordText(EventKind::Error, Direction::Local, text);
    Q_EMIT errorOccurred(text);
}

void ClientConnection::finishClosed()
{
    if (m_finished)
        return;
    m_finished = true;
    m_handshakeTimer.stop();
    m_closeTimer.stop();
    if (m_parser.pendingBytes() > 0)
        recordText(EventKind::Error, Direction::Incoming,
                   tr("connection ended in the middle of a frame: %1 bytes of an incomplete frame "
                      "were received")
                       .arg(m_parser.pendingBytes()));
    // A clean close is one where both close frames crossed (WebSocket API, "wasClean").
    m_wasClean = m_closeSent && m_closeReceived;
    if (!m_closeReceived) {
        m_closeCode = CloseCodes::AbnormalClosure;
        m_closeReason.clear();
        m_closeReasonBytes.clear();
    }
    const QString who = !m_closeSent && !m_closeReceived ? tr("no closing handshake")
        : m_closedByPeer                                  ? tr("server closed first")
                                                          : tr("client closed first");
    WireEvent e;
    e.kind = EventKind::StateChange;
    e.direction = Direction::Local;
    e.state = ReadyState::Closed;
    e.closeCode = m_closeCode;
    e.wasClean = m_wasClean;
    const QByteArray text = QStringLiteral("CLOSED: %1, wasClean=%2, %3")
                                .arg(describeClose(m_closeCode, m_closeReasonBytes),
                                     m_wasClean ? QStringLiteral("true") : QStringLiteral("false"), who)
                                .toUtf8();
    e.payload = text;
    m_state = ReadyState::Closed;
    emitEvent(e);
    Q_EMIT stateChanged(m_state);
    Q_EMIT closed(m_closeCode, m_closeReason, m_wasClean);
}

void ClientConnection::setState(ReadyState state, const QString &detail)
{
    if (m_state == state && state != ReadyState::Connecting)
        return;
    m_state = state;
    WireEvent e;
    e.kind = EventKind::StateChange;
    e.direction = Direction::Local;
    e.state = state;
    const QByteArray text = detail.toUtf8();
    e.payload = text;
    emitEvent(e);
    Q_EMIT stateChanged(state);
}

void ClientConnection::recordText(EventKind kind, Direction direction, const QString &text)
{
    WireEvent e;
    e.kind = kind;
    e.direction = direction;
    e.state = m_state;
    const QByteArray utf8 = text.toUtf8();
    e.payload = utf8;
    emitEvent(e);
}

void ClientConnection::emitEvent(WireEvent &event)
{
    event.connectionId = m_id;
    // Incoming events of one read arrived together and share its time; what we send or decide in
    // response happens later.
    if (event.timeUs == 0)
        event.timeUs = event.direction == Direction::Incoming && m_readTimeUs ? m_readTimeUs : EventTime::nowUs();
    for (WireEventSink *sink : std::as_const(m_sinks))
        sink->record(event);
}
