#include "protocol/frame.h"

#include <QtEndian>
#include <cstring>

const char *Opcode::key(quint8 opcode)
{
    static const char *const names[16] = { "continuation", "text", "binary", "reserved-3", "reserved-4",
        "reserved-5", "reserved-6", "reserved-7", "close", "ping", "pong", "reserved-11", "reserved-12",
        "reserved-13", "reserved-14", "reserved-15" };
    return names[opcode & 0xF];
}

QString Opcode::name(quint8 opcode)
{
    return QLatin1String(key(opcode));
}

int FrameHeader::sizeFromFirstTwoBytes(QByteArrayView bytes)
{
    if (bytes.size() < 2)
        return 0;
    const auto b1 = quint8(bytes[1]);
    const int lengthBytes = (b1 & 0x7F) == 126 ? 2 : (b1 & 0x7F) == 127 ? 8 : 0;
    return 2 + lengthBytes + ((b1 & 0x80) ? 4 : 0);
}

bool FrameHeader::decode(QByteArrayView bytes, FrameHeader &out)
{
    const int size = sizeFromFirstTwoBytes(bytes);
    if (size == 0 || bytes.size() < size)
        return false;
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    out.fin = (p[0] & 0x80) != 0;
    out.rsv = (p[0] >> 4) & 0x7;
    out.opcode = p[0] & 0x0F;
    out.masked = (p[1] & 0x80) != 0;
    const quint8 len7 = p[1] & 0x7F;
    int pos = 2;
    if (len7 == 126) {
        out.lengthForm = LengthForm::Extended16;
        out.declaredLength = qFromBigEndian<quint16>(p + 2);
        pos = 4;
    } else if (len7 == 127) {
        out.lengthForm = LengthForm::Extended64;
        out.declaredLength = qFromBigEndian<quint64>(p + 2);
        pos = 10;
    } else {
        out.lengthForm = LengthForm::Short7;
        out.declaredLength = len7;
    }
    out.maskingKey = out.masked ? qFromBigEndian<quint32>(p + pos) : 0;
    out.headerSize = quint8(size);
    return true;
}

QString Violation::ruleId(ViolationRule rule)
{
    switch (rule) {
    case ViolationRule::None:
        return QStringLiteral("none");
    case ViolationRule::ReservedOpcode:
        return QStringLiteral("reserved-opcode");
    case ViolationRule::ReservedBitsSet:
        return QStringLiteral("reserved-bits-set");
    case ViolationRule::ControlFrameTooLong:
        return QStringLiteral("control-frame-too-long");
    case ViolationRule::ControlFrameFragmented:
        return QStringLiteral("control-frame-fragmented");
    case ViolationRule::ContinuationWithoutStart:
        return QStringLiteral("continuation-without-start");
    case ViolationRule::DataFrameInsideFragmentedMessage:
        return QStringLiteral("data-frame-inside-fragmented-message");
    case ViolationRule::NonMinimalLength:
        return QStringLiteral("non-minimal-length");
    case ViolationRule::LengthTopBitSet:
        return QStringLiteral("length-top-bit-set");
    case ViolationRule::MaskedFrameFromServer:
        return QStringLiteral("masked-frame-from-server");
    case ViolationRule::UnmaskedFrameFromClient:
        return QStringLiteral("unmasked-frame-from-client");
    case ViolationRule::InvalidUtf8Text:
        return QStringLiteral("invalid-utf8-text");
    case ViolationRule::ClosePayloadOneByte:
        return QStringLiteral("close-payload-one-byte");
    case ViolationRule::InvalidCloseCode:
        return QStringLiteral("invalid-close-code");
    case ViolationRule::CloseReasonInvalidUtf8:
        return QStringLiteral("close-reason-invalid-utf8");
    case ViolationRule::FrameTooBig:
        return QStringLiteral("frame-too-big");
    case ViolationRule::MessageTooBig:
        return QStringLiteral("message-too-big");
    case ViolationRule::TooManyFragments:
        return QStringLiteral("too-many-fragments");
    case ViolationRule::DataAfterClose:
        return QStringLiteral("data-after-close");
    case ViolationRule::HandshakeFailed:
        return QStringLiteral("handshake-failed");
    case ViolationRule::CompressedControlFrame:
        return QStringLiteral("compressed-control-frame");
    case ViolationRule::CompressedContinuation:
        return QStringLiteral("compressed-continuation");
    case ViolationRule::InvalidCompressedData:
        return QStringLiteral("invalid-compressed-data");
    }
    return QStringLiteral("unknown");
}

const char *Violation::rfcDocument(ViolationRule rule)
{
    switch (rule) {
    case ViolationRule::CompressedControlFrame:
    case ViolationRule::CompressedContinuation:
    case ViolationRule::InvalidCompressedData:
        return "RFC 7692";
    default:
        return "RFC 6455";
    }
}

QString Violation::rfcReference(ViolationRule rule)
{
    return QLatin1String(rfcDocument(rule)) + QStringLiteral(" §") + rfcSection(rule);
}

QString Violation::rfcSection(ViolationRule rule)
{
    switch (rule) {
    case ViolationRule::ReservedOpcode:
    case ViolationRule::ReservedBitsSet:
    case ViolationRule::NonMinimalLength:
    case ViolationRule::LengthTopBitSet:
        return QStringLiteral("5.2");
    case ViolationRule::ControlFrameTooLong:
    case ViolationRule::ControlFrameFragmented:
        return QStringLiteral("5.5");
    case ViolationRule::ContinuationWithoutStart:
    case ViolationRule::DataFrameInsideFragmentedMessage:
        return QStringLiteral("5.4");
    case ViolationRule::MaskedFrameFromServer:
    case ViolationRule::UnmaskedFrameFromClient:
        return QStringLiteral("5.1");
    case ViolationRule::InvalidUtf8Text:
        return QStringLiteral("8.1");
    case ViolationRule::ClosePayloadOneByte:
    case ViolationRule::InvalidCloseCode:
    case ViolationRule::CloseReasonInvalidUtf8:
        return QStringLiteral("5.5.1");
    case ViolationRule::FrameTooBig:
    case ViolationRule::MessageTooBig:
    case ViolationRule::TooManyFragments:
        return QStringLiteral("7.4.1");
    case ViolationRule::DataAfterClose:
        return QStringLiteral("5.5.1");
    case ViolationRule::HandshakeFailed:
        return QStringLiteral("4.1");
    case ViolationRule::CompressedControlFrame:
    case ViolationRule::CompressedContinuation:
        return QStringLiteral("6.1");
    case ViolationRule::InvalidCompressedData:
        return QStringLiteral("7.2.2");
    case ViolationRule::None:
        break;
    }
    return QString();
}

void applyMask(char *data, qsizetype size, quint32 maskingKey, quint64 offset)
{
    uchar key[4];
    qToBigEndian(maskingKey, key);
    // Rotate the key so that index 0 lines up with payload byte `offset`, then XOR 8 bytes at a time.
    uchar rotated[8];
    for (int i = 0; i < 8; ++i)
        rotated[i] = key[(offset + i) % 4];
    quint64 wide;
    std::memcpy(&wide, rotated, 8);
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 chunk;
        std::memcpy(&chunk, data + i, 8);
        chunk ^= wide;
        std::memcpy(data + i, &chunk, 8);
    }
    for (; i < size; ++i)
        data[i] = char(uchar(data[i]) ^ rotated[i % 8]);
}

QByteArray masked(QByteArrayView payload, quint32 maskingKey)
{
    QByteArray out(payload.data(), payload.size());
    applyMask(out.data(), out.size(), maskingKey, 0);
    return out;
}
