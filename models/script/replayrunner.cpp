#include "script/replayrunner.h"

ReplayRunner::ReplayRunner(ReplayScript script, ReplayTarget *target, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_script(std::move(script))
    , m_target(target)
    , m_settings(settings)
{
    m_sendTimer.setSingleShot(true);
    m_quietTimer.setSingleShot(true);
    m_quietTimer.setInterval(settings.quietMs);
    connect(&m_sendTimer, &QTimer::timeout, this, &ReplayRunner::sendDue);
    connect(&m_quietTimer, &QTimer::timeout, this, [this] {
        if (m_target->readyState() == ReadyState::Open)
            m_target->close();
    });
}

void ReplayRunner::start()
{
    connect(m_target, &ReplayTarget::opened, this, &ReplayRunner::onOpened);
    connect(m_target, &ReplayTarget::messageReceived, this, &ReplayRunner::onMessage);
    connect(m_target, &ReplayTarget::closed, this, &ReplayRunner::onClosed);
    if (m_target->readyState() == ReadyState::Open)
        onOpened();
}

void ReplayRunner::fail(const QString &why)
{
    m_problem = tr("connection failed: %1").arg(why);
    onClosed();
}

void ReplayRunner::stop()
{
    m_sendTimer.stop();
    m_quietTimer.stop();
    if (m_target->readyState() == ReadyState::Open)
        m_target->close();
    else if (m_target->readyState() == ReadyState::Connecting)
        m_target->abort();
}

void ReplayRunner::onOpened()
{
    m_opened = true;
    m_sinceOpen.start();
    sendDue();
}

void ReplayRunner::sendDue()
{
    while (m_next < m_script.sends.size() && m_target->readyState() == ReadyState::Open) {
        const ReplayScript::Send &send = m_script.sends[m_next];
        if (m_settings.timing == Timing::Recorded) {
            const qint64 dueMs = send.afterOpenUs / 1000;
            if (dueMs > m_sinceOpen.elapsed()) {
                m_sendTimer.start(int(qMin<qint64>(dueMs - m_sinceOpen.elapsed(), 24 * 3600 * 1000)));
                return;
            }
        }
        m_target->send(send.message);
        ++m_next;
    }
    if (m_next == m_script.sends.size())
        m_quietTimer.start(); // all sent: now the server's last answers
}

void ReplayRunner::onMessage(quint8 opcode, const QByteArray &payload)
{
    m_replayed.append({ opcode, payload });
    if (m_quietTimer.isActive())
        m_quietTimer.start(); // it is not quiet yet
}

void ReplayRunner::onClosed()
{
    if (m_finished)
        return;
    m_finished = true;
    m_sendTimer.stop();
    m_quietTimer.stop();
    if (m_problem.isEmpty() && !m_opened)
        m_problem = tr("connection failed: %1")
                        .arg(m_target->errorString().isEmpty() ? tr("closed before the handshake completed") : m_target->errorString());
    else if (m_problem.isEmpty() && m_next < m_script.sends.size())
        m_problem = tr("the connection closed after %1 of %2 messages were sent (%3)")
                        .arg(m_next)
                        .arg(m_script.sends.size())
                        .arg(m_target->endText());
    m_diff = MessageDiff::compare(m_script.answers, m_replayed, m_settings.ignore);
    Q_EMIT finished();
}
