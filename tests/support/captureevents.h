#pragma once

// Picking events out of a Capture in tests.

#include "log/capture.h"
#include "log/jsonlwriter.h"

#include <QList>

inline QList<WireEvent> eventsOfKind(const Capture &capture, EventKind kind)
{
    QList<WireEvent> out;
    for (qsizetype i = 0; i < capture.count(); ++i)
        if (capture.event(i).kind == kind)
            out << capture.event(i);
    return out;
}

inline QList<WireEvent> framesOf(const Capture &capture, Direction direction)
{
    QList<WireEvent> out;
    for (const WireEvent &e : eventsOfKind(capture, EventKind::Frame))
        if (e.direction == direction)
            out << e;
    return out;
}

// The events of one leg of a relay, in order.
inline QList<WireEvent> onLeg(const QList<WireEvent> &events, Leg leg)
{
    QList<WireEvent> out;
    for (const WireEvent &e : events)
        if (e.leg == leg)
            out << e;
    return out;
}

// The whole data messages that arrived in one frame each (text or binary, FIN set), as the
// application gets them (inflated when compressed): what a test waits for after sending.
inline QList<QByteArray> messagesIn(const Capture &capture)
{
    QList<QByteArray> out;
    for (const WireEvent &e : framesOf(capture, Direction::Incoming))
        if (e.frame.fin && (e.frame.opcode == 0x1 || e.frame.opcode == 0x2))
            out << e.content().toByteArray();
    return out;
}

// The payloads of the frames with `opcode` that arrived (0x9 pings, 0xA pongs, 0x8 closes).
inline QList<QByteArray> framesIn(const Capture &capture, quint8 opcode)
{
    QList<QByteArray> out;
    for (const WireEvent &e : framesOf(capture, Direction::Incoming))
        if (e.frame.opcode == opcode)
            out << e.payload.toByteArray();
    return out;
}

// Every event of the capture as jsonl lines: what a test compares to see that a file gave back
// exactly the events that were written (every field jsonl carries, frame headers included).
inline QByteArray jsonlLinesOf(const Capture &capture)
{
    JsonlWriter writer;
    QByteArray out;
    for (qsizetype i = 0; i < capture.count(); ++i)
        writer.append(out, capture.event(i));
    return out;
}
