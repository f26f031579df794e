#pragma once

#include "decode/composertemplate.h"
#include "decode/decoder.h"
#include "decode/jsonrpcmessage.h"

// JSON-RPC 2.0 (and 1.0) over WebSocket: every text message is a request, a response or a batch
// (JsonRpc::parse()); each request or response becomes a Unit with its members as fields and its
// id as the correlation key ("id 7", "id \"7\""): a call is a Request, a result or an error the
// Answer. Either peer may call the other, so the sender changes nothing, and nothing carries over
// between messages (state() stays empty).
class JsonRpcDecoder : public Decoder {
public:
    Decode::Protocol protocol() const override { return Decode::Protocol::JsonRpc; }
    Decode::Decoded decode(Decode::Sender sender, bool binary, QByteArrayView payload) override;

    // One request or response as the log shows it.
    static Decode::Unit unit(const JsonRpc::Message &message);

    // For the composer: a call and a notification.
    static QList<Decode::ComposerTemplate> templates();
    static QByteArray call(const QString &method, QByteArrayView paramsJson, qint64 id)
    {
        return JsonRpc::call(method, paramsJson, id);
    }

    // A batch longer than this is shown as its first units and one saying how many more there are.
    static constexpr int MaxUnits = 10000;
};
