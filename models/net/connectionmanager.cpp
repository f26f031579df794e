#include "net/connectionmanager.h"

#include "log/sessionfile.h"
#include "net/localcertificateauthority.h"
#include "net/relayserver.h"
#include "text/displaytext.h"

#include <QFileInfo>

ConnectionManager::ConnectionManager(QObject *parent)
    : QAbstractListModel(parent)
{
}

ConnectionManager::~ConnectionManager()
{
    for (RelayServer *relay : std::as_const(m_relays))
        relay->disconnect(this);
    for (ProxyServer *proxy : std::as_const(m_proxies))
        proxy->disconnect(this);
    // Sessions drop the relayed connections they record while everything they write to exists.
    m_sessions.clear();
}

ClientSession *ConnectionManager::open(const ConnectionOptions &options)
{
    ClientSession *session = add(std::make_unique<ClientSession>(m_nextId++, options));
    session->start();
    return session;
}

ClientSession *ConnectionManager::openFile(const QString &path, QStringList *errors)
{
    auto session = std::make_unique<ClientSession>(m_nextId, ConnectionOptions());
    session->capture()->setMemory(&m_memory); // before the file fills it
    session->setFileName(QFileInfo(path).fileName());
    const SessionFileReader::Result result = SessionFileReader::load(path, *session->capture());
    if (errors)
        *errors = result.errors;
    if (!result.opened)
        return nullptr;
    session->adoptHandshakeFromCapture();
    ++m_nextId;
    return add(std::move(session));
}

RelayServer *ConnectionManager::startRelay(
    const RelayOptions &options, const QHostAddress &address, quint16 port, QString *error)
{
    auto *relay = new RelayServer(options, this);
    relay->setIdAllocator([this] { return m_nextId++; });
    if (!relay->listen(address, port)) {
        if (error)
            *error = relay->errorString();
        delete relay;
        return nullptr;
    }
    connect(relay, &RelayServer::sessionStarted, this, [this](RelaySession *relayed) {
        add(std::make_unique<ClientSession>(relayed->connectionId(), relayed));
        Q_EMIT relaysChanged();
    });
    connect(relay, &RelayServer::sessionFinished, this, &ConnectionManager::relaysChanged);
    m_relays.append(relay);
    Q_EMIT relaysChanged();
    return relay;
}

ProxyServer *ConnectionManager::startProxy(
    const ProxyOptions &options, const QHostAddress &address, quint16 port, QString *error, QString *warning)
{
    auto *proxy = new ProxyServer(options, this);
    proxy->setIdAllocator([this] { return m_nextId++; });
    QString authorityError;
    if (std::shared_ptr<LocalCertificateAuthority> authority = certificateAuthority(&authorityError))
        proxy->setCertificateAuthority(std::move(authority));
    else if (warning)
        *warning = tr("TLS passes through uninspected: %1").arg(authorityError);
    if (!proxy->listen(address, port)) {
        if (error)
            *error = proxy->errorString();
        delete proxy;
        return nullptr;
    }
    connect(proxy, &ProxyServer::sessionStarted, this,
        [this](RelaySession *relayed) { add(std::make_unique<ClientSession>(relayed->connectionId(), relayed)); });
    connect(proxy, &ProxyServer::activityChanged, this, &ConnectionManager::relaysChanged);
    m_proxies.append(proxy);
    Q_EMIT relaysChanged();
    return proxy;
}

void ConnectionManager::stopRelays()
{
    const QList<RelayServer *> relays = std::exchange(m_relays, {});
    for (RelayServer *relay : relays) {
        relay->close();
        relay->deleteLater();
    }
    const QList<ProxyServer *> proxies = std::exchange(m_proxies, {});
    for (ProxyServer *proxy : proxies) {
        proxy->disconnect(this);
        proxy->close();
        proxy->deleteLater();
    }
    Q_EMIT relaysChanged();
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
    // Nothing is recorded before the event loop runs again, except what a file put there.
    if (owned->capture()->count() == 0)
        owned->capture()->setMemory(&m_memory);
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
