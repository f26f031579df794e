// Fuzz target for permessage-deflate's inflating (models/protocol/messagedeflate.h): compressed
// frames from a peer, fed in the pieces the input chooses.
//
// Input: [options] [chunk plan] [bytes]. Options bits 0-1: the message size limit (64 KiB, 1 KiB, 1,
// 1 MiB); bit 2: no context takeover. The bytes are one message's compressed payload, split into
// frames by the plan; a second message follows with the same bytes.
//
// Checks: fed whole and in pieces, the same result and the same inflated bytes; an accepted message
// is within the limit, a refused one stopped one byte past it (never more memory than the limit
// allows); and our own deflater's output of the bytes inflates back to them.

#include "fuzzinput.h"
#include "protocol/messagedeflate.h"

namespace {

struct Outcome {
    MessageInflater::Result result = MessageInflater::Result::Ok;
    QByteArray out;
    bool operator==(const Outcome &o) const { return result == o.result && out == o.out; }
};

Outcome inflateMessage(MessageInflater &inflater, const QList<QByteArrayView> &frames)
{
    Outcome o;
    for (QByteArrayView frame : frames) {
        o.result = inflater.feed(frame, o.out);
        if (o.result != MessageInflater::Result::Ok)
            return o;
    }
    o.result = inflater.finish(o.out);
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput input(data, size);
    const quint8 options = input.takeByte();
    static const quint64 limits[] = { 64 * 1024, 1024, 1, 1 << 20 };
    const quint64 limit = limits[options & 3];
    const bool noContextTakeover = options & 4;
    const QList<qsizetype> plan = input.takeChunkPlan();
    const QByteArrayView bytes = input.rest();

    MessageInflater whole(noContextTakeover, limit);
    MessageInflater pieces(noContextTakeover, limit);
    for (int message = 0; message < 2; ++message) {
        const Outcome a = inflateMessage(whole, { bytes });
        const Outcome b = inflateMessage(pieces, splitByPlan(bytes, plan));
        FUZZ_CHECK(a == b, QStringLiteral("whole %1 (%2 bytes), in pieces %3 (%4 bytes)")
                               .arg(int(a.result)).arg(a.out.size()).arg(int(b.result)).arg(b.out.size()));
        if (a.result == MessageInflater::Result::Ok)
            FUZZ_CHECK(quint64(a.out.size()) <= limit, QString::number(a.out.size()));
        if (a.result == MessageInflater::Result::TooBig)
            FUZZ_CHECK(quint64(a.out.size()) == limit + 1, QString::number(a.out.size()));
        if (a.result != MessageInflater::Result::Ok)
            break; // the connection would be failed: nothing follows
    }

    // Our own compression of the bytes inflates back to them, at every window.
    const int windowBits = 8 + (options >> 4) % 8;
    MessageDeflater deflater(windowBits, noContextTakeover);
    MessageInflater inflater(noContextTakeover, quint64(bytes.size()) + 1);
    for (int message = 0; message < 2; ++message) {
        const QByteArray compressed = deflater.compress(bytes);
        const Outcome o = inflateMessage(inflater, splitByPlan(compressed, plan));
        FUZZ_CHECK(o.result == MessageInflater::Result::Ok && o.out == bytes,
                   QStringLiteral("round trip at window %1: result %2").arg(windowBits).arg(int(o.result)));
    }
    return 0;
}
