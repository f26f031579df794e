#pragma once

// Shorthands the catalogue's sections use to write their cases (conformancecatalogue*.cpp only).

#include "probe/conformancecase.h"
#include "probe/probepresets.h"
#include "protocol/frame.h"

#include <QCoreApplication>

namespace Conformance::Build {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(ConformanceCatalogue)
};

// The probes' masking key and frames: a case's bytes are the same on every run.
constexpr quint32 MaskingKey = ProbePresets::MaskingKey;

inline FrameSpec frame(quint8 opcode, const QByteArray &payload = {}, bool fin = true, quint8 rsv = 0)
{
    return ProbePresets::maskedFrame(opcode, payload, fin, rsv);
}

inline Step send(const FrameSpec &spec, int chop = 0, bool sync = false)
{
    Step s;
    s.kind = Step::Kind::Send;
    s.frame = spec;
    s.chop = chop;
    s.sync = sync;
    return s;
}

inline Step sendPart(const FrameSpec &spec, qsizetype bytes)
{
    Step s;
    s.kind = Step::Kind::SendPart;
    s.frame = spec;
    s.bytes = bytes;
    return s;
}

inline Step continuePart(qsizetype bytes = -1)
{
    Step s;
    s.kind = Step::Kind::Continue;
    s.bytes = bytes;
    return s;
}

inline Step pause(int ms, const QByteArray &label)
{
    Step s;
    s.kind = Step::Kind::Pause;
    s.pauseMs = ms;
    s.label = label;
    return s;
}

// A message as a library sends it: split into frames of `fragmentSize` payload bytes (0: one).
inline QList<Step> message(quint8 opcode, const QByteArray &payload, qsizetype fragmentSize = 0)
{
    QList<Step> steps;
    for (FrameSpec spec : FrameWriter::fragment(opcode, payload, fragmentSize, true)) {
        spec.maskingKey = MaskingKey;
        steps << send(spec);
    }
    return steps;
}

inline FrameSpec closeFrame(quint16 code, const QByteArray &reason = {})
{
    return frame(Opcode::Close, FrameWriter::closePayload(code, reason));
}

// The peer answers and the tester then closes with 1000 (the usual ending of a valid case).
inline ExpectedClose normalClose()
{
    return { true, { 1000 }, true, false };
}

// The peer must fail the connection with one of `codes` (or drop TCP).
inline ExpectedClose peerFails(QList<quint16> codes = { 1002 }, bool wrongEndpointFailsCase = false)
{
    return { false, std::move(codes), false, wrongEndpointFailsCase };
}

inline Ending dropAfter(int ms)
{
    return { Ending::Kind::Drop, ms };
}

inline Ending closeAfter(int ms)
{
    return { Ending::Kind::Close, ms };
}

// A case built from its parts; `ok` is the only expected outcome unless more are appended.
inline Case makeCase(const QString &id, const QString &description, const QString &expectation,
                     QList<Step> steps, QList<Event> ok, ExpectedClose close, Ending ending)
{
    Case c;
    c.id = id;
    c.description = description;
    c.expectation = expectation;
    c.steps = std::move(steps);
    c.expected.append({ Verdict::Ok, std::move(ok) });
    c.close = std::move(close);
    c.ending = ending;
    return c;
}

// The catalogue's sections, in order (each file builds its own).
QList<Case> framing(); // 1
QList<Case> pingPong(); // 2
QList<Case> reservedBits(); // 3
QList<Case> opcodes(); // 4
QList<Case> fragmentation(); // 5
QList<Case> utf8(); // 6
QString utf8GroupTitle(int group); // 6.5 to 6.23: the UTF-8 test group's title
QList<Case> closing(); // 7
QList<Case> limits(); // 9
QList<Case> autoFragmentation(); // 10
QList<Case> compressionData(); // 12
QList<Case> compressionParameters(); // 13
QString compressionGroupTitle(const QString &group); // 12.1 to 13.7

} // namespace Conformance::Build
