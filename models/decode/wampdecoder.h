#pragma once

#include "decode/composertemplate.h"
#include "decode/decoder.h"
#include "decode/wampmessage.h"

// WAMP v2 over WebSocket with the JSON serializer (`wamp.2.json`): each text message is one
// Wamp::Message, one Unit with its elements under the specification's names as fields and its
// correlations: HELLO -> WELCOME or ABORT ("session", CHALLENGE in between as Progress); CALL ->
// RESULT or ERROR, SUBSCRIBE -> SUBSCRIBED or ERROR, UNSUBSCRIBE -> UNSUBSCRIBED, PUBLISH with
// acknowledge -> PUBLISHED, REGISTER -> REGISTERED, UNREGISTER -> UNREGISTERED, INVOCATION -> YIELD
// or ERROR ("request <id>"; a RESULT or YIELD with progress is Progress, a CANCEL or INTERRUPT the
// asker's Continue); GOODBYE -> GOODBYE ("goodbye"). Nothing carries over between messages (state() stays empty).
class WampDecoder : public Decoder {
public:
    Decode::Protocol protocol() const override { return Decode::Protocol::Wamp; }
    Decode::Decoded decode(Decode::Sender sender, bool binary, QByteArrayView payload) override;

    // One message as the log shows it; `sender` decides which correlations it has.
    static Decode::Unit unit(const Wamp::Message &message, Decode::Sender sender);

    // For the composer: HELLO, CALL, SUBSCRIBE, PUBLISH (acknowledged), GOODBYE.
    static QList<Decode::ComposerTemplate> templates();
};
