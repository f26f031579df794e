#include "net/relayleg.h"

#include "intercept/messagegate.h"
#include "protocol/closecodes.h"

#include <QCoreApplication>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(RelayLeg)
};
} // namespace

RelayLeg::RelayLeg(Leg leg, FrameParser::Role role, Recorder record)
    : m_leg(leg)
    , m_record(std::move(record))
    , m_parser(role, this)
{
}

void RelayLeg::setPerMessageDeflate(bool senderNoContextTakeover)
{
    m_parser.setPerMessageDeflate(true, senderNoContextTakeover);
}

void RelayLeg::observe(QByteArrayView bytes, qint64 readTimeUs, qint32 relayDelayUs)
{
    if (bytes.isEmpty())
        return;
    if (m_gate)
        m_gate->begin(bytes); // forwards at once if it already stepped aside
    if (!m_parser.isStopped()) {
        m_readTimeUs = readTimeUs;
        m_relayDelayUs = relayDelayUs;
        m_parser.feed(bytes);
    }
    if (m_gate)
        m_gate->end(); // writes what the frames of this read let through
}

void RelayLeg::onFrame(const ParsedFrame &frame)
{
    if (m_closeSeen && !Opcode::isControl(frame.header.opcode)) {
        // RFC 6455 §5.5.1: nothing after a close frame. The relay passes it on; the log names it.
        recordViolation(ViolationRule::DataAfterClose, 0,
            m_leg == Leg::App
                ? Tr::tr("%1 frame sent by the application after its close frame")
                      .arg(Opcode::name(frame.header.opcode))
                : Tr::tr("%1 frame sent by the server after its close frame").arg(Opcode::name(frame.header.opcode)),
            frame.headerBytes);
    }
    WireEvent e = incomingFrameEvent(frame);
    e.messageId = m_messages.next(frame.header);
    e.timeUs = m_readTimeUs;
    e.relayDelayUs = m_relayDelayUs;
    e.leg = m_leg;
    m_record(e);
    if (m_gate)
        m_gate->frame(frame, e.messageId);
    if (frame.header.opcode == Opcode::Close && !m_closeSeen) {
        m_closeSeen = true;
        const ClosePayload close = ClosePayload::parse(frame.payload);
        m_closeCode = close.hasCode ? close.code : 0;
        m_closeReason = close.reason;
    }
}

void RelayLeg::onMessage(quint8, QByteArrayView, int)
{
    // The capture joins a message's frames itself; the relay delivers nothing.
}

void RelayLeg::onViolation(const Violation &violation, QByteArrayView headerBytes)
{
    recordViolation(violation.rule, violation.closeCode, violation.description, headerBytes);
    // Reported before the offending frame is delivered: the gate hands on everything from there.
    if (m_gate)
        m_gate->stepAside(Tr::tr("the sender broke RFC 6455 (%1)").arg(Violation::ruleId(violation.rule)));
    if (m_parser.isStopped()) {
        WireEvent e;
        e.kind = EventKind::Error;
        e.direction = Direction::Local;
        const QByteArray text
            = Tr::tr("inspection of this leg stopped here (framing lost); its bytes are still forwarded").toUtf8();
        e.payload = text;
        e.timeUs = m_readTimeUs;
        e.leg = m_leg;
        m_record(e);
    }
}

void RelayLeg::recordViolation(
    ViolationRule rule, quint16 closeCode, const QString &description, QByteArrayView headerBytes)
{
    const QByteArray text = description.toUtf8();
    WireEvent v = incomingViolationEvent(rule, closeCode, headerBytes, text);
    v.timeUs = m_readTimeUs;
    v.leg = m_leg;
    m_record(v);
}
