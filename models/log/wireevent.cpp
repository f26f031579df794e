#include "log/wireevent.h"

QString directionName(Direction d)
{
    switch (d) {
    case Direction::Incoming:
        return QStringLiteral("in");
    case Direction::Outgoing:
        return QStringLiteral("out");
    case Direction::Local:
        break;
    }
    return QStringLiteral("local");
}

QString eventKindName(EventKind k)
{
    switch (k) {
    case EventKind::HandshakeRequest:
        return QStringLiteral("handshake-request");
    case EventKind::HandshakeResponse:
        return QStringLiteral("handshake-response");
    case EventKind::Frame:
        return QStringLiteral("frame");
    case EventKind::Violation:
        return QStringLiteral("violation");
    case EventKind::StateChange:
        return QStringLiteral("state");
    case EventKind::TlsInfo:
        return QStringLiteral("tls");
    case EventKind::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("unknown");
}

QString readyStateName(ReadyState s)
{
    switch (s) {
    case ReadyState::Connecting:
        return QStringLiteral("CONNECTING");
    case ReadyState::Open:
        return QStringLiteral("OPEN");
    case ReadyState::Closing:
        return QStringLiteral("CLOSING");
    case ReadyState::Closed:
        break;
    }
    return QStringLiteral("CLOSED");
}
