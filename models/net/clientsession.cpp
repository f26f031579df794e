#include "net/clientsession.h"

ClientSession::ClientSession(quint32 id, const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_kind(Kind::Client)
    , m_options(options)
    , m_connection(std::make_unique<ClientConnection>(id))
{
    m_connection->addSink(&m_capture);
    m_connection->addSink(&m_stats);
    m_connection->addSink(this);
    connectModels();
    connect(m_connection.get(), &ClientConnection::stateChanged, this, &ClientSession::changed);
}

ClientSession::ClientSession(quint32 id, Relayed relayed, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_kind(Kind::Relay)
    , m_relayed(std::move(relayed))
{
    m_options.url = m_relayed.target;
    connectModels();
    m_relayTitle = tr("app %1 \u21c4 %2").arg(m_relayed.appPeer, m_relayed.target.toDisplayString());
    m_relaySecure = ClientConnection::isSecure(m_relayed.target);
}

ClientSession::~ClientSession()
{
    // A relayed connection still running stops with its log (the request crosses threads).
    if (m_kind == Kind::Relay && m_relayState != ReadyState::Closed && m_relayed.abort)
        m_relayed.abort(tr("its log was removed"));
}

void ClientSession::deliver(const WireEvent &event)
{
    m_capture.record(event);
    m_stats.record(event);
    record(event);
}

void ClientSession::connectModels()
{
    m_log.setCapture(&m_capture);
    m_timeline.setCapture(&m_capture);
    connect(&m_log, &MessageLogModel::rowsAppended, this, &ClientSession::changed);
}

QString ClientSession::title() const
{
    switch (m_kind) {
    case Kind::File:
        return tr("#%1 %2 (file)").arg(m_id).arg(m_fileName);
    case Kind::Relay:
        return QStringLiteral("#%1 %2").arg(m_id).arg(m_relayTitle);
    case Kind::Client:
        break;
    }
    return QStringLiteral("#%1 %2").arg(m_id).arg(m_options.url.toString());
}

ReadyState ClientSession::readyState() const
{
    switch (m_kind) {
    case Kind::Client:
        return m_connection->readyState();
    case Kind::Relay:
        return m_relayState;
    case Kind::File:
        break;
    }
    return ReadyState::Closed;
}

QString ClientSession::errorString() const
{
    return m_kind == Kind::Client ? m_connection->errorString() : m_lastError;
}

bool ClientSession::isSecure() const
{
    return m_kind == Kind::Relay ? m_relaySecure : ClientConnection::isSecure(m_options.url);
}

void ClientSession::setFileName(const QString &fileName)
{
    m_kind = Kind::File;
    m_fileName = fileName;
    m_connection.reset();
}

bool ClientSession::start()
{
    return m_connection && m_connection->open(m_options);
}

void ClientSession::disconnectFromPeer()
{
    if (m_connection)
        m_connection->close(1000);
    else if (m_kind == Kind::Relay && m_relayState != ReadyState::Closed && m_relayed.abort)
        m_relayed.abort(tr("disconnected by the user"));
}

void ClientSession::abort()
{
    if (m_connection && m_connection->readyState() != ReadyState::Closed)
        m_connection->abort();
    else if (m_kind == Kind::Relay && m_relayState != ReadyState::Closed && m_relayed.abort)
        m_relayed.abort(tr("its log was removed"));
}

void ClientSession::record(const WireEvent &event)
{
    // A relay: the application's request and the server's answer are the handshake to show.
    const bool relayed = event.leg != Leg::None;
    if (event.kind == EventKind::HandshakeRequest && m_handshakeRequest.isEmpty()
        && (!relayed || event.leg == Leg::App))
        m_handshakeRequest = event.payload.toByteArray();
    else if (event.kind == EventKind::HandshakeResponse && m_handshakeResponse.isEmpty()
        && (!relayed || event.leg == Leg::Server))
        m_handshakeResponse = event.payload.toByteArray();
    else if (event.kind == EventKind::Error && m_kind == Kind::Relay)
        m_lastError = event.text();
    if (event.kind == EventKind::StateChange && event.state == ReadyState::Closed)
        m_capture.sealOpenChunk(); // its last frames may now leave memory under the budget
    if (m_kind == Kind::Relay && event.kind == EventKind::StateChange && m_relayState != event.state) {
        m_relayState = event.state;
        Q_EMIT changed();
    }
    // The request as passed on names the server's path: the title shows where it really went.
    if (m_kind == Kind::Relay && event.kind == EventKind::HandshakeRequest && event.leg == Leg::Server
        && m_relayHandshakes.serverRequest.isEmpty()) {
        const QList<QByteArray> requestLine = event.payload.toByteArray().left(8192).split('\n').first().split(' ');
        if (requestLine.size() >= 2 && requestLine[1].startsWith('/')) {
            QUrl upstream = m_relayed.target;
            upstream.setPath(QString());
            upstream.setQuery(QString());
            m_options.url = upstream.resolved(QUrl::fromEncoded(requestLine[1]));
            m_relayTitle = tr("app %1 \u21c4 %2").arg(m_relayed.appPeer, m_options.url.toDisplayString());
        }
    }
    if (relayed && (event.kind == EventKind::HandshakeRequest || event.kind == EventKind::HandshakeResponse)) {
        const bool request = event.kind == EventKind::HandshakeRequest;
        QByteArray &kept = event.leg == Leg::App
            ? (request ? m_relayHandshakes.appRequest : m_relayHandshakes.appResponse)
            : (request ? m_relayHandshakes.serverRequest : m_relayHandshakes.serverResponse);
        if (kept.isEmpty())
            kept = event.payload.toByteArray();
    }
}

void ClientSession::adoptHandshakeFromCapture()
{
    // A session without legs has one handshake; a relayed one, one per leg (record() sorts them).
    for (const Leg leg : { Leg::None, Leg::App, Leg::Server }) {
        for (const EventKind kind : { EventKind::HandshakeRequest, EventKind::HandshakeResponse }) {
            const qsizetype index = m_capture.firstOfKind(kind, leg);
            if (index >= 0)
                record(m_capture.event(index));
        }
    }
}
