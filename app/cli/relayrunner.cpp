#include "relayrunner.h"

#include "outputwriter.h"

#include "log/eventtime.h"
#include "log/jsonlwriter.h"
#include "net/relayserver.h"

#include <QTimer>
#include <cstdio>

RelayRunner::RelayRunner(const CliOptions &options, OutputWriter &writer, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_writer(writer)
    , m_relay(new RelayServer(options.relayOptions(), this))
{
    connect(m_relay, &RelayServer::sessionStarted, this, [this](RelaySession *session) {
        for (WireEventSink *sink : std::as_const(m_sinks))
            session->addSink(sink);
    });
}

RelayRunner::~RelayRunner() = default;

bool RelayRunner::start()
{
    if (!m_relay->listen(m_options.bindAddress, m_options.port)) {
        std::fprintf(stderr, "wsinspector-cli: %s\n", qPrintable(m_relay->errorString()));
        return false;
    }
    const QByteArray url = m_relay->url().toString().toUtf8();
    const QByteArray to = m_options.relayTo.toString().toUtf8();
    QByteArray line;
    if (m_options.format == CliOptions::Format::Jsonl) {
        const qint64 now = EventTime::nowUs();
        line = "{\"time\":\"" + EventTime::iso(now) + "\",\"us\":" + QByteArray::number(now)
            + ",\"conn\":0,\"dir\":\"local\",\"kind\":\"listening\",\"url\":";
        JsonlWriter::appendJsonString(line, url);
        line += ",\"to\":";
        JsonlWriter::appendJsonString(line, to);
        line += "}\n";
    } else {
        line = "relaying " + url + " -> " + to + "\n";
    }
    m_writer.write(line);
    m_writer.flush(); // scripts wait for this line before connecting
    return true;
}

void RelayRunner::interrupt()
{
    if (m_stopping)
        return;
    m_stopping = true;
    std::fputs("wsinspector-cli: stopping the relay\n", stderr);
    m_relay->close(); // every running session records that the relay dropped it
    QTimer::singleShot(0, this, [this] { Q_EMIT finished(ExitCode::Clean); });
}
