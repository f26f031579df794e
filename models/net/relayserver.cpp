#include "net/relayserver.h"

#include "net/clientconnection.h"

#include <QTcpServer>
#include <QTcpSocket>

RelayServer::RelayServer(const RelayOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_listener(new QTcpServer(this))
{
    connect(m_listener, &QTcpServer::newConnection, this, &RelayServer::acceptConnections);
}

RelayServer::~RelayServer()
{
    for (RelaySession *session : std::as_const(m_sessions))
        session->disconnect(this);
}

QString RelayServer::targetProblem(const QUrl &to)
{
    return ClientConnection::urlProblem(to);
}

bool RelayServer::listen(const QHostAddress &address, quint16 port)
{
    if (const QString problem = targetProblem(m_options.to); !problem.isEmpty()) {
        m_error = tr("cannot relay to %1: %2").arg(m_options.to.toDisplayString(), problem);
        return false;
    }
    if (!m_listener->listen(address, port)) {
        m_error = tr("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(m_listener->errorString());
        return false;
    }
    m_error.clear();
    const QHostAddress host = m_listener->serverAddress();
    m_url.setScheme(QStringLiteral("ws"));
    m_url.setHost(host == QHostAddress::Any || host == QHostAddress::AnyIPv4 ? QStringLiteral("127.0.0.1")
            : host == QHostAddress::AnyIPv6                                  ? QStringLiteral("::1")
                                                                             : host.toString());
    m_url.setPort(m_listener->serverPort());
    m_url.setPath(QStringLiteral("/"));
    return true;
}

void RelayServer::stopListening()
{
    m_listener->close();
}

void RelayServer::close()
{
    m_listener->close();
    const QList<RelaySession *> running = m_sessions;
    for (RelaySession *session : running)
        session->abort(tr("the relay was stopped"));
}

bool RelayServer::isListening() const
{
    return m_listener->isListening();
}

quint16 RelayServer::port() const
{
    return m_listener->serverPort();
}

QHostAddress RelayServer::address() const
{
    return m_listener->serverAddress();
}

RelaySession *RelayServer::session(quint32 connectionId) const
{
    for (RelaySession *session : m_sessions)
        if (session->connectionId() == connectionId)
            return session;
    return nullptr;
}

void RelayServer::acceptConnections()
{
    while (QTcpSocket *socket = m_listener->nextPendingConnection()) {
        const quint32 id = m_nextId ? m_nextId() : ++m_counter;
        auto *session = new RelaySession(id, socket, m_options, this);
        m_sessions.append(session);
        ++m_running;
        connect(session, &RelaySession::finished, this, [this, session] {
            m_sessions.removeOne(session);
            --m_running;
            Q_EMIT sessionFinished(session);
            session->deleteLater();
        });
        Q_EMIT sessionStarted(session);
        session->start();
    }
}
