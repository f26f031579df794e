#include "net/serverwiretap.h"

#include "log/apicall.h"
#include "log/eventtime.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

namespace {
constexpr qint64 ReadChunkBytes = 256 * 1024;
constexpr int ClientCloseTimeoutMs = 5000;
}

ServerWireTap::ServerWireTap(quint32 connectionId, QTcpSocket *client, quint16 innerPort,
    const FrameParser::Limits &limits, qsizetype maxHandshakeBytes, Recorder record, QObject *parent)
    : QObject(parent)
    , m_id(connectionId)
    , m_client(client)
    , m_inner(new QTcpSocket(this))
    , m_record(std::move(record))
    , m_requestParser(maxHandshakeBytes)
    , m_clientLeg(Leg::App, FrameParser::Role::Server,
          [this](WireEvent &e) {
              this->record(e, Direction::Incoming);
              if (e.kind == EventKind::Frame && e.frame.opcode == Opcode::Ping)
                  noteSilentPong();
          })
    , m_serverLeg(Leg::Server, FrameParser::Role::Client, [this](WireEvent &e) { this->record(e, Direction::Outgoing); })
{
    m_clientLeg.setLimits(limits);
    m_serverLeg.setLimits(limits);
    client->setParent(this);
    // Small frames go on at once both ways, as they would without the tap in between.
    client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(client, &QTcpSocket::readyRead, this, &ServerWireTap::readClient);
    connect(client, &QTcpSocket::disconnected, this, &ServerWireTap::onClientGone);

    connect(m_inner, &QTcpSocket::connected, this, [this] {
        m_innerUp = true;
        m_inner->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (!m_toInnerPending.isEmpty()) {
            m_inner->write(std::exchange(m_toInnerPending, {}));
            m_inner->flush();
        }
        if (m_clientGone)
            m_inner->disconnectFromHost();
        Q_EMIT innerConnected();
    });
    connect(m_inner, &QTcpSocket::readyRead, this, &ServerWireTap::readInner);
    connect(m_inner, &QTcpSocket::disconnected, this, &ServerWireTap::onInnerGone);
    connect(m_inner, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::RemoteHostClosedError || m_innerUp)
            return; // disconnected() follows
        recordText(EventKind::Error,
            tr("cannot reach QWebSocketServer inside the process: %1").arg(m_inner->errorString()));
        onInnerGone();
    });
    m_inner->connectToHost(QHostAddress(QHostAddress::LocalHost), innerPort);
    readClient(); // the request head is already buffered
}

ServerWireTap::~ServerWireTap()
{
    // Sockets are children; their last signals must not reach a half-destroyed tap.
    if (m_client)
        m_client->disconnect(this);
    m_inner->disconnect(this);
}

quint16 ServerWireTap::innerLocalPort() const
{
    return m_innerUp && !m_innerGone ? m_inner->localPort() : 0;
}

void ServerWireTap::setLimits(const FrameParser::Limits &limits)
{
    m_clientLeg.setLimits(limits);
    m_serverLeg.setLimits(limits);
}

void ServerWireTap::readClient()
{
    while (m_client && m_client->bytesAvailable() > 0) {
        const qint64 available = qMin<qint64>(m_client->bytesAvailable(), ReadChunkBytes);
        if (m_readBuffer.size() < available)
            m_readBuffer.resize(available);
        const qint64 n = m_client->read(m_readBuffer.data(), available);
        if (n <= 0)
            return;
        const qint64 now = EventTime::nowUs();
        QByteArrayView bytes(m_readBuffer.constData(), n);
        if (m_innerUp) {
            m_inner->write(bytes.data(), bytes.size());
            m_inner->flush();
        } else {
            m_toInnerPending.append(bytes);
        }
        if (!m_requestDone) {
            // The server checked this head before the tap was made; parsed again only to know
            // where it ends.
            const qsizetype fedBefore = m_requestParser.receivedBytes().size();
            const auto status = m_requestParser.feed(bytes);
            if (status == RequestParser::Status::NeedMore)
                continue;
            m_requestDone = true;
            WireEvent e;
            e.kind = EventKind::HandshakeRequest;
            e.timeUs = now;
            const QByteArray raw = status == RequestParser::Status::Complete ? m_requestParser.request().raw
                                                                             : m_requestParser.receivedBytes();
            e.payload = raw;
            record(e, Direction::Incoming);
            if (status != RequestParser::Status::Complete)
                continue;
            bytes = bytes.sliced(qMin<qsizetype>(bytes.size(), m_requestParser.consumed() - fedBefore));
        }
        // Frames sent before the 101 are parsed too: they crossed the wire (QWebSocketServer 6.4
        // discards them, which the response and what follows will show).
        m_clientLeg.observe(bytes, now);
    }
}

void ServerWireTap::readInner()
{
    while (m_inner->bytesAvailable() > 0) {
        const qint64 available = qMin<qint64>(m_inner->bytesAvailable(), ReadChunkBytes);
        if (m_readBuffer.size() < available)
            m_readBuffer.resize(available);
        const qint64 n = m_inner->read(m_readBuffer.data(), available);
        if (n <= 0)
            return;
        const qint64 now = EventTime::nowUs();
        const QByteArrayView bytes(m_readBuffer.constData(), n);
        if (m_client && !m_clientGone) {
            m_client->write(bytes.data(), bytes.size());
            m_client->flush();
        }
        if (!m_responseDone)
            observeResponse(bytes, now);
        else if (m_upgraded)
            m_serverLeg.observe(bytes, now);
    }
}

void ServerWireTap::observeResponse(QByteArrayView bytes, qint64 timeUs)
{
    const qsizetype fedBefore = m_responseParser.receivedBytes().size();
    const auto status = m_responseParser.feed(bytes);
    if (status == ResponseParser::Status::NeedMore && !m_responseParser.headComplete())
        return;
    // A 101 has no body; any other answer is passed on as it comes and recorded with its head.
    m_responseDone = true;
    const HttpResponse &response = m_responseParser.response();
    WireEvent e;
    e.kind = EventKind::HandshakeResponse;
    e.timeUs = timeUs;
    e.payload = response.raw.isEmpty() ? QByteArrayView(m_responseParser.receivedBytes()) : QByteArrayView(response.raw);
    record(e, Direction::Outgoing);
    if (status == ResponseParser::Status::Error || response.status != 101)
        return;
    m_upgraded = true;
    Q_EMIT upgraded();
    const qsizetype used = m_responseParser.consumed() - fedBefore;
    if (used < bytes.size())
        m_serverLeg.observe(bytes.sliced(used), timeUs);
}

void ServerWireTap::onClientGone()
{
    if (m_clientGone)
        return;
    readClient();
    m_clientGone = true;
    if (m_clientLeg.pendingBytes() > 0 && !m_clientLeg.inspectionStopped())
        recordText(EventKind::Error,
            tr("the client's connection ended in the middle of a frame: %1 bytes of an incomplete frame were received")
                .arg(m_clientLeg.pendingBytes()));
    if (m_innerUp && !m_innerGone) {
        m_inner->disconnectFromHost(); // after what is still on its way to Qt
    } else if (!m_innerUp) {
        // Still connecting: an aborted connection attempt emits no disconnected().
        m_inner->disconnect(this);
        m_inner->abort();
        m_innerGone = true;
    }
    checkFinished();
}

void ServerWireTap::onInnerGone()
{
    if (m_innerGone)
        return;
    readInner();
    m_innerGone = true;
    m_serverClosedFirst = !m_clientGone;
    if (m_client && !m_clientGone) {
        m_client->disconnectFromHost(); // after Qt's last bytes
        // A client that stops reading would keep them waiting for ever; QWebSocketServer has
        // already let go of it.
        QTimer::singleShot(ClientCloseTimeoutMs, this, [this] {
            if (m_client && !m_clientGone) {
                recordText(EventKind::Error,
                    tr("the client did not take QWebSocketServer's last %1 bytes within %2 ms; connection dropped")
                        .arg(m_client->bytesToWrite())
                        .arg(ClientCloseTimeoutMs));
                m_client->abort();
            }
        });
    }
    checkFinished();
}

void ServerWireTap::drain(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (m_innerUp && !m_innerGone && !m_serverLeg.closeFrameSeen() && !deadline.hasExpired()) {
        if (!m_inner->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            break;
    }
    readInner();
    if (m_client && !m_clientGone) {
        m_client->flush();
        m_client->disconnectFromHost();
    }
}

void ServerWireTap::abort()
{
    if (m_client && !m_clientGone) {
        m_client->disconnect(this);
        m_client->abort();
    }
    m_clientGone = true;
    m_inner->disconnect(this);
    m_inner->abort();
    m_innerGone = true;
    checkFinished();
}

void ServerWireTap::checkFinished()
{
    if (m_finished || !m_clientGone || !m_innerGone)
        return;
    m_finished = true;
    Q_EMIT finished();
}

void ServerWireTap::record(WireEvent &event, Direction direction)
{
    // Seen from the server: the client's side is incoming, Qt's outgoing; no relay legs.
    event.leg = Leg::None;
    event.direction = direction;
    event.connectionId = m_id;
    event.relayDelayUs = WireEvent::NotRelayed;
    if (event.timeUs == 0)
        event.timeUs = EventTime::nowUs();
    m_record(event);
}

void ServerWireTap::noteSilentPong()
{
    const ApiCall call { QString::fromLatin1(ApiCall::NoSignal), {},
        tr("QWebSocketServer's QWebSocket answers this ping itself and emits no signal: the application never "
           "knows it came") };
    WireEvent e;
    e.kind = EventKind::Api;
    const QByteArray json = call.toJson();
    e.payload = json;
    record(e, Direction::Local);
}

void ServerWireTap::recordText(EventKind kind, const QString &text)
{
    WireEvent e;
    e.kind = kind;
    const QByteArray utf8 = text.toUtf8();
    e.payload = utf8;
    record(e, Direction::Local);
}
