#pragma once

#include "clioptions.h"

#include <QObject>
#include <QUrl>

class EmbeddedServer;
class OutputSink;
class OutputWriter;
class WireEventSink;

// Runs the embedded server headless (--serve) and prints what crossed each client's wire, as a
// client run prints its own: the handshake, every frame both ways, OPEN and CLOSED, and refused
// handshakes with the request and the response. The options' ServerBehaviour (--delay, --reject,
// ...) is applied before listening and named in the first line.
class ServeRunner : public QObject {
    Q_OBJECT
public:
    ServeRunner(const CliOptions &options, OutputWriter &writer, OutputSink &sink, QObject *parent = nullptr);
    ~ServeRunner() override;

    // Another receiver of every event (--capture); not owned.
    void addSink(WireEventSink *sink);
    QUrl url() const;

    // Starts listening and prints the URL first; false (reason on standard error) if it cannot.
    bool start();
    // SIGINT/SIGTERM: close every client with 1001 Going Away and stop.
    void interrupt();

Q_SIGNALS:
    void finished(int exitCode);

private:
    CliOptions m_options;
    OutputWriter &m_writer;
    OutputSink &m_sink;
    EmbeddedServer *m_server;
    bool m_stopping = false;
};
