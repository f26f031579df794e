#include "teach/framelayout.h"
#include "text/sizeformat.h"

#include <QCoreApplication>
#include <QtEndian>

namespace {

// Translation context for the field names, values, meanings and warnings (not a QObject).
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(FrameLayout)
};

QString bitValueText(bool set, const QString &whenSet, const QString &whenClear)
{
    return set ? QStringLiteral("1 (%1)").arg(whenSet) : QStringLiteral("0 (%1)").arg(whenClear);
}

QString opcodeText(quint8 opcode)
{
    const QString hex = QStringLiteral("0x%1").arg(opcode, 0, 16);
    if (Opcode::isReserved(opcode))
        return (Opcode::isControl(opcode) ? Tr::tr("%1 reserved (control)") : Tr::tr("%1 reserved (non-control)"))
            .arg(hex);
    return hex + QLatin1Char(' ') + Opcode::name(opcode);
}

} // namespace

QString FrameLayout::fieldName(FieldId id)
{
    switch (id) {
    case FieldId::None:
        return QString();
    case FieldId::Fin:
        return QStringLiteral("FIN");
    case FieldId::Rsv1:
        return QStringLiteral("RSV1");
    case FieldId::Rsv2:
        return QStringLiteral("RSV2");
    case FieldId::Rsv3:
        return QStringLiteral("RSV3");
    case FieldId::Opcode:
        return Tr::tr("Opcode");
    case FieldId::Mask:
        return QStringLiteral("MASK");
    case FieldId::PayloadLength:
        return Tr::tr("Payload length");
    case FieldId::ExtendedPayloadLength:
        return Tr::tr("Extended payload length");
    case FieldId::MaskingKey:
        return Tr::tr("Masking key");
    case FieldId::Payload:
        return Tr::tr("Payload data");
    }
    return QString();
}

FrameLayout::FrameLayout(QByteArrayView header, qint64 payloadLength, bool compressed)
    : m_payloadLength(qMax<qint64>(0, payloadLength))
    , m_compressed(compressed)
{
    m_headerSize = header.size();
    if (header.isEmpty()) {
        m_complete = true;
        addPayload();
        return;
    }
    describeHeader(header);
    if (m_complete)
        addPayload();
}

void FrameLayout::describeHeader(QByteArrayView header)
{
    const auto *p = reinterpret_cast<const uchar *>(header.data());
    const auto add = [this](FieldId id, qint64 bitOffset, qint64 bitCount, quint64 value, QString valueText,
                         QString meaning, QString warning = QString()) {
        Field f;
        f.id = id;
        f.name = fieldName(id);
        f.bitOffset = bitOffset;
        f.bitCount = bitCount;
        f.byteOffset = bitOffset / 8;
        f.byteCount = (bitOffset + bitCount + 7) / 8 - f.byteOffset;
        f.value = value;
        f.valueText = std::move(valueText);
        f.meaning = std::move(meaning);
        f.warning = std::move(warning);
        m_fields.append(std::move(f));
    };

    const quint8 b0 = p[0];
    const bool fin = b0 & 0x80;
    add(FieldId::Fin, 0, 1, fin, bitValueText(fin, Tr::tr("final fragment"), Tr::tr("more fragments follow")),
        Tr::tr("Set on the last frame of a message; 0 means further fragments of the same message follow."));
    const QString rsvMeaning = Tr::tr(
        "Reserved for extensions; must be 0 unless an extension negotiated in the handshake gives it a meaning.");
    const QString rsvWarning = Tr::tr("set: valid only if a negotiated extension defines this bit");
    for (int i = 0; i < 3; ++i) {
        const bool set = b0 & (0x40 >> i);
        if (i == 0 && set && m_compressed) {
            add(FieldId::Rsv1, 1, 1, 1, bitValueText(true, Tr::tr("compressed (permessage-deflate)"), QString()),
                Tr::tr("permessage-deflate, agreed in the handshake, sets RSV1 on the first frame of a compressed "
                       "message: the payload of its frames is DEFLATE data, inflated once the final frame arrives."));
            continue;
        }
        add(FieldId(int(FieldId::Rsv1) + i), 1 + i, 1, set,
            //: The state of a bit: 1 (set) or 0 (clear)
            bitValueText(set, Tr::tr("set"), Tr::tr("clear")),
            i == 0 ? Tr::tr("Reserved for extensions; permessage-deflate sets it on compressed messages, "
                            "otherwise it must be 0 unless a negotiated extension gives it a meaning.")
                   : rsvMeaning,
            set ? rsvWarning : QString());
    }
    const quint8 opcode = b0 & 0x0F;
    add(FieldId::Opcode, 4, 4, opcode, opcodeText(opcode),
        Tr::tr("Says how to read the payload: a continuation, text or binary data frame, or a close, ping or "
               "pong control frame."),
        Opcode::isReserved(opcode) ? Tr::tr("reserved opcode: a peer must fail the connection (1002)") : QString());

    if (header.size() < 2)
        return;
    const quint8 b1 = p[1];
    const bool mask = b1 & 0x80;
    add(FieldId::Mask, 8, 1, mask, bitValueText(mask, Tr::tr("payload is masked"), Tr::tr("payload is not masked")),
        Tr::tr("Says whether a masking key follows and the payload is XOR-masked with it; clients must mask "
               "every frame and servers must not."));
    const quint8 len7 = b1 & 0x7F;
    const QString len7Text = len7 == 126 ? Tr::tr("126 → 16-bit extended length follows")
        : len7 == 127                    ? Tr::tr("127 → 64-bit extended length follows")
                                         : Tr::tr("%1 → payload is %2").arg(len7).arg(SizeFormat::bytes(len7));
    add(FieldId::PayloadLength, 9, 7, len7, len7Text,
        Tr::tr("The payload length in bytes when it is 0-125; 126 or 127 mean the length follows as a 16- or "
               "64-bit number."));

    const int needed = FrameHeader::sizeFromFirstTwoBytes(header);
    m_complete = header.size() >= needed;
    FrameHeader::decode(header, m_decoded);

    int pos = 2;
    if (len7 >= 126) {
        const int width = len7 == 126 ? 2 : 8;
        if (header.size() < pos + width)
            return;
        const quint64 length = width == 2 ? qFromBigEndian<quint16>(p + pos) : qFromBigEndian<quint64>(p + pos);
        QString warning;
        QString text = SizeFormat::bytes(length);
        if (width == 8 && (length >> 63)) {
            warning = Tr::tr("the most significant bit of a 64-bit length must be 0");
            text = Tr::tr("%1 (invalid: most significant bit set)").arg(length);
        } else if ((width == 2 && length < 126) || (width == 8 && length <= 0xFFFF)) {
            warning = Tr::tr("non-minimal length encoding: the length fits a shorter form");
            text = Tr::tr("%1 (non-minimal encoding)").arg(text);
        }
        add(FieldId::ExtendedPayloadLength, pos * 8, width * 8, length, text,
            Tr::tr("The payload length in bytes as an unsigned big-endian number, for lengths that do not fit "
                   "the 7-bit field."),
            warning);
        m_fields.last().name
            = width == 2 ? Tr::tr("Extended payload length (16-bit)") : Tr::tr("Extended payload length (64-bit)");
        pos += width;
    }
    if (mask) {
        if (header.size() < pos + 4)
            return;
        const quint32 key = qFromBigEndian<quint32>(p + pos);
        add(FieldId::MaskingKey, pos * 8, 32, key, QStringLiteral("0x%1").arg(key, 8, 16, QLatin1Char('0')),
            Tr::tr("Four random bytes chosen by the client for this frame; payload byte i is XORed with key "
                   "byte i mod 4."));
    }
}

void FrameLayout::addPayload()
{
    Field f;
    f.id = FieldId::Payload;
    f.name = fieldName(FieldId::Payload);
    f.byteOffset = m_headerSize;
    f.byteCount = m_payloadLength;
    f.bitOffset = m_headerSize * 8;
    f.bitCount = m_payloadLength * 8;
    f.value = quint64(m_payloadLength);
    f.valueText = SizeFormat::bytes(quint64(m_payloadLength));
    if (m_headerSize > 0 && m_decoded.masked)
        f.valueText += Tr::tr(", masked on the wire");
    if (m_headerSize > 0 && m_decoded.declaredLength != quint64(m_payloadLength))
        f.valueText += Tr::tr(" (header declares %1)").arg(m_decoded.declaredLength);
    if (m_compressed) {
        f.valueText += Tr::tr(", compressed (permessage-deflate)");
        f.meaning = Tr::tr("DEFLATE data: the message compressed by permessage-deflate (RFC 7692), split over its "
                           "frames. The payload view shows it inflated; these are the bytes as they crossed the wire.");
    } else {
        f.meaning = Tr::tr("The application data: UTF-8 text, binary data or a control frame's body, unmasked with "
                           "the masking key before use when MASK is set.");
    }
    m_fields.append(std::move(f));
}

const FrameLayout::Field *FrameLayout::field(FieldId id) const
{
    for (const Field &f : m_fields) {
        if (f.id == id)
            return &f;
    }
    return nullptr;
}

const FrameLayout::Field *FrameLayout::fieldAtByte(qint64 offset) const
{
    for (const Field &f : m_fields) {
        if (f.containsByte(offset))
            return &f;
    }
    return nullptr;
}

QList<const FrameLayout::Field *> FrameLayout::fieldsAtByte(qint64 offset) const
{
    QList<const Field *> result;
    for (const Field &f : m_fields) {
        if (f.containsByte(offset))
            result.append(&f);
    }
    return result;
}

const FrameLayout::Field *FrameLayout::fieldAtBit(qint64 bit) const
{
    for (const Field &f : m_fields) {
        if (f.containsBit(bit))
            return &f;
    }
    return nullptr;
}
