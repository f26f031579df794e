#pragma once

#include "clioptions.h"

#include <QObject>

class EmbeddedServer;
class OutputSink;
class OutputWriter;

// Runs the embedded server headless (--serve) and prints what it reports: each client's handshake
// request, its messages and its disconnection. The embedded server is Qt's QWebSocketServer, which
// reports whole messages rather than frames, so messages print as "message" events. The options'
// ServerBehaviour (--delay, --reject, ...) is applied before listening and named in the first line;
// handshakes it refuses print as errors with the request they carried.
class ServeRunner : public QObject {
    Q_OBJECT
public:
    ServeRunner(const CliOptions &options, OutputWriter &writer, OutputSink &sink, QObject *parent = nullptr);
    ~ServeRunner() override;

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
