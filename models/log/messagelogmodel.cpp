#include "log/messagelogmodel.h"

#include "log/apicall.h"
#include "log/interceptnote.h"
#include "log/turnbudget.h"

#include "text/displaytext.h"
#include "log/payloadpreview.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTimeZone>

#include <algorithm>
#include <limits>

MessageLogModel::MessageLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(BatchIntervalMs);
    connect(&m_batchTimer, &QTimer::timeout, this, [this] {
        // The batch's size fits what this turn has left (TurnBudget), at the measured cost per row.
        const qint64 slice = TurnBudget::sliceNs(BatchBudgetMs * 1'000'000);
        const double fit = m_nsPerRow > 0 ? std::max(double(MinRowsPerBatch), double(slice) / m_nsPerRow) : double(m_rowsPerBatch);
        QElapsedTimer clock;
        clock.start();
        appendRows(int(std::min(double(m_rowsPerBatch), fit)));
        TurnBudget::spent(clock.nsecsElapsed());
    });
}

void MessageLogModel::setCapture(Capture *capture)
{
    if (m_capture)
        m_capture->disconnect(this);
    m_capture = capture;
    if (m_capture) {
        connect(m_capture, &Capture::grown, this, &MessageLogModel::scheduleBatch);
        connect(m_capture, &Capture::cleared, this, &MessageLogModel::resetFromCapture);
    }
    resetFromCapture();
}

void MessageLogModel::setDecoding(ProtocolDecoding *decoding)
{
    if (m_decoding)
        m_decoding->disconnect(this);
    m_decoding = decoding;
    if (m_decoding) {
        connect(m_decoding, &ProtocolDecoding::reset, this, [this] {
            decodedRowsChanged(0, m_rows - 1);
            Q_EMIT decodingReset();
        });
        connect(m_decoding, &ProtocolDecoding::appended, this, &MessageLogModel::decodedRowsChanged);
    }
    decodedRowsChanged(0, m_rows - 1);
    Q_EMIT decodingReset();
}

void MessageLogModel::decodedRowsChanged(qsizetype first, qsizetype last)
{
    last = qMin<qsizetype>(last, m_rows - 1);
    if (first > last)
        return;
    Q_EMIT dataChanged(index(int(first), MessageColumn), index(int(last), MessageColumn), { Qt::DisplayRole, Qt::ToolTipRole });
}

void MessageLogModel::resetFromCapture()
{
    beginResetModel();
    m_batchTimer.stop();
    m_rows = 0;
    if (m_capture) {
        m_rows = int(m_capture->count());
    }
    endResetModel();
}

void MessageLogModel::clear()
{
    if (m_capture)
        m_capture->clear(); // cleared() resets this model and every other one on the capture
}

void MessageLogModel::scheduleBatch()
{
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void MessageLogModel::flushPending()
{
    appendRows(std::numeric_limits<int>::max());
}

void MessageLogModel::appendRows(int maxRows)
{
    m_batchTimer.stop();
    if (!m_capture)
        return;
    const int captured = int(m_capture->count());
    if (captured <= m_rows)
        return;
    // Each row costs the filter and the view some work: a backlog is taken in over several
    // batches, so that the window keeps answering while a flood is shown.
    const int total = captured - m_rows > maxRows ? m_rows + maxRows : captured;
    const int first = m_rows;
    QElapsedTimer cost;
    cost.start();
    beginInsertRows({}, first, total - 1);
    m_rows = total;
    endInsertRows(); // the filter and the view take the rows in here
    // A batch large enough to measure sets the next one's size from its cost per row. The cost
    // varies from batch to batch (the filter's and the view's arrays grow now and then, the other
    // thread competes for the cache), so the estimate rises at once and falls by halves, and a
    // batch is at most twice the last: one cheap batch must not make the next take 15 ms.
    const qint64 rows = total - first;
    if (rows >= MinRowsPerBatch) {
        const double measured = std::max(1.0, double(cost.nsecsElapsed()) / double(rows));
        m_nsPerRow = measured >= m_nsPerRow ? measured : (m_nsPerRow + measured) / 2;
        const double fit = BatchBudgetMs * 1e6 / m_nsPerRow;
        m_rowsPerBatch = int(std::clamp(std::min(fit, 2.0 * double(rows)), double(MinRowsPerBatch), double(MaxRowsPerBatch)));
    }
    Q_EMIT rowsAppended(first, total - 1);
    if (total < captured)
        m_batchTimer.start(BatchIntervalMs);
}

int MessageLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int MessageLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MessageLogModel::typeName(const WireEvent &event)
{
    switch (event.kind) {
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        return QStringLiteral("handshake");
    case EventKind::Frame:
        return Opcode::name(event.frame.opcode);
    case EventKind::Violation:
        return QStringLiteral("violation");
    case EventKind::StateChange:
        return QStringLiteral("state");
    case EventKind::TlsInfo:
        return QStringLiteral("tls");
    case EventKind::Error:
        return QStringLiteral("error");
    case EventKind::Api:
        return QStringLiteral("api");
    case EventKind::Intercept:
        return QStringLiteral("intercept");
    }
    return QString();
}

QString MessageLogModel::flagsText(const WireEvent &event)
{
    if (event.header.isEmpty())
        return QStringLiteral("-");
    QStringList flags;
    if (event.frame.fin)
        flags << QStringLiteral("FIN");
    if (event.frame.rsv & Rsv::Rsv1)
        flags << QStringLiteral("RSV1");
    if (event.frame.rsv & Rsv::Rsv2)
        flags << QStringLiteral("RSV2");
    if (event.frame.rsv & Rsv::Rsv3)
        flags << QStringLiteral("RSV3");
    if (event.frame.masked)
        flags << QStringLiteral("MASK");
    return flags.isEmpty() ? QStringLiteral("·") : flags.join(QLatin1Char(' '));
}

QString MessageLogModel::preview(const WireEvent &event, int maxChars)
{
    if (event.payloadDropped)
        return tr("(payload dropped to stay within the memory budget)");
    switch (event.kind) {
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        return PayloadPreview::firstLine(event.payload, maxChars);
    case EventKind::Frame:
        // A compressed message is previewed inflated, on its final frame; its other frames hold
        // DEFLATE data that means nothing alone.
        if (event.hasInflated)
            return PayloadPreview::frameLine(event.frame.opcode, event.inflated, maxChars);
        if (event.compressed)
            return tr("(compressed) %1").arg(PayloadPreview::hex(event.payload, maxChars / 3));
        return PayloadPreview::frameLine(event.frame.opcode, event.payload, maxChars);
    case EventKind::Api:
        if (const std::optional<ApiCall> call = ApiCall::fromJson(event.payload))
            return call->summary(maxChars);
        return DisplayText::line(event.payload, maxChars);
    case EventKind::Intercept:
        if (const std::optional<InterceptNote> note = InterceptNote::fromJson(event.payload))
            return note->summary();
        return DisplayText::line(event.payload, maxChars);
    default:
        return DisplayText::line(event.payload, maxChars);
    }
}

QVariant MessageLogModel::data(const QModelIndex &index, int role) const
{
    if (!m_capture || !index.isValid() || index.row() >= m_rows)
        return {};
    const WireEvent e = m_capture->event(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IndexColumn:
            return index.row() + 1;
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(e.timeUs / 1000).toString(QStringLiteral("HH:mm:ss.zzz"))
                + QString::number(e.timeUs % 1000).rightJustified(3, QLatin1Char('0'));
        case DeltaColumn: {
            if (index.row() == 0)
                return QString();
            const qint64 delta = e.timeUs - m_capture->event(index.row() - 1).timeUs;
            return delta < 1000 ? tr("+%1 µs").arg(delta) : tr("+%1 ms").arg(double(delta) / 1000.0, 0, 'f', 3);
        }
        case DirectionColumn: {
            if (e.leg == Leg::None)
                return e.direction == Direction::Incoming ? tr("\u2193 in")
                    : e.direction == Direction::Outgoing  ? tr("\u2191 out")
                                                          : QStringLiteral("\u2022");
            // A relay: the leg, then the direction as seen by the inspector on it (the tool tip says
            // it in words).
            const QString arrow = e.direction == Direction::Incoming ? QStringLiteral("\u2193")
                : e.direction == Direction::Outgoing                 ? QStringLiteral("\u2191")
                                                                     : QStringLiteral("\u2022");
            return e.leg == Leg::App ? tr("app %1").arg(arrow) : tr("server %1").arg(arrow);
        }
        case TypeColumn:
            return typeName(e);
        case FlagsColumn:
            return flagsText(e);
        case LengthColumn:
            if (e.payloadDropped) // the header still says how long it was
                return e.kind == EventKind::Frame ? QVariant(qulonglong(e.frame.declaredLength)) : QVariant(QString());
            if (e.hasInflated) // wire bytes → the message they inflate to
                return tr("%1 → %2").arg(e.payload.size()).arg(e.inflated.size());
            return e.kind == EventKind::Frame ? QVariant(qulonglong(e.payload.size())) : QVariant(QString());
        case MessageColumn:
            if (m_decoding && e.kind == EventKind::Frame && m_decoding->isDecodable(index.row()))
                return m_decoding->decodedAt(index.row()).summary().left(MessageChars);
            return QString();
        case PreviewColumn:
            return preview(e);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn)
            return messageToolTip(index.row());
        // Tooltips guess rich text; what the peer sent must stay plain, so escape it and say so.
        if (index.column() == PreviewColumn && e.kind != EventKind::Frame)
            return DisplayText::toolTip(DisplayText::lines(e.payload, 2000));
        if (e.kind == EventKind::Frame && e.hasInflated && index.column() == LengthColumn) {
            return tr("compressed (permessage-deflate): %1 bytes on the wire, %2 bytes inflated (%3)")
                .arg(e.payload.size())
                .arg(e.inflated.size())
                .arg(PayloadPreview::wireShare(e.payload.size(), e.inflated.size()));
        }
        if (index.column() == DirectionColumn && e.leg != Leg::None)
            return legToolTip(e);
        if (e.kind == EventKind::Frame && !e.header.isEmpty())
            return tr("header %1").arg(QString::fromLatin1(e.header.toByteArray().toHex(' ')));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == IndexColumn || index.column() == LengthColumn || index.column() == DeltaColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EventIndexRole:
        return index.row();
    case KindRole:
        return int(e.kind);
    case DirectionRole:
        return int(e.direction);
    case LegRole:
        return int(e.leg);
    case OpcodeRole:
        return e.kind == EventKind::Frame ? int(e.frame.opcode) : -1;
    case TypeNameRole:
        return typeName(e);
    case IsViolationRole:
        return e.kind == EventKind::Violation || e.kind == EventKind::Error;
    case IsControlRole:
        return e.kind == EventKind::Frame && Opcode::isControl(e.frame.opcode);
    case PayloadRole: // what search looks in: the message a compressed frame inflates to
        return e.content().toByteArray();
    }
    return {};
}

QString MessageLogModel::legToolTip(const WireEvent &e)
{
    if (e.leg == Leg::App) {
        return e.direction == Direction::Incoming ? tr("sent by the application; forwarded to the server unchanged")
            : e.direction == Direction::Outgoing  ? tr("sent to the application by the relay")
                                                  : tr("on the application's leg of the relay");
    }
    return e.direction == Direction::Incoming ? tr("sent by the server; forwarded to the application unchanged")
        : e.direction == Direction::Outgoing  ? tr("sent to the server by the relay")
                                              : tr("on the server's leg of the relay");
}

QVariant MessageLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IndexColumn:
        return QStringLiteral("#");
    case TimeColumn:
        return tr("Time");
    case DeltaColumn:
        return tr("Delta");
    case DirectionColumn:
        return tr("Dir");
    case TypeColumn:
        return tr("Type");
    case FlagsColumn:
        return tr("Flags");
    case LengthColumn:
        return tr("Length");
    case MessageColumn:
        return tr("Message");
    case PreviewColumn:
        return tr("Preview");
    }
    return {};
}

QVariant MessageLogModel::messageToolTip(int row) const
{
    if (!m_decoding || !m_decoding->isDecodable(row))
        return {};
    const Decode::Decoded decoded = m_decoding->decodedAt(row);
    if (decoded.isNull())
        return {};
    // The summary holds peer text in display form already; the pairing is ours.
    QString text = decoded.summary(1 << 10);
    if (const QString pairs = m_decoding->pairingText(row); !pairs.isEmpty())
        text += QLatin1Char('\n') + pairs;
    return DisplayText::toolTip(text);
}
