#include "net/reconnectschedule.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

ReconnectSchedule::ReconnectSchedule(int maxAttempts, int firstDelayMs, int maxDelayMs)
    : m_maxAttempts(std::max(0, maxAttempts))
    , m_firstDelayMs(std::max(1, firstDelayMs))
    , m_maxDelayMs(std::max(m_firstDelayMs, maxDelayMs))
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
}

std::optional<int> ReconnectSchedule::nextDelay(qint64 openForMs)
{
    if (openForMs >= StableMs)
        m_attempt = 0;
    if (m_maxAttempts > 0 && m_attempt >= m_maxAttempts)
        return std::nullopt;
    ++m_attempt;
    // first, 2 × first, 4 × first, ... up to the cap; the exponent is bounded before it can overflow.
    const double base = std::min<double>(m_maxDelayMs, m_firstDelayMs * std::ldexp(1.0, std::min(m_attempt - 1, 30)));
    const double spread = 0.8 + 0.4 * std::clamp(m_random(), 0.0, 1.0);
    return int(std::lround(std::min<double>(m_maxDelayMs, base * spread)));
}

QString ReconnectSchedule::attemptText() const
{
    return m_maxAttempts > 0 ? tr("attempt %1 of %2").arg(m_attempt).arg(m_maxAttempts) : tr("attempt %1").arg(m_attempt);
}
