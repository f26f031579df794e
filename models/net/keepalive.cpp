#include "net/keepalive.h"

#include "net/clientengine.h"

KeepAlive::KeepAlive(ClientEngine *engine, int intervalMs, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_timeoutMs(timeoutMs)
{
    m_interval.setInterval(intervalMs);
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(timeoutMs);
    connect(&m_interval, &QTimer::timeout, this, &KeepAlive::sendPing);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        const QString why = tr("no pong within %1 ms of ping \"%2\": the connection is dead")
                                .arg(m_timeoutMs)
                                .arg(QString::fromLatin1(m_waitingFor));
        m_interval.stop();
        m_engine->giveUp(why);
        Q_EMIT dead(why);
    });
    connect(engine, &ClientEngine::pongReceived, this, &KeepAlive::onPong);
    connect(engine, &ClientEngine::stateChanged, this, [this](ReadyState state) {
        if (state != ReadyState::Open) {
            m_interval.stop();
            m_deadline.stop();
        }
    });
}

void KeepAlive::start()
{
    m_interval.start();
}

void KeepAlive::sendPing()
{
    if (m_engine->readyState() != ReadyState::Open || m_deadline.isActive())
        return; // the last ping is still waiting for its pong: its deadline decides
    m_waitingFor = "keepalive " + QByteArray::number(++m_sent);
    if (m_engine->ping(m_waitingFor))
        m_deadline.start();
}

void KeepAlive::onPong(const QByteArray &payload)
{
    if (m_waitingFor.isEmpty() || payload != m_waitingFor)
        return;
    ++m_answered;
    m_waitingFor.clear();
    m_deadline.stop();
}
