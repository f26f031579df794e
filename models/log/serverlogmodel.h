#pragma once

#include "log/wireevent.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>
#include <unordered_map>

class EmbeddedServer;

// What the embedded server saw, one row per event: clients connecting and leaving, every frame
// both ways as it crossed the client's wire (the server's tap records them; a pong carries the
// round trip Qt measured), the rules clients broke, and failed handshakes. Widget-free; fed by an
// EmbeddedServer's signals and, for frames, by a sink on the server's thread that posts copies here.
//
// Rows are appended in batches like MessageLogModel's: events wait in a pending list and are
// inserted with one beginInsertRows() at most every BatchIntervalMs, never a row per signal.
//
// The protocol on top (Socket.IO, MQTT, STOMP...) is decoded per client: one LiveDecoding per
// client, fed its handshake and its data frames in wire order (the server plays the server: the
// client's frames are incoming and the client's, as on a relay's application leg). Each
// message is decoded once, in the batch that appends its final frame's row; a row keeps only the
// summary. A client's decoding is freed when it disconnects.
class ServerLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        ClientColumn,
        PeerColumn,
        EventColumn,
        SizeColumn,
        MessageColumn, // the decoded summary of a data message, on its final frame's row
        PreviewColumn,
        ColumnCount
    };
    // Api: what Qt's QWebSocket reported where it differs from the wire (bytes: the ApiCall's JSON).
    enum class Event : quint8 { Connected, Frame, Violation, Disconnected, HandshakeFailed, Api };
    Q_ENUM(Event)
    enum Role {
        EventRole = Qt::UserRole + 1, // Event as int
        ClientIdRole, // quint32; 0 for a connection that never became a client
        BytesRole, // QByteArray: the payload, handshake request, or what a failed handshake sent
        CloseCodeRole, // int: the close code of a Disconnected row, 0 otherwise
        TimestampRole, // qint64: milliseconds since the Unix epoch
        DirectionRole, // int (Direction): Incoming for the client's frames, Outgoing for the server's
        HeaderRole, // QByteArray: a frame's header bytes as on the wire
    };

    struct Entry {
        qint64 timeMs = 0;
        quint32 clientId = 0;
        QString peer;
        Event event = Event::Connected;
        quint16 closeCode = 0; // Disconnected
        Direction direction = Direction::Local; // Frame, Violation
        FrameHeader frame; // Frame
        QByteArray header; // Frame: the header bytes as on the wire
        ViolationRule violation = ViolationRule::None;
        std::optional<quint64> roundTripMs; // an incoming pong that answered the server's ping
        QString reason; // Disconnected, HandshakeFailed, Violation
        QByteArray bytes; // see BytesRole
        // Frame: what the data message this frame completes means, as Decode::Decoded::summary()
        // (peer text already through the display rule); set in the batch that appends the row.
        QString message;
    };

    explicit ServerLogModel(QObject *parent = nullptr);
    ~ServerLogModel() override;

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

    // Some row of the log has a decoded message (the pane shows the Message column only then).
    bool hasDecodedRows() const { return m_hasDecodedRows; }
    // Clients whose conversations are followed: one per connected client, freed as each leaves (tests).
    qsizetype decodingClients() const { return qsizetype(m_decodings.size()); }
    // Units of a message the stored summary names before "N more" (the cell shows the start).
    static constexpr int MessageUnits = 64;
    static constexpr int MessageChars = 300; // the cell's text, as the connection log's; the tool tip has all

Q_SIGNALS:
    void rowsAppended(int first, int last);
    // The first row with a decoded message was appended (again after clear()).
    void decodedRowsFound();

private:
    class Feed;
    // A row waiting for the batch, with what only its decoding needs.
    struct Pending {
        Entry entry;
        quint64 generation = 0; // the feed (server) it came from: clients are numbered per server
        bool compressed = false; // permessage-deflate: entry.bytes are the compressed wire bytes
        bool hasInflated = false; // the final frame of a compressed message:
        QByteArray inflated; // the whole message inflated
    };
    struct ClientDecoding;
    void record(quint32 clientId, Event event, const QByteArray &bytes);
    void appendFromServer(Pending pending);
    void queue(Pending pending);
    void noteResponse(quint32 clientId, const QByteArray &response);
    void notePong(quint32 clientId, quint64 roundTripMs);
    // Feeds a pending row to its client's decoding (sets entry.message); false when not decoded.
    bool decode(Pending &pending);
    ClientDecoding &clientDecoding(quint64 generation, quint32 clientId);

    QPointer<EmbeddedServer> m_server;
    std::unique_ptr<Feed> m_feed; // on m_server's sinks while set
    quint64 m_feedGeneration = 0; // which feed's posts are still wanted
    QHash<quint32, QString> m_peers; // connected clients, for the peer column of their messages
    QList<Entry> m_rows;
    QList<Pending> m_pending;
    QTimer m_batchTimer;
    // By generation << 32 | client id; those of an earlier server go once its rows are decoded.
    std::unordered_map<quint64, std::unique_ptr<ClientDecoding>> m_decodings;
    bool m_hasDecodedRows = false;
};
