#pragma once

#include "log/wireevent.h"
#include "script/messagediff.h"

#include <QObject>
#include <QPointer>

class ClientEngine;
class ClientSession;

// The connection a replay (ReplayRunner) drives: it says when it opened, what it received and
// when it closed, and takes the messages to send and the close. The command line's is an engine on
// its own thread (EngineReplayTarget); the window's is a session whose engine runs on the
// networking thread and whose messages come from its capture (SessionReplayTarget).
class ReplayTarget : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    virtual ReadyState readyState() const = 0;
    virtual void send(const MessageDiff::Message &message) = 0;
    virtual void close() = 0; // the closing handshake, 1000
    virtual void abort() = 0; // still connecting: give up
    // Why it ended, for "the connection closed after 3 of 5 messages were sent (...)"; why it never
    // opened, for "connection failed: ...".
    virtual QString endText() const = 0;
    virtual QString errorString() const = 0;

Q_SIGNALS:
    void opened();
    void messageReceived(quint8 opcode, const QByteArray &payload);
    void closed();
};

class EngineReplayTarget : public ReplayTarget {
    Q_OBJECT
public:
    explicit EngineReplayTarget(ClientEngine *engine, QObject *parent = nullptr);
    ReadyState readyState() const override;
    void send(const MessageDiff::Message &message) override;
    void close() override;
    void abort() override;
    QString endText() const override;
    QString errorString() const override;

private:
    ClientEngine *m_engine;
};

class SessionReplayTarget : public ReplayTarget {
    Q_OBJECT
public:
    explicit SessionReplayTarget(ClientSession *session, QObject *parent = nullptr);
    ReadyState readyState() const override;
    void send(const MessageDiff::Message &message) override;
    void close() override;
    void abort() override;
    QString endText() const override;
    QString errorString() const override;

private:
    void sessionChanged();

    QPointer<ClientSession> m_session;
    ReadyState m_seen = ReadyState::Connecting; // the state last told
};
