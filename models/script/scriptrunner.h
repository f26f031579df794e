#pragma once

#include "net/clientengine.h"
#include "script/testscript.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <deque>

// Runs a TestScript on one client connection: opens it, takes the steps in order once it is OPEN,
// and ends with a verdict. What arrives is kept until an expect step looks at it, so a message
// that comes during a wait is not lost. The first step that fails ends the run: the connection is
// closed with 1000 (or dropped when it does not close), and the verdict names the step's line and
// what came instead. A violation of RFC 6455 by the server, or the connection closing with steps
// left, fails the run too.
class ScriptRunner : public QObject {
    Q_OBJECT
public:
    struct Verdict {
        bool passed = false;
        int line = 0; // the failing step's line; 0 when the connection failed or nothing did
        QString failure; // "line 4: expect ^pong$: nothing matched within 5000 ms; received instead (1): "ping""
        int stepsDone = 0;
        qint64 durationMs = 0;
        QStringList transcript; // "→ send hello", "← text \"hello\"", ... for reports
    };

    // `engine` is not owned and not yet open.
    ScriptRunner(TestScript script, ClientEngine *engine, QObject *parent = nullptr);

    void start(const ConnectionOptions &options);
    bool isFinished() const { return m_finished; }
    const Verdict &verdict() const { return m_verdict; }

    // How long the run waits for the closing handshake it started, before dropping the connection.
    static constexpr int CloseGraceMs = 5000;

Q_SIGNALS:
    void finished();

private:
    struct Arrival {
        enum class Kind { Message, Pong, Close };
        Kind kind = Kind::Message;
        bool binary = false;
        QByteArray bytes; // a message's payload, a pong's, a close's reason
        int code = -1; // Close: the code (-1 none)
    };
    void advance();
    bool takeExpected(const TestScript::Step &step); // true when the step is met
    void fail(const QString &why, int line = -1);
    void finish();
    QString stepLabel(const TestScript::Step &step) const;
    void note(const QString &line);

    TestScript m_script;
    ClientEngine *m_engine;
    qsizetype m_next = 0; // the step to take
    std::deque<Arrival> m_arrived;
    QStringList m_passedOver; // what an expect step looked at and did not take, shown on failure
    qsizetype m_passedOverCount = 0;
    int m_timeoutMs = TestScript::DefaultTimeoutMs;
    QTimer m_stepTimer; // an expect step's time, or a wait's
    bool m_waiting = false; // a wait step is running
    bool m_opened = false;
    bool m_closed = false;
    bool m_finished = false;
    QTimer m_closeGrace;
    QElapsedTimer m_clock;
    Verdict m_verdict;
};
