#include "decode/decoder.h"

#include "decode/graphqldecoder.h"
#include "decode/jsonrpcdecoder.h"
#include "decode/mqttdecoder.h"
#include "decode/socketiodecoder.h"
#include "decode/sockjsdecoder.h"
#include "decode/stompdecoder.h"
#include "decode/wampdecoder.h"

std::unique_ptr<Decoder> Decoder::create(Decode::Protocol protocol)
{
    using Decode::Protocol;
    switch (protocol) {
    case Protocol::None:
        return nullptr;
    case Protocol::SocketIo:
        return std::make_unique<SocketIoDecoder>();
    case Protocol::Mqtt:
        return std::make_unique<MqttDecoder>();
    case Protocol::Stomp:
        return std::make_unique<StompDecoder>();
    case Protocol::SockJs:
        return std::make_unique<SockJsDecoder>();
    case Protocol::JsonRpc:
        return std::make_unique<JsonRpcDecoder>();
    case Protocol::GraphQlTransportWs:
        return std::make_unique<GraphQlTransportWsDecoder>();
    case Protocol::GraphQlWs:
        return std::make_unique<GraphQlWsDecoder>();
    case Protocol::Wamp:
        return std::make_unique<WampDecoder>();
    }
    return nullptr;
}
