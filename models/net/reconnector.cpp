#include "net/reconnector.h"

#include "protocol/closecodes.h"

Reconnector::Reconnector(const ReconnectPolicy &policy, QObject *parent)
    : QObject(parent)
    , m_schedule(policy)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_session)
            m_session->setReconnectNote(QString());
        Q_EMIT reconnect(m_next);
    });
}

void Reconnector::follow(ClientSession *session)
{
    if (m_session)
        m_session->disconnect(this);
    m_session = session;
    m_ended = false;
    connect(session, &ClientSession::changed, this, &Reconnector::sessionChanged);
    connect(session, &QObject::destroyed, this, &Reconnector::cancel);
    sessionChanged();
}

void Reconnector::cancel()
{
    const bool waiting = m_timer.isActive();
    m_timer.stop();
    if (m_session) {
        m_session->disconnect(this);
        if (waiting)
            m_session->setReconnectNote(tr("reconnecting stopped"));
    }
    m_session = nullptr;
    Q_EMIT finished();
}

void Reconnector::sessionChanged()
{
    ClientSession *session = m_session;
    if (!session)
        return;
    if (session->closedByUser()) { // a close the user asked for, or Disconnect while waiting
        cancel();
        return;
    }
    if (m_ended || session->readyState() != ReadyState::Closed)
        return;
    m_ended = true;
    const TrafficStats &stats = session->stats();
    const bool opened = stats.openedAtUs != 0;
    const qint64 openForMs = opened ? (stats.closedAtUs - stats.openedAtUs) / 1000 : -1;
    const QString what = opened ? tr("#%1 closed").arg(session->id())
                                : tr("#%1 failed: %2").arg(session->id()).arg(session->errorString());
    const std::optional<int> delay = m_schedule.nextDelay(openForMs);
    if (!delay) {
        session->setReconnectNote(tr("gave up reconnecting after %n attempt(s) in a row", nullptr, m_schedule.maxAttempts()));
        m_session->disconnect(this);
        m_session = nullptr;
        Q_EMIT finished();
        return;
    }
    m_next = session->options();
    m_next.openingNote = tr("reconnect, %1, %2 ms after %3").arg(m_schedule.attemptText()).arg(*delay).arg(what);
    session->setReconnectNote(tr("reconnecting in %1 s (%2)").arg(*delay / 1000.0, 0, 'f', 1).arg(m_schedule.attemptText()),
                              true);
    m_timer.start(*delay);
}
