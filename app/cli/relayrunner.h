#pragma once

#include "clioptions.h"

#include <QObject>

class OutputWriter;
class RelayServer;
class WireEventSink;

// Runs a reverse relay headless (--relay): prints "relaying ws://127.0.0.1:PORT/ -> URL" (jsonl: a
// "listening" event with "url" and "to") first, then every event of every application connection
// with its leg, until interrupted.
class RelayRunner : public QObject {
    Q_OBJECT
public:
    RelayRunner(const CliOptions &options, OutputWriter &writer, QObject *parent = nullptr);
    ~RelayRunner() override;

    // Every session's events go to these (standard output, the --capture file).
    void addSink(WireEventSink *sink) { m_sinks.append(sink); }
    // Starts listening and prints the first line; false (reason on standard error) if it cannot.
    bool start();
    // SIGINT/SIGTERM: drop every relayed connection (recorded) and stop.
    void interrupt();

Q_SIGNALS:
    void finished(int exitCode);

private:
    CliOptions m_options;
    OutputWriter &m_writer;
    RelayServer *m_relay;
    QList<WireEventSink *> m_sinks;
    bool m_stopping = false;
};
