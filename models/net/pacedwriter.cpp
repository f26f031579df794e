#include "net/pacedwriter.h"

#include <QTcpSocket>

void PacedWriter::setPacing(int chop, bool flushEachFrame)
{
    m_chop = qMax(0, chop);
    m_flushEachFrame = flushEachFrame;
}

void PacedWriter::write(QTcpSocket *socket, const QByteArray &bytes) const
{
    if (m_chop <= 0) {
        socket->write(bytes);
    } else {
        // Each piece goes to the OS at once (TCP_NODELAY is on), so that the peer reads the frame
        // in pieces rather than whole.
        for (qsizetype at = 0; at < bytes.size() && socket->state() == QAbstractSocket::ConnectedState; at += m_chop) {
            socket->write(bytes.constData() + at, qMin<qsizetype>(m_chop, bytes.size() - at));
            socket->flush(); // may find the connection gone
        }
    }
    if (m_flushEachFrame)
        socket->flush();
}

bool PacedWriter::beginParts(QTcpSocket *socket, const QByteArray &bytes, qsizetype count)
{
    if (!m_rest.isEmpty())
        return false;
    const qsizetype now = qBound<qsizetype>(0, count, bytes.size());
    m_rest = bytes.mid(now);
    socket->write(bytes.left(now));
    socket->flush();
    return true;
}

bool PacedWriter::continueParts(QTcpSocket *socket, qsizetype count)
{
    if (m_rest.isEmpty() || socket->state() != QAbstractSocket::ConnectedState)
        return false;
    const qsizetype n = count < 0 ? m_rest.size() : qMin(count, m_rest.size());
    socket->write(m_rest.left(n));
    socket->flush();
    m_rest.remove(0, n);
    return true;
}
