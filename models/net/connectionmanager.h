#pragma once

#include "log/capturememory.h"
#include "net/clientsession.h"
#include "net/proxyserver.h"
#include "net/relaysession.h"

#include <QHostAddress>

#include <QAbstractListModel>
#include <QHash>
#include <QThread>
#include <atomic>
#include <memory>
#include <vector>

// The connections the user has open (or closed but kept), as a list model for the connection list.
// The same URL may be opened any number of times: two chat clients against the broadcast server.
// The user's connections and the embedded server run on a networking thread of their own, relays and
// proxies on another, so that the window's stalls never reach the traffic and a flood on one of the
// user's connections does not delay what a relay hands on. They write their sessions' captures
// there, time-stamped when the bytes were read; the window reads what they publish, once per turn
// of those threads.
class EmbeddedServer;
class LocalCertificateAuthority;
class RelayServer;

class ConnectionManager : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { StateRole = Qt::UserRole + 1, SessionIdRole };

    explicit ConnectionManager(QObject *parent = nullptr);
    ~ConnectionManager() override;

    // Creates a session and starts connecting. Returns it even when the URL is unusable, so the
    // user sees the error in that session's log. With options.reconnect, a Reconnector follows it
    // and opens the next connection (a session of its own) when it drops.
    ClientSession *open(const ConnectionOptions &options);
    // Reads a session file into a new session (no live connection). Bad lines are listed in
    // `errors`; every good line is kept. Returns nullptr only when the file cannot be read at all.
    ClientSession *openFile(const QString &path, QStringList *errors = nullptr);
    // A read-only session holding a copy of `source`'s events, titled `name` (a conformance case's
    // wire log, shown in the panes every connection uses).
    ClientSession *openCopy(const Capture &source, const QString &name);
    // Starts a reverse relay to options.to, on the relays' thread; every application connection
    // to it becomes a session of its own. nullptr (and `error`) when it cannot listen. The relay's
    // url(), options() and runningCount() may be read here; everything else is its thread's.
    RelayServer *startRelay(const RelayOptions &options, const QHostAddress &address, quint16 port, QString *error);
    // Starts an HTTP proxy; its WebSocket connections become sessions as a relay's do, tunnels and
    // plain requests are counted (ProxyServer's activity). TLS is terminated with the certificate
    // authority when it can be opened; otherwise `warning` says why TLS passes through uninspected.
    ProxyServer *startProxy(const ProxyOptions &options, const QHostAddress &address, quint16 port, QString *error,
        QString *warning = nullptr);
    // Stops every relay and proxy; connections still running are dropped (and say so in their logs).
    void stopRelays();
    QList<RelayServer *> relays() const { return m_relays; }
    QList<ProxyServer *> proxies() const { return m_proxies; }
    // The embedded server, made on the networking thread the first time it is asked for; its
    // functions may be called from here (they wait for that thread), its signals arrive queued.
    EmbeddedServer *embeddedServer();
    // The budget every session's payloads share (a setting of the window's).
    CaptureMemory *captureMemory() { return m_memory.get(); }

    // The proxy's certificate authority, opened (made on first use) the first time it is asked
    // for; nullptr and `error` when it cannot be. Its directory is the user's
    // (LocalCertificateAuthority::defaultDirectory()) unless set before that.
    std::shared_ptr<LocalCertificateAuthority> certificateAuthority(QString *error);
    void setCertificateAuthorityDirectory(const QString &directory) { m_authorityDirectory = directory; }
    QString certificateAuthorityDirectory() const;
    // Closes the connection if needed and forgets the session and its log.
    void remove(int row);
    ClientSession *session(int row) const;
    int rowOf(const ClientSession *session) const;
    int count() const { return int(m_sessions.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void sessionAdded(ClientSession *session);
    // A relay or proxy started or stopped, or what it counts (connections, tunnels, refusals) changed.
    void relaysChanged();

private:
    ClientSession *add(std::unique_ptr<ClientSession> session);
    ClientSession *start(const ConnectionOptions &options);
    QThread *networkThread(); // the user's connections and the embedded server; started on first use
    QThread *relayThread(); // relays and proxies; started on first use
    QList<QObject *> listeners() const;
    void closeListeners(bool wait);
    template <typename Server>
    bool listenOnRelayThread(Server *server, const QHostAddress &address, quint16 port, QString *error);
    void attach(RelaySession *relayed); // relays' thread
    // Runs `command` on the relays' thread with the relayed session `id`, if it still runs.
    void withRelayed(quint32 id, const std::function<void(RelaySession *)> &command);

    // Shared with every capture: one whose relay lets go of it last may outlive this manager.
    std::shared_ptr<CaptureMemory> m_memory = std::make_shared<CaptureMemory>();
    std::vector<std::unique_ptr<ClientSession>> m_sessions;
    std::atomic<quint32> m_nextId = 1; // relays number their connections on the relays' thread
    QThread m_network;
    QThread m_relayNetwork;
    QList<RelayServer *> m_relays; // children
    QList<ProxyServer *> m_proxies; // children
    EmbeddedServer *m_server = nullptr; // on the networking thread; deleted there
    QString m_authorityDirectory;
    std::shared_ptr<LocalCertificateAuthority> m_authority;
};
