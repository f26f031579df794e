#include "stdinreader.h"

#include <QSocketNotifier>
#include <cerrno>
#include <unistd.h>

StdinReader::StdinReader(QObject *parent)
    : QObject(parent)
{
}

void StdinReader::start()
{
    if (m_notifier || m_done)
        return;
    m_notifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StdinReader::readAvailable);
}

void StdinReader::stop()
{
    m_done = true;
    if (m_notifier)
        m_notifier->setEnabled(false);
}

void StdinReader::readAvailable()
{
    if (m_done)
        return;
    char chunk[64 * 1024];
    // One read per notification: the notifier fires again while more is waiting, and the event loop
    // keeps serving the socket in between.
    ssize_t n;
    do {
        n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN)
        return;
    if (n > 0) {
        m_pending.append(chunk, n);
        qsizetype start = 0;
        qsizetype newline;
        while (!m_done && (newline = m_pending.indexOf('\n', start)) >= 0) {
            qsizetype end = newline;
            if (end > start && m_pending[end - 1] == '\r')
                --end;
            Q_EMIT lineRead(m_pending.sliced(start, end - start));
            start = newline + 1;
        }
        m_pending.remove(0, start);
        return;
    }
    // End of input (or an error reading it, which ends it too).
    stop();
    if (!m_pending.isEmpty()) {
        if (m_pending.endsWith('\r'))
            m_pending.chop(1);
        Q_EMIT lineRead(m_pending);
        m_pending.clear();
    }
    Q_EMIT finished();
}
