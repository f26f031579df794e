#pragma once

#include <QtGlobal>

#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// Scans for the first byte of a class in peer text, many bytes at a time: the UTF-8 validator and
// the jsonl writer look at every byte of every message, and text is mostly ASCII that needs nothing
// done to it. SSE2 (always there on x86-64) takes 16 bytes a step; the portable versions take 8
// with plain 64-bit arithmetic. Both finish the last bytes one at a time and give the same results;
// the portable ones are compiled everywhere so that the tests hold them to that.
namespace ByteScan {

// A byte a JSON string holds as it is (RFC 8259 §7): printable ASCII other than '"' and '\'. DEL
// needs no escape. Bytes from 0x80 up are UTF-8, for the caller to check.
constexpr bool isJsonPlain(uchar c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

namespace Detail {
    inline qsizetype finishAsciiRun(const uchar *s, qsizetype n, qsizetype i)
    {
        while (i < n && s[i] < 0x80)
            ++i;
        return i;
    }

    inline qsizetype finishJsonPlainRun(char *out, const uchar *s, qsizetype n, qsizetype i)
    {
        for (; i < n && isJsonPlain(s[i]); ++i)
            out[i] = char(s[i]);
        return i;
    }
} // namespace Detail

namespace Portable {
    inline qsizetype asciiRun(const uchar *s, qsizetype n)
    {
        qsizetype i = 0;
        for (; i + 8 <= n; i += 8) {
            quint64 v;
            std::memcpy(&v, s + i, 8);
            if (v & 0x8080808080808080ull)
                break; // the byte is among these 8
        }
        return Detail::finishAsciiRun(s, n, i);
    }

    inline qsizetype copyJsonPlainRun(char *out, const uchar *s, qsizetype n)
    {
        constexpr quint64 ones = 0x0101010101010101ull;
        constexpr quint64 highs = 0x8080808080808080ull;
        qsizetype i = 0;
        for (; i + 8 <= n; i += 8) {
            quint64 v;
            std::memcpy(&v, s + i, 8);
            // (x - k) & ~x has a byte's high bit set if some byte of x is below k (k <= 0x80): finds
            // control characters, and with x = v ^ c, bytes equal to c.
            const quint64 quote = v ^ (ones * '"');
            const quint64 backslash = v ^ (ones * '\\');
            const quint64 special
                = (v | ((v - ones * 0x20) & ~v) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash))
                & highs;
            if (special)
                break; // the byte is among these 8
            std::memcpy(out + i, &v, 8);
        }
        return Detail::finishJsonPlainRun(out, s, n, i);
    }
} // namespace Portable

#if defined(__SSE2__)
namespace Sse2 {
    inline qsizetype asciiRun(const uchar *s, qsizetype n)
    {
        qsizetype i = 0;
        // Long ASCII runs are the common case: 64 bytes a step with one test, then 16 to find the byte.
        for (; i + 64 <= n; i += 64) {
            const auto *p = reinterpret_cast<const __m128i *>(s + i);
            const __m128i any = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(p), _mm_loadu_si128(p + 1)),
                _mm_or_si128(_mm_loadu_si128(p + 2), _mm_loadu_si128(p + 3)));
            if (_mm_movemask_epi8(any))
                break;
        }
        for (; i + 16 <= n; i += 16) {
            const int high = _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i)));
            if (high)
                return i + std::countr_zero(unsigned(high));
        }
        return Detail::finishAsciiRun(s, n, i);
    }

    inline qsizetype copyJsonPlainRun(char *out, const uchar *s, qsizetype n)
    {
        const __m128i space = _mm_set1_epi8(0x20);
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i backslash = _mm_set1_epi8('\\');
        qsizetype i = 0;
        for (; i + 16 <= n; i += 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i));
            _mm_storeu_si128(reinterpret_cast<__m128i *>(out + i), v);
            // A signed compare: control characters are below 0x20, and bytes from 0x80 up are negative.
            const __m128i special = _mm_or_si128(
                _mm_cmplt_epi8(v, space), _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
            const int mask = _mm_movemask_epi8(special);
            if (mask)
                return i + std::countr_zero(unsigned(mask));
        }
        return Detail::finishJsonPlainRun(out, s, n, i);
    }
} // namespace Sse2
#endif

// Length of the run of ASCII bytes (below 0x80) that begins s[0, n).
inline qsizetype asciiRun(const uchar *s, qsizetype n)
{
#if defined(__SSE2__)
    return Sse2::asciiRun(s, n);
#else
    return Portable::asciiRun(s, n);
#endif
}

// Copies the run of JSON-plain bytes that begins s[0, n) to `out` and returns its length. Copying
// while scanning reads each byte once; the price is that it may write anywhere in out[0, n), past
// the run too: those bytes are garbage for the caller to overwrite. `out` must have room for n.
inline qsizetype copyJsonPlainRun(char *out, const uchar *s, qsizetype n)
{
#if defined(__SSE2__)
    return Sse2::copyJsonPlainRun(out, s, n);
#else
    return Portable::copyJsonPlainRun(out, s, n);
#endif
}

} // namespace ByteScan
