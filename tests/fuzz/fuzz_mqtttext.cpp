// Fuzz target for MQTT packets written as text (models/decode/mqtttext.h), what the composer's MQTT
// packet mode reads from the user.
//
// Input: the text, as UTF-8 (invalid sequences become U+FFFD, as an editor would show them).
//
// Checks: a refusal has a reason and points inside the text; an accepted packet, written with
// toText() and read again, encodes to the same bytes; toText() of that packet is stable (writing it
// a second time gives the same text); the encoded bytes hold exactly one packet whose fixed header
// says their length.

#include "decode/mqtttext.h"
#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const Mqtt::TextPacket read = Mqtt::fromText(text);
    if (!read.packet) {
        FUZZ_CHECK(!read.error.isEmpty(), text);
        FUZZ_CHECK(read.errorPos >= 0 && read.errorPos <= text.size(), read.error);
        return 0;
    }
    FUZZ_CHECK(read.error.isEmpty(), read.error);
    const QByteArray bytes = Mqtt::encode(*read.packet);
    Mqtt::FixedHeader header;
    // A remaining length past four bytes' reach cannot be written; the text cannot ask for one that
    // large within a fuzz input.
    FUZZ_CHECK(Mqtt::readFixedHeader(bytes, &header, nullptr) != Mqtt::HeaderStatus::Incomplete, text);
    FUZZ_CHECK(header.packetSize() == bytes.size(), text);
    const QString written = Mqtt::toText(*read.packet);
    const Mqtt::TextPacket again = Mqtt::fromText(written);
    FUZZ_CHECK(again.packet, written + QStringLiteral("\n-> ") + again.error);
    FUZZ_CHECK(Mqtt::encode(*again.packet) == bytes, written);
    FUZZ_CHECK(Mqtt::toText(*again.packet) == written, written);
    return 0;
}
