#include "log/serverclientsmodel.h"

#include <QDateTime>
#include <QLocale>

ServerClientsModel::ServerClientsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ServerClientsModel::setServer(EmbeddedServer *server)
{
    if (m_server)
        m_server->disconnect(this);
    m_server = server;
    beginResetModel();
    m_rows.clear();
    if (server) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QList<EmbeddedServer::Client> clients = server->clients();
        for (const EmbeddedServer::Client &client : clients)
            m_rows.append(Row { client, now });
    }
    endResetModel();
    if (!server)
        return;
    connect(server, &EmbeddedServer::clientConnected, this,
        [this](quint32 id, const QString &peer, const QByteArray &request) {
            add(EmbeddedServer::Client { id, peer, request }, QDateTime::currentMSecsSinceEpoch());
        });
    connect(server, &EmbeddedServer::clientDisconnected, this, [this](quint32 id) { remove(id); });
}

void ServerClientsModel::add(const EmbeddedServer::Client &client, qint64 connectedAtMs)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(Row { client, connectedAtMs });
    endInsertRows();
}

void ServerClientsModel::remove(quint32 clientId)
{
    const int row = rowOf(clientId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

int ServerClientsModel::rowOf(quint32 clientId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).client.id == clientId)
            return i;
    }
    return -1;
}

int ServerClientsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ServerClientsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ServerClientsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn:
            return QStringLiteral("#%1").arg(row.client.id);
        case PeerColumn:
            return row.client.peer;
        case SinceColumn:
            return QDateTime::fromMSecsSinceEpoch(row.connectedAtMs).toString(QStringLiteral("HH:mm:ss"));
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == SinceColumn)
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(row.connectedAtMs), QLocale::LongFormat);
        return tr("%1 bytes of handshake request").arg(row.client.handshakeRequest.size());
    case Qt::TextAlignmentRole:
        if (index.column() == IdColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case ClientIdRole:
        return row.client.id;
    case HandshakeRequestRole:
        return row.client.handshakeRequest;
    case ConnectedAtRole:
        return row.connectedAtMs;
    }
    return {};
}

QVariant ServerClientsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Client");
    case PeerColumn:
        return tr("Peer");
    case SinceColumn:
        return tr("Connected since");
    }
    return {};
}
