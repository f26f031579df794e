#pragma once

#include "log/capture.h"

#include <QObject>
#include <memory>

// Writes a Capture from a thread other than the capture's own (a connection's networking thread),
// so that the window reads the events where they were recorded instead of receiving copies.
// What it records becomes visible to the capture's thread at the end of each turn of its own event
// loop, and every PublishEvery events within a long turn; one notice at a time crosses threads.
// It holds the capture's write lock for the turn, so a clear() from the window waits for the end
// of the turn rather than for every event.
//
// Lives on the writing thread; the capture lives as long as either this or the window's session.
class CaptureWriter : public QObject, public WireEventSink {
    Q_OBJECT
public:
    static constexpr int PublishEvery = 8192;

    explicit CaptureWriter(std::shared_ptr<Capture> capture, QObject *parent = nullptr);
    ~CaptureWriter() override; // what was recorded is published before it goes

    void record(const WireEvent &event) override;
    // Publishes what is written now rather than at the end of this turn.
    void publish();

private:
    std::shared_ptr<Capture> m_capture;
    bool m_holding = false; // the capture's write lock, for the rest of this turn
    int m_unpublished = 0;
};
