#pragma once

#include <QByteArray>

class QTcpSocket;

// How an engine's frames reach TCP when a conformance case asks for it: in pieces of a few bytes,
// each handed to the OS at once, one frame per write, or a frame written in parts with pauses
// between them. Both engines (client and server) write through one.
class PacedWriter {
public:
    // `chop`: pieces of this many bytes, each flushed at once (0: a frame in one write);
    // `flushEachFrame`: no frame shares a write with the frames around it.
    void setPacing(int chop, bool flushEachFrame);
    // Writes a frame's bytes as paced; stops when the connection goes.
    void write(QTcpSocket *socket, const QByteArray &bytes) const;
    // Writes the first `count` bytes now and keeps the rest for continueParts(). False while an
    // earlier frame is still in parts.
    bool beginParts(QTcpSocket *socket, const QByteArray &bytes, qsizetype count);
    // `count` more bytes of the frame in parts (-1: the rest). False when none is in parts or the
    // connection has gone.
    bool continueParts(QTcpSocket *socket, qsizetype count);
    bool inParts() const { return !m_rest.isEmpty(); }

private:
    int m_chop = 0;
    bool m_flushEachFrame = false;
    QByteArray m_rest;
};
