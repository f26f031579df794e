#include "probe/conformancerunner.h"

#include "log/capture.h"
#include "net/clientconnection.h"
#include "probe/conformancelink.h"
#include "probe/conformancesession.h"

using namespace Conformance;

ConformanceRunner::ConformanceRunner(QObject *parent)
    : QObject(parent)
{
}

ConformanceRunner::~ConformanceRunner()
{
    for (const QPointer<ConformanceSession> &session : std::as_const(m_sessions))
        if (session)
            session->cancel();
}

bool ConformanceRunner::run(const QList<Case> &cases, const ConformanceOptions &options)
{
    if (isRunning()) {
        m_error = tr("a conformance run is already going on");
        return false;
    }
    const QString problem = ClientConnection::urlProblem(options.connection.url);
    if (!problem.isEmpty()) {
        m_error = problem;
        return false;
    }
    for (const QPointer<Capture> &capture : std::as_const(m_captures))
        delete capture.data();
    m_cases = cases;
    m_options = options;
    m_options.jobs = qBound(1, options.jobs, 64);
    m_results = QList<CaseResult>(cases.size());
    m_captures = QList<QPointer<Capture>>(cases.size());
    m_sessions = QList<QPointer<ConformanceSession>>(cases.size());
    m_next = 0;
    m_finished = 0;
    m_firstOpened = false;
    m_unreachable = false;
    m_error.clear();
    m_active = true;
    ++m_generation;
    if (cases.isEmpty()) {
        QMetaObject::invokeMethod(this, &ConformanceRunner::finish, Qt::QueuedConnection);
        return true;
    }
    startCase(m_next++);
    return true;
}

void ConformanceRunner::cancel()
{
    if (!isRunning())
        return;
    for (const QPointer<ConformanceSession> &session : std::as_const(m_sessions))
        if (session) {
            session->cancel();
            session->deleteLater();
        }
    m_running = 0;
    m_next = m_cases.size();
    ++m_generation;
    finish();
}

void ConformanceRunner::finish()
{
    m_active = false;
    Q_EMIT finished();
}

Capture *ConformanceRunner::capture(qsizetype index) const
{
    return index >= 0 && index < m_captures.size() ? m_captures[index].data() : nullptr;
}

void ConformanceRunner::startMore()
{
    while (m_next < m_cases.size()) {
        const bool timed = m_cases[m_next].workload.has_value();
        // A timed case waits for the others to finish and runs alone.
        if (timed ? m_running > 0 : m_running >= m_options.jobs)
            return;
        startCase(m_next++);
        if (timed)
            return;
        if (m_next < m_cases.size() && m_cases[m_next].workload && m_running > 0)
            return;
    }
    if (m_running == 0)
        finish();
}

void ConformanceRunner::startCase(qsizetype index)
{
    const Case &c = m_cases[index];
    auto *capture = new Capture(this); // a timed case's is sampled by its session
    m_captures[index] = capture;
    auto *link = new ClientConformanceLink(quint32(index + 1), m_options.connection, c.deflate);
    auto *session = new ConformanceSession(c, link, capture, this);
    m_sessions[index] = session;
    connect(session, &ConformanceSession::finished, this, [this, index, generation = m_generation](const CaseResult &result) {
        if (generation == m_generation) // not a case of a run cancelled since
            onCaseFinished(index, result);
    });
    ++m_running;
    Q_EMIT caseStarted(int(index));
    session->start();
}

void ConformanceRunner::onCaseFinished(qsizetype index, const CaseResult &result)
{
    if (ConformanceSession *session = m_sessions[index]) {
        m_sessions[index] = nullptr;
        session->deleteLater();
    }
    --m_running;
    if (!m_firstOpened && !result.seen.opened && index == 0) {
        // The first case could not even connect: the server is not there.
        m_unreachable = true;
        m_results[index] = result;
        ++m_finished;
        Q_EMIT caseFinished(int(index), result);
        m_next = m_cases.size();
        finish();
        return;
    }
    m_firstOpened = m_firstOpened || result.seen.opened;
    m_results[index] = result;
    ++m_finished;
    Q_EMIT caseFinished(int(index), result);
    startMore();
}
