#pragma once

#include "probe/probepresets.h"

#include <QJsonObject>
#include <QMetaType>
#include <QStringList>

// What one probe of a "probe the server" run saw, and the verdict against the preset's expectation.
// Pure data: filled by ProbeRunner (models/net), shown by ProbeReportModel (models/log), printed by
// the command-line companion.
struct ProbeResult {
    // How the server reacted, by what ended the observation.
    enum class Reaction {
        Echo, // sent data back and neither closed nor dropped (before the echo was complete or the timeout)
        Close, // sent a close frame (possibly after data: see echo)
        Drop, // the TCP connection ended without a close frame from the server
        Nothing, // no close, no drop and no data within the timeout
        HandshakeFailed, // never reached OPEN: refused, not a WebSocket server, rejected handshake
    };

    ProbePresets::Preset preset;
    Reaction reaction = Reaction::Nothing;

    // Every frame the server sent other than close/ping/pong counts as data sent back: text, binary,
    // continuation, and reserved opcodes (a lenient server reflects those too). Payloads in order.
    QByteArray echo;
    int echoFrames = 0;
    bool echoComplete = false; // the last of those frames had FIN
    QList<QByteArray> pongs; // pongs from the server
    int serverPings = 0; // pings from the server (answered by our engine's auto-pong)

    bool closeFrameReceived = false;
    bool closeHasCode = false; // false: empty close payload (reported as 1005), or a malformed 1-byte one
    quint16 closeCode = 0; // as on the wire, when closeHasCode
    QByteArray closeReason; // raw bytes
    int closePayloadSize = 0;
    bool clean = false; // both close frames crossed (the browser's wasClean)

    QStringList serverViolations; // rule ids of what the server's own frames broke (e.g. reserved-bits-set)
    QString error; // why the handshake failed
    qint64 elapsedMs = 0; // from the last frame sent to the reaction
    int timeoutMs = 0;

    bool passed = false;
    // The probe needs something optional the server does not do (permessage-deflate declined): no
    // verdict either way. `error` says what the server answered.
    bool notApplicable = false;
    QString why; // the verdict in a sentence

    // Sets passed and why from preset.expected and what was seen.
    void judge();

    // The close code the expectation's closeCodes are matched against: 1005 for a close frame
    // without a code, 0 for a malformed (1-byte) close payload or no close frame.
    quint16 effectiveCloseCode() const;

    QString expectedText() const; // "close 1002 or drop", "echo \"κόσμε\""
    QString seenText() const; // "close 1002 Protocol Error", "echo \"Hello\" (RSV1 echoed: reserved-bits-set)"
    QString verdictText() const
    {
        return notApplicable ? QStringLiteral("N/A") : passed ? QStringLiteral("PASS") : QStringLiteral("FAIL");
    }

    static QString reactionName(Reaction reaction); // "echo", "close", "drop", "nothing", "handshake-failed"
    // Bytes for people: "\"Hello\"" (escaped) when UTF-8, otherwise "hex 00 ff …"; long ones shortened.
    static QString describeBytes(const QByteArray &bytes, qsizetype maxChars = 60);

    // One probe as a JSON object (the jsonl line of the CLI and an element of the JSON report).
    QJsonObject toJson() const;
};

Q_DECLARE_METATYPE(ProbeResult)
