#include "protocol/messagedeflate.h"

#include <QCoreApplication>

#include <zlib.h>

#include <algorithm>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(MessageDeflate)
};

// RFC 7692 §7.2.2: the sender removed this empty stored block's tail; the receiver puts it back.
constexpr char Tail[] = { '\x00', '\x00', '\xff', '\xff' };
// Output is produced in slices this big, so that the size limit is checked before memory is taken.
constexpr qsizetype Slice = 64 * 1024;

} // namespace

struct MessageInflater::Stream {
    z_stream z {};
};

struct MessageDeflater::Stream {
    z_stream z {};
};

MessageInflater::MessageInflater(bool noContextTakeover, quint64 maxMessageBytes)
    : m_stream(std::make_unique<Stream>())
    , m_noContextTakeover(noContextTakeover)
    , m_maxMessageBytes(maxMessageBytes)
{
    inflateInit2(&m_stream->z, -MAX_WBITS);
}

MessageInflater::~MessageInflater()
{
    inflateEnd(&m_stream->z);
}

void MessageInflater::reset()
{
    inflateReset(&m_stream->z);
    m_inBytes = 0;
    m_outBytes = 0;
    m_error.clear();
}

MessageInflater::Result MessageInflater::feed(QByteArrayView compressed, QByteArray &out)
{
    m_inBytes += quint64(compressed.size());
    return run(compressed, out);
}

MessageInflater::Result MessageInflater::finish(QByteArray &out)
{
    const Result result = run(QByteArrayView(Tail, sizeof Tail), out);
    if (result == Result::Ok) {
        if (m_noContextTakeover)
            inflateReset(&m_stream->z);
        m_inBytes = 0;
        m_outBytes = 0;
    }
    return result;
}

MessageInflater::Result MessageInflater::run(QByteArrayView input, QByteArray &out)
{
    z_stream &z = m_stream->z;
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.data()));
    z.avail_in = uInt(input.size());
    for (;;) {
        // Never more room than the limit leaves, plus one byte to notice that it was crossed.
        const quint64 left = m_maxMessageBytes - std::min(m_outBytes, m_maxMessageBytes);
        const qsizetype room = qsizetype(std::min<quint64>(quint64(Slice), left + 1));
        const qsizetype before = out.size();
        if (out.capacity() < before + room) {
            // Doubling keeps a 64 MiB message cheap to grow; never beyond what the limit allows.
            const quint64 cap = std::min<quint64>(quint64(out.capacity()) * 2, quint64(before) + left + 1);
            out.reserve(qsizetype(std::max<quint64>(quint64(before + room), cap)));
        }
        out.resize(before + room);
        z.next_out = reinterpret_cast<Bytef *>(out.data() + before);
        z.avail_out = uInt(room);
        const int status = inflate(&z, Z_SYNC_FLUSH);
        const qsizetype produced = room - qsizetype(z.avail_out);
        out.resize(before + produced);
        m_outBytes += quint64(produced);
        if (m_outBytes > m_maxMessageBytes) {
            m_error = Tr::tr("the message inflates to more than %1 bytes, the message size limit").arg(m_maxMessageBytes);
            return Result::TooBig;
        }
        if (status == Z_DATA_ERROR || status == Z_NEED_DICT || status == Z_MEM_ERROR || status == Z_STREAM_ERROR) {
            m_error = Tr::tr("the compressed data does not inflate: %1")
                          .arg(QString::fromLatin1(z.msg ? z.msg : "invalid deflate data"));
            return Result::Corrupt;
        }
        if (status == Z_STREAM_END) {
            // A final block (BFINAL) ends the stream; RFC 7692 §7.2.3.3 lets a sender use one. What
            // follows starts a new stream, so the window starts afresh too.
            if (z.avail_in == 0)
                return Result::Ok;
            inflateReset(&z);
            continue;
        }
        // Room left over means inflate() stopped for want of input: everything was taken. A full
        // slice may leave more output pending: go on.
        if (z.avail_out != 0 || status == Z_BUF_ERROR)
            return Result::Ok;
    }
}

MessageDeflater::MessageDeflater(int windowBits, bool noContextTakeover, int level)
    : m_stream(std::make_unique<Stream>())
    , m_noContextTakeover(noContextTakeover)
{
    deflateInit2(&m_stream->z, level, Z_DEFLATED, -std::clamp(windowBits, 9, 15), 8, Z_DEFAULT_STRATEGY);
}

MessageDeflater::~MessageDeflater()
{
    deflateEnd(&m_stream->z);
}

QByteArray MessageDeflater::compress(QByteArrayView message)
{
    z_stream &z = m_stream->z;
    QByteArray out;
    out.resize(qsizetype(deflateBound(&z, uLong(message.size()))) + 16);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(message.data()));
    z.avail_in = uInt(message.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    // Z_SYNC_FLUSH ends on an empty stored block: 00 00 ff ff, which the wire leaves out.
    while (deflate(&z, Z_SYNC_FLUSH) == Z_OK && z.avail_out == 0) {
        const qsizetype used = out.size();
        out.resize(used * 2);
        z.next_out = reinterpret_cast<Bytef *>(out.data() + used);
        z.avail_out = uInt(out.size() - used);
    }
    out.resize(out.size() - qsizetype(z.avail_out));
    if (out.endsWith(QByteArrayView(Tail, sizeof Tail)))
        out.chop(sizeof Tail);
    // zlib writes nothing for an empty message it has nothing pending for; the wire form of an empty
    // message is an empty stored block's first byte (RFC 7692 §7.2.3.6), which the receiver completes
    // with the tail.
    if (out.isEmpty())
        out.append('\0');
    if (m_noContextTakeover)
        deflateReset(&z);
    return out;
}
