// Fuzz target for the Engine.IO and Socket.IO packet parsers (models/decode/socketiopacket.h): a
// text frame a Socket.IO peer sent.
//
// Input: the frame as it is.
//
// Checks: a frame parses as an Engine.IO packet exactly when it starts with a type digit; a
// message's data either parses as a Socket.IO packet whose summary is a line, or fails with a
// reason; a packet written out again as Socket.IO writes it parses back to the same packet.

#include "decode/socketiopacket.h"
#include "fuzzinput.h"

namespace {

QByteArray written(const SocketIo::Packet &p)
{
    QByteArray out = QByteArray::number(int(p.type));
    if (p.type == SocketIo::Packet::Type::BinaryEvent || p.type == SocketIo::Packet::Type::BinaryAck)
        out += QByteArray::number(p.attachments) + '-';
    if (p.nsp != "/")
        out += p.nsp + ',';
    if (p.ackId)
        out += QByteArray::number(*p.ackId);
    return out + p.data;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView frame(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto engine = SocketIo::parseEngine(frame, &error);
    const bool typed = !frame.isEmpty() && frame.front() >= '0' && frame.front() <= '6';
    FUZZ_CHECK(engine.has_value() == typed, error);
    FUZZ_CHECK(engine || !error.isEmpty(), QStringLiteral("a refusal without a reason"));
    // Whatever the Engine.IO type, read the rest as a message's data too: more of the parser is reached.
    const QByteArrayView rest = frame.isEmpty() ? frame : frame.sliced(1);
    QString why;
    const auto packet = SocketIo::parse(rest, &why);
    if (!packet) {
        FUZZ_CHECK(!why.isEmpty(), QStringLiteral("a refusal without a reason"));
        return 0;
    }
    const QString line = SocketIo::summary(*packet);
    FUZZ_CHECK(!line.isEmpty() && !line.contains(QLatin1Char('\n')), line);
    FUZZ_CHECK(packet->attachments >= 0, QString::number(packet->attachments));
    // Written out as Socket.IO writes it, it reads back the same. (A namespace written without its
    // comma, "1/admin", reads back with one; an attachment count's leading zeros are dropped.)
    const auto again = SocketIo::parse(written(*packet), &why);
    FUZZ_CHECK(again, why);
    FUZZ_CHECK(again->type == packet->type && again->nsp == packet->nsp && again->ackId == packet->ackId
                   && again->attachments == packet->attachments && again->data == packet->data,
               QString::fromUtf8(written(*packet)));
    return 0;
}
