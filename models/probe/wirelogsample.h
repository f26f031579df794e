#pragma once

#include "log/wireevent.h"

// What a timed case keeps of its wire log. Sections 9, 12 and 13 send up to thousands of messages
// of up to 16 MiB: kept whole, a run's logs would take gigabytes. The sample keeps every event that
// explains the connection (handshake, control frames, violations, errors, state changes, the close)
// and, in each direction, the data frames up to a small payload budget: the first messages, enough
// to see what was negotiated and sent. A frame larger than what is left of the budget is kept
// without its payload (as a capture over its memory budget keeps it); after that, data frames are
// left out, and a note in the log says so where the first one was.
class WireLogSample : public WireEventSink {
public:
    static constexpr qsizetype DefaultBudget = 64 * 1024; // payload bytes per direction

    explicit WireLogSample(WireEventSink *into, qsizetype budgetPerDirection = DefaultBudget);

    void record(const WireEvent &event) override;
    quint64 leftOut() const { return m_leftOut; } // data frames not kept

private:
    WireEventSink *m_into;
    qsizetype m_budget;
    qsizetype m_kept[2] = {}; // payload bytes kept, incoming and outgoing
    bool m_full[2] = {}; // past the budget
    quint64 m_leftOut = 0;
};
