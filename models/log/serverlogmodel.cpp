#include "log/serverlogmodel.h"

#include "log/livedecoding.h"
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
        if (event.kind == EventKind::HandshakeResponse) {
            // The signals carry the request but not the 101, where the agreed subprotocol is: the
            // client's decoding needs it. A refused handshake never becomes a client.
            if (event.connectionId != 0 && isSwitchingProtocols(event.payload)) {
                ServerLogModel *model = m_model;
                QMetaObject::invokeMethod(
                    model,
                    [model, generation = m_generation, id = event.connectionId,
                        response = event.payload.toByteArray()] {
                        if (generation == model->m_feedGeneration)
                            model->noteResponse(id, response);
                    },
                    Qt::QueuedConnection);
            }
            return;
        }
        // Connections, handshakes and failures come with the server's signals; of what Qt's API
        // reported, only what differs from the wire (a note) is worth a row: the rest is in the
        // frames' rows already.
        const bool apiFinding = event.kind == EventKind::Api && event.payload.contains(QByteArrayView("\"note\":"));
        if (event.kind != EventKind::Frame && event.kind != EventKind::Violation && !apiFinding)
            return;
        Pending p;
        p.generation = m_generation;
        Entry &e = p.entry;
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
            p.compressed = event.compressed;
            p.hasInflated = event.hasInflated;
            if (event.hasInflated)
                p.inflated = event.inflated.toByteArray();
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
            [model, p = std::move(p)]() mutable {
                // Posted before the model switched servers: not this server's.
                if (p.generation == model->m_feedGeneration)
                    model->appendFromServer(std::move(p));
            },
            Qt::QueuedConnection);
    }

private:
    static bool isSwitchingProtocols(QByteArrayView response)
    {
        return response.startsWith("HTTP/1.1 101") || response.startsWith("HTTP/1.0 101");
    }

    ServerLogModel *m_model;
    quint64 m_generation;
};

// One client's conversation. The handshake is fed with the client's first data frame: by then
// both halves are here, whichever of the signal (request) and the tap (response) came first.
struct ServerLogModel::ClientDecoding {
    LiveDecoding live;
    QByteArray request;
    QByteArray response;
    bool handshakeFed = false;
};

namespace {
quint64 decodingKey(quint64 generation, quint32 clientId)
{
    return (generation << 32) | clientId;
}
} // namespace

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
    // The next server numbers its clients from 1 again: its conversations are new ones.
    ++m_feedGeneration;
    if (!server)
        return;
    m_feed = std::make_unique<Feed>(this, m_feedGeneration);
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

void ServerLogModel::appendFromServer(Pending pending)
{
    if (!m_server || pending.entry.clientId == 0)
        return;
    pending.entry.peer = m_peers.value(pending.entry.clientId);
    queue(std::move(pending));
}

void ServerLogModel::noteResponse(quint32 clientId, const QByteArray &response)
{
    ClientDecoding &c = clientDecoding(m_feedGeneration, clientId);
    if (!c.handshakeFed)
        c.response = response;
}

ServerLogModel::ClientDecoding &ServerLogModel::clientDecoding(quint64 generation, quint32 clientId)
{
    std::unique_ptr<ClientDecoding> &c = m_decodings[decodingKey(generation, clientId)];
    if (!c)
        c = std::make_unique<ClientDecoding>();
    return *c;
}

bool ServerLogModel::decode(Pending &pending)
{
    Entry &e = pending.entry;
    if (e.clientId == 0)
        return false;
    switch (e.event) {
    case Event::Connected:
        if (ClientDecoding &c = clientDecoding(pending.generation, e.clientId); !c.handshakeFed)
            c.request = e.bytes;
        return false;
    case Event::Disconnected:
        m_decodings.erase(decodingKey(pending.generation, e.clientId));
        return false;
    case Event::Frame:
        break;
    case Event::Violation:
    case Event::HandshakeFailed:
    case Event::Api:
        return false;
    }
    if (Opcode::isControl(e.frame.opcode) || e.direction == Direction::Local)
        return false;
    ClientDecoding &c = clientDecoding(pending.generation, e.clientId);
    WireEvent w;
    w.connectionId = e.clientId;
    // The server's side of the client's connection, as a relay's application leg: what comes in
    // is the client's.
    w.leg = Leg::App;
    if (!c.handshakeFed) {
        c.handshakeFed = true;
        w.kind = EventKind::HandshakeRequest;
        w.direction = Direction::Incoming;
        w.payload = c.request;
        c.live.take(w);
        w.kind = EventKind::HandshakeResponse;
        w.direction = Direction::Outgoing;
        w.payload = c.response; // none (rows appended by hand): the URL still counts
        c.live.take(w);
        c.request = {};
        c.response = {};
    }
    w.kind = EventKind::Frame;
    w.direction = e.direction;
    w.frame = e.frame;
    w.header = e.header;
    w.payload = e.bytes;
    w.compressed = pending.compressed;
    w.hasInflated = pending.hasInflated;
    w.inflated = pending.inflated;
    const Decode::Decoded decoded = c.live.take(w);
    if (decoded.isNull())
        return false;
    e.message = decoded.summary(MessageUnits);
    return true;
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
        if (matches(m_pending[i].entry)) {
            m_pending[i].entry.roundTripMs = roundTripMs;
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
    Pending pending;
    pending.entry = std::move(entry);
    pending.generation = m_feedGeneration;
    queue(std::move(pending));
}

void ServerLogModel::queue(Pending pending)
{
    if (pending.entry.timeMs == 0)
        pending.entry.timeMs = QDateTime::currentMSecsSinceEpoch();
    m_pending.append(std::move(pending));
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void ServerLogModel::flushPending()
{
    m_batchTimer.stop();
    if (m_pending.isEmpty())
        return;
    QList<Pending> pending = std::exchange(m_pending, {});
    // Decoded once, here, so that the rows arrive with their text.
    bool decoded = false;
    for (Pending &p : pending)
        decoded |= decode(p);
    // Every row of an earlier server has passed: its clients' conversations are over for this log.
    std::erase_if(m_decodings, [this](const auto &item) { return item.first >> 32 != m_feedGeneration; });
    const bool found = decoded && !m_hasDecodedRows;
    m_hasDecodedRows = m_hasDecodedRows || decoded;

    const int first = int(m_rows.size());
    const int last = first + int(pending.size()) - 1;
    beginInsertRows({}, first, last);
    m_rows.reserve(m_rows.size() + pending.size());
    for (Pending &p : pending)
        m_rows.append(std::move(p.entry));
    endInsertRows();
    Q_EMIT rowsAppended(first, last);
    if (found)
        Q_EMIT decodedRowsFound();
}

void ServerLogModel::clear()
{
    beginResetModel();
    m_batchTimer.stop();
    // The clients' conversations go on: what was waiting still passes through their decoders, or
    // they would lose their place (a message's first fragments, MQTT's byte stream, a client gone).
    for (Pending &p : m_pending)
        decode(p);
    m_rows.clear();
    m_pending.clear();
    m_hasDecodedRows = false;
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
        case MessageColumn:
            return e.message.left(MessageChars);
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
        case EventColumn:
            return eventText(e); // the column is sized for the usual events; the longer ones are cut
        case MessageColumn:
            // The summary holds peer text in display form already; errors are in it.
            return e.message.isEmpty() ? QVariant() : QVariant(DisplayText::toolTip(e.message));
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
    case MessageColumn:
        return tr("Message");
    case PreviewColumn:
        return tr("Preview");
    }
    return {};
}
