#pragma once

// Events with fixed times for the format tests (jsonl writer and reader, text formatter).

#include "log/wireevent.h"

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
