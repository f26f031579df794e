#pragma once

#include "clioptions.h"
#include "net/clientconnection.h"

#include <QObject>

class SocketIoDriver;
class StdinReader;

// Runs one client connection for the command line: opens it, sends what the options ask for in
// order once it is OPEN (then standard input, then the close), handles Ctrl-C, and works out the
// exit code when it ends.
class ClientRunner : public QObject {
    Q_OBJECT
public:
    ClientRunner(const CliOptions &options, QObject *parent = nullptr);

    void addSink(WireEventSink *sink) { m_connection->addSink(sink); }
    void start();
    // SIGINT/SIGTERM: the first closes with 1000 (or cancels a connection attempt), the second aborts.
    void interrupt();
    int exitCode() const;
    // One line for standard error when the exit code is not 0.
    QString summary() const;

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onOpened();
    void onClosed();
    void closeAsAsked();

    CliOptions m_options;
    ClientEngine *m_connection; // child
    StdinReader *m_stdin = nullptr;
    SocketIoDriver *m_socketIo = nullptr; // --socketio
    bool m_opened = false;
    bool m_finished = false;
    int m_interrupts = 0;
    int m_violations = 0;
    QString m_firstViolation;
};
