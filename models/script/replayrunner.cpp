#include "script/replayrunner.h"

#include "protocol/closecodes.h"
#include "protocol/frame.h"

ReplayRunner::ReplayRunner(ReplayScript script, ClientEngine *engine, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_script(std::move(script))
    , m_engine(engine)
    , m_settings(settings)
{
    m_sendTimer.setSingleShot(true);
    m_quietTimer.setSingleShot(true);
    m_quietTimer.setInterval(settings.quietMs);
    connect(&m_sendTimer, &QTimer::timeout, this, &ReplayRunner::sendDue);
    connect(&m_quietTimer, &QTimer::timeout, this, [this] {
        if (m_engine->readyState() == ReadyState::Open)
            m_engine->close(CloseCodes::NormalClosure);
    });
    connect(engine, &ClientEngine::opened, this, &ReplayRunner::onOpened);
    connect(engine, &ClientEngine::messageReceived, this, &ReplayRunner::onMessage);
    connect(engine, &ClientEngine::closed, this, &ReplayRunner::onClosed);
}

void ReplayRunner::start(const ConnectionOptions &options)
{
    if (!m_engine->open(options)) {
        m_problem = tr("connection failed: %1").arg(m_engine->errorString());
        onClosed();
    }
}

void ReplayRunner::stop()
{
    m_sendTimer.stop();
    m_quietTimer.stop();
    if (m_engine->readyState() == ReadyState::Open)
        m_engine->close(CloseCodes::NormalClosure);
    else if (m_engine->readyState() == ReadyState::Connecting)
        m_engine->abort();
}

void ReplayRunner::onOpened()
{
    m_opened = true;
    m_sinceOpen.start();
    sendDue();
}

void ReplayRunner::sendDue()
{
    while (m_next < m_script.sends.size() && m_engine->readyState() == ReadyState::Open) {
        const ReplayScript::Send &send = m_script.sends[m_next];
        if (m_settings.timing == Timing::Recorded) {
            const qint64 dueMs = send.afterOpenUs / 1000;
            if (dueMs > m_sinceOpen.elapsed()) {
                m_sendTimer.start(int(qMin<qint64>(dueMs - m_sinceOpen.elapsed(), 24 * 3600 * 1000)));
                return;
            }
        }
        if (send.message.opcode == Opcode::Binary)
            m_engine->sendBinary(send.message.payload);
        else
            m_engine->sendText(send.message.payload);
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
                        .arg(m_engine->errorString().isEmpty() ? tr("closed before the handshake completed") : m_engine->errorString());
    else if (m_problem.isEmpty() && m_next < m_script.sends.size())
        m_problem = tr("the connection closed after %1 of %2 messages were sent (%3)")
                        .arg(m_next)
                        .arg(m_script.sends.size())
                        .arg(CloseCodes::label(m_engine->closeCode()));
    m_diff = MessageDiff::compare(m_script.answers, m_replayed, m_settings.ignore);
    Q_EMIT finished();
}
