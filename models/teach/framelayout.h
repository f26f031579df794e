#pragma once

// Where each RFC 6455 §5.2 field of one frame sits on the wire, what it holds and what it means.
// Pure description over a frame's exact header bytes: the hex view uses it for colours, tooltips
// and hit-testing, and the teaching frame diagram fills its boxes from it.

#include "protocol/frame.h"

#include <QByteArrayView>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QtGlobal>

class FrameLayout {
    Q_GADGET
public:
    // Stable ids, in wire order. None stands for "no field" (nothing selected, a byte outside every field).
    enum class FieldId : quint8 {
        None = 0,
        Fin,
        Rsv1,
        Rsv2,
        Rsv3,
        Opcode,
        Mask,
        PayloadLength, // the 7-bit field
        ExtendedPayloadLength, // the 16- or 64-bit field, present when the 7-bit field says 126 or 127
        MaskingKey,
        Payload,
    };
    Q_ENUM(FieldId)

    struct Field {
        FieldId id = FieldId::None;
        QString name; // "FIN", "Opcode", "Extended payload length (16-bit)" ...
        qint64 byteOffset = 0; // first byte of the frame the field touches
        qint64 byteCount = 0; // bytes it touches (FIN..opcode share byte 0: each has byteCount 1)
        qint64 bitOffset = 0; // first bit, counted over the whole frame from 0 = MSB of byte 0
        qint64 bitCount = 0;
        quint64 value = 0; // the raw bits as a number; for Payload, its length in bytes
        QString valueText; // "1 (final fragment)", "0x1 text", "126 → 16-bit extended length follows" ...
        QString meaning; // one sentence for a learner
        QString warning; // empty unless the value breaks or bends an RFC rule ("reserved opcode ...")

        bool containsByte(qint64 offset) const { return offset >= byteOffset && offset < byteOffset + byteCount; }
        bool containsBit(qint64 bit) const { return bit >= bitOffset && bit < bitOffset + bitCount; }
        qint64 endByte() const { return byteOffset + byteCount; } // one past the last byte
    };

    FrameLayout() = default;
    // `header` is the frame's exact header (2..14 bytes); `payloadLength` the bytes that follow it.
    // An empty header describes a bare payload (one Payload field from offset 0). A header shorter
    // than its first two bytes announce describes only the fields it fully holds, and no payload.
    // `compressed`: the frame belongs to a message compressed with a negotiated permessage-deflate,
    // so RSV1 and the payload are explained as such.
    FrameLayout(QByteArrayView header, qint64 payloadLength, bool compressed = false);

    // True when the header holds every byte its first two bytes announce.
    bool isComplete() const { return m_complete; }
    bool hasHeader() const { return m_headerSize > 0; }
    const FrameHeader &header() const { return m_decoded; }
    qint64 headerSize() const { return m_headerSize; }
    qint64 payloadLength() const { return m_payloadLength; }
    qint64 totalSize() const { return m_headerSize + m_payloadLength; }

    // Fields in wire order (bit order).
    const QList<Field> &fields() const { return m_fields; }
    // nullptr when the frame has no such field (no extended length, unmasked, ...).
    const Field *field(FieldId id) const;
    // The first field touching byte `offset` (FIN for byte 0); nullptr outside every field.
    const Field *fieldAtByte(qint64 offset) const;
    // Every field touching byte `offset`, in wire order: FIN, RSV1, RSV2, RSV3, Opcode for byte 0.
    QList<const Field *> fieldsAtByte(qint64 offset) const;
    const Field *fieldAtBit(qint64 bit) const;

    // "FIN", "RSV1", ..., "Payload data": the short name whether or not a frame has the field.
    static QString fieldName(FieldId id);

private:
    void describeHeader(QByteArrayView header);
    void addPayload();

    QList<Field> m_fields;
    FrameHeader m_decoded;
    qint64 m_headerSize = 0;
    qint64 m_payloadLength = 0;
    bool m_complete = false;
    bool m_compressed = false;
};
