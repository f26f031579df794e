#include "serverunner.h"

#include "outputsink.h"
#include "outputwriter.h"

#include "net/embeddedserver.h"

#include <QTimer>
#include <chrono>
#include <cstdio>

ServeRunner::ServeRunner(const CliOptions &options, OutputWriter &writer, OutputSink &sink, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_writer(writer)
    , m_sink(sink)
    , m_server(new EmbeddedServer(this))
{
    m_server->setMode(options.serveMode == CliOptions::ServeMode::Broadcast ? EmbeddedServer::Mode::Broadcast
                                                                            : EmbeddedServer::Mode::Echo);

    m_server->setEngine(options.serverEngine);
    m_server->addSink(&m_sink);
}

ServeRunner::~ServeRunner()
{
    delete m_server; // before the sinks, which it records into until it is gone
}

void ServeRunner::addSink(WireEventSink *sink)
{
    m_server->addSink(sink);
}

QUrl ServeRunner::url() const
{
    return m_server->url();
}

bool ServeRunner::start()
{
    QString behaviourError;
    if (!m_server->setBehaviour(m_options.behaviour, &behaviourError)) {
        // CliOptions::parse() has checked it; this is a safety net, not a usage message.
        std::fprintf(stderr, "wsinspector-cli: %s\n", qPrintable(behaviourError));
        return false;
    }
    if (!m_server->start(m_options.bindAddress, m_options.port)) {
        std::fprintf(stderr, "wsinspector-cli: %s\n", qPrintable(m_server->errorString()));
        return false;
    }
    const QByteArray url = m_server->url().toString().toUtf8();
    const char *mode = m_options.serveMode == CliOptions::ServeMode::Broadcast ? "broadcast" : "echo";
    const QByteArray behaviour = m_options.behaviour.toString().toUtf8();
    QByteArray line;
    if (m_options.format == CliOptions::Format::Jsonl) {
        line = OutputSink::jsonListeningLine(url,
            { { "mode", mode }, { "engine", EmbeddedServer::engineKey(m_options.serverEngine).toUtf8() },
                { "behaviour", behaviour } });
    } else {
        // Unchanged with the defaults: scripts match "listening on URL (echo mode)".
        line = "listening on " + url + " (" + mode + " mode";
        if (m_options.serverEngine == EmbeddedServer::Engine::Inspector)
            line += ", the inspector's engine";
        if (!m_options.behaviour.isDefault())
            line += "; " + behaviour;
        line += ")\n";
    }
    m_writer.write(line);
    m_writer.flush(); // scripts wait for this line before connecting
    return true;
}

void ServeRunner::interrupt()
{
    if (m_stopping)
        return;
    m_stopping = true;
    std::fputs("wsinspector-cli: stopping the server\n", stderr);
    m_server->stop(); // closes every client with 1001; clientDisconnected reports each
    // Let the close frames leave before the process exits.
    QTimer::singleShot(0, this, [this] { Q_EMIT finished(ExitCode::Clean); });
}
