#pragma once

#include "decode/composertemplate.h"
#include "decode/decoder.h"
#include "decode/graphqlmessage.h"

// GraphQL over WebSocket: each text message is one GraphQL::Message, one Unit with the message's
// members as fields (the operation's query as one field, variables and extensions as trees) and
// correlations: connection_init -> connection_ack ("init"), ping -> pong ("ping"), subscribe (start)
// -> next (data) as Progress and the server's complete or error as the Answer ("op <id>"); a
// client's complete (stop) of its own operation is its Continue (the log has no role yet for the
// asker ending its own request).

// graphql-transport-ws (the graphql-ws library). It keeps one flag per sender, from that sender's own
// messages, for the rules that need the history: a second connection_init (the server closes with
// 4429), a subscribe before any connection_init (4401), a server's next, error or complete before its
// connection_ack (the client closes with 4004). state(): "connection_init" once the client sent it,
// "connection_ack" once the server did, empty before.
class GraphQlTransportWsDecoder : public Decoder {
public:
    Decode::Protocol protocol() const override { return Decode::Protocol::GraphQlTransportWs; }
    Decode::Decoded decode(Decode::Sender sender, bool binary, QByteArrayView payload) override;
    QByteArray state(Decode::Sender sender) const override;
    void setState(Decode::Sender sender, const QByteArray &state) override;

    // For the composer: connection_init, subscribe (a sample subscription), complete.
    static QList<Decode::ComposerTemplate> templates();

private:
    bool m_initSent = false;
    bool m_ackSent = false;
};

// graphql-ws (Apollo's subscriptions-transport-ws, legacy). Nothing carries over between messages:
// its server runs a start without connection_init and answers a second connection_init again.
class GraphQlWsDecoder : public Decoder {
public:
    Decode::Protocol protocol() const override { return Decode::Protocol::GraphQlWs; }
    Decode::Decoded decode(Decode::Sender sender, bool binary, QByteArrayView payload) override;

    // For the composer: connection_init, start (a sample subscription), stop.
    static QList<Decode::ComposerTemplate> templates();
};

namespace GraphQl {
// One message as the log shows it; `sender` decides which correlations it has.
Decode::Unit unit(const Message &message, Decode::Sender sender);
} // namespace GraphQl
