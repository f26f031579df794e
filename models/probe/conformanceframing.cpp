// Sections 1 to 5 and 10 of the conformance catalogue: frame sizes, pings and pongs, reserved bits,
// reserved opcodes, fragmentation, auto-fragmentation (RFC 6455 §5).

#include "probe/conformancebuild.h"

namespace Conformance::Build {

namespace {

const QByteArray Hello = QByteArrayLiteral("Hello, world!");
const QByteArray BinarySample = QByteArray::fromHex("00fffefdfcfb00ff");

// A valid message, echoed, then closed by the tester with 1000.
Case echoCase(const QString &id, const QString &description, quint8 opcode, const QByteArray &payload,
              int chop = 0)
{
    const bool big = payload.size() > 128;
    const Event echo = opcode == Opcode::Binary ? Event::binaryMessage(payload) : Event::text(payload);
    return makeCase(id, description, Tr::tr("The message comes back unchanged; the tester then closes with 1000 and the "
                                            "closing handshake completes."),
                    { send(frame(opcode, payload), chop) }, { echo }, normalClose(), dropAfter(big ? 10'000 : 1000));
}

// Frames the peer must refuse at once with 1002 (or by dropping TCP); with `echoFirst`, a valid
// message before them comes back first (a peer that fails the connection before echoing it is not
// strict about ordering, but not wrong: NON-STRICT).
Case failCase(const QString &id, const QString &description, const QString &expectation, QList<Step> steps,
              bool echoFirst = false)
{
    Case c = makeCase(id, description, expectation, std::move(steps), echoFirst ? QList<Event> { Event::text(Hello) } : QList<Event> {},
                      peerFails(), dropAfter(1000));
    if (echoFirst)
        c.expected.append({ Verdict::NonStrict, {} });
    return c;
}

} // namespace

QList<Case> framing()
{
    QList<Case> cases;
    const QList<int> sizes { 0, 125, 126, 127, 128, 65535, 65536 };
    for (int binary = 0; binary < 2; ++binary) {
        const quint8 opcode = binary ? Opcode::Binary : Opcode::Text;
        const char fill = binary ? '\xfe' : '*';
        const QString kind = binary ? Tr::tr("binary") : Tr::tr("text");
        const QString group = QStringLiteral("1.%1.").arg(binary + 1);
        int n = 1;
        for (int size : sizes)
            cases << echoCase(group + QString::number(n++),
                              Tr::tr("A %1 message of %2 bytes in one frame (the 7-bit, 16-bit and 64-bit length forms "
                                     "and their edges).")
                                  .arg(kind)
                                  .arg(size),
                              opcode, QByteArray(size, fill));
        cases << echoCase(group + QString::number(n),
                          Tr::tr("A %1 message of 65536 bytes in one frame, written to TCP in pieces of 997 bytes.").arg(kind),
                          opcode, QByteArray(65536, fill), 997);
    }
    return cases;
}

QList<Case> pingPong()
{
    QList<Case> cases;
    const QString pongBack = Tr::tr("A pong with the ping's payload comes back; the tester then closes with 1000.");
    auto pingCase = [&](const QString &id, const QString &description, const QByteArray &payload, int chop = 0,
                        int closeMs = 1000) {
        return makeCase(id, description, pongBack, { send(frame(Opcode::Ping, payload), chop) },
                        { Event::pong(payload) }, normalClose(), closeAfter(closeMs));
    };
    cases << pingCase(QStringLiteral("2.1"), Tr::tr("A ping without payload."), {});
    cases << pingCase(QStringLiteral("2.2"), Tr::tr("A ping with a short text payload."), Hello);
    cases << pingCase(QStringLiteral("2.3"), Tr::tr("A ping with a short payload that is not UTF-8."), BinarySample);
    cases << pingCase(QStringLiteral("2.4"), Tr::tr("A ping with 125 bytes of payload, the most a control frame may carry."),
                      QByteArray(125, '\xfe'));
    cases << failCase(QStringLiteral("2.5"), Tr::tr("A ping with 126 bytes of payload, one more than a control frame may carry."),
                      Tr::tr("The peer fails the connection with 1002 at once (RFC 6455 §5.5: control frames carry at "
                             "most 125 bytes)."),
                      { send(frame(Opcode::Ping, QByteArray(126, '\xfe'))) });
    cases << pingCase(QStringLiteral("2.6"), Tr::tr("A ping with 125 bytes of payload, written to TCP one byte at a time."),
                      QByteArray(125, '\xfe'), 1, 2000);
    const QString nothingBack = Tr::tr("Nothing comes back (a pong needs no answer); the tester closes with 1000.");
    cases << makeCase(QStringLiteral("2.7"), Tr::tr("An unsolicited pong without payload."), nothingBack,
                      { send(frame(Opcode::Pong)) }, {}, normalClose(), closeAfter(1000));
    cases << makeCase(QStringLiteral("2.8"), Tr::tr("An unsolicited pong with payload."), nothingBack,
                      { send(frame(Opcode::Pong, QByteArrayLiteral("unsolicited pong payload"))) }, {}, normalClose(),
                      closeAfter(1000));
    cases << makeCase(QStringLiteral("2.9"), Tr::tr("An unsolicited pong, then a ping."),
                      Tr::tr("Only the ping is answered, with a pong carrying its payload."),
                      { send(frame(Opcode::Pong, QByteArrayLiteral("unsolicited pong payload"))),
                        send(frame(Opcode::Ping, QByteArrayLiteral("ping payload"))) },
                      { Event::pong(QByteArrayLiteral("ping payload")) }, normalClose(), closeAfter(1000));
    for (int chopped = 0; chopped < 2; ++chopped) {
        QList<Step> steps;
        QList<Event> pongs;
        for (int i = 0; i < 10; ++i) {
            const QByteArray payload = "payload-" + QByteArray::number(i);
            steps << send(frame(Opcode::Ping, payload), chopped ? 1 : 0);
            pongs << Event::pong(payload);
        }
        cases << makeCase(chopped ? QStringLiteral("2.11") : QStringLiteral("2.10"),
                          chopped ? Tr::tr("Ten pings with payloads, written to TCP one byte at a time.")
                                  : Tr::tr("Ten pings with payloads in a row."),
                          Tr::tr("Ten pongs, one per ping and in order (RFC 6455 lets a peer answer only the latest of "
                                 "several pings; the catalogue expects every one)."),
                          steps, pongs, normalClose(), closeAfter(3000));
    }
    return cases;
}

QList<Case> reservedBits()
{
    QList<Case> cases;
    const QString failsAtOnce = Tr::tr("The peer fails the connection with 1002 (RFC 6455 §5.2: RSV bits must be 0 "
                                       "unless an extension gives them a meaning).");
    const QString echoThenFail = Tr::tr("The first message comes back, then the peer fails the connection with 1002; "
                                        "the ping is not answered.");
    // RSV values as a number, RSV1 its highest bit: RSV = 1 is the RSV3 bit, RSV = 4 the RSV1 bit.
    cases << failCase(QStringLiteral("3.1"), Tr::tr("A short text message with RSV = 1."), failsAtOnce,
                      { send(frame(Opcode::Text, Hello, true, 1)) });
    // 3.2 to 3.4: a valid message, the same with RSV set, then a ping; in one write, frame by frame,
    // and byte by byte.
    const struct {
        quint8 rsv;
        int chop;
        bool sync;
        const char *how;
    } variants[] = { { 2, 0, false, QT_TRANSLATE_NOOP("ConformanceCatalogue", "in one write") },
                     { 3, 0, true, QT_TRANSLATE_NOOP("ConformanceCatalogue", "each frame written on its own") },
                     { 4, 1, false, QT_TRANSLATE_NOOP("ConformanceCatalogue", "written to TCP one byte at a time") } };
    int n = 2;
    for (const auto &v : variants) {
        cases << failCase(QStringLiteral("3.%1").arg(n++),
                          Tr::tr("A short text message, the same message with RSV = %1, then a ping, %2.")
                              .arg(v.rsv)
                              .arg(Tr::tr(v.how)),
                          echoThenFail,
                          { send(frame(Opcode::Text, Hello), v.chop, v.sync),
                            send(frame(Opcode::Text, Hello, true, v.rsv), v.chop, v.sync),
                            send(frame(Opcode::Ping), v.chop, v.sync) },
                          true);
    }
    cases << failCase(QStringLiteral("3.5"), Tr::tr("A short binary message with RSV = 5."), failsAtOnce,
                      { send(frame(Opcode::Binary, BinarySample, true, 5)) });
    cases << failCase(QStringLiteral("3.6"), Tr::tr("A ping with RSV = 6."), failsAtOnce,
                      { send(frame(Opcode::Ping, Hello, true, 6)) });
    cases << failCase(QStringLiteral("3.7"), Tr::tr("A close frame with RSV = 7."), failsAtOnce,
                      { send(frame(Opcode::Close, {}, true, 7)) });
    return cases;
}

QList<Case> opcodes()
{
    QList<Case> cases;
    for (int control = 0; control < 2; ++control) {
        const int first = control ? 11 : 3;
        const QString kind = control ? Tr::tr("control") : Tr::tr("data");
        const QString group = QStringLiteral("4.%1.").arg(control + 1);
        const QString failsAtOnce = Tr::tr("The peer fails the connection with 1002 (RFC 6455 §5.2: opcode %1 is "
                                           "reserved).");
        cases << failCase(group + QStringLiteral("1"),
                          Tr::tr("A frame with the reserved %1 opcode %2 and no payload.").arg(kind).arg(first),
                          failsAtOnce.arg(first), { send(frame(quint8(first))) });
        cases << failCase(group + QStringLiteral("2"),
                          Tr::tr("A frame with the reserved %1 opcode %2 and a payload.").arg(kind).arg(first + 1),
                          failsAtOnce.arg(first + 1),
                          { send(frame(quint8(first + 1), QByteArrayLiteral("reserved opcode payload"))) });
        for (int i = 2; i < 5; ++i) {
            const quint8 opcode = quint8(first + i);
            const int chop = i == 4 ? 1 : 0;
            const QByteArray payload = i == 2 ? QByteArray() : Hello;
            cases << failCase(group + QString::number(i + 1),
                              Tr::tr("A short text message, a frame with the reserved %1 opcode %2%3, then a ping%4.")
                                  .arg(kind)
                                  .arg(opcode)
                                  .arg(payload.isEmpty() ? QString() : Tr::tr(" and a payload"),
                                       chop ? Tr::tr(", written to TCP one byte at a time") : QString()),
                              Tr::tr("The first message comes back, then the peer fails the connection with 1002; "
                                     "the ping is not answered."),
                              { send(frame(Opcode::Text, Hello), chop), send(frame(opcode, payload), chop),
                                send(frame(Opcode::Ping), chop) },
                              true);
        }
    }
    return cases;
}

QList<Case> autoFragmentation()
{
    const QByteArray payload(65536, '*');
    return { makeCase(QStringLiteral("10.1.1"),
                      Tr::tr("A text message of 65536 bytes, fragmented by the tester into frames of 1300 bytes."),
                      Tr::tr("The message comes back whole and unchanged; the tester then closes with 1000."),
                      message(Opcode::Text, payload, 1300), { Event::text(payload) }, normalClose(), dropAfter(10'000)) };
}

} // namespace Conformance::Build
