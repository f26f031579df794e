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
    m_idleFlush.setSingleShot(true);
    m_idleFlush.setInterval(IdleFlushMs);
    connect(&m_idleFlush, &QTimer::timeout, this, &OutputWriter::flush);
    if (auto *dispatcher = QAbstractEventDispatcher::instance(thread()))
        connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, &OutputWriter::flushWhenIdle);
}

void OutputWriter::flushWhenIdle()
{
    if (m_buffer.isEmpty())
        return;
    // A person watching a terminal sees each event at once. A pipe or a file gets what piled up
    // a few milliseconds later: a relay or a flood wakes the event loop for every packet, and a
    // write per wake-up would cost a system call per message.
    if (m_terminal)
        flush();
    else if (!m_idleFlush.isActive())
        m_idleFlush.start();
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
    m_idleFlush.stop();
}
