#pragma once

#include "script/messagediff.h"
#include "script/replayscript.h"
#include "script/replaytarget.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

// Plays a recorded conversation (ReplayScript) against a server on a connection (ReplayTarget: an
// engine of the command line's, a session of the window's): once the connection is open, sends the client's messages again, at the times they were sent after the
// recorded connection opened (Timing::Recorded) or one after the other at once (Timing::Fast);
// collects what the server sends meanwhile; and once every message is sent and the server has said
// nothing for `quietMs`, closes with 1000. The server closing first ends it too. Then diff() holds
// the server's answers against the recorded ones.
class ReplayRunner : public QObject {
    Q_OBJECT
public:
    enum class Timing : quint8 { Recorded, Fast };
    struct Settings {
        Timing timing = Timing::Recorded;
        int quietMs = 2'000;
        QList<QRegularExpression> ignore; // MessageDiff's
    };

    ReplayRunner(ReplayScript script, ReplayTarget *target, const Settings &settings, QObject *parent = nullptr);

    // Follows the target from now on: call before or after its connection is opened.
    void start();
    // The connection could not even start (options it cannot use): the replay ends with `why`.
    void fail(const QString &why);
    // Ends early (Ctrl-C): closes with 1000; what was sent and received so far is compared.
    void stop();
    bool isFinished() const { return m_finished; }
    bool opened() const { return m_opened; }
    qsizetype sentCount() const { return m_next; }
    const ReplayScript &script() const { return m_script; }
    const QList<MessageDiff::Message> &replayed() const { return m_replayed; }
    const MessageDiff &diff() const { return m_diff; }
    // Why the replay is not a full one, empty when it is: the connection failed, or it closed
    // before every message was sent.
    QString problem() const { return m_problem; }

Q_SIGNALS:
    void finished();

private:
    void onOpened();
    void sendDue();
    void onMessage(quint8 opcode, const QByteArray &payload);
    void onClosed();

    ReplayScript m_script;
    ReplayTarget *m_target;
    Settings m_settings;
    QElapsedTimer m_sinceOpen;
    QTimer m_sendTimer;
    QTimer m_quietTimer;
    qsizetype m_next = 0; // the next message to send
    QList<MessageDiff::Message> m_replayed;
    MessageDiff m_diff;
    QString m_problem;
    bool m_opened = false;
    bool m_finished = false;
};
