#pragma once

#include "log/wireevent.h"
#include "probe/conformanceresult.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

class Capture;
class ConformanceLink;
class WireLogSample;

// Plays one conformance case on one connection, as Autobahn's fuzzing client and server play
// them: the case's steps once OPEN, the events the peer sends back collected from the wire, the
// closing handshake started when the expected events are complete (unless the case sends its own
// close), and its ending timer (drop, or close) otherwise. The engine stays strict (it fails the
// connection on the peer's violations, as a real peer would); what the peer's own frames broke is
// recorded and fails the case.
class ConformanceSession : public QObject, private WireEventSink {
    Q_OBJECT
public:
    // `link`: the connection, taken over. `capture` receives the wire log (nullptr: none); a timed
    // case's is sampled (WireLogSample).
    ConformanceSession(const Conformance::Case &c, ConformanceLink *link, Capture *capture, QObject *parent = nullptr);
    ~ConformanceSession() override;

    // Opens the link and plays the case. finished() follows, also when it cannot even open.
    void start();
    // Drops the connection; finished() is not emitted.
    void cancel();

    const Conformance::Case &testCase() const { return m_case; }

Q_SIGNALS:
    void finished(const Conformance::CaseResult &result);

private:
    void record(const WireEvent &event) override;
    void onIncomingFrame(const WireEvent &event);
    void onOpened();
    void onClosed();
    void runSteps();
    void onPauseOver();
    void onEndingDue();
    void afterEvent();
    void closePolitely(quint16 code);
    void sendWorkloadMessage();
    void checkWorkloadEcho(const Conformance::Event &echo);
    void failWorkload(const QString &problem);
    bool eventsMatchEveryOutcome() const;

    Conformance::Case m_case;
    QPointer<ConformanceLink> m_link;
    QPointer<Capture> m_capture;
    std::unique_ptr<WireLogSample> m_sample; // between the link and the capture, for timed cases
    Conformance::Observation m_seen;
    qsizetype m_step = 0;
    QTimer m_pauseTimer;
    QTimer m_endingTimer;
    QElapsedTimer m_clock;
    bool m_done = false;
    bool m_cancelled = false;
    bool m_politeCloseSent = false;
    // Wire order of the close frames: who sent the first.
    bool m_testerSentClose = false;
    bool m_peerClosedFirst = false;
    // The data message being reassembled from the server's frames.
    bool m_assembling = false;
    bool m_assemblingBinary = false;
    QByteArray m_assembled;
    // Section 9: the message on its way and how many came back.
    QByteArray m_workloadMessage;
    qsizetype m_dataOffset = 0; // sections 12 and 13: where the next message starts in the data set
};
