#include "probe/proberunner.h"
#include "text/displaytext.h"

#include "log/capture.h"
#include "net/clientconnection.h"
#include "protocol/closecodes.h"

// Watches one probe's connection from the inside: the engine's signals stop reporting messages once
// closing has started (like a browser), but a misbehaving server may still send frames then, and
// those frames are exactly what the probe is about. Owned by the connection, so it never outlives
// the pointer the connection holds.
class ProbeRunner::Observer : public QObject, public WireEventSink {
public:
    Observer(ProbeRunner *runner, ClientConnection *connection)
        : QObject(connection)
        , m_runner(runner)
        , m_connection(connection)
    {
    }

    void record(const WireEvent &event) override
    {
        if (m_runner->m_connection != m_connection || event.direction != Direction::Incoming)
            return;
        if (event.kind == EventKind::Frame)
            m_runner->onIncomingFrame(event);
        else if (event.kind == EventKind::Violation && event.violation != ViolationRule::HandshakeFailed)
            m_runner->onServerViolation(event);
    }

private:
    ProbeRunner *m_runner;
    ClientConnection *m_connection;
};

ProbeRunner::ProbeRunner(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<ProbeResult>();
    m_timer.setSingleShot(true);
    // A coarse timer may fire up to 5% early; "nothing within N ms" must mean N ms.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ProbeRunner::onTimeout);
}

ProbeRunner::~ProbeRunner()
{
    teardownConnection();
}

bool ProbeRunner::run(const QUrl &url, const QList<ProbePresets::Preset> &presets, const ProbeOptions &options)
{
    if (m_running) {
        m_error = tr("a probe run is already in progress");
        return false;
    }
    const QString problem = ClientConnection::urlProblem(url);
    if (!problem.isEmpty()) {
        m_error = problem;
        return false;
    }
    if (presets.isEmpty()) {
        m_error = tr("no probes selected");
        return false;
    }
    for (const QPointer<Capture> &capture : std::as_const(m_captures))
        delete capture.data();
    m_captures = QList<QPointer<Capture>>(presets.size());
    m_url = url;
    m_presets = presets;
    m_options = options;
    m_options.timeoutMs = qMax(1, options.timeoutMs);
    m_results.clear();
    m_error.clear();
    m_unreachable = false;
    m_running = true;
    m_index = 0;
    ++m_generation;
    // From the event loop: callers see probeStarted(0) after run() returned, like every later probe.
    queueStart();
    return true;
}

void ProbeRunner::cancel()
{
    if (!m_running)
        return;
    ++m_generation;
    m_timer.stop();
    teardownConnection();
    m_phase = Phase::Idle;
    m_running = false;
    Q_EMIT finished();
}

Capture *ProbeRunner::capture(qsizetype index) const
{
    return index >= 0 && index < m_captures.size() ? m_captures[index].data() : nullptr;
}

void ProbeRunner::startProbe()
{
    if (!m_running)
        return; // cancelled while this call was queued
    if (m_index >= m_presets.size()) {
        m_phase = Phase::Idle;
        m_running = false;
        Q_EMIT finished();
        return;
    }
    ++m_generation;
    m_current = ProbeResult();
    m_current.preset = m_presets[m_index];
    m_current.timeoutMs = m_options.timeoutMs;
    m_settled = false;
    m_opened = false;
    m_echoMessages = 0;
    m_phase = Phase::Connecting;

    auto *capture = new Capture(this);
    m_captures[m_index] = capture;
    auto *connection = new ClientConnection(quint32(m_index + 1), this);
    m_connection = connection;
    connection->addSink(capture);
    connection->addSink(new Observer(this, connection));
    connect(connection, &ClientConnection::opened, this, &ProbeRunner::onOpened);
    connect(connection, &ClientConnection::closed, this, &ProbeRunner::onClosed);

    ConnectionOptions options;
    options.url = m_url;
    options.headers = m_options.headers;
    options.subprotocols = m_options.subprotocols;
    options.origin = m_options.origin;
    options.allowCertificateErrors = m_options.allowCertificateErrors;
    options.handshakeTimeoutMs = m_options.handshakeTimeoutMs;
    // Longer than the probe's own timeout: when the server ignores our close frame, the probe must
    // time out ("nothing") before our engine gives up and drops TCP, which would read as a drop.
    options.closeTimeoutMs = m_options.timeoutMs + 1'000;
    options.autoPong = true;
    options.closeOnViolation = false; // record only: the reaction under test is the server's
    // The classic probes assume that no extension was negotiated (an RSV bit must be refused), so
    // nothing is offered, whatever the connection default is; the permessage-deflate probes offer
    // exactly what their frames were compressed for.
    options.deflate = m_current.preset.deflate;
    Q_EMIT probeStarted(int(m_index));
    if (!connection->open(options)) {
        m_current.error = connection->errorString();
        settle(ProbeResult::Reaction::HandshakeFailed);
        queueFinish();
    }
}

void ProbeRunner::onOpened()
{
    if (!m_connection || m_phase != Phase::Connecting)
        return;
    m_opened = true;
    if (m_current.preset.deflate && !m_connection->deflate()) {
        // Compression is optional: a server that declines it is not wrong, and the frames (already
        // compressed) would mean something else to it. No verdict; close politely.
        m_current.notApplicable = true;
        const QByteArray answer = m_connection->selectedExtensions();
        m_current.error = answer.isEmpty()
            ? tr("the server did not accept permessage-deflate")
            : tr("the server did not accept permessage-deflate (it answered %1)").arg(DisplayText::quoted(answer, 120));
        settle(ProbeResult::Reaction::Nothing);
        m_phase = Phase::ClosingPolitely;
        m_connection->close(CloseCodes::NormalClosure);
        m_timer.start(qMin(m_options.timeoutMs, 1'000));
        return;
    }
    m_phase = Phase::Watching;
    for (const FrameSpec &spec : std::as_const(m_current.preset.frames)) {
        if (!m_connection || !m_connection->sendFrame(spec))
            break; // the socket went away; onClosed() tells what happened
    }
    m_clock.start();
    m_timer.start(m_options.timeoutMs);
}

void ProbeRunner::onIncomingFrame(const WireEvent &event)
{
    if (m_settled || !m_opened)
        return;
    switch (event.frame.opcode) {
    case Opcode::Close: {
        // Kept even when malformed (our engine then does not treat it as a close): what the server
        // sent is the point. The connection's closed() follows, or the timeout.
        if (m_current.closeFrameReceived)
            return;
        m_current.closeFrameReceived = true;
        m_current.closePayloadSize = int(event.payload.size());
        const ClosePayload close = ClosePayload::parse(event.payload);
        m_current.closeHasCode = close.hasCode;
        m_current.closeCode = close.code;
        m_current.closeReason = close.reason;
        return;
    }
    case Opcode::Ping:
        ++m_current.serverPings;
        return;
    case Opcode::Pong:
        m_current.pongs << event.payload.toByteArray();
        return;
    default:
        break;
    }
    // A compressed message counts as what it inflates to, taken from its final frame.
    if (!event.compressed)
        m_current.echo += event.payload;
    else if (event.hasInflated)
        m_current.echo += event.inflated;
    ++m_current.echoFrames;
    m_current.echoComplete = event.frame.fin;
    if (event.frame.fin)
        ++m_echoMessages;
    if (m_current.closeFrameReceived)
        return; // data after the server's own close: recorded, the close decides
    if (m_current.preset.expected.kind == ProbePresets::Expectation::Kind::Echo && event.frame.fin
        && m_echoMessages >= m_current.preset.expected.messages) {
        // A complete message came back: that is the reaction. Close politely from the event loop,
        // not from inside the engine's frame callback.
        settle(ProbeResult::Reaction::Echo);
        m_timer.stop();
        QTimer::singleShot(0, this, [this, connection = m_connection] {
            if (!connection || connection != m_connection)
                return;
            if (connection->readyState() != ReadyState::Open) {
                finishProbe();
                return;
            }
            m_phase = Phase::ClosingPolitely;
            connection->close(CloseCodes::NormalClosure);
            m_timer.start(qMin(m_options.timeoutMs, 1'000));
        });
    }
}

void ProbeRunner::onServerViolation(const WireEvent &event)
{
    if (m_settled || !m_opened)
        return;
    const QString rule = Violation::ruleId(event.violation);
    if (!m_current.serverViolations.contains(rule))
        m_current.serverViolations << rule;
}

void ProbeRunner::onClosed()
{
    if (!m_connection)
        return;
    if (m_phase == Phase::ClosingPolitely) {
        m_timer.stop();
        finishProbe();
        return;
    }
    if (m_settled)
        return;
    m_timer.stop();
    if (!m_opened) {
        m_current.error = m_connection->errorString();
        if (m_current.error.isEmpty())
            m_current.error = tr("the connection closed before it was open");
        settle(ProbeResult::Reaction::HandshakeFailed);
    } else {
        m_current.clean = m_connection->wasClean();
        settle(m_current.closeFrameReceived ? ProbeResult::Reaction::Close : ProbeResult::Reaction::Drop);
    }
    // closed() is emitted from deep inside the engine; it is deleted from the event loop.
    queueFinish();
}

void ProbeRunner::onTimeout()
{
    if (!m_connection)
        return;
    if (m_phase == Phase::ClosingPolitely) {
        finishProbe(); // the server did not answer our close after the echo; the verdict stands
        return;
    }
    if (m_settled)
        return;
    // Drop whatever is still open first: abort() settles wasClean (both close frames crossed).
    m_connection->disconnect(this);
    m_connection->abort();
    m_current.clean = m_connection->wasClean();
    settle(m_current.closeFrameReceived ? ProbeResult::Reaction::Close
            : m_current.echoFrames > 0  ? ProbeResult::Reaction::Echo
                                        : ProbeResult::Reaction::Nothing);
    finishProbe();
}

void ProbeRunner::settle(ProbeResult::Reaction reaction)
{
    if (m_settled)
        return;
    m_settled = true;
    m_current.reaction = reaction;
    m_current.elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    m_current.judge();
}

void ProbeRunner::queueStart()
{
    QTimer::singleShot(0, this, [this, generation = m_generation] {
        if (generation == m_generation)
            startProbe();
    });
}

void ProbeRunner::queueFinish()
{
    // A cancel() and a new run() may come before the queued call: it must not finish their probe.
    QTimer::singleShot(0, this, [this, generation = m_generation] {
        if (generation == m_generation)
            finishProbe();
    });
}

void ProbeRunner::finishProbe()
{
    if (!m_running || m_phase == Phase::Idle)
        return;
    m_timer.stop();
    m_clock.invalidate();
    teardownConnection();
    m_phase = Phase::Idle;
    const int index = int(m_index);
    m_results.append(m_current);
    Q_EMIT probeFinished(index, m_current);
    if (index == 0 && m_current.reaction == ProbeResult::Reaction::HandshakeFailed && m_options.stopWhenUnreachable) {
        m_unreachable = true;
        m_running = false;
        Q_EMIT finished();
        return;
    }
    ++m_index;
    queueStart();
}

void ProbeRunner::teardownConnection()
{
    ClientConnection *connection = m_connection.data();
    m_connection = nullptr; // the observer stops forwarding
    if (!connection)
        return;
    connection->disconnect(this);
    if (connection->readyState() != ReadyState::Closed)
        connection->abort();
    connection->deleteLater();
}
