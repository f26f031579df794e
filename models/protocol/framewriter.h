#pragma once

#include "protocol/frame.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <optional>

// Everything that can be put in a frame, valid or not: the inspector sends deliberately invalid
// frames on request (any RSV bits, any opcode 0-15, unmasked client frames, non-minimal or lying
// length fields).
struct FrameSpec {
    enum class LengthEncoding { Minimal, Force16, Force64 };

    bool fin = true;
    quint8 rsv = 0; // Rsv:: bits
    quint8 opcode = Opcode::Text; // 0..15
    bool mask = true;
    std::optional<quint32> maskingKey; // random when unset and mask is true
    LengthEncoding lengthEncoding = LengthEncoding::Minimal;
    std::optional<quint64> declaredLength; // write this length instead of the payload's real size
    QByteArray payload; // unmasked
};

struct EncodedFrame {
    QByteArray bytes; // header followed by the (masked) payload, exactly what goes on the wire
    int headerSize = 0;
    quint32 maskingKey = 0; // the key actually used (0 if unmasked)
    QByteArrayView header() const { return QByteArrayView(bytes).first(headerSize); }
};

namespace FrameWriter {
EncodedFrame encode(const FrameSpec &spec);
// Fast path for valid frames: writes the header for `payloadSize` into `out` (at least 14 bytes)
// and returns its size. The caller masks the payload with applyMask().
int writeHeader(char *out, bool fin, quint8 rsv, quint8 opcode, quint64 payloadSize, bool mask, quint32 maskingKey);
quint32 randomMaskingKey();
// Splits a message into frames of at most `fragmentSize` payload bytes (0: one frame): the first
// carries `opcode`, the rest are continuations, the last has FIN. An empty message is one frame.
QList<FrameSpec> fragment(quint8 opcode, const QByteArray &message, qsizetype fragmentSize, bool mask);
// Close frame payload: 2-byte code in network order + UTF-8 reason (not truncated: callers may
// deliberately exceed 123 bytes).
QByteArray closePayload(quint16 code, QByteArrayView reasonUtf8);
} // namespace FrameWriter
