#pragma once

// A capture filled as an engine fills it: handshakes, then frames whose data messages are numbered
// per direction and leg (continuations and control frames as the parser numbers them), each event
// a millisecond after the one before. For the models that read messages (decoding, log, filter).

#include "eventfixtures.h"
#include "log/capture.h"

class MessageRecorder {
public:
    explicit MessageRecorder(Capture &capture)
        : m_capture(capture)
    {
    }
    qsizetype handshake(QByteArrayView request, QByteArrayView response, Leg leg = Leg::None)
    {
        // On the application's leg the inspector is the server: the request comes in.
        const bool app = leg == Leg::App;
        record(simpleEvent(EventKind::HandshakeRequest, app ? Direction::Incoming : Direction::Outgoing, request), leg);
        return record(simpleEvent(EventKind::HandshakeResponse, app ? Direction::Outgoing : Direction::Incoming, response), leg);
    }
    // A frame with FIN unless `fin` is false (then continuation frames follow).
    qsizetype frame(Direction direction, quint8 opcode, const QByteArray &payload, Leg leg = Leg::None, bool fin = true)
    {
        FrameSpec spec;
        spec.opcode = opcode;
        spec.fin = fin;
        spec.mask = false;
        spec.payload = payload;
        const EncodedFrame encoded = FrameWriter::encode(spec);
        WireEvent e = frameEvent(direction, encoded.header(), payload);
        quint32 &id = m_ids[int(leg)][int(direction)];
        if (opcode != Opcode::Continuation && !Opcode::isControl(opcode))
            ++id;
        e.messageId = Opcode::isControl(opcode) ? 0 : id;
        return record(e, leg);
    }
    qsizetype text(Direction direction, const QByteArray &payload, Leg leg = Leg::None)
    {
        return frame(direction, Opcode::Text, payload, leg);
    }

private:
    qsizetype record(WireEvent e, Leg leg)
    {
        e.leg = leg;
        e.timeUs = fixedTime() + 1000 * m_capture.count();
        m_capture.record(e);
        return m_capture.count() - 1;
    }
    Capture &m_capture;
    quint32 m_ids[3][2] {};
};

