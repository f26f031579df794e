#pragma once

#include "decode/decoder.h"
#include "decode/protocoldetector.h"
#include "log/wireevent.h"

#include <memory>

// The protocol on top for events as they happen, without a capture: the command line prints each
// frame as it goes and adds what its message means. Finds the protocol as the window's log does
// (ProtocolDetector::Search: the handshake, then the first messages), joins a fragmented message's
// frames, and decodes each data message once, when its final frame passes. Messages before the
// protocol was found stay undecoded: they were printed already.
class LiveDecoding {
public:
    explicit LiveDecoding(Decode::Choice choice = Decode::Choice::autoDetect());
    ~LiveDecoding();

    // The meaning of the data message `event` completes; a null Decoded for any other event.
    Decode::Decoded take(const WireEvent &event);
    Decode::Protocol protocol(Leg leg = Leg::None) const;
    QString reason(Leg leg = Leg::None) const;

    // A fragmented message longer than this is not joined (nor decoded): the engines' own message
    // limit is the real bound; this keeps a runaway stream from growing the buffer without end.
    static constexpr qsizetype MaxJoinedBytes = 64 << 20;

private:
    struct Conversation;
    Conversation &conversation(Leg leg);
    Decode::Choice m_choice;
    std::unique_ptr<Conversation> m_conversations[2]; // by ProtocolDecoding::conversationOf()
};
