#pragma once

#include "net/embeddedserver.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>

// The clients connected to the embedded server right now, oldest first, each with the exact
// handshake request it sent. Rows come and go with the server's signals.
class ServerClientsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { IdColumn, PeerColumn, SinceColumn, ColumnCount };
    enum Role {
        ClientIdRole = Qt::UserRole + 1, // quint32
        HandshakeRequestRole, // QByteArray: the exact request bytes, blank line included
        ConnectedAtRole, // qint64: milliseconds since the Unix epoch
    };

    explicit ServerClientsModel(QObject *parent = nullptr);

    // Not owned. Takes over the server's current clients (their "since" is the time of this call).
    void setServer(EmbeddedServer *server);
    EmbeddedServer *server() const { return m_server; }

    int rowOf(quint32 clientId) const; // -1 when not connected
    const EmbeddedServer::Client &client(int row) const { return m_rows.at(row).client; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        EmbeddedServer::Client client;
        qint64 connectedAtMs = 0;
    };
    void add(const EmbeddedServer::Client &client, qint64 connectedAtMs);
    void remove(quint32 clientId);

    QPointer<EmbeddedServer> m_server;
    QList<Row> m_rows;
};
