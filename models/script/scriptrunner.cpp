#include "script/scriptrunner.h"

#include "protocol/closecodes.h"
#include "protocol/frame.h"
#include "script/expectations.h"
#include "text/displaytext.h"

#include <QCoreApplication>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(ScriptRunner)
};

using Step = TestScript::Step;

QString messageText(bool binary, const QByteArray &payload)
{
    return binary ? Tr::tr("binary %1").arg(DisplayText::line(payload.toHex(' '), 200)) : DisplayText::quoted(payload, 200);
}
} // namespace

ScriptRunner::ScriptRunner(TestScript script, ClientEngine *engine, QObject *parent)
    : QObject(parent)
    , m_script(std::move(script))
    , m_engine(engine)
{
    m_stepTimer.setSingleShot(true);
    connect(&m_stepTimer, &QTimer::timeout, this, [this] {
        if (m_waiting) {
            m_waiting = false;
            ++m_next;
            advance();
            return;
        }
        const Step &step = m_script.steps.at(m_next);
        fail(Tr::tr("%1: nothing matched within %2 ms; %3")
                 .arg(stepLabel(step))
                 .arg(m_timeoutMs)
                 .arg(Expectations::insteadText(m_passedOver, m_passedOverCount)));
    });
    m_closeGrace.setSingleShot(true);
    connect(&m_closeGrace, &QTimer::timeout, this, [this] {
        if (!m_closed)
            m_engine->abort(); // closed() follows
    });
}

void ScriptRunner::start(const ConnectionOptions &options)
{
    m_clock.start();
    connect(m_engine, &ClientEngine::opened, this, [this] {
        m_opened = true;
        note(QStringLiteral("OPEN"));
        advance();
    });
    connect(m_engine, &ClientEngine::messageReceived, this, [this](quint8 opcode, const QByteArray &payload) {
        const bool binary = opcode == Opcode::Binary;
        m_arrived.push_back({ Arrival::Kind::Message, binary, payload, -1 });
        note(QStringLiteral("\u2190 %1").arg(messageText(binary, payload)));
        advance();
    });
    connect(m_engine, &ClientEngine::pongReceived, this, [this](const QByteArray &payload) {
        m_arrived.push_back({ Arrival::Kind::Pong, false, payload, -1 });
        note(QStringLiteral("\u2190 pong %1").arg(DisplayText::quoted(payload, 125)));
        advance();
    });
    connect(m_engine, &ClientEngine::closeFrameReceived, this, [this](quint16 code, const QByteArray &reason) {
        m_arrived.push_back({ Arrival::Kind::Close, false, reason, code ? int(code) : -1 });
        note(QStringLiteral("\u2190 close %1 %2").arg(code ? CloseCodes::label(code) : Tr::tr("(no code)"), DisplayText::quoted(reason, 123)));
        advance();
    });
    connect(m_engine, &ClientEngine::violationDetected, this, [this](const QString &rule, quint16, const QString &description) {
        fail(Tr::tr("the server broke RFC 6455 (%1): %2").arg(rule, description));
    });
    connect(m_engine, &ClientEngine::closed, this, [this](quint16 code, const QString &, bool wasClean) {
        m_closed = true;
        note(Tr::tr("CLOSED %1%2").arg(CloseCodes::label(code), wasClean ? QString() : Tr::tr(", not clean")));
        if (!m_opened) {
            fail(Tr::tr("connection failed: %1")
                     .arg(m_engine->errorString().isEmpty() ? Tr::tr("closed before the handshake completed") : m_engine->errorString()),
                0);
        } else {
            advance(); // a close frame that arrived may be what an expect-close waits for
            if (m_verdict.failure.isEmpty() && m_next < m_script.steps.size())
                fail(Tr::tr("%1: the connection closed (%2) before this step was done")
                         .arg(stepLabel(m_script.steps.at(m_next)), CloseCodes::label(code)));
        }
        finish();
    });
    if (!m_engine->open(options)) {
        fail(Tr::tr("connection failed: %1").arg(m_engine->errorString()), 0);
        finish();
    }
}

QString ScriptRunner::stepLabel(const TestScript::Step &step) const
{
    return DisplayText::line(step.source.toUtf8(), 120);
}

void ScriptRunner::note(const QString &line)
{
    constexpr qsizetype MaxTranscript = 10000; // a report, not a capture
    if (m_verdict.transcript.size() < MaxTranscript)
        m_verdict.transcript << line;
}

bool ScriptRunner::takeExpected(const TestScript::Step &step)
{
    std::optional<Expectations> expectation;
    if (step.kind == Step::Kind::Expect)
        expectation = Expectations::fromPatterns({ step.pattern }, nullptr);
    for (auto it = m_arrived.begin(); it != m_arrived.end();) {
        switch (step.kind) {
        case Step::Kind::Expect:
            if (it->kind != Arrival::Kind::Message)
                break; // left for an expect-pong or expect-close
            if (expectation->offer(it->binary, it->bytes)) {
                m_arrived.erase(it);
                return true;
            }
            m_passedOver << messageText(it->binary, it->bytes);
            ++m_passedOverCount;
            it = m_arrived.erase(it);
            continue;
        case Step::Kind::ExpectPong:
            if (it->kind != Arrival::Kind::Pong)
                break;
            if (!step.hasBytes || it->bytes == step.bytes) {
                m_arrived.erase(it);
                return true;
            }
            m_passedOver << Tr::tr("pong %1").arg(DisplayText::quoted(it->bytes, 125));
            ++m_passedOverCount;
            it = m_arrived.erase(it);
            continue;
        case Step::Kind::ExpectClose:
            if (it->kind != Arrival::Kind::Close)
                break;
            if (step.number < 0 || it->code == step.number) {
                m_arrived.erase(it);
                return true;
            }
            fail(Tr::tr("%1: the server closed with %2").arg(stepLabel(step), it->code < 0 ? Tr::tr("no code") : CloseCodes::label(quint16(it->code))));
            return false;
        default:
            return true;
        }
        ++it;
    }
    // Only the latest are shown, as for --expect.
    while (m_passedOver.size() > Expectations::MaxReported)
        m_passedOver.removeFirst();
    return false;
}

void ScriptRunner::advance()
{
    if (m_finished || !m_opened || m_waiting || !m_verdict.failure.isEmpty())
        return;
    while (m_next < m_script.steps.size()) {
        const Step &step = m_script.steps.at(m_next);
        const bool open = m_engine->readyState() == ReadyState::Open;
        switch (step.kind) {
        case Step::Kind::Send:
        case Step::Kind::SendBinary:
        case Step::Kind::Ping:
        case Step::Kind::Pong:
        case Step::Kind::Close:
            if (!open) {
                fail(Tr::tr("%1: the connection is no longer open").arg(stepLabel(step)));
                return;
            }
            note(QStringLiteral("\u2192 %1").arg(stepLabel(step)));
            if (step.kind == Step::Kind::Send)
                m_engine->sendText(step.bytes);
            else if (step.kind == Step::Kind::SendBinary)
                m_engine->sendBinary(step.bytes);
            else if (step.kind == Step::Kind::Ping)
                m_engine->ping(step.bytes);
            else if (step.kind == Step::Kind::Pong)
                m_engine->pong(step.bytes);
            else
                m_engine->close(quint16(step.number), step.bytes);
            break;
        case Step::Kind::Timeout:
            m_timeoutMs = step.number;
            break;
        case Step::Kind::Wait:
            m_waiting = true;
            m_stepTimer.start(step.number);
            return;
        case Step::Kind::Expect:
        case Step::Kind::ExpectPong:
        case Step::Kind::ExpectClose:
            if (!takeExpected(step)) {
                if (!m_verdict.failure.isEmpty())
                    return;
                if (!m_stepTimer.isActive())
                    m_stepTimer.start(m_timeoutMs);
                return; // an arrival or the timeout goes on
            }
            m_stepTimer.stop();
            m_passedOver.clear();
            m_passedOverCount = 0;
            note(Tr::tr("\u2713 %1").arg(stepLabel(step)));
            break;
        }
        ++m_next;
    }
    // Every step passed: end the connection if the script did not.
    if (m_engine->readyState() == ReadyState::Open) {
        m_engine->close(1000);
        m_closeGrace.start(CloseGraceMs);
    } else if (m_engine->readyState() == ReadyState::Closing) {
        m_closeGrace.start(CloseGraceMs);
    }
}

void ScriptRunner::fail(const QString &why, int line)
{
    if (!m_verdict.failure.isEmpty() || m_finished)
        return;
    if (line < 0)
        line = m_next < m_script.steps.size() ? m_script.steps.at(m_next).line : 0;
    m_verdict.line = line;
    m_verdict.failure = line > 0 ? Tr::tr("line %1: %2").arg(line).arg(why) : why;
    m_stepTimer.stop();
    m_waiting = false;
    note(QStringLiteral("\u2717 %1").arg(m_verdict.failure));
    if (m_engine->readyState() == ReadyState::Open)
        m_engine->close(1000);
    if (!m_closed)
        m_closeGrace.start(CloseGraceMs);
}

void ScriptRunner::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_stepTimer.stop();
    m_closeGrace.stop();
    m_verdict.stepsDone = int(m_next);
    m_verdict.passed = m_verdict.failure.isEmpty() && m_next == m_script.steps.size();
    m_verdict.durationMs = m_clock.elapsed();
    Q_EMIT finished();
}
