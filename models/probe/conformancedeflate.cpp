// Sections 12 and 13 of the conformance catalogue: permessage-deflate (RFC 7692). Each case sends
// 1000 messages, compressed, one after another, each when the previous one came back, and is graded
// on all of them coming back unchanged in time. Section 12 varies the data (five generated data
// sets) with the offer a client usually makes; section 13 varies the parameters negotiated, on the
// JSON data. A peer that declines permessage-deflate makes every case UNIMPLEMENTED, as in Autobahn.

#include "probe/conformancebuild.h"

namespace Conformance::Build {

namespace {

// Autobahn's message sizes, counts, time limits and fragment sizes, the same in both sections.
struct Size {
    qsizetype bytes;
    int seconds;
    qsizetype fragmentSize; // 0: each message in one frame
};
constexpr Size Sizes[] = {
    { 16, 60, 0 },         { 64, 60, 0 },          { 256, 120, 0 },        { 1024, 240, 0 },
    { 4096, 480, 0 },      { 8192, 480, 0 },       { 16384, 480, 0 },      { 32768, 480, 0 },
    { 65536, 480, 0 },     { 131072, 480, 0 },     { 8192, 480, 256 },     { 16384, 480, 256 },
    { 32768, 480, 256 },   { 65536, 480, 256 },    { 131072, 480, 256 },   { 131072, 480, 1024 },
    { 131072, 480, 4096 }, { 131072, 480, 32768 },
};
constexpr int MessagesPerCase = 1000;

// What a client offers and what a server asks back, as Autobahn's cases pair them: the offer asks
// the server for its context takeover and window, the server asks the same of the client.
struct Parameters {
    bool noContextTakeover;
    int maxWindowBits; // 0: not asked
};

PerMessageDeflate::Offer offerFor(const Parameters &p)
{
    PerMessageDeflate::Offer offer;
    offer.clientNoContextTakeover = true; // the client can do without context takeover
    offer.clientMaxWindowBits = true; // and lets the server limit its window
    offer.serverNoContextTakeover = p.noContextTakeover;
    if (p.maxWindowBits)
        offer.serverMaxWindowBits = p.maxWindowBits;
    return offer;
}

PerMessageDeflate::ClientRequest requestFor(const Parameters &p)
{
    PerMessageDeflate::ClientRequest request;
    request.noContextTakeover = p.noContextTakeover;
    if (p.maxWindowBits)
        request.maxWindowBits = p.maxWindowBits;
    return request;
}

QString parametersText(const QList<Parameters> &list)
{
    QStringList parts;
    for (const Parameters &p : list) {
        QStringList asked;
        if (p.noContextTakeover)
            asked << Tr::tr("no context takeover");
        if (p.maxWindowBits)
            asked << Tr::tr("a window of %1 bits").arg(p.maxWindowBits);
        parts << (asked.isEmpty() ? Tr::tr("nothing") : asked.join(Tr::tr(" and ")));
    }
    return parts.join(Tr::tr(", else "));
}

QList<Case> casesFor(const QString &group, TestData::Set data, const QList<Parameters> &parameters)
{
    Deflate deflate;
    for (const Parameters &p : parameters) {
        deflate.offers << offerFor(p);
        deflate.requests << requestFor(p);
    }
    const QString asked = parametersText(parameters);
    QList<Case> cases;
    int n = 1;
    for (const Size &size : Sizes) {
        Workload w;
        w.count = MessagesPerCase;
        w.size = size.bytes;
        w.binary = TestData::isBinary(data);
        w.dataSet = data;
        w.fragmentSize = size.fragmentSize;
        w.timeoutMs = size.seconds * 1000;
        const QString framing = size.fragmentSize == 0 ? Tr::tr("each in one frame")
                                                       : Tr::tr("each in frames of %1 bytes").arg(size.fragmentSize);
        Case c = makeCase(QStringLiteral("%1.%2").arg(group).arg(n++),
                          Tr::tr("%1 compressed messages of %2 bytes, cut one after another from the data, %3. "
                                 "permessage-deflate asking the other end for %4.")
                              .arg(MessagesPerCase)
                              .arg(size.bytes)
                              .arg(framing, asked),
                          Tr::tr("Every message comes back unchanged (compressed or not), all within %1 s; "
                                 "an end that declines permessage-deflate leaves the case unimplemented.")
                              .arg(size.seconds),
                          {}, {}, normalClose(), closeAfter(w.timeoutMs));
        c.workload = w;
        c.deflate = deflate;
        cases << c;
    }
    return cases;
}

// 13.1 to 13.7: what the client offers (and, testing a client, what the server asks of it).
const QList<QList<Parameters>> &sectionThirteenParameters()
{
    static const QList<QList<Parameters>> list {
        { { false, 0 } },
        { { true, 0 } },
        { { false, 8 } },
        { { false, 15 } },
        { { true, 8 } },
        { { true, 15 } },
        { { true, 8 }, { true, 0 }, { false, 0 } },
    };
    return list;
}

} // namespace

QList<Case> compressionData()
{
    QList<Case> cases;
    int group = 1;
    for (TestData::Set data : TestData::all())
        cases << casesFor(QStringLiteral("12.%1").arg(group++), data, { { false, 0 } });
    return cases;
}

QList<Case> compressionParameters()
{
    QList<Case> cases;
    int group = 1;
    for (const QList<Parameters> &parameters : sectionThirteenParameters())
        cases << casesFor(QStringLiteral("13.%1").arg(group++), TestData::Set::Json, parameters);
    return cases;
}

QString compressionGroupTitle(const QString &group)
{
    const int section = group.section(QLatin1Char('.'), 0, 0).toInt();
    const int index = group.section(QLatin1Char('.'), 1, 1).toInt() - 1;
    if (section == 12) {
        const QList<TestData::Set> sets = TestData::all();
        return index >= 0 && index < sets.size() ? TestData::description(sets[index]) : QString();
    }
    const QList<QList<Parameters>> &all = sectionThirteenParameters();
    if (section != 13 || index < 0 || index >= all.size())
        return {};
    return Tr::tr("JSON data, asking for %1").arg(parametersText(all[index]));
}

} // namespace Conformance::Build
