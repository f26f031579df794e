// Section 5 of the conformance catalogue: fragmentation (RFC 6455 §5.4) - fragmented control frames,
// control frames between fragments, continuations with nothing to continue, delayed fragments.

#include "probe/conformancebuild.h"

namespace Conformance::Build {

namespace {

// How the frames of a case reach TCP: together, each frame on its own, or byte by byte.
enum class Writes { Together, PerFrame, PerByte };

QString writesText(Writes w)
{
    switch (w) {
    case Writes::Together:
        return Tr::tr("in one write");
    case Writes::PerFrame:
        return Tr::tr("each frame written on its own");
    case Writes::PerByte:
        return Tr::tr("written to TCP one byte at a time");
    }
    return {};
}

Step write(const FrameSpec &spec, Writes w)
{
    return send(spec, w == Writes::PerByte ? 1 : 0, w == Writes::PerFrame);
}

FrameSpec fragment(quint8 opcode, const char *payload, bool fin)
{
    return frame(opcode, QByteArray(payload), fin);
}

} // namespace

QList<Case> fragmentation()
{
    QList<Case> cases;
    const QString fails = Tr::tr("The peer fails the connection with 1002 (RFC 6455 §5.4).");
    auto failing = [&](const QString &id, const QString &description, QList<Step> steps) {
        return makeCase(id, description, fails, std::move(steps), {}, peerFails(), dropAfter(1000));
    };
    cases << failing(QStringLiteral("5.1"), Tr::tr("A ping split into two fragments (control frames must not be fragmented)."),
                     { send(fragment(Opcode::Ping, "fragment1", false)),
                       send(fragment(Opcode::Continuation, "fragment2", true)) });
    cases << failing(QStringLiteral("5.2"), Tr::tr("A pong split into two fragments (control frames must not be fragmented)."),
                     { send(fragment(Opcode::Pong, "fragment1", false)),
                       send(fragment(Opcode::Continuation, "fragment2", true)) });

    const QByteArray twoFragments = QByteArrayLiteral("fragment1fragment2");
    const Writes writes[] = { Writes::Together, Writes::PerFrame, Writes::PerByte };
    int n = 3;
    for (Writes w : writes)
        cases << makeCase(QStringLiteral("5.%1").arg(n++),
                          Tr::tr("A text message in two fragments, %1.").arg(writesText(w)),
                          Tr::tr("The message comes back whole; the tester then closes with 1000."),
                          { write(fragment(Opcode::Text, "fragment1", false), w),
                            write(fragment(Opcode::Continuation, "fragment2", true), w) },
                          { Event::text(twoFragments) }, normalClose(), closeAfter(1000));
    for (Writes w : writes)
        cases << makeCase(QStringLiteral("5.%1").arg(n++),
                          Tr::tr("A text message in two fragments with a ping between them, %1.").arg(writesText(w)),
                          Tr::tr("The pong comes first, then the whole message (control frames may come between "
                                 "fragments, RFC 6455 §5.4)."),
                          { write(fragment(Opcode::Text, "fragment1", false), w),
                            write(frame(Opcode::Ping, QByteArrayLiteral("ping payload")), w),
                            write(fragment(Opcode::Continuation, "fragment2", true), w) },
                          { Event::pong(QByteArrayLiteral("ping payload")), Event::text(twoFragments) }, normalClose(),
                          closeAfter(1000));
    // 5.9 to 5.14: a continuation with nothing to continue, FIN set then clear, then a text message.
    for (int fin = 1; fin >= 0; --fin)
        for (Writes w : writes)
            cases << failing(QStringLiteral("5.%1").arg(n++),
                             Tr::tr("A continuation frame with FIN = %1 where there is nothing to continue, then a "
                                    "text message, %2.")
                                 .arg(fin ? Tr::tr("true") : Tr::tr("false"), writesText(w)),
                             { write(fragment(Opcode::Continuation, "non-continuation payload", fin), w),
                               write(frame(Opcode::Text, QByteArrayLiteral("Hello, world!")), w) });
    {
        Case c = makeCase(QStringLiteral("5.15"),
                          Tr::tr("A text message in two fragments, then a continuation with FIN = false where there "
                                 "is nothing to continue, then a text message."),
                          Tr::tr("The first message comes back, then the peer fails the connection with 1002."),
                          { send(fragment(Opcode::Text, "fragment1", false)),
                            send(fragment(Opcode::Continuation, "fragment2", true)),
                            send(fragment(Opcode::Continuation, "fragment3", false)),
                            send(fragment(Opcode::Text, "fragment4", true)) },
                          { Event::text(twoFragments) }, peerFails(), dropAfter(1000));
        c.expected.append({ Verdict::NonStrict, {} });
        cases << c;
    }
    for (int fin = 0; fin < 2; ++fin) {
        QList<Step> steps;
        for (int i = 0; i < 2; ++i)
            steps << send(fragment(Opcode::Continuation, "fragment1", fin)) << send(fragment(Opcode::Text, "fragment2", false))
                  << send(fragment(Opcode::Continuation, "fragment3", true));
        cases << failing(QStringLiteral("5.%1").arg(16 + fin),
                         Tr::tr("Twice: a continuation with FIN = %1 where there is nothing to continue, then a text "
                                "message in two fragments.")
                             .arg(fin ? Tr::tr("true") : Tr::tr("false")),
                         steps);
    }
    cases << failing(QStringLiteral("5.18"),
                     Tr::tr("A text message in two fragments whose second frame carries the text opcode again."),
                     { send(fragment(Opcode::Text, "fragment1", false)), send(fragment(Opcode::Text, "fragment2", true)) });
    // 5.19 and 5.20: a fragmented message with pings between the fragments and a pause of a second.
    for (int sync = 0; sync < 2; ++sync) {
        const Writes w = sync ? Writes::PerFrame : Writes::Together;
        cases << makeCase(QStringLiteral("5.%1").arg(19 + sync),
                          Tr::tr("A text message in five fragments: two fragments, a ping, a pause of 1 s, two more "
                                 "fragments, a second ping and the last fragment, %1.")
                              .arg(writesText(w)),
                          Tr::tr("Each ping is answered at once, then the whole message comes back."),
                          { write(fragment(Opcode::Text, "fragment1", false), w),
                            write(fragment(Opcode::Continuation, "fragment2", false), w),
                            write(frame(Opcode::Ping, QByteArrayLiteral("pongme 1!")), w), pause(1000, {}),
                            write(fragment(Opcode::Continuation, "fragment3", false), w),
                            write(fragment(Opcode::Continuation, "fragment4", false), w),
                            write(frame(Opcode::Ping, QByteArrayLiteral("pongme 2!")), w),
                            write(fragment(Opcode::Continuation, "fragment5", true), w) },
                          { Event::pong(QByteArrayLiteral("pongme 1!")), Event::pong(QByteArrayLiteral("pongme 2!")),
                            Event::text(QByteArrayLiteral("fragment1fragment2fragment3fragment4fragment5")) },
                          normalClose(), closeAfter(1000));
    }
    return cases;
}

} // namespace Conformance::Build
