#pragma once

#include "log/sessionfile.h"

#include <QCoreApplication>

class Capture;
class QIODevice;

// Reads an HTTP Archive (HAR) into a Capture: the WebSocket connections in it, each with its
// handshake and its messages. Other entries (pages, scripts, images) are counted and left.
//
// - A file HarWriter wrote gives back every event of the capture (`_wsinspectorEvents`): frames
//   with their headers and fragments, control frames, violations, state changes, TLS details.
// - A file Chrome DevTools wrote (Network > Export HAR) gives each WebSocket entry (`_resourceType`
//   "websocket", or a GET answered 101) as its handshake, rebuilt from the request's and the
//   response's method, URL, version and headers, then its `_webSocketMessages` as one frame each
//   ("send": from the client, masked; "receive": from the server; opcode 1 text, 2 base64;
//   "error": an error event). HAR keeps neither frame headers nor masking keys: the headers are made
//   from each message (FIN, its opcode and length; a client's with the key 00000000), and a note at
//   the start of each connection says so.
// - A file Firefox DevTools wrote has the handshakes only: Firefox does not export WebSocket
//   messages. The note says that too.
// Times: `_webSocketMessages` times are seconds since the Unix epoch; startedDateTime is ISO 8601,
// with a zone or Z.
//
// Every problem (not JSON, not a HAR, an entry or a message that is not what HAR says) is named in
// the result's errors ("entry 3, message 12: ...") and skipped; what is good is kept.
class HarReader {
    Q_DECLARE_TR_FUNCTIONS(HarReader)
public:
    using Result = SessionFileReader::Result; // eventsLoaded, errors; badLines counts bad entries and messages

    static Result load(const QString &path, Capture &into);
    static Result read(QIODevice &device, Capture &into);
    static Result read(const QByteArray &har, Capture &into);
};
