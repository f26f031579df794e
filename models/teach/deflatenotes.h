#pragma once

#include "protocol/extensions.h"
#include "protocol/handshake.h"

#include <QString>
#include <QStringList>

// permessage-deflate (RFC 7692) explained for a learner: what each parameter of the client's offer
// and of the server's answer asks for, and what the agreement means for the frames that follow.
// Shared by the handshake pane and the walk-through, so both say the same thing.
namespace DeflateNotes {

// One sentence per parameter of an offer ("client_max_window_bits: the client lets the server
// limit the window the client compresses with"); "permessage-deflate" alone gets one sentence too.
QStringList offer(const Extension &offer);
// The same for the server's answer.
QStringList answer(const Extension &answer);
// What both sides now do: window sizes and context takeover, each direction in a sentence.
QString agreement(const PerMessageDeflate::Agreement &agreement);

// The whole negotiation in a few paragraphs, for the handshake pane: what the client offered, what
// the server answered (parameter by parameter for permessage-deflate), and what was agreed, or why
// the client must fail the connection. `check` is the response's check; nullptr without a response.
QStringList negotiation(const HttpHeaders &request, const HttpHeaders *response, const HandshakeCheck *check);

} // namespace DeflateNotes
