#include "log/serverlogmodel.h"

#include "log/messagelogmodel.h"
#include "net/embeddedserver.h"
#include "protocol/closecodes.h"
#include "text/displaytext.h"

#include <QDateTime>
#include <QLocale>

ServerLogModel::ServerLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(BatchIntervalMs);
    connect(&m_batchTimer, &QTimer::timeout, this, &ServerLogModel::flushPending);
}

void ServerLogModel::setServer(EmbeddedServer *server)
{
    if (m_server)
        m_server->disconnect(this);
    m_server = server;
    m_peers.clear();
    if (!server)
        return;
    const QList<EmbeddedServer::Client> clients = server->clients();
    for (const EmbeddedServer::Client &client : clients)
        m_peers.insert(client.id, client.peer);

    connect(server, &EmbeddedServer::clientConnected, this,
        [this](quint32 id, const QString &peer, const QByteArray &request) {
            m_peers.insert(id, peer);
            record(id, Event::Connected, request);
        });
    connect(server, &EmbeddedServer::messageReceived, this, [this](quint32 id, bool isText, const QByteArray &payload) {
        record(id, isText ? Event::TextMessage : Event::BinaryMessage, payload);
    });
    connect(
        server, &EmbeddedServer::pongReceived, this, [this](quint32 id, quint64 elapsedMs, const QByteArray &payload) {
            Entry e;
            e.clientId = id;
            e.peer = m_peers.value(id);
            e.event = Event::Pong;
            e.roundTripMs = elapsedMs;
            e.bytes = payload;
            append(std::move(e));
        });
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
    case Event::TextMessage:
        return tr("text");
    case Event::BinaryMessage:
        return tr("binary");
    case Event::Pong:
        return tr("pong after %1 ms").arg(entry.roundTripMs);
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
    case Event::TextMessage:
    case Event::BinaryMessage:
    case Event::Pong:
        e.kind = EventKind::Frame;
        e.frame.opcode = entry.event == Event::TextMessage ? Opcode::Text
            : entry.event == Event::BinaryMessage          ? Opcode::Binary
                                                           : Opcode::Pong;
        e.payload = entry.bytes;
        break;
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
            return e.event == Event::Disconnected ? QVariant(QString()) : QVariant(qulonglong(e.bytes.size()));
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
