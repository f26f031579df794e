// Flood server for the command-line benchmark (tests/bench/run-benchmarks.sh). Serves every client
// the same way, one after the other: completes the opening handshake, sends N text messages of S
// bytes as pre-built unmasked frames in large writes, then a close frame 1000, waits for the
// client's close (or EOF), and closes the connection.
//
//   floodserver [--port P] [--count N] [--size S] [--connections C]
//
// Prints "PORT <n>" first (port 0 picks a free one). Blocking POSIX sockets, no event loop: the
// server must never be the bottleneck.

#include "protocol/handshake.h"

#include <QByteArray>
#include <QtEndian>
#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

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

// Reads the request head; returns the Sec-WebSocket-Key (empty if none).
QByteArray readHandshakeKey(int fd)
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
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "sec-websocket-key")
            return line.mid(colon + 1).trimmed();
    }
    return {};
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

void serve(int fd, const QByteArray &batch, qint64 framesPerBatch, const QByteArray &frame, qint64 count)
{
    const QByteArray key = readHandshakeKey(fd);
    if (key.isEmpty()) {
        std::fputs("floodserver: no valid handshake request\n", stderr);
        return;
    }
    const QByteArray response = Handshake::buildResponse(key);
    if (!sendAll(fd, response.constData(), size_t(response.size())))
        return;
    qint64 left = count;
    while (left >= framesPerBatch) {
        if (!sendAll(fd, batch.constData(), size_t(batch.size())))
            return;
        left -= framesPerBatch;
    }
    if (left > 0 && !sendAll(fd, batch.constData(), size_t(left * frame.size())))
        return;
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
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg = argv[i];
        if (i + 1 >= argc) {
            std::fprintf(stderr, "floodserver: %s needs a value\n", argv[i]);
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
            std::fprintf(stderr, "usage: floodserver [--port P] [--count N] [--size S] [--connections C]\n");
            return 2;
        }
    }
    if (size < 0 || size > 125 || count < 0) {
        std::fputs("floodserver: --size must be 0-125 (one short frame each) and --count >= 0\n", stderr);
        return 2;
    }

    // One frame: FIN + text, 7-bit length, payload of printable ASCII (a counter-like pattern).
    QByteArray frame;
    frame.append(char(0x81)).append(char(size));
    for (qint64 i = 0; i < size; ++i)
        frame.append(char('a' + (i * 7) % 26));
    if (size >= 8)
        std::memcpy(frame.data() + 2, "message ", 8);
    const qint64 framesPerBatch = std::max<qint64>(1, (1 << 20) / frame.size());
    QByteArray batch;
    batch.reserve(framesPerBatch * frame.size());
    for (qint64 i = 0; i < framesPerBatch; ++i)
        batch.append(frame);

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
        serve(fd, batch, framesPerBatch, frame, count);
        ::close(fd);
    }
    ::close(listener);
    return 0;
}
