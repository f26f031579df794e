#include "net/serverconnection.h"

#include "log/eventtime.h"
#include "net/serverbehaviour.h"
#include "protocol/closecodes.h"
#include "protocol/handshake.h"
#include "protocol/messagedeflate.h"
#include "text/displaytext.h"

#include <QTcpSocket>

namespace {
constexpr qint64 ReadChunkBytes = 256 * 1024;

bool hasToken(const HttpHeaders &headers, QByteArrayView name, QByteArrayView token)
{
    const QList<QByteArray> tokens = HttpHeaderList::tokens(headers, name);
    return std::any_of(tokens.cbegin(), tokens.cend(),
        [token](const QByteArray &t) { return t.compare(token, Qt::CaseInsensitive) == 0; });
}
} // namespace

ServerConnection::ServerConnection(quint32 connectionId, QTcpSocket *socket, Recorder record, QObject *parent)
    : QObject(parent)
    , m_id(connectionId)
    , m_socket(socket)
    , m_record(std::move(record))
    , m_parser(FrameParser::Role::Server, this)
{
    socket->setParent(this);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        recordText(EventKind::Error, Direction::Local,
            tr("the connection did not end within %1 ms of the closing handshake; dropped")
                .arg(m_options.closeTimeoutMs));
        abort();
    });
}

ServerConnection::~ServerConnection()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void ServerConnection::start(const Options &options)
{
    if (m_started || !m_socket)
        return;
    m_started = true;
    m_options = options;
    m_parser.setLimits(options.limits);
    connect(m_socket, &QTcpSocket::readyRead, this, &ServerConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &ServerConnection::onDisconnected);

    // The head is buffered whole (the server peeked at it); what follows it may be frames.
    RequestParser parser(options.maxHandshakeBytes);
    const QByteArray buffered = m_socket->peek(m_socket->bytesAvailable());
    const qint64 timeUs = EventTime::nowUs();
    if (parser.feed(buffered) != RequestParser::Status::Complete) {
        refuse(400, parser.errorString().isEmpty() ? tr("incomplete request") : parser.errorString());
        return;
    }
    m_socket->skip(parser.consumed());
    m_request = parser.request().raw;
    m_requestHeaders = parser.request().headers;
    m_method = parser.request().method;
    m_version = parser.request().version;
    WireEvent e;
    e.kind = EventKind::HandshakeRequest;
    e.direction = Direction::Incoming;
    e.timeUs = timeUs;
    e.payload = m_request;
    record(e);

    if (const auto problem = requestProblem()) {
        refuse(problem->first, problem->second);
        return;
    }

    HttpHeaders extra;
    extra.append(HttpHeader { "Server", "WebSocket Inspector" });
    if (options.perMessageDeflate) {
        const Extensions::Parsed offers
            = Extensions::parse(HttpHeaderList::values(m_requestHeaders, "Sec-WebSocket-Extensions"));
        QStringList declined;
        if (offers.ok()) {
            if (const auto answer = PerMessageDeflate::answer(offers.list, options.deflateRequests, &declined)) {
                m_deflate = answer->agreement;
                m_acceptedExtensions = answer->response.text();
                extra.append(HttpHeader { "Sec-WebSocket-Extensions", m_acceptedExtensions });
            }
        } else if (HttpHeaderList::contains(m_requestHeaders, "Sec-WebSocket-Extensions")) {
            declined << offers.error;
        }
        for (const QString &why : std::as_const(declined))
            recordText(EventKind::Error, Direction::Local, tr("permessage-deflate offer declined: %1").arg(why));
    }
    const QByteArray key = HttpHeaderList::value(m_requestHeaders, "Sec-WebSocket-Key");
    const QByteArray response = Handshake::buildResponse(key, options.subprotocol, extra);
    WireEvent r;
    r.kind = EventKind::HandshakeResponse;
    r.direction = Direction::Outgoing;
    r.payload = response;
    record(r);
    m_socket->write(response);
    m_socket->flush();
    if (m_deflate) {
        m_parser.setPerMessageDeflate(true, m_deflate->clientNoContextTakeover);
        m_deflater = std::make_unique<MessageDeflater>(m_deflate->serverMaxWindowBits, m_deflate->serverNoContextTakeover);
    }
    m_open = true;
    Q_EMIT opened();
    onReadyRead(); // frames that came with the request
}

std::optional<std::pair<int, QString>> ServerConnection::requestProblem() const
{
    const HttpHeaders &h = m_requestHeaders;
    // RFC 6455 §4.2.1, in its order.
    if (m_method != "GET")
        return std::pair { 405, tr("the method must be GET, not %1").arg(DisplayText::line(m_method)) };
    if (m_version != "HTTP/1.1" && !(m_version.startsWith("HTTP/") && m_version.size() > 5 && m_version.at(5) >= '2'))
        return std::pair { 400, tr("HTTP/1.1 or later is needed, not %1").arg(DisplayText::line(m_version)) };
    if (HttpHeaderList::value(h, "Host").isEmpty())
        return std::pair { 400, tr("no Host header") };
    if (!hasToken(h, "Upgrade", "websocket"))
        return std::pair { 400, tr("the Upgrade header does not name websocket") };
    if (!hasToken(h, "Connection", "Upgrade"))
        return std::pair { 400, tr("the Connection header does not include Upgrade") };
    const QList<QByteArray> keys = HttpHeaderList::values(h, "Sec-WebSocket-Key");
    if (keys.size() != 1)
        return std::pair { 400,
            keys.isEmpty() ? tr("no Sec-WebSocket-Key header") : tr("Sec-WebSocket-Key given %1 times").arg(keys.size()) };
    const auto decoded = QByteArray::fromBase64Encoding(keys.first(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16)
        return std::pair { 400, tr("Sec-WebSocket-Key is not the base64 of 16 bytes") };
    if (HttpHeaderList::value(h, "Sec-WebSocket-Version") != "13")
        return std::pair { 426, tr("Sec-WebSocket-Version must be 13") };
    return std::nullopt;
}

void ServerConnection::refuse(int status, const QString &reason)
{
    const QByteArray body = reason.toUtf8() + '\n';
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + ServerBehaviour::reasonPhrase(status) + "\r\n";
    if (status == 426)
        response += "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n";
    else if (status == 405)
        response += "Allow: GET\r\n";
    response += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n\r\n" + body;
    WireEvent e;
    e.kind = EventKind::HandshakeResponse;
    e.direction = Direction::Outgoing;
    e.payload = response;
    record(e);
    recordText(EventKind::Error, Direction::Local, tr("handshake refused with %1: %2").arg(status).arg(reason));
    m_finished = true; // no client came of it: no disconnected()
    if (QTcpSocket *socket = m_socket) {
        // The response must leave even if this connection is deleted at once.
        m_socket = nullptr;
        socket->disconnect(this);
        socket->setParent(nullptr);
        socket->write(response);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        if (socket->state() == QAbstractSocket::UnconnectedState)
            socket->deleteLater();
    }
    Q_EMIT handshakeFailed(status, reason);
}

void ServerConnection::onReadyRead()
{
    if (!m_socket || !m_open)
        return;
    while (m_socket && m_socket->bytesAvailable() > 0) {
        const qint64 available = qMin<qint64>(m_socket->bytesAvailable(), ReadChunkBytes);
        if (m_readBuffer.size() < available)
            m_readBuffer.resize(available);
        const qint64 n = m_socket->read(m_readBuffer.data(), available);
        if (n <= 0)
            return;
        m_readTimeUs = EventTime::nowUs();
        if (!m_parser.isStopped())
            m_parser.feed(QByteArrayView(m_readBuffer.constData(), n));
        m_readTimeUs = 0;
    }
}

void ServerConnection::onFrame(const ParsedFrame &frame)
{
    const bool brokeRule = std::exchange(m_frameViolated, false);
    const bool afterClose = m_closeReceived;
    if (afterClose && !Opcode::isControl(frame.header.opcode)) {
        WireEvent v = incomingViolationEvent(ViolationRule::DataAfterClose, 0, frame.headerBytes,
            tr("%1 frame received after the client's close frame").arg(Opcode::name(frame.header.opcode)).toUtf8());
        record(v);
    }
    WireEvent e = incomingFrameEvent(frame);
    e.messageId = m_incoming.next(frame.header);
    record(e);
    if (afterClose)
        return;
    switch (frame.header.opcode) {
    case Opcode::Ping:
        if (!m_closeSent) {
            FrameSpec pong;
            pong.opcode = Opcode::Pong;
            pong.mask = false;
            pong.payload = frame.payload.toByteArray();
            writeFrame(pong);
        }
        break;
    case Opcode::Pong:
        if (!m_lastPing.isNull() && frame.payload == m_lastPing && m_pingTimer.isValid())
            Q_EMIT pongReceived(quint64(m_pingTimer.elapsed()), frame.payload.toByteArray());
        else
            Q_EMIT pongReceived(0, frame.payload.toByteArray()); // unsolicited, or for an older ping
        break;
    case Opcode::Close:
        if (brokeRule) {
            // A malformed close frame fails the connection; our close with the violation's code is out.
            if (m_socket)
                m_socket->disconnectFromHost();
            break;
        }
        handleCloseFrame(frame);
        break;
    default:
        break;
    }
}

void ServerConnection::onMessage(quint8 opcode, QByteArrayView payload, int fragments)
{
    Q_UNUSED(fragments);
    if (m_closeSent || m_closeReceived)
        return;
    Q_EMIT messageReceived(opcode == Opcode::Text, payload.toByteArray());
}

void ServerConnection::onViolation(const Violation &violation, QByteArrayView headerBytes)
{
    m_frameViolated = !headerBytes.isEmpty();
    const QByteArray text = violation.description.toUtf8();
    WireEvent v = incomingViolationEvent(violation.rule, violation.closeCode, headerBytes, text);
    record(v);
    if (m_closeSent || !m_socket)
        return;
    if (m_parser.isStopped()) {
        // Framing is lost: the client's close could not be recognised. Answer, then drop.
        sendCloseFrame(violation.closeCode ? violation.closeCode : quint16(CloseCodes::ProtocolError),
            CloseCodes::fittingReason(violation.description));
        m_closeTimer.start(m_options.closeTimeoutMs);
        m_socket->disconnectFromHost();
        return;
    }
    if (violation.closeCode != 0) {
        // A strict server fails the connection with the violation's code (RFC 6455 §7.1.7) and waits
        // for the client's close; but when the violation cut a frame short (invalid UTF-8 found while
        // the frame arrives), the client's close would be read as the rest of that frame's payload
        // (conformance cases 6.4.3, 6.4.4), so TCP is closed instead.
        sendCloseFrame(violation.closeCode, CloseCodes::fittingReason(violation.description));
        m_closeTimer.start(m_options.closeTimeoutMs);
        if (m_parser.insideFramePayload())
            m_socket->disconnectFromHost();
    }
}

void ServerConnection::handleCloseFrame(const ParsedFrame &frame)
{
    m_closeReceived = true;
    const ClosePayload close = ClosePayload::parse(frame.payload);
    m_closeCode = close.hasCode ? close.code : quint16(CloseCodes::NoStatusReceived);
    m_closeReason = QString::fromUtf8(close.reason);
    Q_EMIT closing();
    if (!m_closeSent) {
        // Echo the client's code (RFC 6455 §5.5.1): none for none, 1002 for one that may not be sent.
        if (!close.hasCode)
            sendCloseFrame(0, {});
        else
            sendCloseFrame(CloseCodes::isValidOnWire(close.code) ? close.code : quint16(CloseCodes::ProtocolError), {});
    }
    // Both halves are done: the server closes TCP first (RFC 6455 §7.1.1). A client that stopped
    // reading would hold the close forever: the timer drops it.
    m_closeTimer.start(m_options.closeTimeoutMs);
    if (m_socket)
        m_socket->disconnectFromHost();
}

void ServerConnection::setLimits(const FrameParser::Limits &limits)
{
    m_options.limits = limits;
    m_parser.setLimits(limits);
}

bool ServerConnection::sendMessage(bool isText, const QByteArray &payload)
{
    if (!isOpen())
        return false;
    const quint8 opcode = isText ? Opcode::Text : Opcode::Binary;
    // RFC 7692 §6: compressed whole, then fragmented; RSV1 on the first frame only.
    const bool compress = m_deflater != nullptr;
    QList<FrameSpec> frames
        = FrameWriter::fragment(opcode, compress ? m_deflater->compress(payload) : payload, m_fragmentSize, false);
    if (compress)
        frames.first().rsv = Rsv::Rsv1;
    for (qsizetype i = 0; i < frames.size(); ++i)
        writeFrame(frames[i], compress, compress && i == frames.size() - 1 ? &payload : nullptr);
    return true;
}

bool ServerConnection::ping(const QByteArray &payload)
{
    if (!isOpen())
        return false;
    FrameSpec spec;
    spec.opcode = Opcode::Ping;
    spec.mask = false;
    spec.payload = payload;
    m_lastPing = payload.isNull() ? QByteArray("") : payload;
    m_pingTimer.start();
    return writeFrame(spec);
}

bool ServerConnection::close(quint16 code, const QString &reason)
{
    if (!m_open || m_closeSent || !m_socket)
        return false;
    sendCloseFrame(code, CloseCodes::fittingReason(reason));
    m_closeTimer.start(m_options.closeTimeoutMs);
    return true;
}

void ServerConnection::sendCloseFrame(quint16 code, const QByteArray &reason)
{
    FrameSpec spec;
    spec.opcode = Opcode::Close;
    spec.mask = false;
    spec.payload = code == 0 ? QByteArray() : FrameWriter::closePayload(code, reason);
    writeFrame(spec);
    const bool first = !m_closeSent && !m_closeReceived;
    m_closeSent = true;
    if (first)
        Q_EMIT closing();
}

bool ServerConnection::writeFrame(const FrameSpec &spec, bool compressed, const QByteArray *message)
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
    e.messageId = m_outgoing.next(e.frame);
    record(e);
    m_writer.write(m_socket, encoded.bytes);
    return true;
}

bool ServerConnection::sendFrame(const FrameSpec &spec)
{
    if (!m_open || !m_socket || m_socket->state() != QAbstractSocket::ConnectedState) {
        recordText(EventKind::Error, Direction::Local, tr("frame not sent: not connected"));
        return false;
    }
    writeFrame(spec);
    if (spec.opcode == Opcode::Close && spec.rsv == 0 && spec.fin && !m_closeSent) {
        const bool first = !m_closeReceived;
        m_closeSent = true;
        m_closeTimer.start(m_options.closeTimeoutMs);
        if (first)
            Q_EMIT closing();
    }
    return true;
}

bool ServerConnection::sendFrameInParts(const FrameSpec &spec, qsizetype payloadBytes)
{
    if (!m_open || !m_socket || m_socket->state() != QAbstractSocket::ConnectedState || m_writer.inParts()) {
        recordText(EventKind::Error, Direction::Local, tr("frame not sent in parts: not connected, or another one is"));
        return false;
    }
    const EncodedFrame encoded = FrameWriter::encode(spec);
    WireEvent e = outgoingFrameEvent(encoded, spec.payload);
    e.messageId = m_outgoing.next(e.frame);
    record(e);
    return m_writer.beginParts(m_socket, encoded.bytes, encoded.headerSize + payloadBytes);
}

bool ServerConnection::continueFrame(qsizetype bytes)
{
    return m_socket && m_writer.continueParts(m_socket, bytes);
}

void ServerConnection::flush()
{
    if (m_socket)
        m_socket->flush();
}

void ServerConnection::abort()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    finish();
}

void ServerConnection::onDisconnected()
{
    finish();
}

void ServerConnection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_closeTimer.stop();
    if (m_parser.pendingBytes() > 0 && !m_parser.isStopped())
        recordText(EventKind::Error, Direction::Incoming,
            tr("the connection ended in the middle of a frame: %1 bytes of an incomplete frame were received")
                .arg(m_parser.pendingBytes()));
    const bool clean = m_closeSent && m_closeReceived;
    const quint16 code = m_closeReceived ? m_closeCode : quint16(CloseCodes::AbnormalClosure);
    Q_EMIT disconnected(code, m_closeReceived ? m_closeReason : QString(), clean);
}

void ServerConnection::record(WireEvent &event)
{
    event.connectionId = m_id;
    if (event.timeUs == 0)
        event.timeUs = event.direction == Direction::Incoming && m_readTimeUs ? m_readTimeUs : EventTime::nowUs();
    m_record(event);
}

void ServerConnection::recordText(EventKind kind, Direction direction, const QString &text)
{
    WireEvent e;
    e.kind = kind;
    e.direction = direction;
    const QByteArray utf8 = text.toUtf8();
    e.payload = utf8;
    record(e);
}
