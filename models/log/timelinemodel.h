#pragma once

#include "log/capture.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <array>
#include <vector>

// Ordinary frames of one direction inside one timeline row: a single arrow when count is 1, a burst
// ("37 text frames, 2.3 KiB, 0.8 ms") otherwise.
struct TimelineLane {
    enum Type { Text, Binary, Continuation, Ping, Pong, Other, TypeCount };

    qsizetype count = 0;
    qsizetype first = -1; // capture indices of the first and last frame
    qsizetype last = -1;
    qint64 firstTimeUs = 0;
    qint64 lastTimeUs = 0;
    quint64 bytes = 0; // payload bytes
    std::array<qsizetype, TypeCount> byType {};
    // Valid when count == 1: the frame itself.
    quint8 opcode = 0;
    bool fin = true;
    qint64 sincePreviousUs = -1; // from the event before it in the capture (-1: the first event)

    bool isEmpty() const { return count == 0; }
    qint64 durationUs() const { return qMax<qint64>(0, lastTimeUs - firstTimeUs); }
    static Type typeOf(quint8 opcode);
};

// Where a data frame sits in its message (RFC 6455 §5.4), from its opcode and FIN bit alone.
enum class FragmentPart : quint8 { Whole, First, Middle, Last };

// One row of the timeline. Important events (handshake, state changes, close frames, violations,
// errors, TLS) always get a row of their own; ordinary frames (data, ping, pong) that fall into the
// same time bucket share one Frames row, split into the two directions.
struct TimelineItem {
    enum class Kind : quint8 { Frames, HandshakeRequest, HandshakeResponse, CloseFrame, State, Violation, Error, Tls, Api, Intercept };

    Kind kind = Kind::Frames;
    qsizetype row = -1;
    qsizetype first = -1; // capture indices covered by the row
    qsizetype last = -1;
    qint64 timeUs = 0; // of the first event
    qint64 endTimeUs = 0; // of the last event
    qint64 sincePreviousUs = -1; // from the event before the row (-1: the row starts the capture)
    Direction direction = Direction::Local; // single-event rows

    // Frames rows, indexed by Direction: lanes[int(Direction::Incoming)], lanes[int(Direction::Outgoing)].
    TimelineLane lanes[2];

    // Single-event rows.
    quint64 size = 0; // payload bytes
    bool hasCode = false;
    quint16 code = 0; // close frame: its code; CLOSED: final code; violation: what a strict peer answers
    bool wasClean = false; // CLOSED
    ReadyState state = ReadyState::Connecting; // State
    ViolationRule rule = ViolationRule::None; // Violation
    int httpStatus = 0; // HandshakeResponse (0: no status line)
    QString text; // one line: request/status line, close reason, state message, description, error, TLS

    const TimelineLane &lane(Direction d) const { return lanes[d == Direction::Outgoing ? 1 : 0]; }
    qsizetype eventCount() const { return last - first + 1; }
};

// A ping and the pong that answered it, seen from either frame.
struct PingPong {
    enum class Status : quint8 {
        NotControl, // the event is neither a ping nor a pong
        Answered, // a ping and its pong
        Unanswered, // a ping with no pong (yet, while the connection is open)
        Superseded, // a ping with no pong, but a later ping the same way was answered (RFC 6455 §5.5.3)
        Unsolicited, // a pong that answers no outstanding ping (allowed as a heartbeat, §5.5.3)
    };
    Status status = Status::NotControl;
    qsizetype ping = -1;
    qsizetype pong = -1;
    qint64 rttUs = -1; // Answered only
    Direction pingDirection = Direction::Local;
};

struct HandshakeSummary {
    qsizetype requestIndex = -1;
    qsizetype responseIndex = -1;
    int status = 0; // HTTP status of the response, 0 without one
    QString requestLine; // "GET /chat HTTP/1.1"
    QString statusLine; // "HTTP/1.1 101 Switching Protocols"
    qint64 durationUs = -1; // request to response
};

// The closing handshake, RFC 6455 §7: who sent the first close frame, what each side said, and how
// the connection ended. Outgoing is the client (the inspector's engine), Incoming the server.
struct ClosingSummary {
    enum class Initiator : quint8 { None, Client, Server };

    Initiator initiator = Initiator::None;
    qsizetype firstCloseIndex = -1;
    bool firstHasCode = false;
    quint16 firstCode = 0;
    QString firstReason;
    qsizetype replyIndex = -1; // first close frame the other way after the first one
    bool replyHasCode = false;
    quint16 replyCode = 0;
    QString replyReason;
    qsizetype closedIndex = -1; // the CLOSED state change
    quint16 finalCode = 0;
    bool wasClean = false;
    qint64 handshakeUs = -1; // first close to reply

    bool isClosed() const { return closedIndex >= 0; }
    // "client closed first: → 1000 Normal Closure "bye", ← 1000 Normal Closure; clean, 230 µs"
    QString text() const;
    // "client closed first", "server closed first", "no closing handshake"
    QString initiatorText() const;
};

// The timeline of one Capture, free of Widgets: rows for a sequence diagram with client and server
// lanes, time going down.
//
// Rows come from time buckets of 2^level microseconds (level -1: every event has its own row):
// consecutive ordinary frames in the same bucket share one row, so a screen shows a bounded number
// of rows at any zoom, however many frames a burst holds. Nothing is kept per event: the model keeps
// a summary per block of 1024 events (row starts by bucket level, frame counts and bytes per
// direction), finds a row's events by scanning at most a block or two of the Capture, and adds up
// whole blocks inside a long burst from their summaries. Only pings waiting for a pong, answered
// pairs and the handshake/closing summaries are kept individually.
//
// Like MessageLogModel, it follows the capture in batches: at most one update every
// BatchIntervalMs, and a backlog (a session file, a flood) is worked off in slices that keep the
// event loop responsive.
class TimelineModel : public QObject {
    Q_OBJECT
public:
    static constexpr int EveryEventLevel = -1;
    static constexpr int MaxLevel = 40; // 2^40 µs: about 12.7 days a row
    static constexpr int BatchIntervalMs = 16;
    static constexpr qsizetype BlockSize = 1024;
    // Outstanding pings remembered per direction; older ones are given up as unanswered.
    static constexpr qsizetype MaxOutstandingPings = 1024;

    explicit TimelineModel(QObject *parent = nullptr);
    ~TimelineModel() override;

    // The model does not own the capture.
    void setCapture(Capture *capture);
    Capture *capture() const { return m_capture; }

    // Takes in every event recorded so far now, instead of at the next batch tick.
    void flushPending();
    qsizetype eventCount() const { return m_ingested; } // events taken in so far
    qint64 startTimeUs() const { return m_t0; } // time of the first event

    // Rows at a zoom level (bucket of 2^level µs, or EveryEventLevel).
    qsizetype rowCount(int level) const;
    qsizetype rowOfEvent(int level, qsizetype index) const; // -1 outside the taken-in events
    qsizetype firstEventOfRow(int level, qsizetype row) const; // -1 outside the rows
    // Rows [firstRow, firstRow + count) clipped to rowCount(level): never more than `count` items.
    QList<TimelineItem> items(int level, qsizetype firstRow, qsizetype count) const;
    TimelineItem item(int level, qsizetype row) const;
    static qint64 bucketUs(int level) { return level < 0 ? 0 : qint64(1) << level; }

    PingPong pingPong(qsizetype index) const;
    ClosingSummary closingSummary() const { return m_closing; }
    HandshakeSummary handshake() const { return m_handshake; }
    bool isClosed() const { return m_closing.closedIndex >= 0; }
    // A relayed connection (its events carry legs): the application takes the client's side of the
    // timeline and the server the server's, every frame drawn in the direction it travelled.
    bool isRelayed() const { return m_relayed; }
    // The event as the timeline draws it: on a relay, the direction of travel (what the application
    // sent goes out toward the server, what the server sent comes in toward the application).
    WireEvent eventAt(qsizetype index) const;

    // Labels shared by the views and tests. Sizes and durations in the units a reader expects.
    static QString formatDuration(qint64 us); // "830 µs", "1.23 ms", "12.3 ms", "4.57 s", "2 min 3 s"
    static QString typeName(TimelineLane::Type type); // "text", "binary", "continuation", "ping", "pong", "reserved"
    static FragmentPart fragmentPart(quint8 opcode, bool fin);
    // "text, 5 B" (+ ", first fragment" ...) for one frame; "37 text frames, 2.3 KiB, 0.8 ms" for a burst.
    static QString laneLabel(const TimelineLane &lane);
    // "RTT 412 µs", "no pong", "unsolicited pong" ...
    static QString pingPongLabel(const PingPong &pair, bool connectionClosed);
    // A relayed frame's hand-over (WireEvent::relayDelayUs): "relayed in 42 µs", "held by the
    // relay" (the other side was not reading yet); empty when it was not relayed.
    static QString relayDelayLabel(qint32 relayDelayUs);
    // The one-line label of a single-event row (handshake, close frame, state, violation, ...).
    QString itemLabel(const TimelineItem &item) const;

Q_SIGNALS:
    // New events were taken in: rows may have been added and the last row may have grown.
    void appended(qsizetype firstEvent, qsizetype lastEvent);
    // Everything was dropped (capture cleared or replaced).
    void reset();

private:
    bool m_relayed = false;
    struct LaneStats {
        quint32 count = 0;
        std::array<quint32, TimelineLane::TypeCount> byType {};
        quint64 bytes = 0;
        quint16 first = 0xFFFF; // offsets inside the block
        quint16 last = 0xFFFF;
    };
    // Bits of the bucket numbers that differ between an event and the one before it decide at which
    // levels it starts a new row: `starts[w]` counts events whose bucket numbers first differ at bit
    // w - 1 (w = 0: same microsecond; w = 64: always starts a row).
    static constexpr int StartBins = 65;
    struct Block {
        qint64 prevClampedUs = 0; // running maximum of the times before the block
        bool prevImportant = true; // the event before the block has a row of its own
        std::array<quint32, StartBins> starts {};
        LaneStats lanes[2];
        qsizetype rowsAt(int level) const;
    };
    class Cursor;

    void scheduleBatch();
    void onBatchTimer();
    void resetFromCapture();
    void clearState();
    void ingest(qsizetype end);
    void ingestOne(qsizetype index, const WireEvent &e);
    void matchPong(qsizetype index, const WireEvent &e);
    qsizetype rowsBeforeBlock(int level, qsizetype block) const;
    qsizetype blockCount() const { return qsizetype(m_blocks.size()); }
    TimelineItem buildRow(int level, qsizetype row, Cursor &cursor) const;
    void finishLane(TimelineLane &lane) const;
    static bool isImportant(const WireEvent &e);
    static int startBin(qint64 prevRel, qint64 rel, bool forced);

    QPointer<Capture> m_capture;
    QTimer m_batchTimer;
    qsizetype m_ingested = 0;
    qint64 m_t0 = 0;
    qint64 m_lastClampedUs = 0;
    bool m_lastImportant = true;
    std::vector<Block> m_blocks;
    // Rows before each complete block, per level (index level + 1), extended on demand.
    mutable std::vector<std::vector<qsizetype>> m_rowPrefix;

    struct Outstanding {
        qsizetype index;
        size_t hash;
    };
    std::vector<Outstanding> m_outstanding[2]; // pings waiting for a pong, by the ping's direction
    std::vector<std::pair<qsizetype, qsizetype>> m_pairsByPong; // (pong, ping), sorted by pong
    std::vector<std::pair<qsizetype, qsizetype>> m_pairsByPing; // (ping, pong), sorted by ping
    qsizetype m_latestAnsweredPing[2] = { -1, -1 };

    HandshakeSummary m_handshake;
    ClosingSummary m_closing;
};
