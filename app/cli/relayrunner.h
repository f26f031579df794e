#pragma once

#include "clioptions.h"

#include <QObject>

class OutputWriter;
class ProxyServer;
class RelayServer;
class WireEventSink;

// Runs a reverse relay (--relay) or a proxy (--proxy) headless. First line: "relaying
// ws://127.0.0.1:PORT/ -> URL" or "proxying on http://127.0.0.1:PORT" (jsonl: a "listening" event
// with "url" and "to", or "url" and "mode":"proxy"); then every event of every connection with its
// leg (a proxy's tunnels too, as their state lines), until interrupted.
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
    RelayServer *m_relay = nullptr;
    ProxyServer *m_proxy = nullptr;
    QList<WireEventSink *> m_sinks;
    bool m_stopping = false;
};
