// Fuzz target for ResponseParser (the server's answer to the opening handshake, read by our client).
//
// Input: [options] [chunk plan] [bytes] (fuzzinput.h). Options bits 0-1: the header limit (16 KiB,
// the default; 64; 300; 1); bits 2-3: the body limit (64 KiB, the default; 0; 10; 1000); bit 4:
// the connection then ends (finish()).
//
// Fed whole and in the chunks of the plan, the parser must end in the same state with the same
// response or error. A response's raw bytes must be the head and the kept body exactly as they
// arrived; the head must agree with an independent reading of its lines (httpcheck.h); the limits
// must hold; a 101 has no body, a Content-Length body ends where it says and a chunked one where
// its last chunk and trailers end; once complete or
// failed, more bytes change nothing.

#include "httpcheck.h"

namespace {

// A parser that fails fast quotes what had arrived when it failed ("not an HTTP request: first bytes
// are 16"), which depends on the chunks; what went wrong must not.
QString errorKind(const QString &error)
{
    return error.section(QLatin1Char(':'), 0, 0);
}

struct State {
    ResponseParser::Status status = ResponseParser::Status::NeedMore;
    HttpResponse response;
    qsizetype consumed = 0;
    QString error;
    bool headComplete = false;
    QByteArray received;

    bool operator==(const State &o) const
    {
        const HttpResponse &a = response, &b = o.response;
        bool same = status == o.status && consumed == o.consumed && errorKind(error) == errorKind(o.error)
            && headComplete == o.headComplete && a.version == b.version && a.status == b.status && a.reason == b.reason
            && a.body == b.body && a.raw == b.raw && a.headers.size() == b.headers.size();
        for (qsizetype i = 0; same && i < a.headers.size(); ++i)
            same = a.headers[i].name == b.headers[i].name && a.headers[i].value == b.headers[i].value;
        return same;
    }
    QString toString() const
    {
        return QStringLiteral("status=%1 consumed=%2 head=%3 error=%4 raw=[%5] body=[%6]")
            .arg(int(status))
            .arg(consumed)
            .arg(int(headComplete))
            .arg(error, hexOf(response.raw), hexOf(response.body));
    }
};

State snapshot(const ResponseParser &parser, ResponseParser::Status status)
{
    return { status, parser.response(), parser.consumed(), parser.errorString(), parser.headComplete(),
        parser.receivedBytes() };
}

State parse(qsizetype maxHeader, qsizetype maxBody, bool finish, const QList<QByteArrayView> &chunks)
{
    ResponseParser parser(maxHeader, maxBody);
    ResponseParser::Status status = ResponseParser::Status::NeedMore;
    for (QByteArrayView chunk : chunks) {
        const State before = snapshot(parser, status);
        status = parser.feed(chunk);
        if (before.status != ResponseParser::Status::NeedMore) {
            const State after = snapshot(parser, status);
            FUZZ_CHECK(after == before,
                QStringLiteral("changed after the end:\n%1\n%2").arg(before.toString(), after.toString()));
        }
    }
    if (finish) {
        const ResponseParser::Status before = status;
        status = parser.finish();
        FUZZ_CHECK(status != ResponseParser::Status::NeedMore, QStringLiteral("finish() left it waiting"));
        FUZZ_CHECK(before == ResponseParser::Status::NeedMore || before == status,
            QStringLiteral("finish() changed the outcome"));
    }
    return snapshot(parser, status);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput input(data, size);
    static constexpr qsizetype headerLimits[4] = { 16 * 1024, 64, 300, 1 };
    static constexpr qsizetype bodyLimits[4] = { 64 * 1024, 0, 10, 1000 };
    const quint8 options = input.takeByte();
    const qsizetype maxHeader = headerLimits[options & 3];
    const qsizetype maxBody = bodyLimits[(options >> 2) & 3];
    const bool finish = options & 0x10;
    const QList<qsizetype> plan = input.takeChunkPlan();
    const QByteArrayView bytes = input.rest();

    const State whole = parse(maxHeader, maxBody, finish, { bytes });
    const State chunked = parse(maxHeader, maxBody, finish, splitByPlan(bytes, plan));
    FUZZ_CHECK(
        whole == chunked, QStringLiteral("fed whole: %1\nin chunks: %2").arg(whole.toString(), chunked.toString()));
    // receivedBytes() is for recording a head that never parsed: all that was fed while it waits for
    // one; once the head is complete or the bytes failed, it depends on where the chunks ended.
    const bool waitingForHead = !whole.headComplete && whole.status == ResponseParser::Status::NeedMore;
    FUZZ_CHECK(whole.received.startsWith(chunked.received) && (!waitingForHead || whole.received == chunked.received),
        QStringLiteral("received whole: [%1]\nin chunks: [%2]").arg(hexOf(whole.received), hexOf(chunked.received)));

    const HttpResponse &r = whole.response;
    FUZZ_CHECK(whole.received.size() <= maxHeader + 1 && whole.received == bytes.first(whole.received.size()),
        whole.toString());
    FUZZ_CHECK((whole.status == ResponseParser::Status::Error) == !whole.error.isEmpty(), whole.toString());
    if (whole.status == ResponseParser::Status::Complete)
        FUZZ_CHECK(whole.headComplete, whole.toString());
    if (!whole.headComplete) {
        FUZZ_CHECK(whole.consumed == 0 && r.raw.isEmpty(), whole.toString());
        if (whole.status == ResponseParser::Status::NeedMore)
            FUZZ_CHECK(bytes.size() <= maxHeader,
                QStringLiteral("%1 bytes of head still wanted under a %2-byte limit").arg(bytes.size()).arg(maxHeader));
        return 0;
    }

    // The head, then as much of the body as the limit keeps, exactly as they arrived.
    const qsizetype headSize = r.raw.size() - r.body.size();
    FUZZ_CHECK(headSize > 0 && headSize <= maxHeader && r.body.size() <= maxBody, whole.toString());
    FUZZ_CHECK(r.raw == bytes.first(r.raw.size()) && r.raw.endsWith(r.body), whole.toString());
    FUZZ_CHECK(whole.consumed >= headSize + r.body.size() && whole.consumed <= bytes.size(), whole.toString());
    const QList<QByteArray> lines = fuzzHeadLines(r.raw.first(headSize));
    const QByteArray &statusLine = lines.first();
    FUZZ_CHECK(fuzzIsHttpVersion(r.version) && statusLine.startsWith(r.version + ' ') && r.status >= 0
            && r.status <= 999 && statusLine.sliced(9, 3).toInt() == r.status
            && statusLine.sliced(qMin<qsizetype>(12, statusLine.size())).trimmed() == r.reason,
        whole.toString());
    fuzzCheckHeaders(lines, r.headers, true);

    if (r.status == 101)
        FUZZ_CHECK(r.body.isEmpty() && whole.consumed == headSize && whole.status == ResponseParser::Status::Complete,
            whole.toString());
    // A Content-Length body ends where it says (unless Transfer-Encoding overrides it).
    const QList<QByteArray> lengths = HttpHeaderList::values(r.headers, "Content-Length");
    if (whole.status == ResponseParser::Status::Complete && !finish && r.status >= 200 && r.status != 204
        && r.status != 304 && !HttpHeaderList::contains(r.headers, "Transfer-Encoding")) {
        FUZZ_CHECK(!lengths.isEmpty(), whole.toString());
        bool ok = false;
        const qint64 length = lengths.first().toLongLong(&ok);
        FUZZ_CHECK(ok && whole.consumed == headSize + length, whole.toString());
    }
    // A chunked body that completed ends where its last chunk and trailers end, read here with
    // whole lines rather than byte by byte.
    if (whole.status == ResponseParser::Status::Complete && !finish && r.status >= 200 && r.status != 204
        && r.status != 304 && HttpHeaderList::contains(r.headers, "Transfer-Encoding")) {
        const QByteArray codings = HttpHeaderList::values(r.headers, "Transfer-Encoding").join(',');
        FUZZ_CHECK(codings.split(',').last().trimmed().toLower() == "chunked", whole.toString());
        const QByteArray body = bytes.sliced(headSize).toByteArray();
        qsizetype at = 0;
        for (;;) {
            const qsizetype eol = body.indexOf("\r\n", at);
            FUZZ_CHECK(eol > at, whole.toString());
            QByteArray size = body.mid(at, eol - at);
            const qsizetype ext = size.indexOf(';');
            if (ext >= 0)
                size.truncate(ext);
            bool ok = false;
            const qint64 n = size.trimmed().toLongLong(&ok, 16);
            FUZZ_CHECK(ok && n >= 0, whole.toString());
            at = eol + 2;
            if (n == 0)
                break;
            at += n;
            FUZZ_CHECK(body.mid(at, 2) == "\r\n", whole.toString());
            at += 2;
        }
        for (;;) { // trailer lines, then the blank line
            const qsizetype eol = body.indexOf("\r\n", at);
            FUZZ_CHECK(eol >= at, whole.toString());
            const bool blank = eol == at;
            at = eol + 2;
            if (blank)
                break;
        }
        FUZZ_CHECK(whole.consumed == headSize + at, whole.toString());
    }
    return 0;
}
