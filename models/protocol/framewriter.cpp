#include "protocol/framewriter.h"

#include <QRandomGenerator>
#include <QtEndian>
#include <cstring>

namespace {

// Writes the length field in the requested form. Force16 with a length above 65535 writes only the
// low 16 bits: the caller asked for that form explicitly (to craft a lying header), so the writer
// does not silently switch to another form.
int writeLength(uchar *out, quint64 length, FrameSpec::LengthEncoding encoding)
{
    using Enc = FrameSpec::LengthEncoding;
    if (encoding == Enc::Minimal)
        encoding = length < 126 ? Enc::Minimal : length <= 0xFFFF ? Enc::Force16 : Enc::Force64;
    switch (encoding) {
    case Enc::Minimal:
        out[0] = uchar(length);
        return 1;
    case Enc::Force16:
        out[0] = 126;
        qToBigEndian(quint16(length), out + 1);
        return 3;
    case Enc::Force64:
        out[0] = 127;
        qToBigEndian(length, out + 1);
        return 9;
    }
    return 0;
}

int writeHeaderImpl(char *out, bool fin, quint8 rsv, quint8 opcode, quint64 length, FrameSpec::LengthEncoding encoding,
    bool mask, quint32 maskingKey)
{
    auto *p = reinterpret_cast<uchar *>(out);
    p[0] = uchar((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0xF));
    int size = 1 + writeLength(p + 1, length, encoding);
    if (mask) {
        p[1] |= 0x80;
        qToBigEndian(maskingKey, p + size);
        size += 4;
    }
    return size;
}

} // namespace

EncodedFrame FrameWriter::encode(const FrameSpec &spec)
{
    EncodedFrame frame;
    // Only draw a random key when none was given: the system generator is a system call.
    frame.maskingKey = !spec.mask ? 0 : spec.maskingKey ? *spec.maskingKey : randomMaskingKey();
    const quint64 length = spec.declaredLength.value_or(quint64(spec.payload.size()));

    char header[14];
    frame.headerSize = writeHeaderImpl(
        header, spec.fin, spec.rsv, spec.opcode, length, spec.lengthEncoding, spec.mask, frame.maskingKey);

    frame.bytes.resize(frame.headerSize + spec.payload.size());
    char *out = frame.bytes.data();
    std::memcpy(out, header, frame.headerSize);
    if (!spec.payload.isEmpty()) {
        std::memcpy(out + frame.headerSize, spec.payload.constData(), spec.payload.size());
        if (spec.mask)
            applyMask(out + frame.headerSize, spec.payload.size(), frame.maskingKey);
    }
    return frame;
}

int FrameWriter::writeHeader(
    char *out, bool fin, quint8 rsv, quint8 opcode, quint64 payloadSize, bool mask, quint32 maskingKey)
{
    return writeHeaderImpl(out, fin, rsv, opcode, payloadSize, FrameSpec::LengthEncoding::Minimal, mask, maskingKey);
}

quint32 FrameWriter::randomMaskingKey()
{
    // RFC 6455 §5.3: the key must be unpredictable to intermediaries, so it comes from the system's
    // cryptographic source rather than the seeded global generator.
    return QRandomGenerator::system()->generate();
}

QList<FrameSpec> FrameWriter::fragment(quint8 opcode, const QByteArray &message, qsizetype fragmentSize, bool mask)
{
    QList<FrameSpec> frames;
    const qsizetype size = message.size();
    if (fragmentSize <= 0 || size <= fragmentSize) {
        FrameSpec spec;
        spec.fin = true;
        spec.opcode = opcode;
        spec.mask = mask;
        spec.payload = message;
        frames.append(spec);
        return frames;
    }
    frames.reserve((size + fragmentSize - 1) / fragmentSize);
    for (qsizetype offset = 0; offset < size; offset += fragmentSize) {
        FrameSpec spec;
        spec.opcode = offset == 0 ? opcode : quint8(Opcode::Continuation);
        spec.fin = offset + fragmentSize >= size;
        spec.mask = mask;
        spec.payload = message.mid(offset, fragmentSize);
        frames.append(spec);
    }
    return frames;
}

QByteArray FrameWriter::closePayload(quint16 code, QByteArrayView reasonUtf8)
{
    QByteArray out(2 + reasonUtf8.size(), Qt::Uninitialized);
    qToBigEndian(code, out.data());
    if (!reasonUtf8.isEmpty())
        std::memcpy(out.data() + 2, reasonUtf8.data(), reasonUtf8.size());
    return out;
}
