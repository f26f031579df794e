#pragma once

// What a relay's intercept did to one message (edited by rules or by hand, dropped, held, injected,
// or left undelivered when the connection ended), recorded as an event of kind Intercept next to
// the frames: the original arrived as incoming frames on one leg, what was delivered (if anything)
// is an outgoing frame on the other. Its payload is this note as compact JSON:
// {"action":"edited","detail":"...","message":3,"rules":[1]}.

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

struct InterceptNote {
    enum class Action { Edited, Dropped, Held, Forwarded, Injected, Undelivered };
    Action action = Action::Edited;
    quint32 message = 0; // the original message's id on its leg (0: an injected message has none)
    QList<int> rules; // the match/replace rules that changed it
    QString detail; // for the log: what changed, how long it was held; the inspector's own words
    // Held: which hold it is (the number forward and drop take, per leg), the opcode and the payload
    // as it would go on; Forwarded and Dropped: the hold they end.
    quint32 hold = 0;
    quint8 opcode = 0;
    bool fin = true; // false: a frame held on its own, more of its message to come
    QByteArray payload;

    static InterceptNote make(Action action, quint32 message, const QString &detail, const QList<int> &rules = {})
    {
        InterceptNote note;
        note.action = action;
        note.message = message;
        note.rules = rules;
        note.detail = detail;
        return note;
    }
    static const char *actionKey(Action action); // "edited", "dropped", ...
    static std::optional<Action> actionFromKey(QStringView key);

    QByteArray toJson() const;
    static std::optional<InterceptNote> fromJson(QByteArrayView json);
    // "edited message 3 by rule 1: …": one line for the log, through the display rule.
    QString summary() const;
};
