#include "log/eventformatter.h"

#include "protocol/closecodes.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <cstring>

namespace {

constexpr char HexDigits[] = "0123456789abcdef";
constexpr char Base64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// A write cursor over the spare capacity of a QByteArray. Appending through QByteArray::append()
// costs a capacity and detach check per call; here the caller asks for room once per field (need())
// and then writes raw bytes. The array is truncated to what was written when the cursor goes away.
class Out {
public:
    explicit Out(QByteArray &array, qsizetype expected)
        : m_array(array)
        , m_used(array.size())
    {
        grow(expected);
    }
    ~Out() { m_array.resize(offset()); }
    Out(const Out &) = delete;
    Out &operator=(const Out &) = delete;

    void need(qsizetype n)
    {
        if (m_end - m_p < n)
            grow(n);
    }
    qsizetype offset() const { return m_p - m_begin; }
    void rewind(qsizetype offset) { m_p = m_begin + offset; }

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
        m_p[0] = HexDigits[b >> 4];
        m_p[1] = HexDigits[b & 0xF];
        m_p += 2;
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

// Length of the valid UTF-8 sequence starting at s (2-4), or 0 if none starts there (RFC 3629:
// no overlongs, no surrogates, nothing above U+10FFFF). Only called for bytes >= 0x80.
inline int utf8SequenceLength(const uchar *s, qsizetype available)
{
    const uchar c = s[0];
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        return available >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (available < 3)
            return 0;
        const uchar lo = c == 0xE0 ? 0xA0 : 0x80;
        const uchar hi = c == 0xED ? 0x9F : 0xBF;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c < 0xF5) {
        if (available < 4)
            return 0;
        const uchar lo = c == 0xF0 ? 0x90 : 0x80;
        const uchar hi = c == 0xF4 ? 0x8F : 0xBF;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80 ? 4 : 0;
    }
    return 0;
}

bool isValidUtf8(QByteArrayView bytes)
{
    const auto *s = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            ++i;
            continue;
        }
        const int len = utf8SequenceLength(s + i, n - i);
        if (!len)
            return false;
        i += len;
    }
    return true;
}

constexpr quint64 Ones = 0x0101010101010101ull;
constexpr quint64 Highs = 0x8080808080808080ull;

// True if none of the 8 bytes needs attention in a JSON string: no control character, quote,
// backslash or non-ASCII byte.
inline bool jsonPlain8(const uchar *s)
{
    quint64 v;
    std::memcpy(&v, s, 8);
    const quint64 quote = v ^ (Ones * '"');
    const quint64 backslash = v ^ (Ones * '\\');
    const quint64 special
        = (v | ((v - Ones * 0x20) & ~v) | ((quote - Ones) & ~quote) | ((backslash - Ones) & ~backslash)) & Highs;
    return special == 0;
}

inline bool jsonPlain(uchar c)
{
    return c >= 0x20 && c != '"' && c != '\\' && c < 0x80;
}

// Writes the body of a JSON string (no quotes). Returns false at the first invalid UTF-8 byte; the
// caller then rewinds.
bool putJsonBody(Out &o, QByteArrayView bytes)
{
    const auto *s = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype n = bytes.size();
    constexpr qsizetype Block = 4096;
    qsizetype i = 0;
    while (i < n) {
        const qsizetype stop = std::min(n, i + Block);
        // Worst case 6 output bytes per input byte (\u00XX); a sequence may run 3 bytes past stop.
        o.need((stop - i) * 6 + 8);
        while (i < stop) {
            qsizetype j = i;
            while (j + 8 <= stop && jsonPlain8(s + j))
                j += 8;
            while (j < stop && jsonPlain(s[j]))
                ++j;
            if (j > i) {
                o.put(reinterpret_cast<const char *>(s + i), j - i);
                i = j;
                if (i >= stop)
                    break;
            }
            const uchar c = s[i];
            if (c >= 0x80) {
                const int len = utf8SequenceLength(s + i, n - i);
                if (!len)
                    return false;
                o.put(reinterpret_cast<const char *>(s + i), len);
                i += len;
                continue;
            }
            o.put('\\');
            switch (c) {
            case '"':
                o.put('"');
                break;
            case '\\':
                o.put('\\');
                break;
            case '\n':
                o.put('n');
                break;
            case '\r':
                o.put('r');
                break;
            case '\t':
                o.put('t');
                break;
            default:
                o.lit("u00");
                o.putHexByte(c);
            }
            ++i;
        }
    }
    return true;
}

void putBase64Body(Out &o, QByteArrayView bytes)
{
    const auto *s = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype n = bytes.size();
    o.need((n + 2) / 3 * 4 + 4);
    qsizetype i = 0;
    char quad[4];
    for (; i + 3 <= n; i += 3) {
        const quint32 v = (quint32(s[i]) << 16) | (quint32(s[i + 1]) << 8) | s[i + 2];
        quad[0] = Base64Alphabet[v >> 18];
        quad[1] = Base64Alphabet[(v >> 12) & 63];
        quad[2] = Base64Alphabet[(v >> 6) & 63];
        quad[3] = Base64Alphabet[v & 63];
        o.put(quad, 4);
    }
    if (i < n) {
        const quint32 v = (quint32(s[i]) << 16) | (i + 1 < n ? quint32(s[i + 1]) << 8 : 0);
        quad[0] = Base64Alphabet[v >> 18];
        quad[1] = Base64Alphabet[(v >> 12) & 63];
        quad[2] = i + 1 < n ? Base64Alphabet[(v >> 6) & 63] : '=';
        quad[3] = '=';
        o.put(quad, 4);
    }
}

void putHex(Out &o, QByteArrayView bytes, bool spaced)
{
    o.need(bytes.size() * 3 + 2);
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (spaced && i)
            o.put(' ');
        o.putHexByte(uchar(bytes[i]));
    }
}

// ,"name":"escaped" when valid UTF-8, else ,"name_b64":"base64". `name` is a C string literal.
void putTextField(Out &o, const char *name, QByteArrayView bytes)
{
    const qsizetype mark = o.offset();
    const auto nameLength = qsizetype(std::strlen(name));
    o.need(nameLength + 12);
    o.lit(",\"");
    o.put(name, nameLength);
    o.lit("\":\"");
    if (putJsonBody(o, bytes)) {
        o.need(1);
        o.put('"');
        return;
    }
    o.rewind(mark);
    o.need(nameLength + 16);
    o.lit(",\"");
    o.put(name, nameLength);
    o.lit("_b64\":\"");
    putBase64Body(o, bytes);
    o.put('"');
}

void putStringValue(Out &o, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    o.need(2);
    o.put('"');
    putJsonBody(o, utf8); // a QString converts to valid UTF-8
    o.need(1);
    o.put('"');
}

const char *directionCName(Direction d)
{
    switch (d) {
    case Direction::Incoming:
        return "in";
    case Direction::Outgoing:
        return "out";
    case Direction::Local:
        break;
    }
    return "local";
}

const char *kindCName(EventKind k)
{
    switch (k) {
    case EventKind::HandshakeRequest:
        return "handshake-request";
    case EventKind::HandshakeResponse:
        return "handshake-response";
    case EventKind::Frame:
        return "frame";
    case EventKind::Violation:
        return "violation";
    case EventKind::StateChange:
        return "state";
    case EventKind::TlsInfo:
        return "tls";
    case EventKind::Error:
        break;
    }
    return "error";
}

const char *stateCName(ReadyState s)
{
    switch (s) {
    case ReadyState::Connecting:
        return "CONNECTING";
    case ReadyState::Open:
        return "OPEN";
    case ReadyState::Closing:
        return "CLOSING";
    case ReadyState::Closed:
        break;
    }
    return "CLOSED";
}

const char *lengthFormBits(LengthForm f)
{
    switch (f) {
    case LengthForm::Short7:
        return "7";
    case LengthForm::Extended16:
        return "16";
    case LengthForm::Extended64:
        break;
    }
    return "64";
}

// Days since 1970-01-01 to a proleptic Gregorian date, by 400-year eras (146097 days each).
void civilFromDays(qint64 days, qint64 &year, int &month, int &day)
{
    const qint64 z = days + 719468; // shift the epoch to 0000-03-01: leap days then fall at year ends
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 dayOfEra = z - era * 146097;
    const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 monthFromMarch = (5 * dayOfYear + 2) / 153;
    day = int(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
    month = int(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
    year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
}

void splitTime(qint64 timeUs, qint64 &second, quint32 &micro)
{
    second = timeUs / 1000000;
    qint64 rest = timeUs % 1000000;
    if (rest < 0) {
        rest += 1000000;
        --second;
    }
    micro = quint32(rest);
}

// --- text format helpers ---

// Writes `bytes` for a terminal: control characters (C0, DEL, C1) escaped so nothing the peer sent
// can move the cursor or change colours. `quoted` also escapes '"' and '\'. Stops after `maxBytes`
// input bytes (on a code point boundary). Returns false at invalid UTF-8 (the caller rewinds), and
// sets `consumed` to the input bytes shown.
bool putTerminalText(Out &o, QByteArrayView bytes, qsizetype maxBytes, bool quoted, qsizetype &consumed)
{
    const auto *s = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype n = bytes.size();
    const qsizetype limit = std::min(n, maxBytes);
    o.need(limit * 6 + 8);
    qsizetype i = 0;
    while (i < limit) {
        const uchar c = s[i];
        if (c >= 0x20 && c < 0x7F) {
            if (quoted && (c == '"' || c == '\\'))
                o.put('\\');
            o.put(char(c));
            ++i;
            continue;
        }
        if (c < 0x80) {
            o.put('\\');
            if (c == '\n')
                o.put('n');
            else if (c == '\r')
                o.put('r');
            else if (c == '\t')
                o.put('t');
            else {
                o.put('x');
                o.putHexByte(c);
            }
            ++i;
            continue;
        }
        const int len = utf8SequenceLength(s + i, n - i);
        if (!len)
            return false;
        if (i + len > limit && i > 0)
            break; // keep the cut on a code point boundary
        if (len == 2 && c == 0xC2 && s[i + 1] < 0xA0) { // C1 control U+0080..U+009F
            o.lit("\\u00");
            o.putHexByte(s[i + 1]);
        } else {
            o.put(reinterpret_cast<const char *>(s + i), len);
        }
        i += len;
    }
    if (i < n) {
        // Invalid UTF-8 beyond the cut still makes the payload "not text": check the rest.
        if (!isValidUtf8(bytes.sliced(i)))
            return false;
    }
    consumed = i;
    return true;
}

void putTotalNote(Out &o, qsizetype shown, qsizetype total)
{
    if (shown >= total)
        return;
    o.text("... (");
    o.need(24);
    o.putUInt(quint64(total));
    o.text(" bytes)");
}

void putHexPreview(Out &o, QByteArrayView bytes, qsizetype maxBytes)
{
    const qsizetype shown = std::min(bytes.size(), maxBytes);
    putHex(o, bytes.first(shown), true);
    if (shown < bytes.size())
        o.text(" ");
    putTotalNote(o, shown, bytes.size());
}

// "Hello" or "Hello wor"... (5000 bytes); false (nothing written) if not valid UTF-8.
bool putQuotedPreview(Out &o, QByteArrayView bytes, qsizetype maxBytes)
{
    const qsizetype mark = o.offset();
    o.need(1);
    o.put('"');
    qsizetype consumed = 0;
    if (!putTerminalText(o, bytes, maxBytes, true, consumed)) {
        o.rewind(mark);
        return false;
    }
    o.need(1);
    o.put('"');
    putTotalNote(o, consumed, bytes.size());
    return true;
}

// Writes the lines of `bytes` after the event line, each indented by four spaces. Invalid UTF-8 is
// shown as a hex dump.
void putIndentedBlock(Out &o, QByteArrayView bytes, qsizetype maxBytes)
{
    const qsizetype total = bytes.size();
    const QByteArrayView shown = bytes.first(std::min(total, maxBytes));
    if (!isValidUtf8(bytes)) {
        for (qsizetype i = 0; i < shown.size(); i += 16) {
            o.text("    ");
            putHex(o, shown.sliced(i, std::min<qsizetype>(16, shown.size() - i)), true);
            o.text("\n");
        }
    } else {
        qsizetype start = 0;
        while (start < shown.size()) {
            qsizetype end = shown.indexOf('\n', start);
            const qsizetype next = end < 0 ? shown.size() : end + 1;
            if (end < 0)
                end = shown.size();
            qsizetype lineEnd = end;
            if (lineEnd > start && shown[lineEnd - 1] == '\r' && end < shown.size())
                --lineEnd; // CRLF line ends are the protocol's; a lone CR is shown
            const QByteArrayView line = shown.sliced(start, lineEnd - start);
            // The blank line that ends an HTTP head is noise when it is the last line.
            if (!(line.isEmpty() && next >= shown.size())) {
                o.text("    ");
                qsizetype consumed = 0;
                const qsizetype mark = o.offset();
                if (!putTerminalText(o, line, line.size(), false, consumed)) {
                    o.rewind(mark);
                    putHex(o, line, true); // the block was cut through a code point
                }
                o.text("\n");
            }
            start = next;
        }
    }
    if (shown.size() < total) {
        o.text("    ... (");
        o.need(24);
        o.putUInt(quint64(total));
        o.text(" bytes in all)\n");
    }
}

// First line of a message on the event line, further lines indented below.
void putMessage(Out &o, QByteArrayView message, qsizetype maxBytes)
{
    const qsizetype newline = message.indexOf('\n');
    const QByteArrayView first = newline < 0 ? message : message.first(newline);
    qsizetype consumed = 0;
    const qsizetype mark = o.offset();
    if (!putTerminalText(o, first, maxBytes, false, consumed)) {
        o.rewind(mark);
        o.text("(invalid UTF-8) ");
        putHexPreview(o, message, maxBytes);
        o.text("\n");
        return;
    }
    putTotalNote(o, consumed, first.size());
    o.text("\n");
    if (newline >= 0)
        putIndentedBlock(o, message.sliced(newline + 1), maxBytes);
}

ViolationRule ruleFromId(const QString &id, bool &ok)
{
    static const QHash<QString, ViolationRule> rules = [] {
        QHash<QString, ViolationRule> map;
        for (int r = int(ViolationRule::None); r <= int(ViolationRule::HandshakeFailed); ++r)
            map.insert(Violation::ruleId(ViolationRule(r)), ViolationRule(r));
        return map;
    }();
    const auto it = rules.constFind(id);
    ok = it != rules.constEnd();
    return ok ? *it : ViolationRule::None;
}

// {"time":"...","us":...,"conn":...,"dir":"...","kind":"..."  (the object stays open)
void putJsonPrefix(Out &o, const char *isoSecond, quint32 micro, qint64 timeUs, quint32 connectionId,
    Direction direction, const char *kind)
{
    o.need(160);
    o.lit("{\"time\":\"");
    o.put(isoSecond, 19);
    o.put('.');
    o.putDigits(micro, 6);
    o.lit("Z\",\"us\":");
    o.putInt(timeUs);
    o.lit(",\"conn\":");
    o.putUInt(connectionId);
    o.lit(",\"dir\":\"");
    const char *dir = directionCName(direction);
    o.put(dir, qsizetype(std::strlen(dir)));
    o.lit("\",\"kind\":\"");
    o.put(kind, qsizetype(std::strlen(kind)));
    o.put('"');
}

// "05:30:00.123456 #1 <- "
void putTextPrefix(Out &o, const char *isoSecond, quint32 micro, quint32 connectionId, Direction direction)
{
    o.need(64);
    o.put(isoSecond + 11, 8);
    o.put('.');
    o.putDigits(micro, 6);
    o.lit(" #");
    o.putUInt(connectionId);
    switch (direction) {
    case Direction::Incoming:
        o.lit(" <- ");
        break;
    case Direction::Outgoing:
        o.lit(" -> ");
        break;
    case Direction::Local:
        o.lit(" -- ");
        break;
    }
}

} // namespace

const char *EventFormatter::opcodeName(quint8 opcode)
{
    static const char *const names[16] = {
        "continuation",
        "text",
        "binary",
        "reserved-3",
        "reserved-4",
        "reserved-5",
        "reserved-6",
        "reserved-7",
        "close",
        "ping",
        "pong",
        "reserved-11",
        "reserved-12",
        "reserved-13",
        "reserved-14",
        "reserved-15",
    };
    return names[opcode & 0xF];
}

const char *EventFormatter::isoSecond(qint64 second)
{
    if (second != m_time.second) {
        m_time.second = second;
        qint64 days = second / 86400;
        qint64 secondOfDay = second % 86400;
        if (secondOfDay < 0) {
            secondOfDay += 86400;
            --days;
        }
        qint64 year;
        int month, day;
        civilFromDays(days, year, month, day);
        const auto y = quint32(std::clamp<qint64>(year, 0, 9999));
        char *p = m_time.iso;
        auto two = [&p](quint32 v) {
            *p++ = char('0' + v / 10);
            *p++ = char('0' + v % 10);
        };
        two(y / 100);
        two(y % 100);
        *p++ = '-';
        two(quint32(month));
        *p++ = '-';
        two(quint32(day));
        *p++ = 'T';
        two(quint32(secondOfDay / 3600));
        *p++ = ':';
        two(quint32(secondOfDay / 60 % 60));
        *p++ = ':';
        two(quint32(secondOfDay % 60));
    }
    return m_time.iso;
}

QByteArray EventFormatter::isoTime(qint64 timeUs)
{
    EventFormatter f;
    qint64 second;
    quint32 micro;
    splitTime(timeUs, second, micro);
    QByteArray out;
    {
        Out o(out, 32);
        o.put(f.isoSecond(second), 19);
        o.put('.');
        o.putDigits(micro, 6);
        o.put('Z');
    }
    return out;
}

bool EventFormatter::appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    const qsizetype size = out.size();
    bool ok;
    {
        Out o(out, utf8.size() + 2);
        o.put('"');
        ok = putJsonBody(o, utf8);
        if (ok) {
            o.need(1);
            o.put('"');
        }
    }
    if (!ok)
        out.truncate(size);
    return ok;
}

void EventFormatter::appendJson(QByteArray &out, const WireEvent &e)
{
    Out o(out, 448 + e.header.size() * 2 + e.payload.size() + e.payload.size() / 2);
    qint64 second;
    quint32 micro;
    splitTime(e.timeUs, second, micro);
    putJsonPrefix(o, isoSecond(second), micro, e.timeUs, e.connectionId, e.direction, kindCName(e.kind));

    switch (e.kind) {
    case EventKind::Frame: {
        const FrameHeader &f = e.frame;
        o.lit(",\"fin\":");
        o.putBool(f.fin);
        o.lit(",\"rsv1\":");
        o.putBool(f.rsv & Rsv::Rsv1);
        o.lit(",\"rsv2\":");
        o.putBool(f.rsv & Rsv::Rsv2);
        o.lit(",\"rsv3\":");
        o.putBool(f.rsv & Rsv::Rsv3);
        o.lit(",\"opcode\":");
        o.putUInt(f.opcode & 0xF);
        o.lit(",\"type\":\"");
        const char *type = opcodeName(f.opcode);
        o.put(type, qsizetype(std::strlen(type)));
        o.lit("\",\"masked\":");
        o.putBool(f.masked);
        if (f.masked) {
            o.lit(",\"mask_key\":\"");
            for (int shift = 24; shift >= 0; shift -= 8)
                o.putHexByte(uchar(f.maskingKey >> shift));
            o.put('"');
        } else {
            o.lit(",\"mask_key\":null");
        }
        o.lit(",\"len\":");
        o.putUInt(f.declaredLength);
        o.lit(",\"len_form\":");
        const char *form = lengthFormBits(f.lengthForm);
        o.put(form, form[1] ? 2 : 1);
        o.lit(",\"header\":\"");
        putHex(o, e.header, false);
        o.put('"');

        if ((f.opcode & 0xF) == Opcode::Close) {
            if (e.payload.size() >= 2) {
                const quint16 code = quint16((uchar(e.payload[0]) << 8) | uchar(e.payload[1]));
                o.text(",\"close_code\":");
                o.need(8);
                o.putUInt(code);
                const CloseCodeInfo info = CloseCodes::info(code);
                if (!info.name.isEmpty()) {
                    o.text(",\"close_name\":");
                    putStringValue(o, info.name);
                }
                putTextField(o, "close_reason", e.payload.sliced(2));
            } else {
                o.text(",\"close_code\":null");
            }
        }

        if ((f.opcode & 0xF) == Opcode::Text) {
            const qsizetype mark = o.offset();
            o.need(10);
            o.lit(",\"text\":\"");
            if (putJsonBody(o, e.payload)) {
                o.need(3);
                o.lit("\"}\n");
                return;
            }
            o.rewind(mark);
            o.text(",\"b64\":\"");
            putBase64Body(o, e.payload);
            o.text("\",\"invalid_utf8\":true}\n");
            return;
        }
        o.text(",\"b64\":\"");
        putBase64Body(o, e.payload);
        o.need(3);
        o.lit("\"}\n");
        return;
    }
    case EventKind::Violation:
        o.lit(",\"rule\":");
        putStringValue(o, Violation::ruleId(e.violation));
        o.text(",\"rfc\":");
        putStringValue(o, Violation::rfcSection(e.violation));
        o.text(",\"close_code\":");
        o.need(8);
        if (e.closeCode)
            o.putUInt(e.closeCode);
        else
            o.lit("null");
        putTextField(o, "message", e.payload);
        if (!e.header.isEmpty()) {
            o.text(",\"header\":\"");
            putHex(o, e.header, false);
            o.put('"');
        }
        break;
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        putTextField(o, "raw", e.payload);
        break;
    case EventKind::StateChange: {
        o.lit(",\"state\":\"");
        const char *state = stateCName(e.state);
        o.put(state, qsizetype(std::strlen(state)));
        o.put('"');
        putTextField(o, "message", e.payload);
        if (e.state == ReadyState::Closed) {
            o.text(",\"close_code\":");
            o.need(24);
            o.putUInt(e.closeCode);
            o.lit(",\"was_clean\":");
            o.putBool(e.wasClean);
        }
        break;
    }
    case EventKind::TlsInfo:
    case EventKind::Error:
        putTextField(o, "message", e.payload);
        break;
    }
    o.text("}\n");
}

void EventFormatter::appendText(QByteArray &out, const WireEvent &e)
{
    Out o(out, 256 + e.header.size() * 3 + std::min(e.payload.size(), m_limits.maxTextBytes) * 2);
    qint64 second;
    quint32 micro;
    splitTime(e.timeUs, second, micro);
    putTextPrefix(o, isoSecond(second), micro, e.connectionId, e.direction);

    switch (e.kind) {
    case EventKind::Frame: {
        const FrameHeader &f = e.frame;
        const quint8 opcode = f.opcode & 0xF;
        const char *type = opcodeName(opcode);
        const auto typeLength = qsizetype(std::strlen(type));
        o.put(type, typeLength);
        for (qsizetype i = typeLength; i < 6; ++i)
            o.put(' ');
        if (f.fin)
            o.lit(" FIN rsv=");
        else
            o.lit(" fin=0 rsv=");
        o.put(f.rsv & Rsv::Rsv1 ? '1' : '0');
        o.put(f.rsv & Rsv::Rsv2 ? '1' : '0');
        o.put(f.rsv & Rsv::Rsv3 ? '1' : '0');
        o.lit(" op=");
        o.put("0123456789ABCDEF"[opcode]);
        o.lit(" mask=");
        if (f.masked) {
            for (int shift = 24; shift >= 0; shift -= 8)
                o.putHexByte(uchar(f.maskingKey >> shift));
        } else {
            o.put('-');
        }
        o.lit(" len=");
        o.putUInt(f.declaredLength);
        o.lit(" (");
        o.str(lengthFormBits(f.lengthForm));
        o.text("-bit) hdr=");
        putHex(o, e.header, true);

        const QByteArrayView payload = e.payload;
        if (opcode == Opcode::Close) {
            if (payload.isEmpty()) {
                o.text("  (no status code)");
            } else if (payload.size() == 1) {
                o.text("  (1-byte payload: ");
                putHex(o, payload, true);
                o.text(")");
            } else {
                const quint16 code = quint16((uchar(payload[0]) << 8) | uchar(payload[1]));
                o.text("  ");
                o.need(8);
                o.putUInt(code);
                const QString name = CloseCodes::info(code).name;
                if (!name.isEmpty()) {
                    o.text(" ");
                    const QByteArray utf8 = name.toUtf8();
                    o.need(utf8.size());
                    o.put(utf8);
                }
                const QByteArrayView reason = payload.sliced(2);
                if (!reason.isEmpty()) {
                    o.text(" ");
                    if (!putQuotedPreview(o, reason, m_limits.maxTextBytes)) {
                        o.text("reason (invalid UTF-8): ");
                        putHexPreview(o, reason, m_limits.maxHexBytes);
                    }
                }
            }
        } else if (!payload.isEmpty() || opcode == Opcode::Text) {
            o.text("  ");
            const bool textual = opcode == Opcode::Text || opcode == Opcode::Ping || opcode == Opcode::Pong;
            if (!textual || !putQuotedPreview(o, payload, m_limits.maxTextBytes)) {
                if (opcode == Opcode::Text)
                    o.text("invalid UTF-8: ");
                putHexPreview(o, payload, m_limits.maxHexBytes);
            }
        }
        o.text("\n");
        return;
    }
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        o.str(kindCName(e.kind));
        o.text(" (");
        o.need(24);
        o.putUInt(quint64(e.payload.size()));
        o.text(" bytes)\n");
        putIndentedBlock(o, e.payload, m_limits.maxBlockBytes);
        return;
    case EventKind::Violation:
        o.text("VIOLATION ");
        o.str(Violation::ruleId(e.violation).toLatin1().constData());
        o.text(" (RFC 6455 ");
        o.str(Violation::rfcSection(e.violation).toLatin1().constData());
        if (e.closeCode) {
            o.text(", close ");
            o.need(8);
            o.putUInt(e.closeCode);
        }
        if (!e.header.isEmpty()) {
            o.text(", hdr=");
            putHex(o, e.header, true);
        }
        o.text("): ");
        putMessage(o, e.payload, m_limits.maxTextBytes * 4);
        return;
    case EventKind::StateChange: {
        const char *state = stateCName(e.state);
        if (!e.payload.startsWith(state)) {
            o.str(state);
            if (!e.payload.isEmpty())
                o.text(": ");
        }
        putMessage(o, e.payload, m_limits.maxTextBytes * 4);
        return;
    }
    case EventKind::TlsInfo:
        o.text("TLS: ");
        putMessage(o, e.payload, m_limits.maxBlockBytes);
        return;
    case EventKind::Error:
        o.text("ERROR: ");
        putMessage(o, e.payload, m_limits.maxBlockBytes);
        return;
    }
    o.text("\n");
}

void EventFormatter::appendMessageJson(
    QByteArray &out, qint64 timeUs, quint32 connectionId, Direction direction, bool isText, QByteArrayView payload)
{
    Out o(out, 256 + payload.size() + payload.size() / 2);
    qint64 second;
    quint32 micro;
    splitTime(timeUs, second, micro);
    putJsonPrefix(o, isoSecond(second), micro, timeUs, connectionId, direction, "message");
    o.text(",\"type\":\"");
    o.str(isText ? "text" : "binary");
    o.text("\"");
    if (isText) {
        const qsizetype mark = o.offset();
        o.text(",\"text\":\"");
        if (putJsonBody(o, payload)) {
            o.text("\"}\n");
            return;
        }
        o.rewind(mark);
    }
    o.text(",\"b64\":\"");
    putBase64Body(o, payload);
    if (isText)
        o.text("\",\"invalid_utf8\":true}\n");
    else
        o.text("\"}\n");
}

void EventFormatter::appendMessageText(
    QByteArray &out, qint64 timeUs, quint32 connectionId, Direction direction, bool isText, QByteArrayView payload)
{
    Out o(out, 256 + std::min(payload.size(), m_limits.maxTextBytes) * 2);
    qint64 second;
    quint32 micro;
    splitTime(timeUs, second, micro);
    putTextPrefix(o, isoSecond(second), micro, connectionId, direction);
    o.text(isText ? "message text   len=" : "message binary len=");
    o.need(24);
    o.putUInt(quint64(payload.size()));
    if (!payload.isEmpty() || isText) {
        o.text("  ");
        if (!isText || !putQuotedPreview(o, payload, m_limits.maxTextBytes)) {
            if (isText)
                o.text("invalid UTF-8: ");
            putHexPreview(o, payload, m_limits.maxHexBytes);
        }
    }
    o.text("\n");
}

// --- reading jsonl back ---

namespace {

int hexNibble(char16_t u)
{
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    return -1;
}

bool fromHex(const QString &hex, QByteArray &out)
{
    if (hex.size() % 2)
        return false;
    out.resize(hex.size() / 2);
    for (qsizetype i = 0; i < out.size(); ++i) {
        const int hi = hexNibble(hex[2 * i].unicode());
        const int lo = hexNibble(hex[2 * i + 1].unicode());
        if (hi < 0 || lo < 0)
            return false;
        out[i] = char((hi << 4) | lo);
    }
    return true;
}

class FieldReader {
public:
    explicit FieldReader(const QJsonObject &object)
        : m_object(object)
    {
    }
    QString error;

    bool has(const QString &name) const { return m_object.contains(name); }

    bool integer(const QString &name, qint64 min, qint64 max, qint64 &out, bool required = true)
    {
        const QJsonValue v = m_object.value(name);
        if (v.isUndefined()) {
            if (required)
                error = QStringLiteral("missing field \"%1\"").arg(name);
            return !required;
        }
        constexpr qint64 NotInteger = std::numeric_limits<qint64>::min();
        const qint64 i = v.toInteger(NotInteger);
        if (!v.isDouble() || i == NotInteger || i < min || i > max) {
            error = QStringLiteral("field \"%1\" is not an integer in %2..%3").arg(name).arg(min).arg(max);
            return false;
        }
        out = i;
        return true;
    }

    bool string(const QString &name, QString &out, bool required = true)
    {
        const QJsonValue v = m_object.value(name);
        if (v.isUndefined()) {
            if (required)
                error = QStringLiteral("missing field \"%1\"").arg(name);
            return !required;
        }
        if (!v.isString()) {
            error = QStringLiteral("field \"%1\" is not a string").arg(name);
            return false;
        }
        out = v.toString();
        return true;
    }

    bool boolean(const QString &name, bool &out)
    {
        const QJsonValue v = m_object.value(name);
        if (v.isUndefined())
            return true;
        if (!v.isBool()) {
            error = QStringLiteral("field \"%1\" is not true or false").arg(name);
            return false;
        }
        out = v.toBool();
        return true;
    }

    bool hex(const QString &name, QByteArray &out, bool required)
    {
        QString text;
        if (!string(name, text, required))
            return false;
        if (!has(name))
            return true;
        if (!fromHex(text, out)) {
            error = QStringLiteral("field \"%1\" is not hex: \"%2\"").arg(name, text.left(40));
            return false;
        }
        return true;
    }

    bool base64(const QString &name, QByteArray &out)
    {
        QString text;
        if (!string(name, text))
            return false;
        auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            error = QStringLiteral("field \"%1\" is not base64").arg(name);
            return false;
        }
        out = std::move(*decoded);
        return true;
    }

    // `name` as UTF-8 text, or `name`_b64 as base64.
    bool bytes(const QString &name, QByteArray &out, bool required)
    {
        const QString b64Name = name + QStringLiteral("_b64");
        if (m_object.contains(name)) {
            QString text;
            if (!string(name, text))
                return false;
            out = text.toUtf8();
            return true;
        }
        if (m_object.contains(b64Name))
            return base64(b64Name, out);
        if (required) {
            error = QStringLiteral("missing field \"%1\" (or \"%2\")").arg(name, b64Name);
            return false;
        }
        return true;
    }

private:
    const QJsonObject &m_object;
};

} // namespace

bool EventFormatter::parseJsonLine(QByteArrayView line, StoredEvent &out, QString &error)
{
    while (!line.isEmpty() && (line.back() == '\n' || line.back() == '\r'))
        line.chop(1);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        error = QStringLiteral("not valid JSON: %1 at column %2")
                    .arg(parseError.errorString())
                    .arg(parseError.offset + 1);
        return false;
    }
    if (!doc.isObject()) {
        error = QStringLiteral("not a JSON object");
        return false;
    }
    const QJsonObject object = doc.object();
    FieldReader r(object);
    out = StoredEvent();
    WireEvent &e = out.fields;
    auto fail = [&error, &r] {
        error = r.error;
        return false;
    };

    QString kind;
    if (!r.string(QStringLiteral("kind"), kind))
        return fail();
    static const QHash<QString, EventKind> kinds = {
        { QStringLiteral("handshake-request"), EventKind::HandshakeRequest },
        { QStringLiteral("handshake-response"), EventKind::HandshakeResponse },
        { QStringLiteral("frame"), EventKind::Frame },
        { QStringLiteral("violation"), EventKind::Violation },
        { QStringLiteral("state"), EventKind::StateChange },
        { QStringLiteral("tls"), EventKind::TlsInfo },
        { QStringLiteral("error"), EventKind::Error },
    };
    const auto kindIt = kinds.constFind(kind);
    if (kindIt == kinds.constEnd()) {
        error = QStringLiteral("unknown kind \"%1\"").arg(kind);
        return false;
    }
    e.kind = *kindIt;

    qint64 value = 0;
    if (!r.integer(
            QStringLiteral("us"), std::numeric_limits<qint64>::min() + 1, std::numeric_limits<qint64>::max(), value))
        return fail();
    e.timeUs = value;
    if (!r.integer(QStringLiteral("conn"), 0, std::numeric_limits<quint32>::max(), value))
        return fail();
    e.connectionId = quint32(value);
    QString dir;
    if (!r.string(QStringLiteral("dir"), dir))
        return fail();
    if (dir == QLatin1String("in"))
        e.direction = Direction::Incoming;
    else if (dir == QLatin1String("out"))
        e.direction = Direction::Outgoing;
    else if (dir == QLatin1String("local"))
        e.direction = Direction::Local;
    else {
        error = QStringLiteral("unknown dir \"%1\" (expected in, out or local)").arg(dir);
        return false;
    }

    switch (e.kind) {
    case EventKind::Frame: {
        if (!r.hex(QStringLiteral("header"), out.header, true))
            return fail();
        if (!FrameHeader::decode(out.header, e.frame) || e.frame.headerSize != out.header.size()) {
            error
                = QStringLiteral("field \"header\": %1 bytes are not one complete frame header").arg(out.header.size());
            return false;
        }
        if (r.has(QStringLiteral("text"))) {
            QString text;
            if (!r.string(QStringLiteral("text"), text))
                return fail();
            out.payload = text.toUtf8();
        } else if (r.has(QStringLiteral("b64"))) {
            if (!r.base64(QStringLiteral("b64"), out.payload))
                return fail();
        } else {
            error = QStringLiteral("frame has neither \"text\" nor \"b64\"");
            return false;
        }
        break;
    }
    case EventKind::Violation: {
        QString rule;
        if (!r.string(QStringLiteral("rule"), rule))
            return fail();
        bool known = false;
        e.violation = ruleFromId(rule, known);
        if (!known) {
            error = QStringLiteral("unknown rule \"%1\"").arg(rule);
            return false;
        }
        value = 0; // null or absent: a violation a strict peer answers without a close code
        if (!object.value(QStringLiteral("close_code")).isNull()
            && !r.integer(QStringLiteral("close_code"), 0, 65535, value, false))
            return fail();
        e.closeCode = quint16(value);
        if (!r.bytes(QStringLiteral("message"), out.payload, true)
            || !r.hex(QStringLiteral("header"), out.header, false))
            return fail();
        if (!out.header.isEmpty() && !FrameHeader::decode(out.header, e.frame)) {
            error = QStringLiteral("field \"header\": %1 bytes are not a complete frame header").arg(out.header.size());
            return false;
        }
        break;
    }
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        if (!r.bytes(QStringLiteral("raw"), out.payload, true))
            return fail();
        break;
    case EventKind::StateChange: {
        QString state;
        if (!r.string(QStringLiteral("state"), state))
            return fail();
        if (state == QLatin1String("CONNECTING"))
            e.state = ReadyState::Connecting;
        else if (state == QLatin1String("OPEN"))
            e.state = ReadyState::Open;
        else if (state == QLatin1String("CLOSING"))
            e.state = ReadyState::Closing;
        else if (state == QLatin1String("CLOSED"))
            e.state = ReadyState::Closed;
        else {
            error = QStringLiteral("unknown state \"%1\"").arg(state);
            return false;
        }
        if (!r.bytes(QStringLiteral("message"), out.payload, false))
            return fail();
        value = 0;
        if (!r.integer(QStringLiteral("close_code"), 0, 65535, value, false)
            || !r.boolean(QStringLiteral("was_clean"), e.wasClean))
            return fail();
        e.closeCode = quint16(value);
        break;
    }
    case EventKind::TlsInfo:
    case EventKind::Error:
        if (!r.bytes(QStringLiteral("message"), out.payload, true))
            return fail();
        break;
    }
    return true;
}
