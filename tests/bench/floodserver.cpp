// Flood server for the command-line benchmark (tests/bench/run-benchmarks.sh). Serves every client
// the same way, one after the other: completes the opening handshake, sends N text messages of S
// bytes as pre-built unmasked frames in large writes, then a close frame 1000, waits for the
// client's close (or EOF), and closes the connection.
//
//   floodserver [--port P] [--count N] [--size S] [--connections C] [--deflate] [--socketio | --mqtt]
//
// S may be 0 to 16 MiB, one frame per message with the shortest length form (7, 16 or 64 bits).
// Messages up to 125 bytes keep the benchmark's historical payload (lowercase letters after
// "message "), so small-message figures stay comparable. Longer ones are printable ASCII with
// variety, a quote and a backslash every few hundred bytes and some "é" and "€", so that UTF-8
// checking and JSON escaping do the work real text asks of them.
//
// --deflate: a client that offers permessage-deflate gets "permessage-deflate;
// server_no_context_takeover" and every message compressed (RSV1 set). Without context takeover
// each message is compressed alone, so one compressed frame is built once and sent N times. A
// client that does not offer it gets the uncompressed frames.
//
// --socketio: Socket.IO v4 over Engine.IO's websocket transport, as a socket.io server sends it
// (clients connect to /socket.io/?EIO=4&transport=websocket, which is also how the inspector knows
// the protocol): the Engine.IO open packet, the namespace connect 40{"sid":...}, then N event
// packets 42["tick",{"n":...,"t":...,"v":...}] of about 64 bytes (n counts, so no two are alike;
// 64 bytes from n = 100000 on), then close 1000. It does not wait for the client's own connect
// packet: the benchmarks' clients are bare WebSocket clients that send none.
// --mqtt: MQTT 3.1.1 as a broker sends it to a subscriber, in binary messages: CONNACK, then N
// PUBLISH packets QoS 0 of 64 bytes (topic "sensors", the same JSON as Socket.IO's event), then close
// 1000; the subprotocol "mqtt" is selected when the client offers it. It does not wait for the
// client's CONNECT either. In both modes --size and --deflate do not apply; every message differs,
// so the whole flood is built once, before the first client, and sent as the plain one is.
//
// Prints "PORT <n>" first (port 0 picks a free one). Blocking POSIX sockets, no event loop: the
// server must never be the bottleneck.

#include "protocol/handshake.h"
#include "protocol/messagedeflate.h"

#include <QByteArray>
#include <QtEndian>
#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr qint64 MaxSize = 16 * 1024 * 1024;
constexpr qint64 BatchBytes = 1 << 20;

// N copies of one frame, written in large batches.
struct Flood {
    QByteArray frame;
    QByteArray batch;
    qint64 framesPerBatch = 1;
};

Flood makeFlood(const QByteArray &frame)
{
    Flood flood;
    flood.frame = frame;
    flood.framesPerBatch = std::max<qint64>(1, BatchBytes / frame.size());
    flood.batch.reserve(flood.framesPerBatch * frame.size());
    for (qint64 i = 0; i < flood.framesPerBatch; ++i)
        flood.batch.append(frame);
    return flood;
}

// An unmasked frame with FIN set: `firstByte` carries RSV1 and the opcode; the shortest length form
// that fits (RFC 6455 §5.2).
QByteArray makeFrame(quint8 firstByte, const QByteArray &payload)
{
    const quint64 size = quint64(payload.size());
    QByteArray frame;
    frame.reserve(payload.size() + 10);
    frame.append(char(firstByte));
    if (size <= 125) {
        frame.append(char(size));
    } else if (size <= 0xFFFF) {
        frame.append(char(126));
        char length[2];
        qToBigEndian(quint16(size), length);
        frame.append(length, 2);
    } else {
        frame.append(char(127));
        char length[8];
        qToBigEndian(size, length);
        frame.append(length, 8);
    }
    frame.append(payload);
    return frame;
}

// The historical payload of the small-message benchmark.
QByteArray shortPayload(qint64 size)
{
    QByteArray payload;
    for (qint64 i = 0; i < size; ++i)
        payload.append(char('a' + (i * 7) % 26));
    if (size >= 8)
        std::memcpy(payload.data(), "message ", 8);
    return payload;
}

// Printable ASCII words in a fixed pseudo-random order (deflate shrinks it to about a quarter, like
// prose or JSON), with a quote and a backslash every 256 bytes and an "é" and a "€" every 512.
// Valid UTF-8 of exactly `size` bytes.
QByteArray longPayload(qint64 size)
{
    static constexpr const char *Words[] = { "the", "message", "frame", "server", "client", "inspector", "of", "and",
        "to", "a", "in", "is", "text", "payload", "bytes", "length", "mask", "opcode", "close", "ping", "pong", "fin",
        "{id:", "42,", "value:", "[1,", "2,", "3]}", "2026-12-03T14:00:00Z", "0x7f", "ok.", "error;", "(see", "RFC",
        "6455)", "user@example.org", "https://example.org/path?q=1&r=2", "-", "+", "=", "<tag>", "</tag>", "#", "%",
        "WebSocket", "Qt", "UTF-8", "JSON", "deflate", "window", "bits", "x", "y", "z", "!", "?", "*", "_" };
    QByteArray payload;
    payload.reserve(size);
    quint32 seed = 2463534242u;
    const char *word = "";
    while (payload.size() < size) {
        const qint64 at = payload.size();
        const qint64 room = size - at;
        if (at % 512 == 200 && room >= 2) {
            payload.append("\xc3\xa9"); // é
        } else if (at % 512 == 400 && room >= 3) {
            payload.append("\xe2\x82\xac"); // €
        } else if (at % 256 == 100) {
            payload.append('"');
        } else if (at % 256 == 150) {
            payload.append('\\');
        } else if (*word) {
            payload.append(*word++);
        } else {
            payload.append(' ');
            seed ^= seed << 13; // xorshift32: the same text on every run
            seed ^= seed >> 17;
            seed ^= seed << 5;
            word = Words[seed % std::size(Words)];
        }
    }
    return payload;
}

// A protocol flood: the packets that open the conversation, then N messages that all differ, built
// once as the frames on the wire.
struct Conversation {
    QByteArray subprotocol; // selected when offered
    QByteArray opening;
    QByteArray messages;
};

// A decimal number of at least `width` digits, zero-padded (the time's fields).
void appendNumber(QByteArray &out, qint64 value, int width = 1)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = char('0' + value % 10);
        value /= 10;
    } while (value > 0 || n < width);
    while (n > 0)
        out.append(digits[--n]);
}

// The event's fields: a counter, a time that moves a millisecond per message and a value of 5
// characters, so that a message is 64 bytes once n has 6 digits.
void appendTick(QByteArray &out, qint64 n)
{
    out.append("{\"n\":");
    appendNumber(out, n);
    const qint64 ms = n % 86'400'000;
    out.append(",\"t\":\"2026-12-05T");
    appendNumber(out, ms / 3'600'000, 2);
    out.append(':');
    appendNumber(out, ms / 60'000 % 60, 2);
    out.append(':');
    appendNumber(out, ms / 1000 % 60, 2);
    out.append('.');
    appendNumber(out, ms % 1000, 3);
    out.append("Z\",\"v\":");
    const qint64 v = 1000 + n * 7919 % 9000; // 10.00 to 99.99: JSON allows no leading zero
    appendNumber(out, v / 100);
    out.append('.');
    appendNumber(out, v % 100, 2);
    out.append('}');
}

Conversation socketIoConversation(qint64 count)
{
    Conversation c;
    // What socket.io 4 sends a websocket-only client: the handshake, then the default namespace's
    // connect with the socket's own id.
    c.opening = makeFrame(0x81, R"(0{"sid":"bench-eio-sid-0000000001","upgrades":[],"pingInterval":25000,)"
                                R"("pingTimeout":20000,"maxPayload":1000000})");
    c.opening += makeFrame(0x81, R"(40{"sid":"bench-sio-sid-0000000001"})");
    c.messages.reserve(count * 66);
    QByteArray packet;
    for (qint64 n = 0; n < count; ++n) {
        packet.clear();
        packet.append(R"(42["tick",)");
        appendTick(packet, n);
        packet.append(']');
        c.messages.append(makeFrame(0x81, packet));
    }
    return c;
}

Conversation mqttConversation(qint64 count)
{
    Conversation c;
    c.subprotocol = "mqtt";
    c.opening = makeFrame(0x82, QByteArray("\x20\x02\x00\x00", 4)); // CONNACK: no session, accepted
    c.messages.reserve(count * 66);
    QByteArray packet, body;
    for (qint64 n = 0; n < count; ++n) {
        // PUBLISH QoS 0: topic name, then the application's payload (no packet identifier at QoS 0).
        body.clear();
        body.append("\x00\x07sensors", 9);
        appendTick(body, n);
        packet.clear();
        packet.append(char(0x30));
        packet.append(char(body.size())); // under 128: the remaining length fits one byte
        packet.append(body);
        c.messages.append(makeFrame(0x82, packet));
    }
    return c;
}

bool sendAll(int fd, const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= size_t(n);
    }
    return true;
}

struct Request {
    QByteArray key; // empty: not a WebSocket handshake
    // Set when the client offers permessage-deflate: the window the server may use (its
    // server_max_window_bits, or 15), and whether the client limited it.
    std::optional<int> deflateWindowBits;
    bool windowBitsOffered = false;
    QList<QByteArray> subprotocols; // offered, in the client's order
};

// The first acceptable permessage-deflate offer among the Sec-WebSocket-Extensions values
// (RFC 7692 §5, §7.1.2.1); parameters other than server_max_window_bits need nothing from us.
void readDeflateOffer(const QByteArray &value, Request &request)
{
    for (const QByteArray &offer : value.split(',')) {
        const QList<QByteArray> parts = offer.split(';');
        if (parts.first().trimmed().toLower() != "permessage-deflate")
            continue;
        int windowBits = 15;
        bool offered = false;
        for (const QByteArray &part : parts.sliced(1)) {
            const qsizetype equals = part.indexOf('=');
            if (part.left(equals).trimmed().toLower() != "server_max_window_bits")
                continue;
            QByteArray bits = equals < 0 ? QByteArray() : part.mid(equals + 1).trimmed();
            if (bits.startsWith('"') && bits.endsWith('"') && bits.size() >= 2)
                bits = bits.mid(1, bits.size() - 2);
            windowBits = bits.toInt();
            offered = true;
        }
        // zlib deflates with a 9-bit window when asked for 8, which an 8-bit inflater may not read.
        if (windowBits < 9 || windowBits > 15)
            continue;
        request.deflateWindowBits = windowBits;
        request.windowBitsOffered = offered;
        return;
    }
}

// Reads the request head: the Sec-WebSocket-Key and the permessage-deflate offer.
Request readRequest(int fd)
{
    QByteArray head;
    char buffer[4096];
    while (!head.contains("\r\n\r\n")) {
        if (head.size() > 16 * 1024)
            return {};
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return {};
        head.append(buffer, n);
    }
    Request request;
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        if (name == "sec-websocket-key")
            request.key = line.mid(colon + 1).trimmed();
        else if (name == "sec-websocket-extensions" && !request.deflateWindowBits)
            readDeflateOffer(line.mid(colon + 1), request);
        else if (name == "sec-websocket-protocol")
            for (const QByteArray &offered : line.mid(colon + 1).split(','))
                request.subprotocols.append(offered.trimmed());
    }
    return request;
}

// Waits (up to 10 s) for the client's close frame or EOF so that closing our end does not reset a
// connection whose last bytes the client has not read yet.
void drainUntilClosed(int fd)
{
    char buffer[4096];
    for (;;) {
        pollfd pfd { fd, POLLIN, 0 };
        const int ready = ::poll(&pfd, 1, 10'000);
        if (ready <= 0)
            return;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        // A masked close frame from the client: 0x88, then 0x80 | length.
        if (n >= 2 && uchar(buffer[0]) == 0x88)
            return;
    }
}

// The floods one server sends: the plain one, and with --deflate the compressed ones, one per
// window size a client asked for (built on first use: without context takeover a message always
// compresses to the same bytes).
class Floods {
public:
    Floods(const QByteArray &payload, bool deflate)
        : m_payload(payload)
        , m_deflate(deflate)
        , m_plain(makeFlood(makeFrame(0x81, payload)))
    {
        if (deflate)
            compressed(15); // the usual window, ready before the first client
    }

    bool deflate() const { return m_deflate; }
    const Flood &plain() const { return m_plain; }
    const Flood &compressed(int windowBits)
    {
        auto it = m_compressed.find(windowBits);
        if (it == m_compressed.end()) {
            MessageDeflater deflater(windowBits, true);
            it = m_compressed.emplace(windowBits, makeFlood(makeFrame(0xC1, deflater.compress(m_payload)))).first;
        }
        return it->second;
    }

private:
    QByteArray m_payload;
    bool m_deflate;
    Flood m_plain;
    std::map<int, Flood> m_compressed;
};

// Sends `bytes` in writes of BatchBytes, as a flood's batches are.
bool sendBatched(int fd, const QByteArray &bytes)
{
    for (qint64 at = 0; at < bytes.size(); at += BatchBytes)
        if (!sendAll(fd, bytes.constData() + at, size_t(std::min<qint64>(BatchBytes, bytes.size() - at))))
            return false;
    return true;
}

// `conversation`: a protocol flood instead of the plain one.
void serve(int fd, Floods &floods, qint64 count, const Conversation *conversation)
{
    const Request request = readRequest(fd);
    if (request.key.isEmpty()) {
        std::fputs("floodserver: no valid handshake request\n", stderr);
        return;
    }
    if (conversation) {
        const bool offered = request.subprotocols.contains(conversation->subprotocol);
        const QByteArray response = Handshake::buildResponse(request.key, offered ? conversation->subprotocol : QByteArray());
        if (!sendAll(fd, response.constData(), size_t(response.size())) || !sendBatched(fd, conversation->opening)
            || !sendBatched(fd, conversation->messages))
            return;
    } else {
        const bool compress = floods.deflate() && request.deflateWindowBits;
        HttpHeaders extra;
        if (compress) {
            QByteArray agreed = "permessage-deflate; server_no_context_takeover";
            if (request.windowBitsOffered)
                agreed += "; server_max_window_bits=" + QByteArray::number(*request.deflateWindowBits);
            extra.append({ "Sec-WebSocket-Extensions", agreed });
        }
        const Flood &flood = compress ? floods.compressed(*request.deflateWindowBits) : floods.plain();
        const QByteArray response = Handshake::buildResponse(request.key, {}, extra);
        if (!sendAll(fd, response.constData(), size_t(response.size())))
            return;
        qint64 left = count;
        while (left >= flood.framesPerBatch) {
            if (!sendAll(fd, flood.batch.constData(), size_t(flood.batch.size())))
                return;
            left -= flood.framesPerBatch;
        }
        if (left > 0 && !sendAll(fd, flood.batch.constData(), size_t(left * flood.frame.size())))
            return;
    }
    static const char close[] = { char(0x88), 0x02, char(0x03), char(0xE8) }; // 1000
    if (!sendAll(fd, close, sizeof close))
        return;
    drainUntilClosed(fd);
}

} // namespace

int main(int argc, char *argv[])
{
    quint16 port = 0;
    qint64 count = 1'000'000;
    qint64 size = 64;
    qint64 connections = -1; // serve forever
    bool deflate = false;
    QByteArray protocol;
    const char *usage
        = "usage: floodserver [--port P] [--count N] [--size S] [--connections C] [--deflate] [--socketio | --mqtt]\n";
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg = argv[i];
        if (arg == "--deflate") {
            deflate = true;
            continue;
        }
        if (arg == "--socketio" || arg == "--mqtt") {
            protocol = arg;
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "floodserver: %s needs a value\n", argv[i]);
            std::fputs(usage, stderr);
            return 2;
        }
        const qint64 value = QByteArray(argv[++i]).toLongLong();
        if (arg == "--port")
            port = quint16(value);
        else if (arg == "--count")
            count = value;
        else if (arg == "--size")
            size = value;
        else if (arg == "--connections")
            connections = value;
        else {
            std::fputs(usage, stderr);
            return 2;
        }
    }
    if (size < 0 || size > MaxSize || count < 0) {
        std::fputs("floodserver: --size must be 0-16777216 and --count >= 0\n", stderr);
        return 2;
    }

    Floods floods(size <= 125 ? shortPayload(size) : longPayload(size), deflate);
    std::optional<Conversation> conversation;
    if (protocol == "--socketio")
        conversation = socketIoConversation(count);
    else if (protocol == "--mqtt")
        conversation = mqttConversation(count);

    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    const int yes = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || ::listen(listener, 16) != 0) {
        std::fprintf(stderr, "floodserver: cannot listen on 127.0.0.1:%u: %s\n", port, std::strerror(errno));
        return 1;
    }
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length);
    std::printf("PORT %u\n", ntohs(address.sin_port));
    std::fflush(stdout);

    for (qint64 served = 0; connections < 0 || served < connections; ++served) {
        const int fd = ::accept(listener, nullptr, nullptr);
        if (fd < 0) {
            if (errno == EINTR)
                continue;
            std::perror("floodserver: accept");
            return 1;
        }
        serve(fd, floods, count, conversation ? &*conversation : nullptr);
        ::close(fd);
    }
    ::close(listener);
    return 0;
}
