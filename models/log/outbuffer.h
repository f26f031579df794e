#pragma once

#include "text/displaytext.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

#include <algorithm>
#include <cstring>

// A write cursor over the spare capacity of a QByteArray. Appending through QByteArray::append()
// costs a capacity and detach check per call; here the caller asks for room once per field (need())
// and then writes raw bytes. The array is truncated to what was written when the cursor goes away.
class OutBuffer {
public:
    explicit OutBuffer(QByteArray &array, qsizetype expected)
        : m_array(array)
        , m_used(array.size())
    {
        grow(expected);
    }
    ~OutBuffer() { m_array.resize(offset()); }
    OutBuffer(const OutBuffer &) = delete;
    OutBuffer &operator=(const OutBuffer &) = delete;

    void need(qsizetype n)
    {
        if (m_end - m_p < n)
            grow(n);
    }
    qsizetype offset() const { return m_p - m_begin; }
    void rewind(qsizetype offset) { m_p = m_begin + offset; }
    // For writers that fill memory themselves (bulk copies): they write at cursor(), within the room
    // need() made, then advance() over what they keep.
    char *cursor() { return m_p; }
    void advance(qsizetype n) { m_p += n; }

    void put(char c) { *m_p++ = c; }
    void put(const char *s, qsizetype n)
    {
        std::memcpy(m_p, s, size_t(n));
        m_p += n;
    }
    void put(QByteArrayView s) { put(s.data(), s.size()); }
    template <size_t N> void lit(const char (&s)[N]) { put(s, qsizetype(N - 1)); }
    // Like lit() but makes room first.
    template <size_t N> void text(const char (&s)[N])
    {
        need(qsizetype(N));
        put(s, qsizetype(N - 1));
    }
    void str(const char *s)
    {
        const auto n = qsizetype(std::strlen(s));
        need(n);
        put(s, n);
    }

    void putUInt(quint64 v)
    {
        char tmp[20];
        int i = 20;
        do {
            tmp[--i] = char('0' + v % 10);
            v /= 10;
        } while (v);
        put(tmp + i, 20 - i);
    }
    void putInt(qint64 v)
    {
        if (v < 0) {
            put('-');
            putUInt(quint64(0) - quint64(v));
        } else {
            putUInt(quint64(v));
        }
    }
    void putDigits(quint32 v, int width)
    {
        for (int i = width - 1; i >= 0; --i) {
            m_p[i] = char('0' + v % 10);
            v /= 10;
        }
        m_p += width;
    }
    void putHexByte(uchar b)
    {
        static constexpr char digits[] = "0123456789abcdef";
        m_p[0] = digits[b >> 4];
        m_p[1] = digits[b & 0xF];
        m_p += 2;
    }
    // Hex pairs, space-separated when `spaced` ("81 05"); makes room itself.
    void putHex(QByteArrayView bytes, bool spaced)
    {
        need(bytes.size() * 3 + 2);
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            if (spaced && i)
                put(' ');
            putHexByte(uchar(bytes[i]));
        }
    }
    // Peer bytes for people, through the one display rule; makes room itself.
    DisplayText::Result putDisplayText(QByteArrayView bytes, const DisplayText::Options &options)
    {
        DisplayText::Result result;
        need(DisplayText::maxOutputBytes(bytes.size(), options.maxChars)); // not 4× a 64 MiB payload
        m_p = DisplayText::write(m_p, bytes, options, &result);
        return result;
    }
    // `text` as a quoted JSON string in UTF-8, straight from UTF-16 (no QString::toUtf8() copy);
    // makes room itself. A lone surrogate, which no UTF-8 can carry, becomes U+FFFD.
    void putJsonString(QStringView text)
    {
        need(text.size() * 6 + 2); // \u00XX is the longest a UTF-16 unit gets
        put('"');
        const char16_t *s = text.utf16();
        const qsizetype n = text.size();
        for (qsizetype i = 0; i < n; ++i) {
            const char16_t c = s[i];
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                put(char(c));
            } else if (c < 0x80) {
                put('\\');
                switch (c) {
                case '"':
                case '\\':
                    put(char(c));
                    break;
                case '\n':
                    put('n');
                    break;
                case '\r':
                    put('r');
                    break;
                case '\t':
                    put('t');
                    break;
                default:
                    lit("u00");
                    putHexByte(uchar(c));
                }
            } else if (c < 0x800) {
                put(char(0xC0 | (c >> 6)));
                put(char(0x80 | (c & 0x3F)));
            } else if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(s[i + 1])) {
                const char32_t u = QChar::surrogateToUcs4(c, s[++i]);
                put(char(0xF0 | (u >> 18)));
                put(char(0x80 | ((u >> 12) & 0x3F)));
                put(char(0x80 | ((u >> 6) & 0x3F)));
                put(char(0x80 | (u & 0x3F)));
            } else {
                const char16_t u = QChar::isSurrogate(c) ? char16_t(0xFFFD) : c;
                put(char(0xE0 | (u >> 12)));
                put(char(0x80 | ((u >> 6) & 0x3F)));
                put(char(0x80 | (u & 0x3F)));
            }
        }
        put('"');
    }
    void putBool(bool b)
    {
        if (b)
            lit("true");
        else
            lit("false");
    }

private:
    void grow(qsizetype n)
    {
        const qsizetype used = m_p ? offset() : m_used;
        const qsizetype wanted = used + n;
        if (m_array.capacity() < wanted)
            m_array.reserve(std::max(wanted, m_array.capacity() * 2));
        m_array.resize(m_array.capacity());
        m_begin = m_array.data();
        m_p = m_begin + used;
        m_end = m_begin + m_array.size();
    }

    QByteArray &m_array;
    qsizetype m_used;
    char *m_begin = nullptr;
    char *m_p = nullptr;
    char *m_end = nullptr;
};
