#include "protocol/chunkedbody.h"

#include "text/hexdigits.h"

qsizetype ChunkedBody::feed(QByteArrayView bytes)
{
    qsizetype i = 0;
    while (i < bytes.size() && m_state != State::Done && m_state != State::Broken) {
        const char c = bytes[i];
        switch (m_state) {
        case State::Size:
            if (const int digit = hexDigitValue(char16_t(uchar(c))); digit >= 0) {
                // Sixteen hex digits would overflow; no real chunk is within a factor of that.
                if (++m_sizeDigits > 15) {
                    m_state = State::Broken;
                    return bytes.size();
                }
                m_remaining = m_remaining * 16 + digit;
            } else if (m_sizeDigits > 0 && c == ';') {
                m_state = State::Extension;
            } else if (m_sizeDigits > 0 && (c == ' ' || c == '\t')) {
                m_state = State::SizeSpace; // whitespace before an extension's ';' (RFC 9112 BWS)
            } else if (m_sizeDigits > 0 && c == '\r') {
                m_state = State::SizeLf;
            } else {
                m_state = State::Broken;
                return bytes.size();
            }
            ++i;
            break;
        case State::SizeSpace:
            if (c == ';')
                m_state = State::Extension;
            else if (c == '\r')
                m_state = State::SizeLf;
            else if (c != ' ' && c != '\t') {
                m_state = State::Broken;
                return bytes.size();
            }
            ++i;
            break;
        case State::Extension:
            if (c == '\r')
                m_state = State::SizeLf;
            ++i;
            break;
        case State::SizeLf:
            if (c != '\n') {
                m_state = State::Broken;
                return bytes.size();
            }
            m_sizeDigits = 0;
            m_state = m_remaining == 0 ? State::TrailerStart : State::Data;
            ++i;
            break;
        case State::Data: {
            const qsizetype n = qsizetype(qMin<qint64>(m_remaining, bytes.size() - i));
            m_remaining -= n;
            i += n;
            if (m_remaining == 0)
                m_state = State::DataCr;
            break;
        }
        case State::DataCr:
        case State::DataLf:
            if (c != (m_state == State::DataCr ? '\r' : '\n')) {
                m_state = State::Broken;
                return bytes.size();
            }
            m_state = m_state == State::DataCr ? State::DataLf : State::Size;
            ++i;
            break;
        case State::TrailerStart:
            // A blank line ends the body; anything else is a trailer field's line.
            m_state = c == '\r' ? State::LastLf : State::Trailer;
            ++i;
            break;
        case State::Trailer:
            if (c == '\r')
                m_state = State::TrailerLf;
            ++i;
            break;
        case State::TrailerLf:
        case State::LastLf:
            if (c != '\n') {
                m_state = State::Broken;
                return bytes.size();
            }
            m_state = m_state == State::LastLf ? State::Done : State::TrailerStart;
            ++i;
            break;
        case State::Done:
        case State::Broken:
            break;
        }
    }
    return m_state == State::Broken ? bytes.size() : i;
}
