#pragma once

#include <QByteArrayView>
#include <QtGlobal>

// Where a body in HTTP/1.1's chunked transfer coding (RFC 9112 §7.1) ends: chunk sizes in hex
// (with extensions), the chunks, the last chunk of size 0, trailer lines, the blank line. Only the
// framing is read; the bytes stay as they were sent. A body that breaks the framing makes the end
// unknown, and the reader falls back to reading until the connection ends, as before chunked was
// understood.
class ChunkedBody {
public:
    // How many of `bytes` belong to the body: all of them, or fewer when the body ends among them.
    qsizetype feed(QByteArrayView bytes);
    bool isComplete() const { return m_state == State::Done; }
    bool isBroken() const { return m_state == State::Broken; }

private:
    enum class State { Size, SizeSpace, Extension, SizeLf, Data, DataCr, DataLf, TrailerStart, Trailer, TrailerLf, LastLf, Done, Broken };
    State m_state = State::Size;
    qint64 m_remaining = 0; // data bytes left in the current chunk; also the size being read
    int m_sizeDigits = 0;
};
