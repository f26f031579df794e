#pragma once

// Picking events out of a Capture in tests.

#include "log/capture.h"

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
