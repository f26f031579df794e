#pragma once

#include "probe/conformancedata.h"
#include "protocol/extensions.h"
#include "protocol/framewriter.h"

#include <QList>
#include <QString>

#include <optional>

// One case of the conformance catalogue (numbered as Autobahn|Testsuite numbers its cases, so that
// results can be compared line by line): what the tester sends, in which pieces and with which
// pauses, what it expects to receive back, and how the connection should end. Pure data; the
// catalogue builds it (conformancecatalogue), a session plays it (conformancesession) and
// Conformance::judge grades what was seen (conformanceverdict).
namespace Conformance {

// The verdict on what the peer sent back, as Autobahn names them.
enum class Verdict : quint8 {
    Ok,
    NonStrict, // allowed by the spec but not what a strict implementation does (not failing fast)
    Failed,
    Informational, // the spec leaves the outcome open: reported, never failing
    Unimplemented, // needs an optional feature the peer does not have (permessage-deflate)
};

// The verdict on how the connection ended, graded apart from the events.
enum class CloseVerdict : quint8 {
    Ok,
    WrongCode, // the peer's close frame carried a code the case does not allow
    Unclean, // the closing handshake did not complete although the case requires it
    Failed, // the wrong endpoint started the close, or the connection never opened
    FailedByClient, // the tester (client) had to close TCP: the server should have (RFC 6455 §7.1.1)
    Informational,
};

QString verdictName(Verdict verdict); // "OK", "NON-STRICT", "FAILED", "INFORMATIONAL", "UNIMPLEMENTED"
QString closeVerdictName(CloseVerdict verdict); // "OK", "WRONG CODE", "UNCLEAN", "FAILED", ...
std::optional<Verdict> verdictFromName(QStringView name);

// Something the peer did that a case expects or forbids: a complete message, a ping, a pong; or a
// pause of the tester's that ran out with the connection still open ("timeout", as in Autobahn).
struct Event {
    enum class Kind : quint8 { Message, Ping, Pong, Timeout };
    Kind kind = Kind::Message;
    bool binary = false; // Message
    QByteArray data; // Message and Ping/Pong: the payload; Timeout: the pause's label

    static Event text(const QByteArray &utf8) { return { Kind::Message, false, utf8 }; }
    static Event binaryMessage(const QByteArray &bytes) { return { Kind::Message, true, bytes }; }
    static Event pong(const QByteArray &payload) { return { Kind::Pong, false, payload }; }
    static Event ping(const QByteArray &payload) { return { Kind::Ping, false, payload }; }
    static Event timeout(const QByteArray &label) { return { Kind::Timeout, false, label }; }
    bool operator==(const Event &other) const = default;
    // "message text 13 B \"Hello, world!\"", "pong 0 B", "timeout A": for reports (peer bytes by the
    // display rule, long payloads shortened).
    QString describe() const;
};

// One thing the tester does, in order, once the connection is open.
struct Step {
    enum class Kind : quint8 {
        Send, // a whole frame
        SendPart, // the first `bytes` of a frame's payload (with its header); the rest waits for Continue
        Continue, // more of the frame SendPart started: `bytes` of it, or all that is left (-1)
        Pause, // wait `pauseMs`; go on only when the connection is still open, then record Event::timeout(label) if labelled
    };
    Kind kind = Kind::Send;
    FrameSpec frame; // Send, SendPart
    int chop = 0; // Send: written in pieces of this many bytes, each flushed at once (0: whole)
    bool sync = false; // Send: flushed on its own rather than with the frames around it
    qsizetype bytes = -1; // SendPart, Continue
    int pauseMs = 0; // Pause
    QByteArray label; // Pause
};

// How the tester ends the case when nothing else has: the timer starts after the last step.
struct Ending {
    enum class Kind : quint8 {
        Drop, // drop TCP (Autobahn's killAfter): the peer was expected to close before this
        Close, // start the closing handshake with an empty close frame (Autobahn's closeAfter)
    };
    Kind kind = Kind::Drop;
    int afterMs = 1000;
};

// How the connection should end.
struct ExpectedClose {
    bool closedByTester = true; // the tester sends the first close frame (false: the peer fails the connection)
    QList<quint16> codes; // allowed codes in the peer's close frame (a close frame without a code is always allowed)
    bool requireClean = true; // the closing handshake must complete
    // Invalid UTF-8: a peer that never closed did not see the error at all, so the events fail too.
    bool wrongEndpointFailsCase = false;
};

// Sections 9, 12 and 13: messages sent one after another, each when the previous one came
// back, graded on all of them coming back unchanged in time (the events are not kept).
struct Workload {
    int count = 1;
    qsizetype size = 0; // bytes per message
    bool binary = false;
    QByteArray pattern; // the message repeats this
    // Sections 12 and 13: each message is the next `size` bytes of this data set, wrapping around
    // at its end, as Autobahn cuts its test files (`pattern` is not used).
    std::optional<TestData::Set> dataSet;
    qsizetype fragmentSize = 0; // messages are split into frames of this many payload bytes (0: one frame)
    int chop = 0; // frames are written in pieces of this many bytes
    int timeoutMs = 10'000;
};

// Sections 12 and 13: the case runs with permessage-deflate, negotiated as it says; a peer that
// declines it makes the case UNIMPLEMENTED. The messages are compressed as agreed.
struct Deflate {
    // The tester as the client offers these, in order of preference (13.7 offers three).
    QList<PerMessageDeflate::Offer> offers;
    // The tester as the server accepts the client's offer asking these of it, the first that an
    // offer allows (empty: nothing beyond the offer).
    QList<PerMessageDeflate::ClientRequest> requests;
};

struct Case {
    QString id; // "6.4.1"
    QString description; // what is sent
    QString expectation; // what a correct peer does
    QList<Step> steps;
    Ending ending;
    // What the peer may send back, best first: the first list equal to what was seen gives the
    // verdict (Ok, NonStrict, or Informational cases' own labels).
    QList<std::pair<Verdict, QList<Event>>> expected;
    ExpectedClose close;
    // The tester does not start the closing handshake itself when the events are complete: the
    // case's own frames do (section 7).
    bool suppressClose = false;
    // Section 7: a close frame with a code the case does not allow fails the case, not only its close.
    bool wrongCodeFailsCase = false;
    // The spec leaves the outcome open (7.1.6, 7.13.x): reported with what happened, never failing.
    bool informational = false;
    std::optional<Workload> workload;
    std::optional<Deflate> deflate;

    QString section() const { return id.section(QLatin1Char('.'), 0, 0); } // "6"
    QString group() const; // "6.4" for "6.4.1", "2" for "2.10"
};

// Case ids compare as version numbers: 6.4 < 6.10, 9.7.1 < 9.10.
bool idLessThan(const QString &a, const QString &b);

} // namespace Conformance
