#pragma once

#include "net/clientsession.h"
#include "net/relaysession.h"

#include <QHostAddress>

#include <QAbstractListModel>
#include <memory>
#include <vector>

// The connections the user has open (or closed but kept), as a list model for the connection list.
// The same URL may be opened any number of times: two chat clients against the broadcast server.
class RelayServer;

class ConnectionManager : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { StateRole = Qt::UserRole + 1, SessionIdRole };

    explicit ConnectionManager(QObject *parent = nullptr);
    ~ConnectionManager() override;

    // Creates a session and starts connecting. Returns it even when the URL is unusable, so the
    // user sees the error in that session's log.
    ClientSession *open(const ConnectionOptions &options);
    // Reads a session file into a new session (no live connection). Bad lines are listed in
    // `errors`; every good line is kept. Returns nullptr only when the file cannot be read at all.
    ClientSession *openFile(const QString &path, QStringList *errors = nullptr);
    // Starts a reverse relay to options.to; every application connection to it becomes a session of
    // its own. nullptr (and `error`) when it cannot listen.
    RelayServer *startRelay(const RelayOptions &options, const QHostAddress &address, quint16 port, QString *error);
    // Stops every relay; connections still running are dropped (and say so in their logs).
    void stopRelays();
    QList<RelayServer *> relays() const { return m_relays; }
    // Closes the connection if needed and forgets the session and its log.
    void remove(int row);
    ClientSession *session(int row) const;
    int rowOf(const ClientSession *session) const;
    int count() const { return int(m_sessions.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void sessionAdded(ClientSession *session);
    void relaysChanged(); // a relay started or stopped, or its number of connections changed

private:
    ClientSession *add(std::unique_ptr<ClientSession> session);

    std::vector<std::unique_ptr<ClientSession>> m_sessions;
    quint32 m_nextId = 1;
    QList<RelayServer *> m_relays; // children
};
