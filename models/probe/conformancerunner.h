#pragma once

#include "net/clientengine.h"
#include "probe/conformanceresult.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

class Capture;
class ConformanceSession;

struct ConformanceOptions {
    ConnectionOptions connection; // URL, headers, subprotocols, origin, certificates, handshake timeout
    int jobs = 4; // cases run at once, each on its own connection
};

// Runs conformance cases against a server, several at once, each on a fresh connection, and keeps
// every case's result and wire log. The timed cases (sections 9, 12, 13) run one at a time with nothing
// else running, so that their durations measure the server rather than the tester's other cases.
// A server that cannot be reached is found out by the first case, which runs alone: the run
// then stops instead of failing every case the same way.
class ConformanceRunner : public QObject {
    Q_OBJECT
public:
    explicit ConformanceRunner(QObject *parent = nullptr);
    ~ConformanceRunner() override;

    // False when a run is going on or the URL cannot be used (errorString() says why).
    bool run(const QList<Conformance::Case> &cases, const ConformanceOptions &options);
    // Stops: the cases in progress are dropped and not reported; finished() follows.
    void cancel();

    bool isRunning() const { return m_active; }
    QString errorString() const { return m_error; }
    bool unreachable() const { return m_unreachable; }
    const ConformanceOptions &options() const { return m_options; }
    const QList<Conformance::Case> &cases() const { return m_cases; }
    // Results so far, by case index; a case not finished has an empty id.
    const QList<Conformance::CaseResult> &results() const { return m_results; }
    int finishedCount() const { return m_finished; }
    // A case's wire log (nullptr before it ran); a timed case's is a sample (WireLogSample).
    Capture *capture(qsizetype index) const;

Q_SIGNALS:
    void caseStarted(int index);
    void caseFinished(int index, const Conformance::CaseResult &result);
    void finished();

private:
    void startMore();
    void startCase(qsizetype index);
    void onCaseFinished(qsizetype index, const Conformance::CaseResult &result);
    void finish();

    QList<Conformance::Case> m_cases;
    ConformanceOptions m_options;
    QList<Conformance::CaseResult> m_results;
    QList<QPointer<Capture>> m_captures;
    QList<QPointer<ConformanceSession>> m_sessions;
    qsizetype m_next = 0;
    int m_running = 0; // sessions in progress
    int m_finished = 0;
    bool m_active = false;
    quint64 m_generation = 0; // bumped by run() and cancel(): results of older sessions are dropped
    bool m_firstOpened = false;
    bool m_unreachable = false;
    QString m_error;
};
