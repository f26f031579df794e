#pragma once

// A decoded message for the tests of what is made of one (the summary, the search text, the jsonl
// object): a STOMP SEND with a header and a receipt, then a heart-beat.

#include "decode/decoded.h"

inline Decode::Decoded stompLikeDecoded()
{
    using namespace Decode;
    Decoded d;
    d.protocol = Protocol::Stomp;
    Unit send;
    send.type = QStringLiteral("SEND");
    send.summary = QStringLiteral("SEND /topic/chat 2 B");
    send.fields << Field(QStringLiteral("headers"), QString(), { Field(QStringLiteral("destination"), QStringLiteral("/topic/chat")) });
    send.correlations << Correlation { Correlation::Role::Request, "receipt 7" };
    Unit beat;
    beat.type = QStringLiteral("heart-beat");
    beat.summary = QStringLiteral("heart-beat");
    d.units << send << beat;
    return d;
}
