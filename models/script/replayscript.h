#pragma once

#include "script/messagediff.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class Capture;

// One recorded connection read as a conversation to play again (wsinspector-cli --replay): the
// data messages its client sent, each with its time after the connection opened, and those the
// server sent, to compare a replay's answers with. Whole messages, as the application saw them: a
// fragmented message once, a compressed one inflated.
//
// Who is the client depends on how it was recorded: the inspector's own connection (its outgoing
// messages), a relay's or the proxy's (the application's messages arrived on the app leg, the
// server's on the server leg), or a client of the embedded server (its incoming messages). A
// relay's conversation is what the two peers sent, before any edit: what the relay wrote itself
// (an intercept edit, a rule's rewrite, an injection) is not replayed, and a message dropped in
// Intercept is, since the application did send it.
struct ReplayScript {
    Q_DECLARE_TR_FUNCTIONS(ReplayScript)
public:
    struct Send {
        qint64 afterOpenUs = 0; // when it was sent, after the recorded connection opened
        MessageDiff::Message message;
    };
    quint32 connectionId = 0;
    QList<Send> sends;
    QList<MessageDiff::Message> answers; // what the server sent, in order
    QStringList subprotocols; // offered in the recorded handshake request
    QString path; // of the recorded request ("/chat?room=1"), for the log

    // The connection numbered `connectionId` (0: the first with a message or a handshake). nullopt
    // with `error` naming what is missing (no such connection, a payload the memory budget dropped).
    static std::optional<ReplayScript> fromCapture(const Capture &capture, quint32 connectionId, QString *error);
    // The connections of a capture that can be chosen, in the order they began.
    static QList<quint32> connectionsIn(const Capture &capture);
};
