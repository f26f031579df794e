#pragma once

#include "net/clientsession.h"
#include "net/reconnectschedule.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

// The window's auto-reconnect for the connections the user opened with ConnectionOptions::reconnect:
// follows the latest connection of a chain, and when it ends without the user closing it (it
// dropped, the server closed it, it could not be made, keep-alive found it dead), asks for another
// with the same options after ReconnectSchedule's wait. Meanwhile the ended session says so
// (ClientSession::reconnectNote: "reconnecting in 2.1 s (attempt 2 of 5)"); the user's Disconnect
// on it stops the chain. The next connection's CONNECTING line says why it was made.
class Reconnector : public QObject {
    Q_OBJECT
public:
    explicit Reconnector(const ReconnectPolicy &policy, QObject *parent = nullptr);

    // The connection to follow now (the first, then each one made for it).
    void follow(ClientSession *session);
    ClientSession *current() const { return m_session; }
    bool isWaiting() const { return m_timer.isActive(); }
    // No more attempts (the session is being removed).
    void cancel();
    // For tests: the schedule's random spread.
    ReconnectSchedule &schedule() { return m_schedule; }

Q_SIGNALS:
    // Time to open the next connection; the receiver passes the new session to follow().
    void reconnect(const ConnectionOptions &options);
    // The chain ended: closed by the user, or the attempts ran out.
    void finished();

private:
    void sessionChanged();

    ReconnectSchedule m_schedule;
    QTimer m_timer;
    QPointer<ClientSession> m_session;
    ConnectionOptions m_next;
    bool m_ended = false; // the followed session's end was handled
};
