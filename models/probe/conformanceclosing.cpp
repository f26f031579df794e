// Section 7 of the conformance catalogue: the closing handshake (RFC 6455 §5.5.1, §7) - frames after
// a close, close payload lengths, reasons, valid and invalid close codes.

#include "probe/conformancebuild.h"

namespace Conformance::Build {

namespace {

const QByteArray HelloWorld = QByteArrayLiteral("Hello World!");

// The tester starts the closing handshake with its own frames; the peer answers.
Case closeCase(const QString &id, const QString &description, const QString &expectation, QList<Step> steps,
               QList<quint16> codes, bool requireClean, QList<Event> ok = {})
{
    Case c = makeCase(id, description, expectation, std::move(steps), std::move(ok),
                      { true, std::move(codes), requireClean, false }, dropAfter(1000));
    c.suppressClose = true;
    c.wrongCodeFailsCase = true;
    return c;
}

} // namespace

QList<Case> closing()
{
    QList<Case> cases;
    {
        Case c = makeCase(QStringLiteral("7.1.1"), Tr::tr("A text message, then (once it is back) a close frame."),
                          Tr::tr("The message comes back, then a clean close with 1000."),
                          { send(frame(Opcode::Text, HelloWorld)) }, { Event::text(HelloWorld) }, normalClose(),
                          dropAfter(1000));
        c.wrongCodeFailsCase = true;
        cases << c;
    }
    const QString ignored = Tr::tr("A clean close with 1000; the peer ignores what follows its close frame (RFC 6455 "
                                   "§5.5.1: nothing may follow a close frame).");
    const FrameSpec close1000 = closeFrame(1000);
    cases << closeCase(QStringLiteral("7.1.2"), Tr::tr("Two close frames in a row."), ignored,
                       { send(close1000), send(frame(Opcode::Close)) }, { 1000 }, true);
    cases << closeCase(QStringLiteral("7.1.3"), Tr::tr("A ping after the close frame."), ignored,
                       { send(close1000), send(frame(Opcode::Ping)) }, { 1000 }, true);
    cases << closeCase(QStringLiteral("7.1.4"), Tr::tr("A text message after the close frame."), ignored,
                       { send(close1000), send(frame(Opcode::Text, HelloWorld)) }, { 1000 }, true);
    cases << closeCase(QStringLiteral("7.1.5"),
                       Tr::tr("The first fragment of a message, a close frame, then the last fragment."), ignored,
                       { send(frame(Opcode::Text, QByteArrayLiteral("fragment1"), false)), send(close1000),
                         send(frame(Opcode::Continuation, QByteArrayLiteral("fragment2"), true)) },
                       { 1000 }, true);
    {
        QByteArray big;
        big.reserve(256 * 1024);
        while (big.size() < 256 * 1024)
            big += QByteArrayLiteral("BAsd7&jh23");
        big.truncate(256 * 1024);
        Case c = closeCase(QStringLiteral("7.1.6"),
                           Tr::tr("A text message of 256 KiB, a short text message, a close frame and a ping, back "
                                  "to back."),
                           Tr::tr("Left open by the spec: a peer may answer the close before it has sent the echoes "
                                  "of the messages before it."),
                           { send(frame(Opcode::Text, big)), send(frame(Opcode::Text, HelloWorld)), send(close1000),
                             send(frame(Opcode::Ping)) },
                           { 1000 }, true, { Event::text(big), Event::text(HelloWorld) });
        c.expected.append({ Verdict::NonStrict, {} });
        c.informational = true;
        cases << c;
    }

    const QString normal = Tr::tr("A clean close with 1000.");
    const QString protocolError = Tr::tr("The peer answers with 1002 or drops TCP (RFC 6455 §5.5.1, §7.4).");
    cases << closeCase(QStringLiteral("7.3.1"), Tr::tr("A close frame without payload (no code, no reason)."),
                       Tr::tr("A clean close, with an empty close frame or 1000."), { send(frame(Opcode::Close)) },
                       { 1000 }, true);
    cases << closeCase(QStringLiteral("7.3.2"), Tr::tr("A close frame with 1 byte of payload (half a close code)."),
                       protocolError, { send(frame(Opcode::Close, QByteArrayLiteral("a"))) }, { 1002 }, false);
    cases << closeCase(QStringLiteral("7.3.3"), Tr::tr("A close frame with code 1000 and no reason."), normal,
                       { send(close1000) }, { 1000 }, true);
    cases << closeCase(QStringLiteral("7.3.4"), Tr::tr("A close frame with code 1000 and a reason."), normal,
                       { send(closeFrame(1000, HelloWorld)) }, { 1000 }, true);
    cases << closeCase(QStringLiteral("7.3.5"),
                       Tr::tr("A close frame with code 1000 and a reason of 123 bytes, the longest that fits."), normal,
                       { send(closeFrame(1000, QByteArray(123, '*'))) }, { 1000 }, true);
    cases << closeCase(QStringLiteral("7.3.6"),
                       Tr::tr("A close frame with code 1000 and a reason of 124 bytes: 126 bytes of payload, more "
                              "than a control frame may carry."),
                       protocolError, { send(closeFrame(1000, QByteArray(124, '*'))) }, { 1002 }, false);
    cases << closeCase(QStringLiteral("7.5.1"), Tr::tr("A close frame with code 1000 and a reason that is not UTF-8."),
                       Tr::tr("The peer answers with 1002 or 1007, or drops TCP."),
                       { send(closeFrame(1000, QByteArray::fromHex("cebae1bdb9cf83cebcceb5eda080") + "edited")) },
                       { 1002, 1007 }, false);

    int n = 1;
    for (quint16 code : { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999 }) {
        cases << closeCase(QStringLiteral("7.7.%1").arg(n++), Tr::tr("A close frame with the valid code %1.").arg(code),
                           Tr::tr("A clean close, answered with 1000 or with the same code."),
                           { send(closeFrame(code)) }, { 1000, code }, true);
    }
    n = 1;
    for (quint16 code : { 0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999 }) {
        cases << closeCase(QStringLiteral("7.9.%1").arg(n++),
                           Tr::tr("A close frame with the code %1, which may not be sent (RFC 6455 §7.4).").arg(code),
                           protocolError, { send(closeFrame(code)) }, { 1002 }, false);
    }
    n = 1;
    for (quint16 code : { 5000, 65535 }) {
        Case c = closeCase(QStringLiteral("7.13.%1").arg(n++),
                           Tr::tr("A close frame with the code %1, beyond the ranges RFC 6455 defines.").arg(code),
                           Tr::tr("Left open by the spec: reported as seen."), { send(closeFrame(code)) },
                           { 1000, code, 1002 }, false);
        c.informational = true;
        c.wrongCodeFailsCase = false;
        cases << c;
    }
    return cases;
}

} // namespace Conformance::Build
