#pragma once

#include "net/relaysession.h"

#include <QHostAddress>
#include <QObject>
#include <QUrl>
#include <atomic>
#include <functional>

class QTcpServer;

// A reverse relay (wsinspector-cli --relay, Connection → New relay): listens for applications and
// passes each connection on to one server URL through its own RelaySession. Binds 127.0.0.1 unless
// told otherwise. Sessions are announced before they read a byte, so that whoever records them
// misses nothing; a finished session is deleted on the next turn of the event loop.
class RelayServer : public QObject {
    Q_OBJECT
public:
    explicit RelayServer(const RelayOptions &options, QObject *parent = nullptr);
    ~RelayServer() override;

    // Empty when `to` can be relayed to; otherwise what is wrong with it.
    static QString targetProblem(const QUrl &to);
    bool listen(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost), quint16 port = 0);
    // Takes no more connections; those running go on.
    void stopListening();
    // Stops listening and drops every session still running, each recorded as the inspector's doing.
    void close();
    bool isListening() const;
    quint16 port() const;
    QHostAddress address() const;
    // ws://127.0.0.1:PORT/: what an application connects to. Set by listen(), then fixed: other
    // threads may read it.
    QUrl url() const { return m_url; }
    QString errorString() const { return m_error; }
    const RelayOptions &options() const { return m_options; }

    // Connection ids for new sessions (the window numbers relays with its own connections); by
    // default 1, 2, 3, ...
    void setIdAllocator(std::function<quint32()> next) { m_nextId = std::move(next); }
    QList<RelaySession *> sessions() const { return m_sessions; }
    // Sessions still running; may be read from any thread.
    int runningCount() const { return m_running.load(); }
    // The session with this id while it runs (the user disconnects it, intercepts it), else nullptr.
    RelaySession *session(quint32 connectionId) const;

Q_SIGNALS:
    // Add sinks here: the session starts reading once every receiver has returned.
    void sessionStarted(RelaySession *session);
    void sessionFinished(RelaySession *session); // still valid here; deleted later

private:
    void acceptConnections();

    RelayOptions m_options;
    QTcpServer *m_listener;
    QString m_error;
    QList<RelaySession *> m_sessions;
    std::atomic<int> m_running = 0;
    QUrl m_url;
    std::function<quint32()> m_nextId;
    quint32 m_counter = 0;
};
