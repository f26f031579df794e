#include "socketiodriver.h"

#include "net/clientengine.h"
#include "protocol/frame.h"
#include "text/displaytext.h"

SocketIoDriver::SocketIoDriver(const CliOptions &options, ClientEngine *connection, QObject *parent)
    : QObject(parent)
    , m_client(SocketIoClient::Options { options.socketIoNamespace, options.socketIoAuth, options.engineIoPong })
    , m_connection(connection)
{
    m_ackTimeout.setSingleShot(true);
    m_ackTimeout.setInterval(options.ackTimeoutMs);
    connect(&m_ackTimeout, &QTimer::timeout, this, [this] {
        const int missing = m_client.acksAwaited();
        finish(missing == 1 ? QStringLiteral("1 ack did not come within the --ack-timeout")
                            : QStringLiteral("%1 acks did not come within the --ack-timeout").arg(missing));
    });
    connect(m_connection, &ClientEngine::messageReceived, this, &SocketIoDriver::onMessage);
    // Queued until the namespace lets the client in; the acks are counted from now.
    for (const CliOptions::SocketIoEmit &e : options.socketIoEmits)
        send(m_client.emitEvent(e.event, e.argument, true));
}

void SocketIoDriver::start()
{
    m_ackTimeout.start();
}

void SocketIoDriver::onMessage(quint8 opcode, const QByteArray &payload)
{
    if (opcode != Opcode::Text)
        return; // binary attachments: nothing to answer
    send(m_client.received(payload));
    checkDone();
}

void SocketIoDriver::send(const QList<QByteArray> &messages)
{
    for (const QByteArray &message : messages)
        if (m_connection->readyState() == ReadyState::Open)
            m_connection->sendText(message);
}

void SocketIoDriver::checkDone()
{
    switch (m_client.state()) {
    case SocketIoClient::State::Refused:
        finish(QStringLiteral("the server refused namespace %1: %2")
                   .arg(DisplayText::line(m_client.options().nsp, 80), DisplayText::line(m_client.refusal().toUtf8(), 200)));
        return;
    case SocketIoClient::State::Disconnected:
        finish(QStringLiteral("the server disconnected the client"));
        return;
    case SocketIoClient::State::Joined:
        if (m_client.acksAwaited() == 0)
            finish();
        return;
    case SocketIoClient::State::WaitingForOpen:
    case SocketIoClient::State::Joining:
        return;
    }
}

void SocketIoDriver::finish(const QString &problem)
{
    if (m_done)
        return;
    m_done = true;
    m_problem = problem;
    m_ackTimeout.stop();
    Q_EMIT done();
}
