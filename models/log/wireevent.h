#pragma once

// The one record type that carries everything the user sees (DESIGN.md). A WireEvent is a view:
// its byte fields point into storage owned by whoever produced it (the parser's buffer while an
// event is being recorded, the Capture's chunks afterwards). Copy the bytes to keep them longer.

#include "protocol/frame.h"

#include <QByteArrayView>
#include <QString>
#include <QtGlobal>

#include <optional>

enum class Direction : quint8 {
    Incoming = 0, // peer -> us
    Outgoing = 1, // us -> peer
    Local = 2, // something that happened here: state change, error, timer
};

enum class EventKind : quint8 {
    HandshakeRequest = 0, // payload: the exact request bytes
    HandshakeResponse = 1, // payload: the exact response bytes (status line, headers, body if any)
    Frame = 2, // header: exact header bytes; payload: unmasked payload
    Violation = 3, // payload: UTF-8 description; violation/closeCode set; header: offending frame header if any
    StateChange = 4, // payload: UTF-8 text; state set (ReadyState), closeCode/wasClean for Closed
    TlsInfo = 5, // payload: UTF-8 text (protocol, cipher, certificate chain summary)
    Error = 6, // payload: UTF-8 message
    Api = 7, // a Qt engine's signal: payload is an ApiCall as JSON (log/apicall.h); direction Local
    Intercept = 8, // a relay changed, dropped, held or injected a message: payload is an InterceptNote as JSON
};
constexpr int EventKindCount = 9;

// Which side of a relay an event belongs to (DESIGN.md): the application's connection to the
// inspector, where the inspector plays the server, or the inspector's connection to the server,
// where it plays the client. Connections the inspector opens itself have no leg.
enum class Leg : quint8 {
    None = 0,
    App = 1,
    Server = 2,
};

// The browser's readyState values (WebSocket API), which the engine follows.
enum class ReadyState : quint8 { Connecting = 0, Open = 1, Closing = 2, Closed = 3 };

struct WireEvent {
    qint64 timeUs = 0; // microseconds since the Unix epoch
    quint32 connectionId = 0;
    Leg leg = Leg::None; // relays: the leg it happened on; `direction` is as seen by the inspector on that leg
    Direction direction = Direction::Local;
    EventKind kind = EventKind::StateChange;

    QByteArrayView header; // frame header bytes exactly as on the wire (Frame, Violation)
    QByteArrayView payload; // see EventKind; for a compressed frame, the compressed bytes as on the wire
    FrameHeader frame; // decoded `header` (Frame, Violation with a header)
    // permessage-deflate: the final frame of a compressed message carries the whole message
    // inflated (as received, or as it was before we compressed it). A compressed message is one
    // whose first frame has RSV1 on a connection that agreed on permessage-deflate.
    bool compressed = false; // Frame: belongs to a compressed message
    bool hasInflated = false;
    QByteArrayView inflated;

    ViolationRule violation = ViolationRule::None;
    quint32 messageId = 0; // Frame: the data message it belongs to, 1, 2, ... per direction (0: none)
    quint16 closeCode = 0; // Violation: the code a strict peer answers; StateChange Closed: final code
    ReadyState state = ReadyState::Connecting; // StateChange
    bool wasClean = false; // StateChange to Closed
    // The payload (and inflated bytes) were dropped to keep the capture within its memory budget
    // (CaptureMemory::DropOldest): `payload` is empty, and views say why rather than show nothing.
    bool payloadDropped = false;
    // Relays: how long after its bytes were read the frame was handed on to the other leg's socket
    // (µs, as the capture keeps it: exact to 32 ms, then to the millisecond); RelayHeld when that
    // socket still had bytes waiting, so it waited for the other side to read; NotRelayed elsewhere.
    static constexpr qint32 NotRelayed = -1;
    static constexpr qint32 RelayHeld = -2;
    qint32 relayDelayUs = NotRelayed;

    QString text() const { return QString::fromUtf8(payload); }
    // What an application sees of this event: a compressed message's final frame gives the whole
    // message inflated, every other event its payload. Search looks here.
    QByteArrayView content() const { return hasInflated ? inflated : payload; }
};

struct ParsedFrame;
struct EncodedFrame;
// A received frame as the parser delivered it (header, payload, the permessage-deflate fields), as
// an incoming Frame event; its views are the parser's. The caller sets the message id and leg.
WireEvent incomingFrameEvent(const ParsedFrame &frame);
// A frame we are about to send, as an outgoing Frame event: its header as encoded, `payload` (the
// unmasked payload as given to the writer). The views are the caller's; the message id is not set.
WireEvent outgoingFrameEvent(const EncodedFrame &encoded, QByteArrayView payload);
// A rule the peer broke, as an incoming Violation event: `description` (UTF-8) is its payload and
// `headerBytes`, when a frame broke it, its header. The views are the caller's.
WireEvent incomingViolationEvent(
    ViolationRule rule, quint16 closeCode, QByteArrayView headerBytes, QByteArrayView description);

// The stable names of the enums (jsonl, session files, the text format, the log): one table each.
QString directionName(Direction d); // "in", "out", "local"
QString eventKindName(EventKind k); // "handshake-request", "frame", ...
QString readyStateName(ReadyState s); // "CONNECTING", "OPEN", "CLOSING", "CLOSED"
const char *directionKey(Direction d); // the same names as static C strings, for writers
const char *eventKindKey(EventKind k);
const char *readyStateKey(ReadyState s);
const char *legKey(Leg l); // "", "app", "server"
std::optional<Direction> directionFromKey(QStringView key); // back from a name; nullopt if unknown
std::optional<EventKind> eventKindFromKey(QStringView key);
std::optional<ReadyState> readyStateFromKey(QStringView key);
std::optional<Leg> legFromKey(QStringView key);

// Something that receives events as they happen. The Capture stores them; the command-line
// printer streams them. Receivers must copy any bytes they keep: the views die after the call.
class WireEventSink {
public:
    virtual ~WireEventSink() = default;
    virtual void record(const WireEvent &event) = 0;
};
