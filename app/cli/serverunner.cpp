#include "serverunner.h"

#include "outputsink.h"
#include "outputwriter.h"

#include "log/eventtime.h"
#include "net/embeddedserver.h"
#include "protocol/closecodes.h"

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

    auto record = [this](quint32 id, Direction direction, EventKind kind, QByteArrayView payload) {
        WireEvent e;
        e.timeUs = EventTime::nowUs();
        e.connectionId = id;
        e.direction = direction;
        e.kind = kind;
        e.payload = payload;
        return e;
    };

    connect(m_server, &EmbeddedServer::clientConnected, this,
        [this, record](quint32 id, const QString &peer, const QByteArray &request) {
            m_sink.record(record(id, Direction::Incoming, EventKind::HandshakeRequest, request));
            const QByteArray text = QStringLiteral("OPEN: client %1 connected").arg(peer).toUtf8();
            WireEvent e = record(id, Direction::Local, EventKind::StateChange, text);
            e.state = ReadyState::Open;
            m_sink.record(e);
        });
    connect(
        m_server, &EmbeddedServer::messageReceived, this, [this](quint32 id, bool isText, const QByteArray &payload) {
            m_sink.recordMessage(EventTime::nowUs(), id, Direction::Incoming, isText, payload);
        });
    connect(m_server, &EmbeddedServer::clientDisconnected, this,
        [this, record](quint32 id, quint16 code, const QString &reason) {
            QString text = QStringLiteral("CLOSED: %1").arg(CloseCodes::label(code));
            if (!reason.isEmpty())
                text += QStringLiteral(", reason \"%1\"").arg(reason);
            const QByteArray utf8 = text.toUtf8();
            WireEvent e = record(id, Direction::Local, EventKind::StateChange, utf8);
            e.state = ReadyState::Closed;
            e.closeCode = code;
            e.wasClean = code != CloseCodes::AbnormalClosure;
            m_sink.record(e);
        });
    connect(m_server, &EmbeddedServer::handshakeFailed, this,
        [this, record](const QString &peer, const QByteArray &received, const QString &reason) {
            if (!received.isEmpty())
                m_sink.record(record(0, Direction::Incoming, EventKind::HandshakeRequest, received));
            const QByteArray text = QStringLiteral("handshake from %1 failed: %2").arg(peer, reason).toUtf8();
            m_sink.record(record(0, Direction::Local, EventKind::Error, text));
        });
}

ServeRunner::~ServeRunner() = default;

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
        line = OutputSink::jsonListeningLine(url, { { "mode", mode }, { "behaviour", behaviour } });
    } else {
        // Unchanged with the defaults: scripts match "listening on URL (echo mode)".
        line = "listening on " + url + " (" + mode + " mode";
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
