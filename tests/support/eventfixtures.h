#pragma once

// Events with fixed times for the format tests (jsonl writer and reader, text formatter), and
// unmasked frames recorded as an engine records them.

#include "log/wireevent.h"
#include "protocol/framewriter.h"

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QTime>

// 2026-11-21T05:30:00.123456Z
inline qint64 fixedTime()
{
    return QDateTime(QDate(2026, 11, 21), QTime(5, 30, 0), Qt::UTC).toMSecsSinceEpoch() * 1000 + 123456;
}

inline QByteArray jsonPrefix(const char *dir, const char *kind, quint32 conn = 1)
{
    return QByteArrayLiteral("{\"time\":\"2026-11-21T05:30:00.123456Z\",\"us\":") + QByteArray::number(fixedTime())
        + ",\"conn\":" + QByteArray::number(conn) + ",\"dir\":\"" + dir + "\",\"kind\":\"" + kind + '"';
}

inline WireEvent frameEvent(Direction direction, QByteArrayView header, QByteArrayView payload)
{
    WireEvent e;
    e.timeUs = fixedTime();
    e.connectionId = 1;
    e.direction = direction;
    e.kind = EventKind::Frame;
    e.header = header;
    e.payload = payload;
    if (!FrameHeader::decode(header, e.frame))
        qFatal("test header does not decode");
    return e;
}

// An unmasked frame with this opcode and payload, its header written by FrameWriter, recorded
// into `sink` (the views stay valid for the call, which is when a sink copies them).
inline void recordFrame(WireEventSink &sink, Direction direction, quint8 opcode, const QByteArray &payload)
{
    FrameSpec spec;
    spec.opcode = opcode;
    spec.mask = false;
    spec.payload = payload;
    const EncodedFrame encoded = FrameWriter::encode(spec);
    sink.record(frameEvent(direction, encoded.header(), payload));
}

inline WireEvent simpleEvent(EventKind kind, Direction direction, QByteArrayView payload)
{
    WireEvent e;
    e.timeUs = fixedTime();
    e.connectionId = 1;
    e.direction = direction;
    e.kind = kind;
    e.payload = payload;
    return e;
}

// `size` bytes that differ from one seed to the next and along the way (a linear congruential
// sequence): a payload whose every byte a test can check after it was stored, moved or read back.
inline QByteArray pattern(qsizetype size, int seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    quint32 x = quint32(seed) * 2654435761u + 1;
    for (qsizetype i = 0; i < size; ++i) {
        x = x * 1103515245u + 12345u;
        bytes[i] = char(x >> 24);
    }
    return bytes;
}
