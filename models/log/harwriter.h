#pragma once

#include "log/sessionfile.h"

#include <QCoreApplication>
#include <QString>

class Capture;
class QIODevice;

// Writes a capture as an HTTP Archive (HAR 1.2) that Chrome DevTools opens (Network panel >
// Import HAR file) and that HarReader reads back without loss.
//
// One entry per WebSocket connection, and per leg of a relay (PcapngWriter::streams()), in the
// order of their first event, as Chrome exports them: `request` and `response` from the opening
// handshake as it was on the wire (method, URL, HTTP version, headers in order, query string, head
// sizes), `_resourceType: "websocket"`, and `_webSocketMessages`: every whole data message as
// {type, time, opcode, data}, "send" for what the connection's client sent and "receive" for the
// server's, time in seconds since the Unix epoch, text as text and binary as base64 (opcode 2), a
// fragmented message once, at its final frame, a compressed one inflated; errors as Chrome writes
// them ({"type": "error", "opcode": -1, "data": message}). startedDateTime is the handshake's
// request; `time` runs to the stream's last event; timings say how long the server took to answer
// (`wait`) and how long the connection lasted after (`receive`); what HAR cannot know is -1.
//
// What HAR cannot hold (frame headers, fragments, control frames, violations, state changes, TLS
// details, the Qt API calls, the relay's notes) is kept beside: each entry's `_wsinspectorEvents`
// holds the stream's events as session-file objects (jsonlwriter.h), and the log's
// `_wsinspectorSession` the session header. HarReader reads those back event for event; other
// tools ignore fields that start with "_".
class HarWriter {
    Q_DECLARE_TR_FUNCTIONS(HarWriter)
public:
    // Into a file: CaptureFiles::save().
    static bool write(const Capture &capture, const SessionHeader &header, QIODevice *out, QString *error);
};
