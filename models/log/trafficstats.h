#pragma once

#include "log/wireevent.h"

// Counts what crossed the wire each way, for the state indicator: wire bytes (headers, payloads
// and the handshake) and data messages (a fragmented message counts once, at its final frame).
// On a relay, `out` is what the application sent toward the server and `in` what the server sent
// toward the application.
class TrafficStats : public WireEventSink {
public:
    struct Direction {
        quint64 bytes = 0;
        quint64 frames = 0;
        quint64 messages = 0;
    };

    void record(const WireEvent &event) override;
    void reset() { *this = TrafficStats(); }

    Direction in;
    Direction out;
    qint64 openedAtUs = 0; // when the connection became OPEN, 0 if never
    qint64 closedAtUs = 0; // when it became CLOSED, 0 while not closed

private:
    bool m_inMessage[2] = { false, false }; // a fragmented data message is in progress, per direction
};
