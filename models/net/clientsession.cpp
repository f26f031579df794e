#include "net/clientsession.h"

ClientSession::ClientSession(quint32 id, const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_options(options)
    , m_connection(id)
{
    m_connection.addSink(&m_capture);
    m_connection.addSink(&m_stats);
    m_connection.addSink(this);
    m_log.setCapture(&m_capture);
    m_timeline.setCapture(&m_capture);
    connect(&m_connection, &ClientConnection::stateChanged, this, &ClientSession::changed);
    connect(&m_log, &MessageLogModel::rowsAppended, this, &ClientSession::changed);
}

QString ClientSession::title() const
{
    if (isFromFile())
        return tr("#%1 %2 (file)").arg(m_id).arg(m_fileName);
    return QStringLiteral("#%1 %2").arg(m_id).arg(m_options.url.toString());
}

bool ClientSession::start()
{
    return m_connection.open(m_options);
}

void ClientSession::record(const WireEvent &event)
{
    if (event.kind == EventKind::HandshakeRequest && m_handshakeRequest.isEmpty())
        m_handshakeRequest = event.payload.toByteArray();
    else if (event.kind == EventKind::HandshakeResponse && m_handshakeResponse.isEmpty())
        m_handshakeResponse = event.payload.toByteArray();
}

void ClientSession::adoptHandshakeFromCapture()
{
    for (const EventKind kind : { EventKind::HandshakeRequest, EventKind::HandshakeResponse }) {
        const qsizetype index = m_capture.firstOfKind(kind);
        if (index >= 0)
            record(m_capture.event(index));
    }
}
