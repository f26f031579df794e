// Fuzz target for HttpProxyTunnel (models/net/httpproxytunnel.h): an HTTP proxy's answer to the
// CONNECT the inspector sends it before an outgoing connection.
//
// Input: [options] [chunk plan] [bytes] (fuzzinput.h). Options bit 0: the proxy URL carries a user
// and password; bit 1: the server is an IPv6 address.
//
// Fed whole and in the chunks of the plan, the tunnel must end the same: still waiting, open with
// the same bytes after the answer (its leftover, and what the owner reads itself once it is
// open), or refused with the same reason. Left-over bytes are the end of the
// input, after the answer's head; a refusal names the proxy and never holds its password; once
// open or refused, more bytes change nothing.

#include "fuzzinput.h"
#include "net/httpproxytunnel.h"

namespace {

struct Outcome {
    HttpProxyTunnel::Status status = HttpProxyTunnel::Status::NeedMore;
    QByteArray leftover;
    QString refusal;
    bool operator==(const Outcome &o) const
    {
        // A parser's error may quote what had arrived when it failed, which depends on the chunks:
        // such refusals agree up to the reason; any other must be the same text.
        static const QString notHttp = QStringLiteral("did not answer CONNECT in HTTP: ");
        const qsizetype cut = refusal.indexOf(notHttp);
        const bool sameRefusal = cut >= 0 ? o.refusal.left(cut + notHttp.size()) == refusal.left(cut + notHttp.size())
                                          : refusal == o.refusal;
        return status == o.status && leftover == o.leftover && sameRefusal;
    }
    QString toString() const
    {
        return QStringLiteral("status=%1 leftover=[%2] refusal=%3").arg(int(status)).arg(hexOf(leftover), refusal);
    }
};

Outcome run(const OutgoingProxy &proxy, const QString &host, const QList<QByteArrayView> &chunks)
{
    HttpProxyTunnel tunnel(proxy, host, 443);
    QByteArray afterOpen; // what the owner reads itself once the tunnel is open: the server's bytes
    for (const QByteArrayView chunk : chunks) {
        const auto before = tunnel.status();
        const auto after = tunnel.feed(chunk);
        FUZZ_CHECK(before == HttpProxyTunnel::Status::NeedMore || after == before, QStringLiteral("an ended tunnel changed"));
        if (before == HttpProxyTunnel::Status::Open)
            afterOpen += chunk.toByteArray();
    }
    return { tunnel.status(), tunnel.leftover() + afterOpen, tunnel.refusal() };
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput input(data, size);
    const quint8 options = input.takeByte();
    const QList<qsizetype> plan = input.takeChunkPlan();
    const QByteArrayView bytes = input.rest();
    const auto proxy = OutgoingProxy::fromUrl((options & 1) ? QStringLiteral("http://u:SECRETPW@proxy:3128")
                                                            : QStringLiteral("http://proxy:3128"),
                                              nullptr);
    const QString host = (options & 2) ? QStringLiteral("fd00::1") : QStringLiteral("server.example");
    FUZZ_CHECK(proxy.has_value(), QStringLiteral("the fixed proxy URL did not parse"));

    const Outcome whole = run(*proxy, host, { bytes });
    const Outcome chunked = run(*proxy, host, splitByPlan(bytes, plan));
    FUZZ_CHECK(whole == chunked, QStringLiteral("whole: %1\nchunked: %2").arg(whole.toString(), chunked.toString()));

    const HttpProxyTunnel fresh(*proxy, host, 443);
    FUZZ_CHECK(fresh.request().startsWith("CONNECT ") && fresh.request().endsWith("\r\n\r\n"), QString::fromLatin1(fresh.request()));
    switch (whole.status) {
    case HttpProxyTunnel::Status::Open:
        FUZZ_CHECK(bytes.endsWith(whole.leftover), whole.toString());
        break;
    case HttpProxyTunnel::Status::Refused:
        FUZZ_CHECK(whole.refusal.contains(QLatin1String("HTTP proxy proxy:3128")), whole.refusal);
        FUZZ_CHECK(!whole.refusal.contains(QLatin1String("SECRETPW")), whole.refusal);
        FUZZ_CHECK(whole.leftover.isEmpty(), whole.toString());
        break;
    case HttpProxyTunnel::Status::NeedMore:
        FUZZ_CHECK(whole.leftover.isEmpty() && whole.refusal.isEmpty(), whole.toString());
        break;
    }
    return 0;
}
