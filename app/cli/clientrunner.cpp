#include "clientrunner.h"

#include "net/keepalive.h"

#include "socketiodriver.h"
#include "stdinreader.h"

#include "protocol/closecodes.h"
#include "protocol/frame.h"

#include <cstdio>

ClientRunner::ClientRunner(const CliOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    createEngine();
    if (m_options.reconnectAttempts) {
        m_reconnect.emplace(*m_options.reconnectAttempts, m_options.reconnectFirstDelayMs, m_options.reconnectMaxDelayMs);
        m_reconnectTimer.setSingleShot(true);
        connect(&m_reconnectTimer, &QTimer::timeout, this, [this] {
            createEngine();
            openConnection();
        });
    }
    // --socketio and --expect follow the first connection alone: the option parser refuses them
    // with --reconnect.
    if (m_options.socketIo) {
        m_socketIo = new SocketIoDriver(m_options, m_connection, this);
        // With --close, the close waits until the namespace answered and every ack came back.
        connect(m_socketIo, &SocketIoDriver::done, this, [this] {
            if (m_socketIo->client().state() == SocketIoClient::State::Refused)
                closeAsAsked();
            else if (m_options.close)
                sendingDone();
        });
    }
    // Checked by the option parser: the patterns are valid.
    m_expectations = *Expectations::fromPatterns(m_options.expectations, nullptr);
    if (!m_expectations.isEmpty()) {
        connect(m_connection, &ClientEngine::messageReceived, this, [this](quint8 opcode, const QByteArray &payload) {
            if (!m_expectationFailure.isEmpty() || !m_expectations.offer(opcode == Opcode::Binary, payload))
                return;
            if (m_expectations.allMet()) {
                m_expectTimer.stop();
                if (m_sendingDone)
                    afterExpectations();
            } else {
                m_expectTimer.start(); // the next one has its own time
            }
        });
        m_expectTimer.setSingleShot(true);
        m_expectTimer.setInterval(m_options.expectTimeoutMs);
        connect(&m_expectTimer, &QTimer::timeout, this,
            [this] { failExpectation(QStringLiteral("within %1 ms").arg(m_options.expectTimeoutMs)); });
    }
    m_waitTimer.setSingleShot(true);
    connect(&m_waitTimer, &QTimer::timeout, this, [this] {
        if (m_closeAfterWait)
            closeAsAsked();
    });
}

void ClientRunner::createEngine()
{
    if (m_connection)
        m_connection->deleteLater(); // it is done: its CLOSED was handled
    m_connection = ClientEngine::create(m_options.engine, m_nextId++, this);
    for (WireEventSink *sink : std::as_const(m_sinks))
        m_connection->addSink(sink);
    // What the exit code says is the latest connection's.
    m_opened = false;
    m_violations = 0;
    m_firstViolation.clear();
    m_deadBecause.clear();
    connect(m_connection, &ClientEngine::opened, this, &ClientRunner::onOpened);
    connect(m_connection, &ClientEngine::closed, this, &ClientRunner::onClosed);
    connect(m_connection, &ClientEngine::violationDetected, this,
        [this](const QString &ruleId, quint16, const QString &description) {
            if (m_violations++ == 0)
                m_firstViolation = QStringLiteral("%1: %2").arg(ruleId, description);
        });
}

void ClientRunner::start()
{
    openConnection();
}

void ClientRunner::openConnection()
{
    ConnectionOptions options = m_options.connectionOptions();
    options.openingNote = std::exchange(m_reconnectNote, QString());
    if (!m_connection->open(options)) { // options it cannot use: another attempt would not do better
        m_finished = true;
        Q_EMIT finished(exitCode());
    }
}

void ClientRunner::sendLine(const QByteArray &line)
{
    if (m_connection->readyState() == ReadyState::Open)
        m_connection->sendText(line);
    else if (m_reconnect && !m_endAsked)
        m_unsentLines << line; // for the next connection
}

void ClientRunner::onOpened()
{
    m_opened = true;
    m_openFor.start();
    if (m_reconnect)
        m_sendingDone = false; // each connection sends its part, then closes as asked
    if (m_keepAlive)
        m_keepAlive->deleteLater(); // the previous connection's
    m_keepAlive = nullptr;
    if (m_options.keepAliveMs > 0) {
        m_keepAlive = new KeepAlive(m_connection, m_options.keepAliveMs, m_options.pongTimeoutMs, this);
        connect(m_keepAlive, &KeepAlive::dead, this, [this](const QString &why) { m_deadBecause = why; });
        m_keepAlive->start();
    }
    if (!m_expectations.isEmpty())
        m_expectTimer.start();
    for (const CliAction &action : std::as_const(m_options.actions)) {
        if (m_connection->readyState() != ReadyState::Open)
            return; // the server closed meanwhile; what was not sent is recorded as not sent
        switch (action.type) {
        case CliAction::Type::Text:
            m_connection->sendText(action.payload);
            break;
        case CliAction::Type::Binary:
            m_connection->sendBinary(action.payload);
            break;
        case CliAction::Type::Ping:
            m_connection->ping(action.payload);
            break;
        }
    }
    if (m_options.readStdin) {
        if (m_stdin) { // a reconnect: what was read meanwhile goes first
            for (const QByteArray &line : std::exchange(m_unsentLines, {}))
                sendLine(line);
            if (m_inputEnded)
                sendingDone(); // and then the close that the end of input asked for
            return;
        }
        m_stdin = new StdinReader(this);
        connect(m_stdin, &StdinReader::lineRead, this, &ClientRunner::sendLine);
        connect(m_stdin, &StdinReader::finished, this, [this] {
            m_closeAfterWait = true; // at end of input the connection closes, --close or not
            m_inputEnded = true;
            // Between two connections with nothing left to send: none more. Lines read meanwhile
            // wait for the next connection, which closes once they are sent (onOpened()).
            if (m_reconnectTimer.isActive() && m_unsentLines.isEmpty()) {
                m_endAsked = true;
                m_reconnectTimer.stop();
                finish();
                return;
            }
            if (m_connection->readyState() == ReadyState::Open)
                sendingDone();
        });
        m_stdin->start();
        return;
    }
    if (m_socketIo) {
        m_socketIo->start();
        return; // the driver says when to close
    }
    sendingDone();
}

void ClientRunner::sendingDone()
{
    if (m_sendingDone)
        return;
    m_sendingDone = true;
    // --expect and --wait end the run once done: a script wants its exit code, not a session.
    m_closeAfterWait = m_closeAfterWait || m_options.close.has_value() || !m_expectations.isEmpty() || m_options.waitMs > 0;
    if (m_expectations.allMet())
        afterExpectations();
    // else the last expected message, or its timeout, goes on
}

void ClientRunner::afterExpectations()
{
    if (m_options.waitMs > 0)
        m_waitTimer.start(m_options.waitMs);
    else if (m_closeAfterWait)
        closeAsAsked();
}

void ClientRunner::failExpectation(const QString &why)
{
    if (!m_expectationFailure.isEmpty() || m_expectations.allMet())
        return;
    m_expectationFailure = m_expectations.failure(why);
    m_expectTimer.stop();
    // The check failed: end the run, with the close asked for or a normal one.
    closeAsAsked();
}

void ClientRunner::closeAsAsked()
{
    if (m_connection->readyState() != ReadyState::Open)
        return;
    m_endAsked = true;
    if (m_options.close)
        m_connection->close(m_options.close->first, m_options.close->second);
    else
        m_connection->close(CloseCodes::NormalClosure);
}

void ClientRunner::interrupt()
{
    if (m_finished)
        return;
    ++m_interrupts;
    m_endAsked = true;
    if (m_reconnectTimer.isActive()) { // between two connections: none more
        std::fputs("wsinspector-cli: interrupted while waiting to reconnect\n", stderr);
        m_reconnectTimer.stop();
        finish();
        return;
    }
    if (m_interrupts == 1) {
        switch (m_connection->readyState()) {
        case ReadyState::Connecting:
            std::fputs("wsinspector-cli: interrupted while connecting\n", stderr);
            m_connection->abort();
            return;
        case ReadyState::Open:
            std::fputs("wsinspector-cli: closing with 1000 (Ctrl-C again to abort)\n", stderr);
            if (m_stdin)
                m_stdin->stop();
            m_connection->close(CloseCodes::NormalClosure);
            return;
        case ReadyState::Closing:
            std::fputs("wsinspector-cli: waiting for the closing handshake (Ctrl-C again to abort)\n", stderr);
            return;
        case ReadyState::Closed:
            return;
        }
    }
    std::fputs("wsinspector-cli: aborting\n", stderr);
    m_connection->abort();
}

void ClientRunner::onClosed()
{
    if (m_finished)
        return;
    if (reconnectLater())
        return;
    finish();
}

bool ClientRunner::reconnectLater()
{
    if (!m_reconnect || m_endAsked || (m_inputEnded && m_unsentLines.isEmpty()))
        return false;
    m_waitTimer.stop(); // the next connection has its own
    const QString what = m_opened
        ? QStringLiteral("closed (%1%2)")
              .arg(CloseCodes::label(m_connection->closeCode()),
                  m_connection->wasClean() ? QString() : QStringLiteral(", not clean"))
        : QStringLiteral("failed: %1").arg(m_connection->errorString().isEmpty() ? QStringLiteral("closed before the handshake completed")
                                                                                 : m_connection->errorString());
    const auto delay = m_reconnect->nextDelay(m_opened ? m_openFor.elapsed() : -1);
    if (!delay) {
        std::fprintf(stderr, "wsinspector-cli: #%u %s; --reconnect: giving up after %d attempt(s) in a row\n",
                     m_connection->connectionId(), qPrintable(what), m_reconnect->maxAttempts());
        return false;
    }
    std::fprintf(stderr, "wsinspector-cli: #%u %s; reconnecting in %d ms (%s)\n", m_connection->connectionId(),
                 qPrintable(what), *delay, qPrintable(m_reconnect->attemptText()));
    m_reconnectNote = QStringLiteral("reconnect, %1, %2 ms after #%3 %4")
                          .arg(m_reconnect->attemptText())
                          .arg(*delay)
                          .arg(m_connection->connectionId())
                          .arg(what);
    m_reconnectTimer.start(*delay);
    return true;
}

void ClientRunner::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_stdin)
        m_stdin->stop();
    if (m_opened && !m_expectations.allMet())
        failExpectation(QStringLiteral("before the connection closed"));
    m_expectTimer.stop();
    m_waitTimer.stop();
    Q_EMIT finished(exitCode());
}

int ClientRunner::exitCode() const
{
    if (!m_opened)
        return ExitCode::ConnectionFailed;
    if (!m_expectationFailure.isEmpty())
        return ExitCode::ExpectationFailed;
    if (m_violations > 0 || !m_connection->wasClean())
        return ExitCode::Abnormal;
    if (m_socketIo && !m_socketIo->problem().isEmpty())
        return ExitCode::Abnormal;
    return ExitCode::Clean;
}

QString ClientRunner::summary() const
{
    switch (exitCode()) {
    case ExitCode::ConnectionFailed:
        if (m_interrupts > 0)
            return QStringLiteral("interrupted before the connection opened");
        return QStringLiteral("connection failed: %1")
            .arg(m_connection->errorString().isEmpty() ? QStringLiteral("closed before the handshake completed")
                                                      : m_connection->errorString());
    case ExitCode::ExpectationFailed:
        return m_expectationFailure;
    case ExitCode::Abnormal:
        if (m_violations > 0)
            return QStringLiteral("%1 protocol violation(s); first: %2").arg(m_violations).arg(m_firstViolation);
        if (m_socketIo && !m_socketIo->problem().isEmpty() && m_connection->wasClean())
            return QStringLiteral("Socket.IO: %1").arg(m_socketIo->problem());
        if (!m_deadBecause.isEmpty())
            return QStringLiteral("--keepalive: %1").arg(m_deadBecause);
        return QStringLiteral("connection closed abnormally (%1, not clean)")
            .arg(CloseCodes::label(m_connection->closeCode()));
    default:
        return QString();
    }
}
