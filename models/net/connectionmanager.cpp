#include "net/connectionmanager.h"

#include "log/capturewriter.h"
#include "log/capturefiles.h"
#include "log/sessionfile.h"
#include "net/embeddedserver.h"
#include "net/localcertificateauthority.h"
#include "net/reconnector.h"
#include "net/relayserver.h"
#include "text/displaytext.h"

#include <QCoreApplication>
#include <QFileInfo>

ConnectionManager::ConnectionManager(QObject *parent)
    : QAbstractListModel(parent)
{
    m_network.setObjectName(QStringLiteral("wsinspector networking"));
    m_relayNetwork.setObjectName(QStringLiteral("wsinspector relays"));
}

ConnectionManager::~ConnectionManager()
{
    // The window goes quietly: relays and proxies are gone before the sessions, which must not ask
    // them for anything, and nothing they still send is waited for.
    closeListeners(true);
    // Sessions of relayed connections not made yet: their captures go now, not in ~QObject.
    QCoreApplication::removePostedEvents(this, QEvent::MetaCall);
    if (EmbeddedServer *server = std::exchange(m_server, nullptr))
        QMetaObject::invokeMethod(server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    m_sessions.clear(); // their connections are deleted on the networking thread, so before it stops
    m_network.quit();
    m_relayNetwork.quit();
    m_network.wait();
    m_relayNetwork.wait();
}

QThread *ConnectionManager::networkThread()
{
    if (!m_network.isRunning())
        m_network.start();
    return &m_network;
}

QThread *ConnectionManager::relayThread()
{
    if (!m_relayNetwork.isRunning())
        m_relayNetwork.start();
    return &m_relayNetwork;
}

EmbeddedServer *ConnectionManager::embeddedServer()
{
    if (!m_server) {
        m_server = new EmbeddedServer;
        m_server->moveToThread(networkThread());
    }
    return m_server;
}

QList<QObject *> ConnectionManager::listeners() const
{
    QList<QObject *> all;
    for (RelayServer *relay : m_relays)
        all << relay;
    for (ProxyServer *proxy : m_proxies)
        all << proxy;
    return all;
}

// Numbers its connections, moves it to the relays' thread and has it listen there; deleted
// (later, on that thread) if it cannot. Its sessions are attached there before they read a byte.
template <typename Server>
bool ConnectionManager::listenOnRelayThread(Server *server, const QHostAddress &address, quint16 port, QString *error)
{
    server->setIdAllocator([this] { return m_nextId++; });
    server->moveToThread(relayThread());
    bool listening = false;
    QMetaObject::invokeMethod(
        server,
        [&] {
            listening = server->listen(address, port);
            if (!listening && error)
                *error = server->errorString();
        },
        Qt::BlockingQueuedConnection);
    if (!listening) {
        server->deleteLater();
        return false;
    }
    // Direct: runs on the relays' thread, before the session reads a byte.
    connect(
        server, &Server::sessionStarted, server, [this](RelaySession *relayed) { attach(relayed); },
        Qt::DirectConnection);
    return true;
}

// On the relays' thread, as a relay or the proxy announces a connection before it reads: it
// writes a capture from there at once, and the window's session for that capture follows (it
// takes whatever was written before it came).
void ConnectionManager::attach(RelaySession *relayed)
{
    ClientSession::Relayed info;
    info.appPeer = relayed->appPeer();
    info.target = relayed->targetUrl();
    const quint32 id = relayed->connectionId();
    info.abort = [this, id](const QString &why) { withRelayed(id, [why](RelaySession *s) { s->abort(why); }); };
    info.command = [this, id](std::function<void(RelaySession *)> command) { withRelayed(id, command); };
    info.interceptable = relayed->allowsIntercept();
    std::shared_ptr<Capture> capture = ClientSession::newCapture();
    capture->setMemory(m_memory);
    capture->moveToThread(thread());
    relayed->addSink(new CaptureWriter(capture, relayed));
    QMetaObject::invokeMethod(
        this, [this, id, info, capture] { add(std::make_unique<ClientSession>(id, info, capture)); },
        Qt::QueuedConnection);
}

void ConnectionManager::withRelayed(quint32 id, const std::function<void(RelaySession *)> &command)
{
    // On the relays' thread, where the sessions live; a session that ended meanwhile is not found.
    for (RelayServer *relay : std::as_const(m_relays))
        QMetaObject::invokeMethod(
            relay,
            [relay, id, command] {
                if (RelaySession *session = relay->session(id))
                    command(session);
            },
            Qt::QueuedConnection);
    for (ProxyServer *proxy : std::as_const(m_proxies))
        QMetaObject::invokeMethod(
            proxy,
            [proxy, id, command] {
                if (RelaySession *session = proxy->session(id))
                    command(session);
            },
            Qt::QueuedConnection);
}

ClientSession *ConnectionManager::open(const ConnectionOptions &options)
{
    ClientSession *session = start(options);
    // Options that cannot be used (a bad URL, an unusable proxy variable) fail the same way each
    // time: no point in trying again.
    if (options.reconnect && ClientConnection::openProblem(options).isEmpty()) {
        auto *reconnector = new Reconnector(*options.reconnect, this);
        connect(reconnector, &Reconnector::reconnect, this,
            [this, reconnector](const ConnectionOptions &next) { reconnector->follow(start(next)); });
        connect(reconnector, &Reconnector::finished, reconnector, &QObject::deleteLater);
        reconnector->follow(session);
    }
    return session;
}

ClientSession *ConnectionManager::start(const ConnectionOptions &options)
{
    const quint32 id = m_nextId++;
    auto owned = std::make_unique<ClientSession>(id, options);
    owned->capture()->setMemory(m_memory);
    ClientSession *session = add(std::move(owned));
    session->start(networkThread());
    return session;
}

ClientSession *ConnectionManager::openFile(const QString &path, QStringList *errors)
{
    const quint32 id = m_nextId++; // taken now: a relay may number a connection meanwhile
    auto session = std::make_unique<ClientSession>(id, ConnectionOptions());
    session->capture()->setMemory(m_memory); // before the file fills it
    session->setFileName(QFileInfo(path).fileName());
    const SessionFileReader::Result result = CaptureFiles::load(path, *session->capture());
    if (errors)
        *errors = result.errors;
    if (!result.opened)
        return nullptr;
    session->adoptHandshakeFromCapture();
    return add(std::move(session));
}

ClientSession *ConnectionManager::openCopy(const Capture &source, const QString &name)
{
    auto session = std::make_unique<ClientSession>(m_nextId++, ConnectionOptions());
    session->capture()->setMemory(m_memory);
    session->setRecordName(name);
    for (qsizetype i = 0; i < source.count(); ++i)
        session->capture()->record(source.event(i));
    session->adoptHandshakeFromCapture();
    return add(std::move(session));
}

RelayServer *ConnectionManager::startRelay(
    const RelayOptions &options, const QHostAddress &address, quint16 port, QString *error)
{
    auto *relay = new RelayServer(options);
    if (!listenOnRelayThread(relay, address, port, error))
        return nullptr;
    connect(relay, &RelayServer::sessionStarted, this, &ConnectionManager::relaysChanged);
    connect(relay, &RelayServer::sessionFinished, this, &ConnectionManager::relaysChanged);
    m_relays.append(relay);
    Q_EMIT relaysChanged();
    return relay;
}

ProxyServer *ConnectionManager::startProxy(
    const ProxyOptions &options, const QHostAddress &address, quint16 port, QString *error, QString *warning)
{
    auto *proxy = new ProxyServer(options);
    QString authorityError;
    if (std::shared_ptr<LocalCertificateAuthority> authority = certificateAuthority(&authorityError))
        proxy->setCertificateAuthority(std::move(authority));
    else if (warning)
        *warning = tr("TLS passes through uninspected: %1").arg(authorityError);
    if (!listenOnRelayThread(proxy, address, port, error))
        return nullptr;
    connect(proxy, &ProxyServer::activityChanged, this, &ConnectionManager::relaysChanged);
    m_proxies.append(proxy);
    Q_EMIT relaysChanged();
    return proxy;
}

void ConnectionManager::stopRelays()
{
    closeListeners(false);
    Q_EMIT relaysChanged();
}

// Stops every relay and proxy on their thread: each running connection records that it was
// dropped, then the server goes. `wait`: until it is done (the window is closing).
void ConnectionManager::closeListeners(bool wait)
{
    const QList<QObject *> servers = listeners();
    m_relays.clear();
    m_proxies.clear();
    for (QObject *server : servers) {
        server->disconnect(this);
        QMetaObject::invokeMethod(
            server,
            [server, wait] {
                if (auto *relay = qobject_cast<RelayServer *>(server))
                    relay->close();
                else if (auto *proxy = qobject_cast<ProxyServer *>(server))
                    proxy->close();
                if (wait)
                    delete server;
                else
                    server->deleteLater();
            },
            wait ? Qt::BlockingQueuedConnection : Qt::QueuedConnection);
    }
}

QString ConnectionManager::certificateAuthorityDirectory() const
{
    return m_authorityDirectory.isEmpty() ? LocalCertificateAuthority::defaultDirectory() : m_authorityDirectory;
}

std::shared_ptr<LocalCertificateAuthority> ConnectionManager::certificateAuthority(QString *error)
{
    if (!m_authority)
        m_authority = LocalCertificateAuthority::openOrCreate(certificateAuthorityDirectory(), error);
    return m_authority;
}

ClientSession *ConnectionManager::add(std::unique_ptr<ClientSession> owned)
{
    const int row = int(m_sessions.size());
    beginInsertRows({}, row, row);
    m_sessions.push_back(std::move(owned));
    endInsertRows();
    ClientSession *session = m_sessions.back().get();
    connect(session, &ClientSession::changed, this, [this, session] {
        const int r = rowOf(session);
        if (r >= 0)
            Q_EMIT dataChanged(index(r), index(r));
    });
    Q_EMIT sessionAdded(session);
    return session;
}

void ConnectionManager::remove(int row)
{
    if (row < 0 || row >= count())
        return;
    m_sessions[size_t(row)]->abort();
    beginRemoveRows({}, row, row);
    m_sessions.erase(m_sessions.begin() + row);
    endRemoveRows();
}

ClientSession *ConnectionManager::session(int row) const
{
    return row >= 0 && row < count() ? m_sessions[size_t(row)].get() : nullptr;
}

int ConnectionManager::rowOf(const ClientSession *session) const
{
    for (size_t i = 0; i < m_sessions.size(); ++i)
        if (m_sessions[i].get() == session)
            return int(i);
    return -1;
}

int ConnectionManager::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant ConnectionManager::data(const QModelIndex &index, int role) const
{
    const ClientSession *s = session(index.row());
    if (!s || index.column() != 0)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        if (s->isFromFile())
            return s->title();
        return QStringLiteral("%1  [%2]").arg(s->title(), readyStateName(s->readyState()));
    case Qt::ToolTipRole:
        return DisplayText::toolTip(s->errorString().isEmpty() ? s->title() : s->errorString());
    case StateRole:
        return int(s->readyState());
    case SessionIdRole:
        return s->id();
    }
    return {};
}
