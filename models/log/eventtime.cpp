#include "log/eventtime.h"

#include <chrono>

#include <algorithm>

namespace {

// Days since 1970-01-01 to a proleptic Gregorian date, by 400-year eras (146097 days each).
void civilFromDays(qint64 days, qint64 &year, int &month, int &day)
{
    const qint64 z = days + 719468; // shift the epoch to 0000-03-01: leap days then fall at year ends
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 dayOfEra = z - era * 146097;
    const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 monthFromMarch = (5 * dayOfYear + 2) / 153;
    day = int(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
    month = int(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
    year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
}

} // namespace

void EventTime::split(qint64 timeUs, qint64 &second, quint32 &micro)
{
    second = timeUs / 1000000;
    qint64 rest = timeUs % 1000000;
    if (rest < 0) {
        rest += 1000000;
        --second;
    }
    micro = quint32(rest);
}

const char *EventTime::isoSecond(qint64 second)
{
    if (second != m_second) {
        m_second = second;
        qint64 days = second / 86400;
        qint64 secondOfDay = second % 86400;
        if (secondOfDay < 0) {
            secondOfDay += 86400;
            --days;
        }
        qint64 year;
        int month, day;
        civilFromDays(days, year, month, day);
        const auto y = quint32(std::clamp<qint64>(year, 0, 9999));
        char *p = m_iso;
        auto two = [&p](quint32 v) {
            *p++ = char('0' + v / 10);
            *p++ = char('0' + v % 10);
        };
        two(y / 100);
        two(y % 100);
        *p++ = '-';
        two(quint32(month));
        *p++ = '-';
        two(quint32(day));
        *p++ = 'T';
        two(quint32(secondOfDay / 3600));
        *p++ = ':';
        two(quint32(secondOfDay / 60 % 60));
        *p++ = ':';
        two(quint32(secondOfDay % 60));
    }
    return m_iso;
}

qint64 EventTime::nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

QByteArray EventTime::iso(qint64 timeUs)
{
    EventTime time;
    qint64 second;
    quint32 micro;
    split(timeUs, second, micro);
    QByteArray out = QByteArray(time.isoSecond(second), 19) + '.' + QByteArray::number(micro).rightJustified(6, '0') + 'Z';
    return out;
}
