// Fuzz target for the Sec-WebSocket-Extensions parser and the permessage-deflate negotiation
// (models/protocol/extensions.h): the header a server answers with.
//
// Input: the header value as it is. Lines split on '\n' are also read as several header lines.
//
// Checks: a header that parses is a non-empty list of tokens whose parameters are tokens with token
// values, and writing it out and reading it back gives the same list; several lines give the lines'
// lists one after another, or fail when one of them does; the negotiation of every
// permessage-deflate in it either fails with a reason or agrees on window bits from 8 to 15.

#include "fuzzinput.h"
#include "protocol/extensions.h"

namespace {

bool isTokenText(const QByteArray &text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        const auto u = uchar(c);
        const bool ok = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')
            || QByteArrayView("!#$%&'*+-.^_`|~").contains(char(u));
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const Extensions::Parsed parsed = Extensions::parse(bytes);
    if (parsed.ok()) {
        FUZZ_CHECK(!parsed.list.isEmpty(), QStringLiteral("an accepted header with no extension"));
        for (const Extension &e : parsed.list) {
            FUZZ_CHECK(isTokenText(e.name), QString::fromLatin1(e.name.toHex()));
            for (const ExtensionParameter &p : e.parameters) {
                FUZZ_CHECK(isTokenText(p.name), QString::fromLatin1(p.name.toHex()));
                FUZZ_CHECK(!p.value || isTokenText(*p.value), QString::fromLatin1(p.value->toHex()));
            }
        }
        const QByteArray written = Extensions::format(parsed.list);
        const Extensions::Parsed again = Extensions::parse(written);
        FUZZ_CHECK(again.ok() && again.list == parsed.list, QString::fromLatin1(written));
        for (const Extension &e : parsed.list) {
            if (e.name != PerMessageDeflate::Name)
                continue;
            for (const bool offerClientBits : { false, true }) {
                PerMessageDeflate::Offer offer;
                offer.clientMaxWindowBits = offerClientBits;
                QString error;
                const auto agreed = PerMessageDeflate::accept(e, offer, &error);
                FUZZ_CHECK(agreed || !error.isEmpty(), QString::fromLatin1(e.text()));
                if (agreed) {
                    FUZZ_CHECK(agreed->serverMaxWindowBits >= 8 && agreed->serverMaxWindowBits <= 15, QString());
                    FUZZ_CHECK(agreed->clientMaxWindowBits >= 8 && agreed->clientMaxWindowBits <= 15, QString());
                }
            }
        }
    } else {
        FUZZ_CHECK(parsed.list.isEmpty(), QStringLiteral("a failed parse kept extensions"));
        FUZZ_CHECK(!parsed.error.isEmpty(), QStringLiteral("a failure without a reason"));
    }

    // Several header lines: one list, or an error when any line has one.
    const QList<QByteArray> lines = bytes.toByteArray().split('\n');
    const Extensions::Parsed joined = Extensions::parse(lines);
    QList<Extension> expected;
    bool allOk = true;
    for (const QByteArray &line : lines) {
        const Extensions::Parsed one = Extensions::parse(line);
        allOk = allOk && one.ok();
        expected += one.list;
    }
    FUZZ_CHECK(joined.ok() == allOk, joined.error);
    if (allOk)
        FUZZ_CHECK(joined.list == expected, QStringLiteral("the lines' lists differ from the joined list"));
    return 0;
}
