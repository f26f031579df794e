// Fuzz target for RequestParser (the opening handshake request a server reads from a client).
//
// Input: [options] [chunk plan] [bytes] (fuzzinput.h). Options bits 0-1: the header limit (16 KiB,
// the default; 64; 200; 1).
//
// Fed whole and in the chunks of the plan, the parser must end in the same state with the same
// request or error. A complete request must be exactly the first consumed() bytes, within the
// limit, and agree with an independent reading of its lines (httpcheck.h); an unfinished one must
// still be within the limit; once complete or failed, more bytes change nothing.

#include "httpcheck.h"

namespace {

// A parser that fails fast quotes what had arrived when it failed ("not an HTTP request: first bytes
// are 16"), which depends on the chunks; what went wrong must not.
QString errorKind(const QString &error)
{
    return error.section(QLatin1Char(':'), 0, 0);
}

struct State {
    RequestParser::Status status = RequestParser::Status::NeedMore;
    HttpRequest request;
    qsizetype consumed = 0;
    QString error;

    bool operator==(const State &o) const
    {
        const HttpRequest &a = request, &b = o.request;
        bool same = status == o.status && consumed == o.consumed && errorKind(error) == errorKind(o.error)
            && a.method == b.method && a.target == b.target && a.version == b.version && a.raw == b.raw
            && a.headers.size() == b.headers.size();
        for (qsizetype i = 0; same && i < a.headers.size(); ++i)
            same = a.headers[i].name == b.headers[i].name && a.headers[i].value == b.headers[i].value;
        return same;
    }
    QString toString() const
    {
        return QStringLiteral("status=%1 consumed=%2 error=%3 raw=[%4]")
            .arg(int(status))
            .arg(consumed)
            .arg(error, hexOf(request.raw));
    }
};

State parse(qsizetype limit, const QList<QByteArrayView> &chunks)
{
    RequestParser parser(limit);
    State state;
    for (QByteArrayView chunk : chunks) {
        const State before { state.status, parser.request(), parser.consumed(), parser.errorString() };
        state.status = parser.feed(chunk);
        if (before.status != RequestParser::Status::NeedMore) {
            const State after { state.status, parser.request(), parser.consumed(), parser.errorString() };
            FUZZ_CHECK(after == before,
                QStringLiteral("changed after the end:\n%1\n%2").arg(before.toString(), after.toString()));
        }
    }
    state.request = parser.request();
    state.consumed = parser.consumed();
    state.error = parser.errorString();
    return state;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput input(data, size);
    static constexpr qsizetype limits[4] = { 16 * 1024, 64, 200, 1 };
    const qsizetype limit = limits[input.takeByte() & 3];
    const QList<qsizetype> plan = input.takeChunkPlan();
    const QByteArrayView bytes = input.rest();

    const State whole = parse(limit, { bytes });
    const State chunked = parse(limit, splitByPlan(bytes, plan));
    FUZZ_CHECK(
        whole == chunked, QStringLiteral("fed whole: %1\nin chunks: %2").arg(whole.toString(), chunked.toString()));

    switch (whole.status) {
    case RequestParser::Status::NeedMore:
        FUZZ_CHECK(bytes.size() <= limit,
            QStringLiteral("%1 bytes still wanted under a %2-byte limit").arg(bytes.size()).arg(limit));
        FUZZ_CHECK(whole.consumed == 0 && whole.error.isEmpty(), whole.toString());
        break;
    case RequestParser::Status::Error:
        FUZZ_CHECK(!whole.error.isEmpty(), whole.toString());
        break;
    case RequestParser::Status::Complete: {
        const HttpRequest &r = whole.request;
        FUZZ_CHECK(whole.consumed == r.raw.size() && r.raw == bytes.first(whole.consumed), whole.toString());
        FUZZ_CHECK(r.raw.size() <= limit, whole.toString());
        const QList<QByteArray> lines = fuzzHeadLines(r.raw);
        const QList<QByteArray> parts = lines.first().split(' ');
        FUZZ_CHECK(parts.size() == 3 && parts[0] == r.method && parts[1] == r.target && parts[2] == r.version,
            whole.toString());
        FUZZ_CHECK(fuzzIsToken(r.method) && !r.target.isEmpty() && fuzzIsHttpVersion(r.version), whole.toString());
        fuzzCheckHeaders(lines, r.headers, false);
        break;
    }
    }
    return 0;
}
