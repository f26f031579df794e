#include "log/wireevent.h"

#include "protocol/frameparser.h"
#include "protocol/framewriter.h"

#include <iterator>

namespace {

// One table per enum, indexed by its value: the names jsonl, the text format and the log share.
constexpr const char *DirectionKeys[] = { "in", "out", "local" };
constexpr const char *EventKindKeys[]
    = { "handshake-request", "handshake-response", "frame", "violation", "state", "tls", "error", "api", "intercept" };
constexpr const char *ReadyStateKeys[] = { "CONNECTING", "OPEN", "CLOSING", "CLOSED" };
constexpr const char *LegKeys[] = { "", "app", "server" };

template <typename Enum, size_t N> const char *keyOf(const char *const (&keys)[N], Enum value)
{
    const auto i = size_t(value);
    return i < N ? keys[i] : keys[N - 1];
}

template <typename Enum, size_t N> std::optional<Enum> fromKey(const char *const (&keys)[N], QStringView key)
{
    for (size_t i = 0; i < N; ++i) {
        if (key == QLatin1String(keys[i]))
            return Enum(i);
    }
    return std::nullopt;
}

} // namespace

const char *directionKey(Direction d)
{
    return keyOf(DirectionKeys, d);
}

const char *eventKindKey(EventKind k)
{
    return keyOf(EventKindKeys, k);
}

const char *readyStateKey(ReadyState s)
{
    return keyOf(ReadyStateKeys, s);
}

const char *legKey(Leg l)
{
    return keyOf(LegKeys, l);
}

std::optional<Leg> legFromKey(QStringView key)
{
    return fromKey<Leg>(LegKeys, key);
}

std::optional<Direction> directionFromKey(QStringView key)
{
    return fromKey<Direction>(DirectionKeys, key);
}

std::optional<EventKind> eventKindFromKey(QStringView key)
{
    return fromKey<EventKind>(EventKindKeys, key);
}

std::optional<ReadyState> readyStateFromKey(QStringView key)
{
    return fromKey<ReadyState>(ReadyStateKeys, key);
}

QString directionName(Direction d)
{
    return QLatin1String(directionKey(d));
}

QString eventKindName(EventKind k)
{
    return QLatin1String(eventKindKey(k));
}

QString readyStateName(ReadyState s)
{
    return QLatin1String(readyStateKey(s));
}

WireEvent outgoingFrameEvent(const EncodedFrame &encoded, QByteArrayView payload)
{
    WireEvent e;
    e.kind = EventKind::Frame;
    e.direction = Direction::Outgoing;
    e.header = encoded.header();
    FrameHeader::decode(e.header, e.frame);
    e.payload = payload;
    return e;
}

WireEvent incomingFrameEvent(const ParsedFrame &frame)
{
    WireEvent e;
    e.kind = EventKind::Frame;
    e.direction = Direction::Incoming;
    e.header = frame.headerBytes;
    e.frame = frame.header;
    e.payload = frame.payload;
    e.compressed = frame.compressed;
    e.hasInflated = frame.hasInflated;
    e.inflated = frame.inflated;
    return e;
}

WireEvent incomingViolationEvent(
    ViolationRule rule, quint16 closeCode, QByteArrayView headerBytes, QByteArrayView description)
{
    WireEvent v;
    v.kind = EventKind::Violation;
    v.direction = Direction::Incoming;
    v.violation = rule;
    v.closeCode = closeCode;
    v.header = headerBytes;
    if (!headerBytes.isEmpty())
        FrameHeader::decode(headerBytes, v.frame);
    v.payload = description;
    return v;
}
