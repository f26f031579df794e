#include "intercept/heldmessagesmodel.h"

#include "log/eventtime.h"
#include "log/payloadpreview.h"
#include "protocol/frame.h"
#include "text/sizeformat.h"

void HeldMessagesModel::note(const WireEvent &event)
{
    if (event.kind != EventKind::Intercept)
        return;
    const std::optional<InterceptNote> note = InterceptNote::fromJson(event.payload);
    if (!note || !note->hold)
        return;
    if (note->action == InterceptNote::Action::Held) {
        const int row = int(m_rows.size());
        beginInsertRows({}, row, row);
        m_rows.push_back({ event.leg, note->hold, note->message, note->opcode, note->fin, note->payload, event.timeUs });
        endInsertRows();
        return;
    }
    const int row = rowOf(event.leg, note->hold);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
}

void HeldMessagesModel::clear()
{
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int HeldMessagesModel::rowOf(Leg from, quint32 hold) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].from == from && m_rows[i].hold == hold)
            return int(i);
    return -1;
}

int HeldMessagesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HeldMessagesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HeldMessagesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Held &h = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case DirectionColumn:
            return h.from == Leg::App ? tr("\u2192 server") : tr("\u2192 application");
        case TypeColumn:
            return h.fin ? Opcode::name(h.opcode) : tr("%1 (not final)").arg(Opcode::name(h.opcode));
        case SizeColumn:
            return SizeFormat::compact(quint64(h.payload.size()));
        case HeldColumn:
            return tr("%1 s").arg(double(EventTime::nowUs() - h.sinceUs) / 1e6, 0, 'f', 1);
        case PreviewColumn:
            return PayloadPreview::frameLine(h.opcode, h.payload, 120);
        }
        break;
    case HoldRole:
        return h.hold;
    case LegRole:
        return int(h.from);
    case OpcodeRole:
        return h.opcode;
    case PayloadRole:
        return h.payload;
    case SinceRole:
        return h.sinceUs;
    }
    return {};
}

QVariant HeldMessagesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DirectionColumn:
        return tr("Way");
    case TypeColumn:
        return tr("Type");
    case SizeColumn:
        return tr("Size");
    case HeldColumn:
        return tr("Held");
    case PreviewColumn:
        return tr("Message");
    }
    return {};
}

void HeldMessagesModel::refreshHeldTimes()
{
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, HeldColumn), index(rowCount() - 1, HeldColumn), { Qt::DisplayRole });
}
