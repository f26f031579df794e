#pragma once

#include <QCoreApplication>
#include <QString>

#include <functional>
#include <optional>

// When a client tries again after its connection dropped or could not be made: exponential
// backoff with jitter, as reconnecting WebSocket clients do, so that a server restarting is not met
// by every client at once. The first retry waits `firstDelayMs`, each next one twice as long up to
// `maxDelayMs`, each spread by ±20 % at random. After `maxAttempts` failed attempts in a row it
// gives up (0: never). A connection that stayed open for `StableMs` was a success: the next drop
// starts again from the first delay and a full count of attempts. One that dropped sooner counts
// as a failed attempt, so a server that accepts and at once closes is not hammered.
// What the user asked for: how many failed attempts in a row to make (0: no limit), and the first
// and longest waits.
struct ReconnectPolicy {
    int maxAttempts = 0;
    int firstDelayMs = 500;
    int maxDelayMs = 30'000;
};

class ReconnectSchedule {
    Q_DECLARE_TR_FUNCTIONS(ReconnectSchedule)
public:
    static constexpr int StableMs = 10'000;
    static constexpr int DefaultFirstDelayMs = 500;
    static constexpr int DefaultMaxDelayMs = 30'000;

    ReconnectSchedule(int maxAttempts = 0, int firstDelayMs = DefaultFirstDelayMs, int maxDelayMs = DefaultMaxDelayMs);
    explicit ReconnectSchedule(const ReconnectPolicy &policy)
        : ReconnectSchedule(policy.maxAttempts, policy.firstDelayMs, policy.maxDelayMs)
    {
    }

    // The delay before the next attempt, after a connection that was open `openForMs` (-1: it never
    // opened); nullopt once the attempts are used up.
    std::optional<int> nextDelay(qint64 openForMs);
    int attempt() const { return m_attempt; } // of the attempt nextDelay() scheduled, from 1
    int maxAttempts() const { return m_maxAttempts; }
    // "attempt 2 of 5", "attempt 7"
    QString attemptText() const;

    // The jitter's random factor in [0, 1): for tests, a fixed sequence.
    void setRandom(std::function<double()> random) { m_random = std::move(random); }

private:
    int m_maxAttempts;
    int m_firstDelayMs;
    int m_maxDelayMs;
    int m_attempt = 0;
    std::function<double()> m_random;
};
