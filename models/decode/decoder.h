#pragma once

#include "decode/decoded.h"

#include <memory>

// One connection's decoder for one protocol on top: fed every data message of the connection in
// the order they crossed, both ways, it says what each means. It may keep state between messages
// (a Socket.IO binary event's attachments arrive as messages of their own; an MQTT packet may span
// messages), per sender.
//
// A log that decodes every message once as it arrives but shows a message again later (the row is
// painted, the payload view opens it) saves the state before a message and restores it to decode
// that message again: state() is empty whenever the next message needs nothing from the earlier
// ones, which is nearly always, so keeping it costs nothing for most messages.
class Decoder {
public:
    virtual ~Decoder() = default;
    virtual Decode::Protocol protocol() const = 0;

    // One whole data message: `binary` for an opcode 2 message, text otherwise.
    virtual Decode::Decoded decode(Decode::Sender sender, bool binary, QByteArrayView payload) = 0;

    // What a pass that follows a connection needs of one message: the same state change as decode()
    // and the same correlations, without the text for people (summaries, fields), which is made
    // again when a row is shown. The default decodes; a decoder overrides it where most messages
    // can be told apart cheaply.
    virtual QList<Decode::Correlation> track(Decode::Sender sender, bool binary, QByteArrayView payload)
    {
        return decode(sender, binary, payload).correlations();
    }

    // What decode() keeps between messages from `sender`, as bytes; empty when nothing.
    virtual QByteArray state(Decode::Sender sender) const
    {
        Q_UNUSED(sender)
        return {};
    }
    virtual void setState(Decode::Sender sender, const QByteArray &state)
    {
        Q_UNUSED(sender)
        Q_UNUSED(state)
    }

    // A decoder for `protocol`; nullptr for None.
    static std::unique_ptr<Decoder> create(Decode::Protocol protocol);
};
