#include "teach/protocolexamples.h"

#include "log/capture.h"
#include "log/protocoldecoding.h"
#include "teach/protocolnotes.h"
#include "text/displaytext.h"
#include "text/sizeformat.h"

#include <algorithm>

using Decode::Protocol;
using Decode::Sender;

ProtocolExamples::ProtocolExamples(QObject *parent)
    : QAbstractListModel(parent)
{
}

void ProtocolExamples::setDecoding(ProtocolDecoding *decoding)
{
    if (m_decoding == decoding)
        return;
    if (m_decoding)
        m_decoding->disconnect(this);
    m_decoding = decoding;
    if (m_decoding) {
        connect(m_decoding, &ProtocolDecoding::reset, this, &ProtocolExamples::restart);
        connect(m_decoding, &ProtocolDecoding::appended, this, [this](qsizetype, qsizetype last) {
            // A protocol found by the content is told with reset() first; this catches any change
            // that came without one.
            if (m_decoding->activeProtocol() != m_protocol)
                restart();
            else
                scanTo(last + 1);
        });
        connect(m_decoding, &QObject::destroyed, this, [this] {
            // QPointer is already null here: forget the rows that pointed into its capture.
            restart();
        });
    }
    restart();
}

ProtocolDecoding *ProtocolExamples::decoding() const
{
    return m_decoding;
}

void ProtocolExamples::setMaxExamples(int count)
{
    count = qMax(0, count);
    if (count == m_maxExamples)
        return;
    m_maxExamples = count;
    restart();
}

void ProtocolExamples::setMaxScannedMessages(qsizetype count)
{
    count = qMax<qsizetype>(0, count);
    if (count == m_maxScanned)
        return;
    m_maxScanned = count;
    restart();
}

QString ProtocolExamples::reason() const
{
    if (!m_decoding || m_protocol == Protocol::None)
        return {};
    for (const Leg leg : { Leg::None, Leg::App, Leg::Server }) {
        if (m_decoding->protocol(leg) == m_protocol)
            return m_decoding->reason(leg);
    }
    return {};
}

void ProtocolExamples::restart()
{
    const Protocol before = m_protocol;
    beginResetModel();
    m_examples.clear();
    m_seenKeys.clear();
    m_scanned = 0;
    m_messagesLooked = 0;
    m_protocol = m_decoding ? m_decoding->activeProtocol() : Protocol::None;
    endResetModel();
    if (m_decoding)
        scanTo(m_decoding->eventCount());
    if (m_protocol != before)
        Q_EMIT protocolChanged(m_protocol);
}

QString ProtocolExamples::rawText(const QByteArray &payload, bool binary)
{
    if (binary) {
        const QByteArray shown = payload.first(qMin(payload.size(), HexBytes)).toHex(' ');
        const QString hex = QString::fromLatin1(shown) + (payload.size() > HexBytes ? QStringLiteral(" …") : QString());
        return tr("%1: %2").arg(SizeFormat::bytes(quint64(payload.size())), hex);
    }
    // A message of line ends only (a STOMP heart-beat) would show as nothing: show its escapes.
    const bool lineEndsOnly = !payload.isEmpty()
        && std::all_of(payload.cbegin(), payload.cend(), [](char c) { return c == '\n' || c == '\r'; });
    return lineEndsOnly ? DisplayText::line(payload, RawChars) : DisplayText::lines(payload, RawChars);
}

QString ProtocolExamples::directionText(Sender sender)
{
    return sender == Sender::Client ? tr("client → server") : tr("server → client");
}

void ProtocolExamples::scanTo(qsizetype end)
{
    if (!m_decoding || m_protocol == Protocol::None)
        return;
    const Capture *capture = m_decoding->capture();
    if (!capture)
        return;
    end = qMin(end, m_decoding->eventCount());
    QList<Example> found;
    const auto full = [&] { return m_examples.size() + found.size() >= m_maxExamples; };
    while (m_scanned < end && !full() && m_messagesLooked < m_maxScanned) {
        const qsizetype index = m_scanned++;
        if (!m_decoding->isDecodable(index))
            continue;
        ++m_messagesLooked;
        const Decode::Decoded decoded = m_decoding->decodedAt(index);
        if (decoded.protocol != m_protocol || !decoded.error.isEmpty())
            continue;
        const WireEvent event = capture->event(index);
        const Capture::Message message = capture->message(index);
        const bool binary = message.opcode == Opcode::Binary;
        QString raw; // made once per message, for its first example
        for (const Decode::Unit &unit : decoded.units) {
            // A unit that carries others (STOMP in SockJS) is shown by what it carries.
            QList<std::pair<const Decode::Unit *, Protocol>> candidates;
            if (unit.inner.isEmpty()) {
                candidates.append({ &unit, decoded.protocol });
            } else {
                for (const Decode::Unit &inner : unit.inner)
                    candidates.append({ &inner, unit.innerProtocol });
            }
            for (const auto &[candidate, protocol] : candidates) {
                if (full())
                    break;
                if (!candidate->error.isEmpty() || !unit.error.isEmpty())
                    continue;
                const bool carried = candidate != &unit;
                const QString key = carried ? unit.type + QLatin1Char('/') + candidate->type : candidate->type;
                if (m_seenKeys.contains(key))
                    continue;
                m_seenKeys.append(key);
                if (raw.isNull())
                    raw = rawText(message.payload, binary);
                Example e;
                e.captureIndex = index;
                e.sender = ProtocolDecoding::senderOf(event);
                e.binary = binary;
                e.bytes = message.payload.size();
                e.protocol = protocol;
                e.type = candidate->type;
                e.kind = carried ? tr("%1 › %2 %3").arg(unit.type, Decode::protocolName(protocol), candidate->type)
                                 : candidate->type;
                e.summary = candidate->summary;
                e.raw = raw;
                e.note = ProtocolNotes::unitNote(protocol, candidate->type);
                found.append(e);
            }
        }
    }
    if (found.isEmpty())
        return;
    const int first = int(m_examples.size());
    beginInsertRows({}, first, first + int(found.size()) - 1);
    m_examples.append(found);
    endInsertRows();
}

int ProtocolExamples::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_examples.size());
}

QVariant ProtocolExamples::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Example &e = m_examples.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return tr("%1: %2").arg(e.kind, e.summary);
    case Qt::ToolTipRole:
        return DisplayText::toolTip(e.raw);
    case CaptureIndexRole:
        return qlonglong(e.captureIndex);
    case TypeRole:
        return e.type;
    case KindRole:
        return e.kind;
    case SummaryRole:
        return e.summary;
    case RawTextRole:
        return e.raw;
    case SenderRole:
        return int(e.sender);
    case BinaryRole:
        return e.binary;
    case NoteRole:
        return e.note;
    default:
        return {};
    }
}

QHash<int, QByteArray> ProtocolExamples::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(CaptureIndexRole, "captureIndex");
    names.insert(TypeRole, "type");
    names.insert(KindRole, "kind");
    names.insert(SummaryRole, "summary");
    names.insert(RawTextRole, "raw");
    names.insert(SenderRole, "sender");
    names.insert(BinaryRole, "binary");
    names.insert(NoteRole, "note");
    return names;
}
