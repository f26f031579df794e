#pragma once

#include "probe/conformancecase.h"

#include <QJsonObject>
#include <QMetaType>
#include <QStringList>

namespace Conformance {

// Which end the tester plays: the client, testing a server (Autobahn's fuzzing client), or the
// server, testing a client (its fuzzing server). It decides who should close TCP.
enum class TesterRole : quint8 { Client, Server };

// What the tester saw while it played one case. Filled by the session, graded by judge().
struct Observation {
    bool opened = false; // the opening handshake completed
    QString handshakeError; // why it did not
    QList<Event> events; // what the peer did, in order (sections 1-7, 10)
    // The tester started the closing handshake: it sent the first close frame, or it had to drop the
    // connection before the peer sent one (the peer never reacted).
    bool closedByTester = false;
    bool peerCloseFrame = false; // the peer sent a close frame
    bool peerCloseHasCode = false;
    quint16 peerCloseCode = 0;
    QByteArray peerCloseReason;
    bool wasClean = false; // both close frames crossed and TCP was closed by the end that should close it
    bool droppedByTester = false; // the tester closed TCP
    QStringList peerViolations; // rule ids of what the peer's own frames broke
    // Section 9: messages that came back unchanged, and what was wrong with the first that did not.
    int roundTrips = 0;
    bool workloadComplete = false;
    QString workloadProblem;
    qint64 durationMs = 0; // from OPEN to the end of the case (section 9: to the last echo)
    // Sections 12 and 13: the extensions the handshake agreed (empty: permessage-deflate declined,
    // the case is unimplemented), and the data messages' bytes, as messages and on the wire (frame
    // payloads, compressed), each way: what compression achieved.
    QByteArray extensions;
    quint64 messageBytesOut = 0;
    quint64 wireBytesOut = 0;
    quint64 messageBytesIn = 0;
    quint64 wireBytesIn = 0;
};

struct CaseResult {
    QString id;
    Verdict verdict = Verdict::Failed;
    CloseVerdict closeVerdict = CloseVerdict::Failed;
    QString result; // the verdict in a sentence
    QString resultClose; // the close verdict in a sentence
    bool reportTime = false; // section 9: the duration is part of the result
    Observation seen;

    bool failed() const { return verdict == Verdict::Failed; }
    // One case as a JSON object (a line of the CLI's jsonl output and an element of the JSON report).
    QJsonObject toJson() const;
};

// Grades what was seen against the case, as Autobahn grades: the events against each expected
// outcome in turn, the end of the connection apart, then the case's own rules (a wrong close code
// failing the case in section 7, a peer that never noticed invalid UTF-8, informational cases).
CaseResult judge(const Case &c, const Observation &seen, TesterRole role);

// "close 1002 \"bad frame\"", "close without code", "no close frame".
QString describePeerClose(const Observation &seen);

} // namespace Conformance

Q_DECLARE_METATYPE(Conformance::CaseResult)
