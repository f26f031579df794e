#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QTimer>

class EmbeddedServer;

// What the embedded server saw, one row per event: clients connecting and leaving, messages,
// pongs and failed handshakes. Widget-free; fed by an EmbeddedServer's signals.
//
// Rows are appended in batches like MessageLogModel's: events wait in a pending list and are
// inserted with one beginInsertRows() at most every BatchIntervalMs, never a row per signal.
class ServerLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, ClientColumn, PeerColumn, EventColumn, SizeColumn, PreviewColumn, ColumnCount };
    enum class Event : quint8 { Connected, TextMessage, BinaryMessage, Pong, Disconnected, HandshakeFailed };
    Q_ENUM(Event)
    enum Role {
        EventRole = Qt::UserRole + 1, // Event as int
        ClientIdRole, // quint32; 0 for a connection that never became a client
        BytesRole, // QByteArray: the payload, handshake request, or what a failed handshake sent
        CloseCodeRole, // int: the close code of a Disconnected row, 0 otherwise
        TimestampRole, // qint64: milliseconds since the Unix epoch
    };

    struct Entry {
        qint64 timeMs = 0;
        quint32 clientId = 0;
        QString peer;
        Event event = Event::Connected;
        quint16 closeCode = 0; // Disconnected
        quint64 roundTripMs = 0; // Pong
        QString reason; // Disconnected, HandshakeFailed
        QByteArray bytes; // see BytesRole
    };

    explicit ServerLogModel(QObject *parent = nullptr);

    // Not owned. Events from the previous server stop; its rows stay.
    void setServer(EmbeddedServer *server);
    EmbeddedServer *server() const { return m_server; }

    // Queues a row for the next batch (the server's signals land here).
    void append(Entry entry);
    // Inserts pending rows now instead of at the next batch tick (tests, before a selection).
    void flushPending();
    void clear();
    const Entry &entry(int row) const { return m_rows.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static constexpr int BatchIntervalMs = 16;

    static QString eventText(const Entry &entry); // "connected", "text", "disconnected 1000 Normal Closure" ...
    // One plain line: control characters escaped, binary (and text that is not UTF-8) as hex.
    static QString preview(const Entry &entry, int maxChars = 120);

Q_SIGNALS:
    void rowsAppended(int first, int last);

private:
    void record(quint32 clientId, Event event, const QByteArray &bytes);

    QPointer<EmbeddedServer> m_server;
    QHash<quint32, QString> m_peers; // connected clients, for the peer column of their messages
    QList<Entry> m_rows;
    QList<Entry> m_pending;
    QTimer m_batchTimer;
};
