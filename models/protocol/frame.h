#pragma once

// The vocabulary of RFC 6455 framing shared by the parser, the writer, the capture and the views.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QtGlobal>

namespace Opcode {
// Opcodes are kept as plain 4-bit numbers: the inspector must carry reserved ones (3-7, 11-15) too.
enum : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

constexpr bool isControl(quint8 opcode) { return (opcode & 0x8) != 0; }
constexpr bool isReserved(quint8 opcode) { return (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB; }
// "text", "binary", "continuation", "close", "ping", "pong", "reserved-3" ... (of the low 4 bits)
QString name(quint8 opcode);
const char *key(quint8 opcode); // the same names as static C strings, for writers on a hot path
} // namespace Opcode

// RSV bits as they sit in the first header byte (shifted down): RSV1 = 4, RSV2 = 2, RSV3 = 1.
namespace Rsv {
enum : quint8 { Rsv1 = 0x4, Rsv2 = 0x2, Rsv3 = 0x1 };
}

// How the payload length was encoded in the header (RFC 6455 §5.2).
enum class LengthForm : quint8 {
    Short7 = 0, // 0..125 in the 7-bit field
    Extended16 = 1, // 126 + 16-bit
    Extended64 = 2, // 127 + 64-bit
};
// 7, 16 or 64: the bits of the length field.
constexpr int lengthFormBits(LengthForm form)
{
    return form == LengthForm::Short7 ? 7 : form == LengthForm::Extended16 ? 16 : 64;
}

// Everything the header of one frame says, decoded.
struct FrameHeader {
    bool fin = true;
    quint8 rsv = 0; // RSV1..3 as Rsv:: bits
    quint8 opcode = Opcode::Text;
    bool masked = false;
    quint32 maskingKey = 0; // network order packed into an int: byte 0 is the most significant
    quint64 declaredLength = 0;
    LengthForm lengthForm = LengthForm::Short7;
    quint8 headerSize = 2; // 2..14 bytes

    // Decodes a complete header; returns false if `bytes` is shorter than the header it starts.
    static bool decode(QByteArrayView bytes, FrameHeader &out);
    // Number of header bytes implied by the first two bytes (2, 4, 8, 10 or 14); 0 if fewer than 2 bytes.
    static int sizeFromFirstTwoBytes(QByteArrayView bytes);
};

// Which RFC rule a frame or handshake broke. Kept stable: the numeric values appear in capture files.
enum class ViolationRule : quint8 {
    None = 0,
    ReservedOpcode,
    ReservedBitsSet,
    ControlFrameTooLong,
    ControlFrameFragmented,
    ContinuationWithoutStart,
    DataFrameInsideFragmentedMessage,
    NonMinimalLength,
    LengthTopBitSet,
    MaskedFrameFromServer,
    UnmaskedFrameFromClient,
    InvalidUtf8Text,
    ClosePayloadOneByte,
    InvalidCloseCode,
    CloseReasonInvalidUtf8,
    FrameTooBig,
    MessageTooBig,
    TooManyFragments,
    DataAfterClose,
    HandshakeFailed,
    // permessage-deflate (RFC 7692) negotiated:
    CompressedControlFrame, // RSV1 on a control frame: only data messages are compressed (§6.1)
    CompressedContinuation, // RSV1 on a continuation frame: only a message's first frame has it (§6.1)
    InvalidCompressedData, // a compressed message that does not inflate (§7.2.2)
    Last = InvalidCompressedData, // for tables that list every rule
};

struct Violation {
    ViolationRule rule = ViolationRule::None;
    quint16 closeCode = 0; // what a strict peer answers with: 1002, 1007 or 1009 (0: no close, just drop)
    QString description; // specific and human readable, e.g. "control frame (ping) of 126 bytes; limit is 125"

    // Short stable identifier ("reserved-opcode", ...) used in jsonl output and tests.
    static QString ruleId(ViolationRule rule);
    // The RFC 6455 section that states the rule ("5.2", "5.5", ...).
    static QString rfcSection(ViolationRule rule);
    // "RFC 6455", or "RFC 7692" for the permessage-deflate rules: the document rfcSection() is of.
    static const char *rfcDocument(ViolationRule rule);
    // "RFC 6455 §5.2": the two together, for people.
    static QString rfcReference(ViolationRule rule);
};

// XORs `payload` with the 4-byte masking key in place, starting at byte `offset` of the payload
// (so a payload can be unmasked in pieces as it arrives).
void applyMask(char *data, qsizetype size, quint32 maskingKey, quint64 offset = 0);
QByteArray masked(QByteArrayView payload, quint32 maskingKey);
