#include "probe/conformancesession.h"

#include "log/capture.h"
#include "probe/conformancelink.h"
#include "probe/wirelogsample.h"
#include "protocol/closecodes.h"

using namespace Conformance;

ConformanceSession::ConformanceSession(const Case &c, ConformanceLink *link, Capture *capture, QObject *parent)
    : QObject(parent)
    , m_case(c)
    , m_link(link)
    , m_capture(capture)
{
    link->setParent(this);
    m_pauseTimer.setSingleShot(true);
    m_endingTimer.setSingleShot(true);
    connect(&m_pauseTimer, &QTimer::timeout, this, &ConformanceSession::onPauseOver);
    connect(&m_endingTimer, &QTimer::timeout, this, &ConformanceSession::onEndingDue);
}

ConformanceSession::~ConformanceSession()
{
    cancel();
    delete m_link.data(); // now, while the sample it records into still exists
}

void ConformanceSession::start()
{
    ConformanceLink *link = m_link;
    if (m_capture && m_case.workload) {
        m_sample = std::make_unique<WireLogSample>(m_capture);
        link->addSink(m_sample.get());
    } else if (m_capture) {
        link->addSink(m_capture);
    }
    link->addSink(this);
    connect(link, &ConformanceLink::opened, this, &ConformanceSession::onOpened);
    connect(link, &ConformanceLink::closed, this, &ConformanceSession::onClosed);
    link->begin();
}

void ConformanceSession::cancel()
{
    m_done = true;
    m_cancelled = true; // a result already on its way is not reported
    m_pauseTimer.stop();
    m_endingTimer.stop();
    if (m_link) {
        m_link->disconnect(this);
        m_link->abort();
    }
}

void ConformanceSession::record(const WireEvent &event)
{
    if (event.kind == EventKind::Violation && event.direction == Direction::Incoming) {
        const QString rule = Violation::ruleId(event.violation);
        if (!m_seen.peerViolations.contains(rule))
            m_seen.peerViolations << rule;
        return;
    }
    if (event.kind != EventKind::Frame)
        return;
    if (m_case.deflate && !Opcode::isControl(event.frame.opcode))
        (event.direction == Direction::Outgoing ? m_seen.wireBytesOut : m_seen.wireBytesIn) += event.payload.size();
    if (event.direction == Direction::Outgoing) {
        // Only a well-formed close frame starts the closing handshake: 3.7's close with RSV bits is a
        // frame the server must refuse, as Autobahn's raw frame is.
        if (event.frame.opcode == Opcode::Close && event.frame.rsv == 0 && event.frame.fin && !m_peerClosedFirst)
            m_testerSentClose = true;
        return;
    }
    onIncomingFrame(event);
}

void ConformanceSession::onIncomingFrame(const WireEvent &event)
{
    // Called from inside the engine: anything that acts on the connection waits for afterEvent().
    const quint8 opcode = event.frame.opcode;
    std::optional<Event> seen;
    switch (opcode) {
    case Opcode::Text:
    case Opcode::Binary:
        m_assembling = true;
        m_assemblingBinary = opcode == Opcode::Binary;
        // A compressed message arrives whole, inflated, with its final frame.
        m_assembled = event.compressed ? QByteArray() : event.payload.toByteArray();
        break;
    case Opcode::Continuation:
        if (m_assembling && !event.compressed)
            m_assembled += event.payload.toByteArray();
        break;
    case Opcode::Ping:
        seen = Event::ping(event.payload.toByteArray());
        break;
    case Opcode::Pong:
        seen = Event::pong(event.payload.toByteArray());
        break;
    case Opcode::Close: {
        if (!m_testerSentClose)
            m_peerClosedFirst = true;
        const ClosePayload close = ClosePayload::parse(event.payload);
        m_seen.peerCloseFrame = true;
        m_seen.peerCloseHasCode = close.hasCode;
        m_seen.peerCloseCode = close.code;
        m_seen.peerCloseReason = close.reason;
        break;
    }
    default:
        break; // a reserved opcode: the engine records the violation
    }
    if (!Opcode::isControl(opcode) && m_assembling && event.frame.fin) {
        m_assembling = false;
        if (event.compressed)
            m_assembled = event.inflated.toByteArray();
        seen = m_assemblingBinary ? Event::binaryMessage(m_assembled) : Event::text(m_assembled);
        m_assembled.clear();
    }
    if (!seen)
        return;
    if (m_case.workload) {
        if (seen->kind == Event::Kind::Message)
            QMetaObject::invokeMethod(this, [this, echo = *seen] { checkWorkloadEcho(echo); }, Qt::QueuedConnection);
        return;
    }
    m_seen.events << *seen;
    QMetaObject::invokeMethod(this, &ConformanceSession::afterEvent, Qt::QueuedConnection);
}

void ConformanceSession::onOpened()
{
    if (m_done)
        return;
    m_seen.opened = true;
    if (m_case.workload && m_case.workload->dataSet)
        TestData::bytes(*m_case.workload->dataSet); // made on first use: not on the case's clock
    m_clock.start();
    if (m_case.deflate) {
        m_seen.extensions = m_link->acceptedExtensions();
        if (m_seen.extensions.isEmpty()) { // declined: nothing to test, the case is unimplemented
            closePolitely(1000);
            return;
        }
    }
    if (m_case.workload) {
        m_endingTimer.start(m_case.workload->timeoutMs);
        sendWorkloadMessage();
        return;
    }
    runSteps();
}

void ConformanceSession::runSteps()
{
    ConformanceLink *connection = m_link;
    if (!connection || m_done)
        return;
    // A write can find the connection gone (onClosed() runs inside it): stop there.
    while (m_step < m_case.steps.size() && !m_done) {
        const Step &step = m_case.steps[m_step++];
        switch (step.kind) {
        case Step::Kind::Send:
            connection->setWritePacing(step.chop, step.sync);
            connection->sendFrame(step.frame);
            break;
        case Step::Kind::SendPart:
            connection->setWritePacing(0, false);
            connection->sendFrameInParts(step.frame, step.bytes);
            break;
        case Step::Kind::Continue:
            connection->continueFrame(step.bytes);
            break;
        case Step::Kind::Pause:
            m_pauseTimer.start(step.pauseMs);
            return;
        }
    }
    if (m_done)
        return;
    connection->setWritePacing(0, false);
    m_endingTimer.start(m_case.ending.afterMs);
}

void ConformanceSession::onPauseOver()
{
    // As Autobahn: the case goes on only while the connection is open; a pause that ran out with it
    // still open is an event of its own (6.4.x: the server did not fail fast).
    if (!m_link || !m_link->isOpen())
        return;
    const Step &pause = m_case.steps[m_step - 1];
    if (!pause.label.isEmpty()) {
        m_seen.events << Event::timeout(pause.label);
        afterEvent();
    }
    runSteps();
}

void ConformanceSession::onEndingDue()
{
    ConformanceLink *connection = m_link;
    if (!connection || m_done)
        return;
    if (m_case.workload) {
        failWorkload(tr("Only %1 of %2 messages came back within %3 s.")
                         .arg(m_seen.roundTrips)
                         .arg(m_case.workload->count)
                         .arg(m_case.workload->timeoutMs / 1000));
        return;
    }
    if (m_case.ending.kind == Ending::Kind::Drop) {
        connection->abort();
        return;
    }
    // Autobahn's closeAfter: a close frame without a code.
    if (connection->isOpen())
        connection->close(0);
}

void ConformanceSession::afterEvent()
{
    // Autobahn's finishWhenDone: once what came back is every expected outcome, the tester starts
    // the closing handshake itself (when the case says it should and sends no close of its own).
    if (m_done || m_politeCloseSent || m_case.suppressClose || !m_case.close.closedByTester)
        return;
    if (eventsMatchEveryOutcome())
        closePolitely(m_case.close.codes.value(0, 1000));
}

bool ConformanceSession::eventsMatchEveryOutcome() const
{
    for (const auto &outcome : m_case.expected)
        if (outcome.second != m_seen.events)
            return false;
    return true;
}

void ConformanceSession::closePolitely(quint16 code)
{
    if (!m_link || !m_link->isOpen())
        return;
    m_politeCloseSent = true;
    m_link->close(code);
}

void ConformanceSession::sendWorkloadMessage()
{
    const Workload &w = *m_case.workload;
    if (w.dataSet) {
        // The next `size` bytes of the data, wrapping around at its end.
        const QByteArray &data = TestData::bytes(*w.dataSet);
        m_workloadMessage.clear();
        m_workloadMessage.reserve(w.size);
        while (m_workloadMessage.size() < w.size) {
            const qsizetype take = qMin(w.size - m_workloadMessage.size(), data.size() - m_dataOffset);
            m_workloadMessage.append(data.constData() + m_dataOffset, take);
            m_dataOffset = (m_dataOffset + take) % data.size();
        }
    } else if (m_workloadMessage.size() != w.size) {
        m_workloadMessage.clear();
        m_workloadMessage.reserve(w.size);
        while (m_workloadMessage.size() < w.size)
            m_workloadMessage += w.pattern;
        m_workloadMessage.truncate(w.size);
    }
    m_link->setWritePacing(w.chop, false);
    if (m_case.deflate) { // compressed by the connection's own stream, as agreed
        m_seen.messageBytesOut += quint64(m_workloadMessage.size());
        m_link->sendMessage(w.binary, m_workloadMessage, w.fragmentSize);
        return;
    }
    const quint8 opcode = w.binary ? Opcode::Binary : Opcode::Text;
    for (const FrameSpec &frame : FrameWriter::fragment(opcode, m_workloadMessage, w.fragmentSize, true))
        m_link->sendFrame(frame);
}

void ConformanceSession::checkWorkloadEcho(const Event &echo)
{
    if (m_done || m_seen.workloadComplete || !m_seen.workloadProblem.isEmpty())
        return;
    const Workload &w = *m_case.workload;
    if (m_case.deflate) // counted as the wire bytes are: every message that came back
        m_seen.messageBytesIn += quint64(echo.data.size());
    if (echo.binary != w.binary || echo.data != m_workloadMessage) {
        failWorkload(echo.binary != w.binary
                         ? tr("Message %1 came back as a %2 message.")
                               .arg(m_seen.roundTrips + 1)
                               .arg(echo.binary ? tr("binary") : tr("text"))
                         : tr("Message %1 came back changed: %2 bytes instead of %3.")
                               .arg(m_seen.roundTrips + 1)
                               .arg(echo.data.size())
                               .arg(w.size));
        return;
    }
    ++m_seen.roundTrips;
    if (m_seen.roundTrips < w.count) {
        sendWorkloadMessage();
        return;
    }
    m_seen.workloadComplete = true;
    m_seen.durationMs = m_clock.elapsed();
    m_endingTimer.stop();
    closePolitely(1000);
}

void ConformanceSession::failWorkload(const QString &problem)
{
    m_seen.workloadProblem = problem;
    m_seen.durationMs = m_clock.elapsed();
    m_endingTimer.stop();
    closePolitely(1000);
}

void ConformanceSession::onClosed()
{
    if (m_done)
        return;
    m_done = true;
    m_pauseTimer.stop();
    m_endingTimer.stop();
    const ConformanceLink *link = m_link;
    const TesterRole role = link ? link->role() : TesterRole::Client;
    if (link) {
        if (!m_seen.opened && m_seen.handshakeError.isEmpty())
            m_seen.handshakeError = link->errorString();
        m_seen.droppedByTester = link->droppedByTester();
        // Clean as Autobahn counts it: both close frames crossed and, when the tester is the
        // client, the server closed TCP.
        m_seen.wasClean = link->closeHandshakeComplete() && (role == TesterRole::Server || !m_seen.droppedByTester);
    }
    m_seen.closedByTester = !m_peerClosedFirst && (m_testerSentClose || m_seen.droppedByTester);
    if (!m_case.workload && m_seen.opened)
        m_seen.durationMs = m_clock.elapsed();
    // The result leaves after the engine has finished its own closed() handling.
    const CaseResult result = judge(m_case, m_seen, role);
    QMetaObject::invokeMethod(
        this,
        [this, result] {
            if (!m_cancelled)
                Q_EMIT finished(result);
        },
        Qt::QueuedConnection);
}
