#include "outputwriter.h"

#include <QAbstractEventDispatcher>
#include <cerrno>
#include <poll.h>
#include <unistd.h>

OutputWriter::OutputWriter(int fd, QObject *parent)
    : QObject(parent)
    , m_fd(fd)
    , m_terminal(::isatty(fd) == 1)
    // A terminal gets smaller batches so that a flood still scrolls smoothly.
    , m_threshold(m_terminal ? 16 * 1024 : 1024 * 1024)
{
    m_buffer.reserve(m_threshold + 64 * 1024);
    if (auto *dispatcher = QAbstractEventDispatcher::instance(thread()))
        connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, &OutputWriter::flush);
}

OutputWriter::~OutputWriter()
{
    flush();
}

void OutputWriter::flush()
{
    if (m_buffer.isEmpty())
        return;
    const char *p = m_buffer.constData();
    qsizetype left = m_buffer.size();
    while (left > 0 && !m_broken) {
        const ssize_t n = ::write(m_fd, p, size_t(left));
        if (n > 0) {
            p += n;
            left -= n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            // Standard output was left non-blocking by whoever started us: wait until it drains.
            pollfd pfd { m_fd, POLLOUT, 0 };
            ::poll(&pfd, 1, -1);
        } else {
            m_broken = true;
        }
    }
    m_buffer.truncate(0); // keeps the capacity
}
