#include "log/trafficstats.h"

void TrafficStats::record(const WireEvent &event)
{
    bool incoming = event.direction == ::Direction::Incoming;
    const bool traffic = event.kind == EventKind::Frame || event.kind == EventKind::HandshakeRequest
        || event.kind == EventKind::HandshakeResponse;
    if (event.leg != Leg::None && traffic) {
        // A relay: each byte is counted once, where it arrived; what the application sent travels
        // toward the server (out), what the server sent toward the application (in). The copies
        // the relay wrote on (handshakes passed on) are not counted again.
        if (!incoming)
            return;
        incoming = event.leg == Leg::Server;
    }
    Direction &d = incoming ? in : out;
    switch (event.kind) {
    case EventKind::HandshakeRequest:
    case EventKind::HandshakeResponse:
        d.bytes += quint64(event.payload.size());
        break;
    case EventKind::Frame: {
        if (event.direction == ::Direction::Local)
            break;
        d.bytes += quint64(event.header.size() + event.payload.size());
        ++d.frames;
        const quint8 op = event.frame.opcode;
        bool &inMessage = m_inMessage[incoming ? 0 : 1];
        if (op == Opcode::Text || op == Opcode::Binary || op == Opcode::Continuation) {
            inMessage = !event.frame.fin;
            if (event.frame.fin)
                ++d.messages;
        }
        break;
    }
    case EventKind::StateChange:
        if (event.state == ReadyState::Open && openedAtUs == 0)
            openedAtUs = event.timeUs;
        else if (event.state == ReadyState::Closed)
            closedAtUs = event.timeUs;
        break;
    default:
        break;
    }
}
