#pragma once

#include "log/capture.h"
#include "log/protocoldecoding.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QTimer>

// The message log as a table over one Capture: a row per WireEvent, control frames and violations
// included. Free of Widgets: colours are left to the view, which reads the roles below.
//
// Rows are appended in batches: the Capture signals growth once, and the model inserts every new
// row in one beginInsertRows() at most ~60 times a second, never a row per event.
class MessageLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Message: what the protocol on top makes of a data message (ProtocolDecoding), empty otherwise.
    enum Column { IndexColumn, TimeColumn, DeltaColumn, DirectionColumn, TypeColumn, FlagsColumn, LengthColumn,
                  MessageColumn, PreviewColumn, ColumnCount };
    enum Role {
        EventIndexRole = Qt::UserRole + 1, // qsizetype index into the capture
        KindRole, // EventKind as int
        DirectionRole, // Direction as int
        OpcodeRole, // int, -1 when the row is not a frame
        TypeNameRole, // "text", "binary", "ping", ..., "handshake", "violation", "state", "tls", "error"
        IsViolationRole, // bool: a violation, or a frame that carries an error state
        IsControlRole, // bool: ping/pong/close frame
        PayloadRole, // QByteArray: the whole payload (for search), copied
        LegRole, // Leg as int: a relay's application or server leg, 0 otherwise
    };

    explicit MessageLogModel(QObject *parent = nullptr);

    // The model does not own the capture.
    void setCapture(Capture *capture);
    Capture *capture() const { return m_capture; }
    // The protocol on top, decoded for the Message column; the model does not own it. nullptr: none.
    void setDecoding(ProtocolDecoding *decoding);
    ProtocolDecoding *decoding() const { return m_decoding; }
    // The event shown in `row`, its bytes viewed in place (for filters and views that read whole
    // payloads without copying them into QVariants). `row` must be valid.
    WireEvent eventAt(int row) const { return m_capture->event(row); }
    quint64 payloadBytes() const { return m_capture ? m_capture->payloadBytes() : 0; }
    // Forgets every event (the log's Clear): the capture is emptied, for every view of it.
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Inserts pending rows now instead of at the next batch tick (tests, and before a selection).
    void flushPending();
    // Longest a new event waits before its row appears: 16 ms keeps batches at ≤ ~60 a second.
    static constexpr int BatchIntervalMs = 16;
    // One batch every BatchIntervalMs even with a backlog, sized so that inserting it (the
    // filter's pass, a regular expression say, and the view's) takes about BatchBudgetMs of the
    // window's thread, which shares the machine with the networking thread writing the capture:
    // the size follows the measured cost per row (quick to rise, slow to fall, at most doubling
    // from one batch to the next), between MinRowsPerBatch and MaxRowsPerBatch, starting at
    // FirstBatchRows.
    static constexpr int BatchBudgetMs = 6;
    static constexpr int MinRowsPerBatch = 1024;
    static constexpr int FirstBatchRows = 16384;
    static constexpr int MaxRowsPerBatch = 262144;
    int rowsPerBatch() const { return m_rowsPerBatch; }

    static QString typeName(const WireEvent &event);
    static QString flagsText(const WireEvent &event); // "FIN RSV1 MASK", or "-" for a non-frame
    // What the Dir column's leg and direction mean on a relay ("sent by the server; forwarded ...").
    static QString legToolTip(const WireEvent &event);
    // One line for the preview column: text with control characters escaped, binary as hex, close
    // frames decoded, handshakes as their first line.
    static QString preview(const WireEvent &event, int maxChars = 120);

Q_SIGNALS:
    // Emitted after each batch of rows has been inserted.
    void rowsAppended(int first, int last);
    // The protocol on top was found, chosen or changed: the Message column changed everywhere.
    void decodingReset();

private:
    void appendRows(int maxRows);
    void scheduleBatch();
    void resetFromCapture();

    void decodedRowsChanged(qsizetype first, qsizetype last);
    QVariant messageToolTip(int row) const;
    static constexpr int MessageChars = 300; // the column's text; the tool tip has more

    QPointer<Capture> m_capture;
    QPointer<ProtocolDecoding> m_decoding;
    int m_rows = 0;
    int m_rowsPerBatch = FirstBatchRows;
    double m_nsPerRow = 0; // the estimate the batches are sized by
    QTimer m_batchTimer;
};
