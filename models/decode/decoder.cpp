#include "decode/decoder.h"

#include "decode/mqttdecoder.h"
#include "decode/socketiodecoder.h"

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
    case Protocol::SockJs:
    case Protocol::JsonRpc:
    case Protocol::GraphQlTransportWs:
    case Protocol::GraphQlWs:
    case Protocol::Wamp:
        return nullptr; // TODO(issue 12): the other decoders land next
    }
    return nullptr;
}
