#include "decode/sockjsframe.h"

#include "text/displaytext.h"
#include "text/utf8validator.h"

#include <QCoreApplication>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(SockJs)
};

using namespace SockJs;

template <typename Result> std::optional<Result> fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Strict JSON (RFC 8259) for the few shapes SockJS frames use: strings, arrays of strings, and the
// close frame's [number, string]. `base` is where the text starts in the message, for positions.
class Reader {
public:
    Reader(QByteArrayView text, qsizetype base)
        : m_text(text)
        , m_base(base)
    {
    }

    QString error;

    void skipSpace()
    {
        while (m_pos < m_text.size()
            && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r'))
            ++m_pos;
    }
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }

    bool expect(char c, const QString &what)
    {
        skipSpace();
        if (peek() == c) {
            ++m_pos;
            return true;
        }
        return failHere(what);
    }

    bool failHere(const QString &what)
    {
        error = atEnd() ? Tr::tr("%1, but the message ends").arg(what)
                        : Tr::tr("%1 at byte %2, not %3")
                              .arg(what)
                              .arg(m_base + m_pos)
                              .arg(DisplayText::quoted(m_text.sliced(m_pos, 1), 10));
        return false;
    }

    bool string(QByteArray *out)
    {
        skipSpace();
        if (peek() != '"')
            return failHere(Tr::tr("expected a string"));
        const qsizetype start = m_pos++;
        out->clear();
        while (true) {
            if (atEnd()) {
                error = Tr::tr("the string at byte %1 has no closing quote").arg(m_base + start);
                return false;
            }
            const auto c = uchar(m_text[m_pos]);
            if (c == '"') {
                ++m_pos;
                return true;
            }
            if (c < 0x20) {
                error = Tr::tr("a raw control character %1 at byte %2: JSON strings escape them")
                            .arg(DisplayText::line(m_text.sliced(m_pos, 1)))
                            .arg(m_base + m_pos);
                return false;
            }
            if (c == '\\') {
                if (!escape(out))
                    return false;
                continue;
            }
            char32_t cp = 0;
            const int length = Utf8Validator::decode(
                reinterpret_cast<const uchar *>(m_text.data()) + m_pos, m_text.size() - m_pos, cp);
            if (length == 0) {
                error = Tr::tr("byte %1 is not UTF-8").arg(m_base + m_pos);
                return false;
            }
            out->append(m_text.sliced(m_pos, length));
            m_pos += length;
        }
    }

    // A JSON integer (no fraction, no exponent) that fits in 9 digits.
    bool integer(qint64 *out)
    {
        skipSpace();
        const qsizetype start = m_pos;
        if (peek() == '-')
            ++m_pos;
        const qsizetype digits = m_pos;
        while (!atEnd() && peek() >= '0' && peek() <= '9')
            ++m_pos;
        if (m_pos == digits) {
            m_pos = start;
            return failHere(Tr::tr("expected a number"));
        }
        if (peek() == '.' || peek() == 'e' || peek() == 'E') {
            error = Tr::tr("the number at byte %1 is not a whole number").arg(m_base + start);
            return false;
        }
        if (m_pos - digits > 1 && m_text[digits] == '0') {
            error = Tr::tr("the number at byte %1 has a leading zero, which JSON does not allow").arg(m_base + start);
            return false;
        }
        if (m_pos - digits > 9) {
            error = Tr::tr("the number at byte %1 is too large for a close code").arg(m_base + start);
            return false;
        }
        *out = m_text.sliced(start, m_pos - start).toLongLong();
        return true;
    }

    // ["...", ...]: an array of strings. Strings past `maxKept` are checked and counted, not kept.
    bool stringArray(QList<QByteArray> *out, qsizetype maxKept, qsizetype *omitted)
    {
        if (!expect('[', Tr::tr("expected '['")))
            return false;
        skipSpace();
        if (peek() == ']') {
            ++m_pos;
            return true;
        }
        while (true) {
            skipSpace();
            if (peek() != '"' && !atEnd()) {
                error = Tr::tr("item %1 of the array is not a string: it starts with %2 at byte %3")
                            .arg(out->size() + *omitted + 1)
                            .arg(DisplayText::quoted(m_text.sliced(m_pos, 1), 10))
                            .arg(m_base + m_pos);
                return false;
            }
            QByteArray s;
            if (!string(&s))
                return false;
            if (maxKept < 0 || out->size() < maxKept)
                out->append(std::move(s));
            else
                ++*omitted;
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            return expect(']', Tr::tr("expected ',' or ']'"));
        }
    }

    bool end()
    {
        skipSpace();
        if (atEnd())
            return true;
        error = Tr::tr("%1 after the JSON value at byte %2")
                    .arg(DisplayText::quoted(m_text.sliced(m_pos), 20))
                    .arg(m_base + m_pos);
        return false;
    }

private:
    bool hex4(char32_t *out)
    {
        if (m_text.size() - m_pos < 4) {
            error = Tr::tr("a \\u escape at byte %1 has fewer than four hex digits").arg(m_base + m_pos - 2);
            return false;
        }
        char32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const int h = hexValue(m_text[m_pos + i]);
            if (h < 0) {
                error
                    = Tr::tr("a \\u escape at byte %1 has a character that is not a hex digit").arg(m_base + m_pos - 2);
                return false;
            }
            v = v << 4 | char32_t(h);
        }
        m_pos += 4;
        *out = v;
        return true;
    }

    bool escape(QByteArray *out)
    {
        const qsizetype at = m_pos;
        if (m_pos + 1 >= m_text.size()) {
            error = Tr::tr("the string ends in an escape at byte %1").arg(m_base + at);
            return false;
        }
        const char e = m_text[m_pos + 1];
        m_pos += 2;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            out->append(e);
            return true;
        case 'b':
            out->append('\b');
            return true;
        case 'f':
            out->append('\f');
            return true;
        case 'n':
            out->append('\n');
            return true;
        case 'r':
            out->append('\r');
            return true;
        case 't':
            out->append('\t');
            return true;
        case 'u':
            break;
        default:
            error = Tr::tr("\\%1 at byte %2 is no JSON escape")
                        .arg(DisplayText::line(QByteArrayView(&e, 1)))
                        .arg(m_base + at);
            return false;
        }
        char32_t unit = 0;
        if (!hex4(&unit))
            return false;
        if (unit >= 0xD800 && unit <= 0xDBFF && m_pos + 6 <= m_text.size() && m_text[m_pos] == '\\'
            && m_text[m_pos + 1] == 'u') {
            const qsizetype save = m_pos;
            m_pos += 2;
            char32_t low = 0;
            if (!hex4(&low))
                return false;
            if (low >= 0xDC00 && low <= 0xDFFF) {
                Utf8Validator::append(*out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
                return true;
            }
            m_pos = save; // not a pair: the first is a lone surrogate, the second read on its own
        }
        Utf8Validator::append(*out, unit);
        return true;
    }

    QByteArrayView m_text;
    qsizetype m_base = 0;
    qsizetype m_pos = 0;
};

bool escapedBySockJs(char32_t cp)
{
    return (cp >= 0x200C && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x2060 && cp <= 0x206F)
        || (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0xD800 && cp <= 0xDFFF);
}

void appendEscape(QByteArray &out, char32_t unit)
{
    static const char digits[] = "0123456789abcdef";
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4)
        out += digits[(unit >> shift) & 0xF];
}

// A lone surrogate's three bytes (ED A0–BF 80–BF), which Utf8Validator rightly refuses.
int surrogateAt(QByteArrayView s, qsizetype i, char32_t *cp)
{
    if (s.size() - i < 3 || uchar(s[i]) != 0xED || (uchar(s[i + 1]) & 0xE0) != 0xA0 || (uchar(s[i + 2]) & 0xC0) != 0x80)
        return 0;
    *cp = 0xD000 | char32_t(uchar(s[i + 1]) & 0x3F) << 6 | char32_t(uchar(s[i + 2]) & 0x3F);
    return 3;
}

std::optional<Frame> messagesFrom(
    QByteArrayView json, qsizetype base, Frame::Type type, QString *error, const QString &what, qsizetype maxMessages)
{
    Reader r(json, base);
    Frame f;
    f.type = type;
    bool ok = false;
    if (type == Frame::Type::Messages) {
        ok = r.stringArray(&f.messages, maxMessages, &f.omitted);
    } else {
        QByteArray one;
        ok = r.string(&one);
        f.messages << one;
    }
    if (ok)
        ok = r.end();
    if (!ok)
        return fail<Frame>(error, Tr::tr("%1: %2").arg(what, r.error));
    return f;
}

} // namespace

namespace SockJs {

std::optional<Frame> parseServer(QByteArrayView message, QString *error, qsizetype maxMessages)
{
    if (message.isEmpty())
        return fail<Frame>(error, Tr::tr("not a SockJS frame: the message is empty"));
    const char type = message.front();
    const QByteArrayView rest = message.sliced(1);
    switch (type) {
    case 'o':
    case 'h': {
        if (!rest.isEmpty())
            return fail<Frame>(error,
                Tr::tr("the %1 frame is the letter alone, but %2 follows")
                    .arg(QLatin1Char(type))
                    .arg(DisplayText::quoted(rest, 20)));
        Frame f;
        f.type = type == 'o' ? Frame::Type::Open : Frame::Type::Heartbeat;
        return f;
    }
    case 'a':
        return messagesFrom(rest, 1, Frame::Type::Messages, error,
            Tr::tr("the array frame is not a JSON array of strings"), maxMessages);
    case 'm':
        return messagesFrom(
            rest, 1, Frame::Type::Message, error, Tr::tr("the message frame is not a JSON string"), maxMessages);
    case 'c': {
        Reader r(rest, 1);
        Frame f;
        f.type = Frame::Type::Close;
        if (r.expect('[', Tr::tr("expected '['")) && r.integer(&f.closeCode) && r.expect(',', Tr::tr("expected ','"))
            && r.string(&f.closeReason) && r.expect(']', Tr::tr("expected ']'")) && r.end())
            return f;
        return fail<Frame>(error, Tr::tr("the close frame is not [code,\"reason\"]: %1").arg(r.error));
    }
    default:
        return fail<Frame>(error,
            Tr::tr("not a SockJS frame: it starts with %1, not o, h, a, m or c")
                .arg(DisplayText::quoted(message.first(1), 10)));
    }
}

std::optional<Frame> parseClient(QByteArrayView message, QString *error, qsizetype maxMessages)
{
    if (message.isEmpty()) {
        Frame f;
        f.type = Frame::Type::Empty;
        return f;
    }
    // sockjs-node parses the whole message as JSON and looks at its first character: '[' is a list
    // of messages, anything else one message. JSON allows white space around the value.
    qsizetype first = 0;
    while (first < message.size()
        && (message[first] == ' ' || message[first] == '\t' || message[first] == '\n' || message[first] == '\r'))
        ++first;
    const char c = first < message.size() ? message[first] : '\0';
    if (c == '[')
        return messagesFrom(
            message, 0, Frame::Type::Messages, error, Tr::tr("not a JSON array of strings"), maxMessages);
    if (c == '"')
        return messagesFrom(message, 0, Frame::Type::Message, error, Tr::tr("not a JSON string"), maxMessages);
    if (first == message.size())
        return fail<Frame>(error,
            Tr::tr("not a SockJS client frame: a client sends a JSON array of strings or one JSON "
                   "string, and this is only white space"));
    return fail<Frame>(error,
        Tr::tr("not a SockJS client frame: a client sends a JSON array of strings or one JSON "
               "string, and this starts with %1")
            .arg(DisplayText::quoted(message.sliced(first, 1), 10)));
}

QByteArray quote(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size() + 2);
    out += '"';
    const auto *bytes = reinterpret_cast<const uchar *>(text.data());
    for (qsizetype i = 0; i < text.size();) {
        char32_t cp = 0;
        int length = Utf8Validator::decode(bytes + i, text.size() - i, cp);
        if (length == 0)
            length = surrogateAt(text, i, &cp);
        if (length == 0) {
            out += "\\ufffd";
            ++i;
            continue;
        }
        switch (cp) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (cp < 0x20 || escapedBySockJs(cp)) {
                appendEscape(out, cp);
            } else if (cp > 0xFFFF) {
                // JavaScript strings are UTF-16: the pair's halves are surrogates, which utils.quote escapes.
                appendEscape(out, 0xD800 + ((cp - 0x10000) >> 10));
                appendEscape(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
            } else {
                out += text.sliced(i, length);
            }
        }
        i += length;
    }
    out += '"';
    return out;
}

QByteArray encodeServer(const Frame &frame)
{
    switch (frame.type) {
    case Frame::Type::Open:
        return QByteArrayLiteral("o");
    case Frame::Type::Heartbeat:
        return QByteArrayLiteral("h");
    case Frame::Type::Messages:
        return 'a' + encodeClient(frame);
    case Frame::Type::Message:
        return 'm' + quote(frame.messages.value(0));
    case Frame::Type::Close:
        return 'c' + ('[' + QByteArray::number(frame.closeCode) + ',' + quote(frame.closeReason) + ']');
    case Frame::Type::Empty:
        return {};
    }
    return {};
}

QByteArray encodeClient(const Frame &frame)
{
    switch (frame.type) {
    case Frame::Type::Messages: {
        QByteArray out = "[";
        for (qsizetype i = 0; i < frame.messages.size(); ++i) {
            if (i > 0)
                out += ',';
            out += quote(frame.messages[i]);
        }
        return out + ']';
    }
    case Frame::Type::Message:
        return quote(frame.messages.value(0));
    case Frame::Type::Open:
    case Frame::Type::Heartbeat:
    case Frame::Type::Close:
    case Frame::Type::Empty:
        return {};
    }
    return {};
}

QString typeName(Frame::Type type)
{
    switch (type) {
    case Frame::Type::Open:
        return Tr::tr("open");
    case Frame::Type::Heartbeat:
        return Tr::tr("heartbeat");
    case Frame::Type::Messages:
        return Tr::tr("messages");
    case Frame::Type::Message:
        return Tr::tr("message");
    case Frame::Type::Close:
        return Tr::tr("close");
    case Frame::Type::Empty:
        return Tr::tr("empty");
    }
    return {};
}

} // namespace SockJs
