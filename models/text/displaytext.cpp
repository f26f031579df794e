#include "text/displaytext.h"

#include <algorithm>

#include "text/utf8validator.h"

#include <cstring>
#include <limits>

namespace {

constexpr char hexDigits[] = "0123456789abcdef";

// Writes one escape for `codePoint` (or the raw byte when `isByte`) into `buf`; returns its length.
int escapeInto(char *buf, char32_t codePoint, bool isByte)
{
    if (isByte || codePoint < 0x80) {
        if (!isByte) { // in Multiple mode line feeds and tabs never get here
            const char named = codePoint == '\n' ? 'n' : codePoint == '\r' ? 'r' : codePoint == '\t' ? 't' : 0;
            if (named) {
                buf[0] = '\\';
                buf[1] = named;
                return 2;
            }
        }
        buf[0] = '\\';
        buf[1] = 'x';
        buf[2] = hexDigits[(codePoint >> 4) & 0xF];
        buf[3] = hexDigits[codePoint & 0xF];
        return 4;
    }
    if (codePoint <= 0xFFFF) {
        buf[0] = '\\';
        buf[1] = 'u';
        for (int k = 0; k < 4; ++k)
            buf[2 + k] = hexDigits[(codePoint >> (12 - 4 * k)) & 0xF];
        return 6;
    }
    int n = 0;
    buf[n++] = '\\';
    buf[n++] = 'u';
    buf[n++] = '{';
    bool started = false;
    for (int shift = 20; shift >= 0; shift -= 4) {
        const int digit = (codePoint >> shift) & 0xF;
        if (digit || started || shift == 0) {
            buf[n++] = hexDigits[digit];
            started = true;
        }
    }
    buf[n++] = '}';
    return n;
}

} // namespace

bool DisplayText::isEscaped(char32_t c)
{
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
        return true; // C0, DEL, C1
    if (c < 0xAD)
        return false;
    switch (c) {
    case 0x00AD: // soft hyphen
    case 0x034F: // combining grapheme joiner
    case 0x061C: // Arabic letter mark (bidi)
    case 0x115F: // Hangul fillers: blank yet not space
    case 0x1160:
    case 0x17B4: // Khmer inherent vowels: invisible
    case 0x17B5:
    case 0x180E: // Mongolian vowel separator
    case 0x3164:
    case 0xFEFF: // zero-width no-break space (BOM)
    case 0xFFA0:
        return true;
    default:
        break;
    }
    return (c >= 0x200B && c <= 0x200F) // zero-width space, joiners, LRM, RLM
        || (c >= 0x2028 && c <= 0x202E) // line and paragraph separators, embeddings and overrides
        || (c >= 0x2060 && c <= 0x206F) // word joiner, invisible operators, isolates, deprecated formats
        || (c >= 0xFFF9 && c <= 0xFFFB) // interlinear annotation
        || (c >= 0x1D173 && c <= 0x1D17A) // musical formatting characters
        || (c >= 0xE0000 && c <= 0xE007F); // tag characters: invisible ASCII look-alikes
}

char *DisplayText::write(char *out, QByteArrayView bytes, const Options &options, Result *result)
{
    const auto *s = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype n = bytes.size();
    const qsizetype limit = options.maxChars < 0 ? std::numeric_limits<qsizetype>::max() : options.maxChars;
    Result r;
    qsizetype shown = 0; // displayed characters so far
    qsizetype i = 0;
    char buf[16];
    while (i < n) {
        const uchar c = s[i];
        // Fast path: printable ASCII, the bulk of most payloads.
        if (c >= 0x20 && c < 0x7F && !(options.escapeQuotes && (c == '"' || c == '\\'))) {
            if (shown + 1 > limit)
                break;
            *out++ = char(c);
            ++shown;
            ++i;
            continue;
        }
        char32_t codePoint = 0;
        const int len = Utf8Validator::decode(s + i, n - i, codePoint);
        qsizetype step = len ? len : 1; // input bytes this piece stands for
        int outLen = 0;
        const char *piece = buf;
        qsizetype width = 0;
        if (len == 0) {
            outLen = escapeInto(buf, c, true);
            width = outLen;
            if (r.firstInvalid < 0)
                r.firstInvalid = i;
            r.escaped = true;
        } else if (options.lines == Lines::Multiple && (c == '\n' || c == '\t')) {
            buf[0] = char(c);
            outLen = 1;
            width = 1;
        } else if (options.lines == Lines::Http && c == '\r' && i + 1 < n && s[i + 1] == '\n') {
            buf[0] = '\n'; // the HTTP line end: one break, both bytes consumed
            outLen = 1;
            width = 1;
            step = 2;
        } else if (options.lines == Lines::Http && c == '\n') {
            // A bare LF is not an HTTP line end: show it, and still break the line for readability.
            std::memcpy(buf, "\\n\n", 3);
            outLen = 3;
            width = 3;
            r.escaped = true;
        } else if (c == '"' || c == '\\') { // escapeQuotes
            buf[0] = '\\';
            buf[1] = char(c);
            outLen = 2;
            width = 2;
        } else if (isEscaped(codePoint)) {
            outLen = escapeInto(buf, codePoint, false);
            width = outLen;
            r.escaped = true;
        } else {
            piece = reinterpret_cast<const char *>(s + i);
            outLen = len;
            width = 1;
        }
        if (shown + width > limit)
            break;
        std::memcpy(out, piece, size_t(outLen));
        out += outLen;
        shown += width;
        i += step;
    }
    r.consumed = i;
    r.cut = i < n;
    if (result)
        *result = r;
    return out;
}

QString DisplayText::fromPeer(QByteArrayView bytes, const Options &options, Result *result)
{
    // Printable ASCII that fits shows as it is: most protocol text (names, ids, JSON) takes this
    // way, without the worst-case buffer and the UTF-8 round trip below.
    if (options.maxChars < 0 || bytes.size() <= options.maxChars) {
        const bool plain = std::all_of(bytes.begin(), bytes.end(), [&](char c) {
            return c >= 0x20 && c < 0x7f && !(options.escapeQuotes && (c == '"' || c == '\\'));
        });
        if (plain) {
            if (result)
                *result = Result { bytes.size(), false, -1, false };
            return QString::fromLatin1(bytes);
        }
    }
    // Bound the work by what can be shown: a 64 MiB payload cut to 80 characters reads 80 code
    // points at most (4 bytes each), not 64 MiB.
    QByteArrayView input = bytes;
    bool inputCut = false;
    if (options.maxChars >= 0 && bytes.size() > options.maxChars * 4 + 4) {
        input = bytes.first(options.maxChars * 4 + 4);
        inputCut = true;
    }
    QByteArray utf8(maxOutputBytes(input.size(), options.maxChars), Qt::Uninitialized);
    Result r;
    char *end = write(utf8.data(), input, options, &r);
    utf8.truncate(end - utf8.data());
    if (inputCut && !r.cut)
        r.cut = true; // the limit was not reached only because the input was trimmed: still cut
    QString text = QString::fromUtf8(utf8);
    if (r.cut)
        text += QChar(0x2026);
    if (result)
        *result = r;
    return text;
}

QString DisplayText::describeCharacter(QChar c)
{
    if (c == u'\'')
        return QStringLiteral("\"'\"");
    if (c.isPrint() && !c.isSpace() && !isEscaped(c.unicode()))
        return QStringLiteral("'%1'").arg(c);
    return QStringLiteral("U+%1").arg(QString::number(c.unicode(), 16).toUpper(), 4, QLatin1Char('0'));
}

QString DisplayText::toolTip(const QString &displayed)
{
    return QStringLiteral("<p style='white-space:pre-wrap'>%1</p>").arg(displayed.toHtmlEscaped());
}
