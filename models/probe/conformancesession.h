#pragma once

#include "log/wireevent.h"
#include "net/clientengine.h"
#include "probe/conformanceresult.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class Capture;
class ClientConnection;

// Plays one conformance case against a server on a fresh connection of the inspector's own engine,
// as Autobahn's fuzzing client plays it: the case's steps once OPEN, the events the server sends
// back collected from the wire, the closing handshake started when the expected events are
// complete (unless the case sends its own close), and its ending timer (drop, or close) otherwise.
// The engine stays strict (it fails the connection on the server's violations, as a real client
// would); what the server's own frames broke is recorded and fails the case.
class ConformanceSession : public QObject, private WireEventSink {
    Q_OBJECT
public:
    // `capture` receives the wire log (nullptr: none, as for the timed cases of section 9).
    ConformanceSession(const Conformance::Case &c, quint32 connectionId, Capture *capture, QObject *parent = nullptr);
    ~ConformanceSession() override;

    // Connects with `base` (URL, headers, subprotocols, origin, certificates; the rest is the
    // session's). finished() follows, also when the connection cannot even start.
    void start(const ConnectionOptions &base);
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
    quint32 m_connectionId;
    QPointer<Capture> m_capture;
    QPointer<ClientConnection> m_connection;
    Conformance::Observation m_seen;
    qsizetype m_step = 0;
    QTimer m_pauseTimer;
    QTimer m_endingTimer;
    QElapsedTimer m_clock;
    bool m_done = false;
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
};
