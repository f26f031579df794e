#include "log/serverlogmodel.h"

#include "log/messagelogmodel.h"
#include "net/embeddedserver.h"
#include "protocol/closecodes.h"
#include "text/displaytext.h"

#include <QDateTime>
#include <QLocale>

// Runs on the server's thread: copies each frame and violation and posts it to the model, after
// the signals already posted, so that rows keep the server's order. Queued calls to a model that
// is gone are dropped by Qt.
class ServerLogModel::Feed : public WireEventSink {
public:
    Feed(ServerLogModel *model, quint64 generation)
        : m_model(model)
        , m_generation(generation)
    {
    }
    void record(const WireEvent &event) override
    {
        // Connections, handshakes and failures come with the server's signals; of what Qt's API
        // reported, only what differs from the wire (a note) is worth a row: the rest is in the
        // frames' rows already.
        const bool apiFinding = event.kind == EventKind::Api && event.payload.contains(QByteArrayView("\"note\":"));
        if (event.kind != EventKind::Frame && event.kind != EventKind::Violation && !apiFinding)
            return;
        Entry e;
        e.timeMs = event.timeUs / 1000;
        e.clientId = event.connectionId;
        e.direction = event.direction;
        if (event.kind == EventKind::Api) {
            e.event = Event::Api;
            e.bytes = event.payload.toByteArray();
        } else if (event.kind == EventKind::Frame) {
            e.event = Event::Frame;
            e.frame = event.frame;
            e.header = event.header.toByteArray();
            e.bytes = event.payload.toByteArray();
        } else {
            e.event = Event::Violation;
            e.violation = event.violation;
            e.closeCode = event.closeCode;
            e.reason = QString::fromUtf8(event.payload);
            e.header = event.header.toByteArray();
        }
        ServerLogModel *model = m_model;
        QMetaObject::invokeMethod(
            model,
            [model, generation = m_generation, e = std::move(e)]() mutable {
                // Posted before the model switched servers: not this server's.
                if (generation == model->m_feedGeneration)
                    model->appendFromServer(std::move(e));
            },
            Qt::QueuedConnection);
    }

private:
    ServerLogModel *m_model;
    quint64 m_generation;
};

ServerLogModel::ServerLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(BatchIntervalMs);
    connect(&m_batchTimer, &QTimer::timeout, this, &ServerLogModel::flushPending);
}

ServerLogModel::~ServerLogModel()
{
    setServer(nullptr); // off the server's sinks before the feed goes
}

void ServerLogModel::setServer(EmbeddedServer *server)
{
    if (m_server) {
        m_server->disconnect(this);
        m_server->removeSink(m_feed.get());
    }
    m_feed.reset();
    m_server = server;
    m_peers.clear();
    if (!server)
        return;
    m_feed = std::make_unique<Feed>(this, ++m_feedGeneration);
    server->addSink(m_feed.get());
    const QList<EmbeddedServer::Client> clients = server->clients();
    for (const EmbeddedServer::Client &client : clients)
        m_peers.insert(client.id, client.peer);

    connect(server, &EmbeddedServer::clientConnected, this,
        [this](quint32 id, const QString &peer, const QByteArray &request) {
            m_peers.insert(id, peer);
            record(id, Event::Connected, request);
        });
    connect(server, &EmbeddedServer::pongReceived, this,
        [this](quint32 id, quint64 elapsedMs, const QByteArray &) { notePong(id, elapsedMs); });
    connect(server, &EmbeddedServer::clientDisconnected, this, [this](quint32 id, quint16 code, const QString &reason) {
        Entry e;
        e.clientId = id;
        e.peer = m_peers.take(id);
        e.event = Event::Disconnected;
        e.closeCode = code;
        e.reason = reason;
        append(std::move(e));
    });
    connect(server, &EmbeddedServer::handshakeFailed, this,
        [this](const QString &peer, const QByteArray &received, const QString &reason) {
            Entry e;
            e.peer = peer;
            e.event = Event::HandshakeFailed;
            e.reason = reason;
            e.bytes = received;
            append(std::move(e));
        });
}

void ServerLogModel::record(quint32 clientId, Event event, const QByteArray &bytes)
{
    Entry e;
    e.clientId = clientId;
    e.peer = m_peers.value(clientId);
    e.event = event;
    e.bytes = bytes;
    append(std::move(e));
}

void ServerLogModel::appendFromServer(Entry entry)
{
    if (!m_server || entry.clientId == 0)
        return;
    entry.peer = m_peers.value(entry.clientId);
    append(std::move(entry));
}

void ServerLogModel::notePong(quint32 clientId, quint64 roundTripMs)
{
    // Qt reports a pong after the tap recorded its frame: the latest such frame of the client
    // that has no round trip yet is the one.
    auto matches = [clientId](const Entry &e) {
        return e.event == Event::Frame && e.clientId == clientId && e.frame.opcode == Opcode::Pong
            && e.direction == Direction::Incoming && !e.roundTripMs;
    };
    for (qsizetype i = m_pending.size() - 1; i >= 0; --i) {
        if (matches(m_pending[i])) {
            m_pending[i].roundTripMs = roundTripMs;
            return;
        }
    }
    for (qsizetype i = m_rows.size() - 1; i >= 0 && i >= m_rows.size() - 1000; --i) {
        if (matches(m_rows[i])) {
            m_rows[i].roundTripMs = roundTripMs;
            Q_EMIT dataChanged(index(int(i), EventColumn), index(int(i), EventColumn));
            return;
        }
    }
}

void ServerLogModel::append(Entry entry)
{
    if (entry.timeMs == 0)
        entry.timeMs = QDateTime::currentMSecsSinceEpoch();
    m_pending.append(std::move(entry));
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void ServerLogModel::flushPending()
{
    m_batchTimer.stop();
    if (m_pending.isEmpty())
        return;
    const int first = int(m_rows.size());
    const int last = first + int(m_pending.size()) - 1;
    beginInsertRows({}, first, last);
    m_rows.append(std::move(m_pending));
    m_pending = {};
    endInsertRows();
    Q_EMIT rowsAppended(first, last);
}

void ServerLogModel::clear()
{
    beginResetModel();
    m_batchTimer.stop();
    m_rows.clear();
    m_pending.clear();
    endResetModel();
}

int ServerLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ServerLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ServerLogModel::eventText(const Entry &entry)
{
    switch (entry.event) {
    case Event::Connected:
        return tr("connected");
    case Event::Frame: {
        // Arrows as in the command line's output: "<-" from the client, "->" from the server.
        QString text = (entry.direction == Direction::Incoming ? QStringLiteral("\u2190 ") : QStringLiteral("\u2192 "))
            + Opcode::name(entry.frame.opcode);
        if (!entry.frame.fin)
            text = tr("%1 (more to come)").arg(text);
        if (entry.roundTripMs)
            text = tr("%1 after %2 ms").arg(text).arg(*entry.roundTripMs);
        return text;
    }
    case Event::Api:
        return tr("API (Qt)");
    case Event::Violation:
        return tr("%1 violation").arg(entry.direction == Direction::Outgoing ? QStringLiteral("\u2192") : QStringLiteral("\u2190"));
    case Event::Disconnected:
        return tr("disconnected %1").arg(CloseCodes::label(entry.closeCode));
    case Event::HandshakeFailed:
        return tr("handshake failed");
    }
    return QString();
}

QString ServerLogModel::preview(const Entry &entry, int maxChars)
{
    // The client log's preview already escapes and hex-encodes exactly as DESIGN.md asks; describe
    // the server's event as the WireEvent it corresponds to and let it do the work.
    WireEvent e;
    QByteArray reason;
    switch (entry.event) {
    case Event::Connected:
        e.kind = EventKind::HandshakeRequest;
        e.payload = entry.bytes;
        break;
    case Event::Frame:
        e.kind = EventKind::Frame;
        e.frame = entry.frame;
        e.payload = entry.bytes;
        break;
    case Event::Api:
        e.kind = EventKind::Api;
        e.payload = entry.bytes;
        break;
    case Event::Violation:
    case Event::Disconnected:
    case Event::HandshakeFailed:
        e.kind = EventKind::Error;
        reason = entry.reason.toUtf8();
        e.payload = reason;
        break;
    }
    return MessageLogModel::preview(e, maxChars);
}

QVariant ServerLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Entry &e = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(QStringLiteral("HH:mm:ss.zzz"));
        case ClientColumn:
            return e.clientId ? QStringLiteral("#%1").arg(e.clientId) : QStringLiteral("\u2014");
        case PeerColumn:
            return e.peer;
        case EventColumn:
            return eventText(e);
        case SizeColumn:
            return e.event == Event::Disconnected || e.event == Event::Violation || e.event == Event::Api
                ? QVariant(QString())
                                                                                 : QVariant(qulonglong(e.bytes.size()));
        case PreviewColumn:
            return preview(e);
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case TimeColumn:
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(e.timeMs), QLocale::LongFormat);
        case SizeColumn:
            return e.event == Event::Connected      ? tr("bytes of the handshake request")
                : e.event == Event::HandshakeFailed ? tr("bytes received before the connection was dropped")
                : e.event == Event::Disconnected    ? QVariant()
                                                    : tr("payload bytes");
        case PreviewColumn:
            // Tool tips guess at rich text; escaped inside explicit markup, what the peer sent
            // can never be taken for markup.
            return DisplayText::toolTip(preview(e, 1000));
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == ClientColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EventRole:
        return int(e.event);
    case ClientIdRole:
        return e.clientId;
    case BytesRole:
        return e.bytes;
    case CloseCodeRole:
        return int(e.closeCode);
    case TimestampRole:
        return e.timeMs;
    case DirectionRole:
        return int(e.direction);
    case HeaderRole:
        return e.header;
    }
    return {};
}

QVariant ServerLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ClientColumn:
        return tr("Client");
    case PeerColumn:
        return tr("Peer");
    case EventColumn:
        return tr("Event");
    case SizeColumn:
        return tr("Size");
    case PreviewColumn:
        return tr("Preview");
    }
    return {};
}
