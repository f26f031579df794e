#include "probe/conformancelink.h"

#include "net/clientconnection.h"
#include "net/serverconnection.h"

ClientConformanceLink::ClientConformanceLink(quint32 connectionId, const ConnectionOptions &base,
                                             const std::optional<Conformance::Deflate> &deflate, QObject *parent)
    : ConformanceLink(parent)
    , m_connection(new ClientConnection(connectionId, this))
{
    m_options.url = base.url;
    m_options.headers = base.headers;
    m_options.subprotocols = base.subprotocols;
    m_options.origin = base.origin;
    m_options.allowCertificateErrors = base.allowCertificateErrors;
    m_options.handshakeTimeoutMs = base.handshakeTimeoutMs;
    // Sections 1 to 10 assume that no extension was agreed (an RSV bit must be refused); 12 and 13
    // offer permessage-deflate, several offers in order of preference in 13.7.
    m_options.deflate.reset();
    if (deflate && !deflate->offers.isEmpty()) {
        m_options.deflate = deflate->offers.first();
        for (qsizetype i = 1; i < deflate->offers.size(); ++i)
            m_options.extensions << QString::fromLatin1(deflate->offers[i].extension().text());
    }
    m_options.closeOnViolation = true;
    m_options.autoPong = true;
    // How long the server has to answer our close frame, and to close TCP after the closing
    // handshake, before the tester does it (Autobahn gives it a second; a busy machine needs more).
    m_options.closeTimeoutMs = 2'000;
    connect(m_connection, &ClientConnection::opened, this, &ConformanceLink::opened);
    connect(m_connection, &ClientConnection::closed, this, &ConformanceLink::closed);
}

void ClientConformanceLink::addSink(WireEventSink *sink)
{
    m_connection->addSink(sink);
}

void ClientConformanceLink::begin()
{
    if (!m_connection->open(m_options))
        QMetaObject::invokeMethod(this, &ConformanceLink::closed, Qt::QueuedConnection);
}

bool ClientConformanceLink::isOpen() const
{
    return m_connection->readyState() == ReadyState::Open;
}

void ClientConformanceLink::setWritePacing(int chop, bool flushEachFrame)
{
    m_connection->setWritePacing(chop, flushEachFrame);
}

void ClientConformanceLink::sendFrame(const FrameSpec &spec)
{
    m_connection->sendFrame(spec);
}

void ClientConformanceLink::sendFrameInParts(const FrameSpec &spec, qsizetype payloadBytes)
{
    m_connection->sendFrameInParts(spec, payloadBytes);
}

void ClientConformanceLink::continueFrame(qsizetype bytes)
{
    m_connection->continueFrame(bytes);
}

void ClientConformanceLink::sendMessage(bool binary, const QByteArray &data, qsizetype fragmentSize)
{
    m_connection->setFragmentSize(fragmentSize);
    if (binary)
        m_connection->sendBinary(data);
    else
        m_connection->sendText(data);
}

QByteArray ClientConformanceLink::acceptedExtensions() const
{
    return m_connection->selectedExtensions();
}

void ClientConformanceLink::close(quint16 code)
{
    if (m_connection->readyState() == ReadyState::Open)
        m_connection->close(code);
}

void ClientConformanceLink::abort()
{
    m_connection->abort(); // closed() follows at once
}

bool ClientConformanceLink::droppedByTester() const
{
    return m_connection->closedTcpFirst();
}

bool ClientConformanceLink::closeHandshakeComplete() const
{
    return m_connection->wasClean();
}

QString ClientConformanceLink::errorString() const
{
    return m_connection->errorString();
}

ServerConformanceLink::ServerConformanceLink(ServerConnection *connection, QObject *parent)
    : ConformanceLink(parent)
    , m_connection(connection)
{
    connect(connection, &ServerConnection::disconnected, this, [this](quint16, const QString &, bool wasClean) {
        if (m_finished)
            return;
        m_finished = true;
        m_handshakeComplete = wasClean;
        if (m_begun) // otherwise begin() reports it, after opened()
            Q_EMIT closed();
    });
}

void ServerConformanceLink::record(const WireEvent &event)
{
    for (WireEventSink *sink : std::as_const(m_sinks))
        sink->record(event);
}

void ServerConformanceLink::begin()
{
    // The connection is open already (its 101 went out), though the client may have closed it
    // since: opened() first in any case, so that the case is judged as one that opened.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_begun = true;
            Q_EMIT opened();
            if (m_finished)
                Q_EMIT closed();
        },
        Qt::QueuedConnection);
}

bool ServerConformanceLink::isOpen() const
{
    return m_connection && m_connection->isOpen();
}

void ServerConformanceLink::setWritePacing(int chop, bool flushEachFrame)
{
    if (m_connection)
        m_connection->setWritePacing(chop, flushEachFrame);
}

// The catalogue's frames are a client's, masked; a server sends the same frames unmasked.
static FrameSpec unmasked(FrameSpec spec)
{
    spec.mask = false;
    spec.maskingKey.reset();
    return spec;
}

void ServerConformanceLink::sendFrame(const FrameSpec &spec)
{
    if (m_connection)
        m_connection->sendFrame(unmasked(spec));
}

void ServerConformanceLink::sendFrameInParts(const FrameSpec &spec, qsizetype payloadBytes)
{
    if (m_connection)
        m_connection->sendFrameInParts(unmasked(spec), payloadBytes);
}

void ServerConformanceLink::continueFrame(qsizetype bytes)
{
    if (m_connection)
        m_connection->continueFrame(bytes);
}

void ServerConformanceLink::sendMessage(bool binary, const QByteArray &data, qsizetype fragmentSize)
{
    if (!m_connection)
        return;
    m_connection->setFragmentSize(fragmentSize);
    m_connection->sendMessage(!binary, data);
}

QByteArray ServerConformanceLink::acceptedExtensions() const
{
    return m_connection ? m_connection->acceptedExtensions() : QByteArray();
}

void ServerConformanceLink::close(quint16 code)
{
    if (m_connection)
        m_connection->close(code, {});
}

void ServerConformanceLink::abort()
{
    m_aborted = true;
    if (m_connection)
        m_connection->abort(); // disconnected() follows from finish()
}
