#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <limits>

// UTC times of events as the jsonl and text formats write them, without QDateTime on the hot path:
// the date and time up to the second are computed once per second and reused, since events mostly
// share a second.
class EventTime {
public:
    // Splits microseconds since the epoch into whole seconds and the microseconds within (0..999999),
    // also before 1970.
    static void split(qint64 timeUs, qint64 &second, quint32 &micro);
    // Microseconds since the Unix epoch, now: the time every event is stamped with.
    static qint64 nowUs();
    // "2026-11-21T05:30:00" (19 characters, not terminated) for `second`; valid until the next call.
    const char *isoSecond(qint64 second);
    // "2026-11-21T05:30:00.123456Z"
    static QByteArray iso(qint64 timeUs);

private:
    qint64 m_second = std::numeric_limits<qint64>::min();
    char m_iso[20] = {};
};
