#pragma once

#include "clioptions.h"
#include "net/clientconnection.h"
#include "net/reconnectschedule.h"
#include "script/expectations.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class SocketIoDriver;
class StdinReader;

// Runs one client connection for the command line: opens it, sends what the options ask for in
// order once it is OPEN (then standard input, then the close), handles Ctrl-C, and works out the
// exit code when it ends. With --reconnect, a connection that drops or cannot be made is followed
// by another (#2, #3, ...) after the schedule's wait, until one is closed as asked or the attempts
// run out; the exit code is then the last one's.
class KeepAlive;

class ClientRunner : public QObject {
    Q_OBJECT
public:
    ClientRunner(const CliOptions &options, QObject *parent = nullptr);

    void addSink(WireEventSink *sink)
    {
        m_sinks << sink;
        m_connection->addSink(sink);
    }
    void start();
    // SIGINT/SIGTERM: the first closes with 1000 (or cancels a connection attempt), the second aborts.
    void interrupt();
    int exitCode() const;
    // One line for standard error when the exit code is not 0.
    QString summary() const;

Q_SIGNALS:
    void finished(int exitCode);

private:
    // A new engine for the next connection, its signals connected and the sinks added.
    void createEngine();
    void openConnection();
    void onOpened();
    void onClosed();
    // --reconnect: schedules the next attempt; false when it should not (closed as asked) or may
    // not (the attempts are used up, said on standard error).
    bool reconnectLater();
    // The run is over: the exit code is worked out and `finished` emitted.
    void finish();
    void sendLine(const QByteArray &line);
    void closeAsAsked();
    // Sending is over (the actions, standard input, the Socket.IO emits): the expectations, then
    // --wait, then the close, each when the one before is done.
    void sendingDone();
    void afterExpectations();
    void failExpectation(const QString &why);

    CliOptions m_options;
    QList<WireEventSink *> m_sinks;
    ClientEngine *m_connection = nullptr; // child; the latest connection
    quint32 m_nextId = 1;
    std::optional<ReconnectSchedule> m_reconnect; // --reconnect
    QTimer m_reconnectTimer;
    QString m_reconnectNote; // for the next connection's CONNECTING line
    bool m_endAsked = false; // closed as asked (--close, end of input, Ctrl-C): not reconnected
    QElapsedTimer m_openFor; // since the latest connection opened
    QList<QByteArray> m_unsentLines; // standard input read while reconnecting
    bool m_inputEnded = false; // --stdin reached its end: the connection closes once its lines are sent
    StdinReader *m_stdin = nullptr;
    SocketIoDriver *m_socketIo = nullptr; // --socketio
    KeepAlive *m_keepAlive = nullptr; // --keepalive
    QString m_deadBecause; // --keepalive found the connection dead: why
    Expectations m_expectations;
    QTimer m_expectTimer; // the expected message waited for did not come in time
    QTimer m_waitTimer; // --wait
    bool m_sendingDone = false;
    bool m_closeAfterWait = false; // the close waits for the expectations and --wait
    QString m_expectationFailure;
    bool m_opened = false;
    bool m_finished = false;
    int m_interrupts = 0;
    int m_violations = 0;
    QString m_firstViolation;
};
