#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

// Incremental, fail-fast UTF-8 validator (RFC 3629 as RFC 6455 §8.1 requires): bytes may be fed in
// any pieces (a code point may be split across TCP reads or across fragments); it reports Invalid
// at the first byte that cannot begin or continue a valid sequence (overlongs, surrogates,
// > U+10FFFF rejected as early as the bytes allow).
class Utf8Validator {
public:
    enum class Result {
        Valid, // valid so far and the bytes end on a code point boundary
        Incomplete, // valid so far but the bytes end inside a code point
        Invalid, // cannot be valid; sticky until reset()
    };

    Result feed(QByteArrayView bytes);
    Result result() const;
    // Offset, counted over all bytes fed since reset(), of the first byte that made it invalid; -1 if none.
    qint64 invalidOffset() const { return m_invalidOffset; }
    void reset();

    static bool isValid(QByteArrayView complete);

    // Length of the well-formed sequence at s[0..available) (Unicode Table 3-7), 0 when none starts
    // there; `codePoint` receives its value. For decoders that show or copy text a sequence at a time
    // (the display rule, the jsonl writer); the same rules as the validator, tested against it.
    static inline int decode(const uchar *s, qsizetype available, char32_t &codePoint);
    // The other way: `codePoint` appended to `out` as UTF-8. Surrogates (U+D800-DFFF) take the
    // three-byte form of their neighbours, which is not UTF-8: for readers that keep a lone
    // surrogate escape as the bytes it names, to show them as invalid rather than guess.
    static inline void append(QByteArray &out, char32_t codePoint);

private:
    quint32 m_state = 0;
    qint64 m_fed = 0;
    qint64 m_invalidOffset = -1;
};

inline int Utf8Validator::decode(const uchar *s, qsizetype available, char32_t &codePoint)
{
    const uchar c = s[0];
    if (c < 0x80) {
        codePoint = c;
        return 1;
    }
    int len;
    uchar lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        codePoint = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        codePoint = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; // overlong
        else if (c == 0xED)
            hi = 0x9F; // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        codePoint = c & 0x07;
        if (c == 0xF0)
            lo = 0x90; // overlong
        else if (c == 0xF4)
            hi = 0x8F; // above U+10FFFF
    } else {
        return 0;
    }
    if (available < len)
        return 0;
    for (int k = 1; k < len; ++k) {
        const uchar b = s[k];
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
            return 0;
        codePoint = (codePoint << 6) | (b & 0x3F);
    }
    return len;
}

inline void Utf8Validator::append(QByteArray &out, char32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}
