#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

// A WebSocket check written as a plain text file, one step per line, run against a server by
// `wsinspector-cli --run FILE URL` (ScriptRunner):
//
//     # the echo server answers in order
//     send hello
//     expect ^hello$
//     send-binary 01 02 ff
//     expect ^01 02 ff$
//     ping keepalive
//     expect-pong keepalive
//     wait 100
//     close 1000 done
//     expect-close 1000
//
// - send TEXT: a text message, the rest of the line, with \n \r \t \0 \\ \xHH and \u{HEX} escapes.
// - send-binary HEX: a binary message ("01 02 ff", as --send-binary reads it).
// - ping [TEXT], pong [TEXT]: a control frame, with the same escapes.
// - expect REGEX: a data message matching REGEX arrives (binary matched as hex, as --expect);
//   messages that do not match are passed over and reported if none does.
// - expect-pong [TEXT]: a pong arrives, carrying exactly TEXT when given.
// - expect-close [CODE]: the server's close frame arrives (sent first, or in answer to ours),
//   with CODE when given.
// - wait MS: keep reading MS milliseconds.
// - close [CODE [REASON]]: start the closing handshake (1000 when no code is given).
// - timeout MS: how long each following expect step may take (5000 until set).
// - Blank lines and lines starting with # are skipped; leading spaces are not part of a step.
class TestScript {
public:
    struct Step {
        enum class Kind { Send, SendBinary, Ping, Pong, Expect, ExpectPong, ExpectClose, Wait, Close, Timeout };
        Kind kind = Kind::Send;
        int line = 0; // from 1
        QString source; // the line as written, trimmed, for reports
        QByteArray bytes; // Send, SendBinary, Ping, Pong, ExpectPong (with hasBytes), Close's reason
        bool hasBytes = false; // ExpectPong: a payload to compare; Close: a reason
        QString pattern; // Expect
        int number = -1; // Wait, Timeout: ms; Close, ExpectClose: the code (-1: none given)
    };

    struct Problem {
        int line = 0;
        QString message; // "line 4: \"exepct\" is not a step (send, send-binary, ...)"
    };

    // Every step, or the first line that is not one. The file's name is for messages only.
    static std::optional<TestScript> parse(const QString &text, Problem *problem);
    // Reads and parses the file; a file that cannot be read is a problem of line 0.
    static std::optional<TestScript> read(const QString &path, Problem *problem);

    QList<Step> steps;

    static constexpr int DefaultTimeoutMs = 5000;
    static constexpr qsizetype MaxFileBytes = 16 << 20; // a script, not a capture
};
