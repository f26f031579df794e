#include "script/replaytarget.h"

#include "net/clientengine.h"
#include "net/clientsession.h"
#include "protocol/closecodes.h"
#include "protocol/frame.h"

EngineReplayTarget::EngineReplayTarget(ClientEngine *engine, QObject *parent)
    : ReplayTarget(parent)
    , m_engine(engine)
{
    connect(engine, &ClientEngine::opened, this, &ReplayTarget::opened);
    connect(engine, &ClientEngine::messageReceived, this, &ReplayTarget::messageReceived);
    connect(engine, &ClientEngine::closed, this, &ReplayTarget::closed);
}

ReadyState EngineReplayTarget::readyState() const
{
    return m_engine->readyState();
}

void EngineReplayTarget::send(const MessageDiff::Message &message)
{
    if (message.opcode == Opcode::Binary)
        m_engine->sendBinary(message.payload);
    else
        m_engine->sendText(message.payload);
}

void EngineReplayTarget::close()
{
    m_engine->close(CloseCodes::NormalClosure);
}

void EngineReplayTarget::abort()
{
    m_engine->abort();
}

QString EngineReplayTarget::endText() const
{
    return CloseCodes::label(m_engine->closeCode());
}

QString EngineReplayTarget::errorString() const
{
    return m_engine->errorString();
}

SessionReplayTarget::SessionReplayTarget(ClientSession *session, QObject *parent)
    : ReplayTarget(parent)
    , m_session(session)
{
    connect(session, &ClientSession::changed, this, &SessionReplayTarget::sessionChanged);
    connect(session, &ClientSession::messageReceived, this, &ReplayTarget::messageReceived);
    connect(session, &QObject::destroyed, this, &ReplayTarget::closed);
}

void SessionReplayTarget::sessionChanged()
{
    if (!m_session)
        return;
    const ReadyState now = m_session->readyState();
    // CONNECTING to OPEN, and anything to CLOSED, once each; a session's state only goes forward.
    if (now == ReadyState::Open && m_seen == ReadyState::Connecting) {
        m_seen = now;
        Q_EMIT opened();
    } else if (now == ReadyState::Closed && m_seen != ReadyState::Closed) {
        m_seen = now;
        Q_EMIT closed();
    } else if (now == ReadyState::Closing) {
        m_seen = now;
    }
}

ReadyState SessionReplayTarget::readyState() const
{
    return m_session ? m_session->readyState() : ReadyState::Closed;
}

void SessionReplayTarget::send(const MessageDiff::Message &message)
{
    if (!m_session)
        return;
    if (message.opcode == Opcode::Binary)
        m_session->sendBinary(message.payload);
    else
        m_session->sendText(message.payload);
}

void SessionReplayTarget::close()
{
    if (m_session)
        m_session->close(CloseCodes::NormalClosure);
}

void SessionReplayTarget::abort()
{
    if (m_session)
        m_session->abort();
}

QString SessionReplayTarget::endText() const
{
    return m_session ? m_session->errorString() : tr("its session was removed");
}

QString SessionReplayTarget::errorString() const
{
    return m_session ? m_session->errorString() : tr("its session was removed");
}
