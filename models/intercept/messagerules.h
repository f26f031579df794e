#pragma once

// Match and replace rules for messages passing through a relay (DESIGN.md: intercept): text or a
// regular expression on text messages, bytes (hex) on binary ones, each for one direction or
// both. Pure code over whole messages; the relay applies them in flight and records what changed.
//
// Rule file (wsinspector-cli --intercept-rule FILE), a JSON array:
//   [{"direction": "to-server", "type": "text",  "match": "hello", "replace": "HELLO"},
//    {"direction": "to-app",    "type": "regex", "match": "\"user\":\"(\\w+)\"", "replace": "\"user\":\"<\\1>\""},
//    {"direction": "both",      "type": "hex",   "match": "0102", "replace": "ff"}]
// Every occurrence is replaced; rules apply in file order, each to the result of the one before.

#include <QByteArray>
#include <QList>
#include <QRegularExpression>
#include <QString>

#include <optional>

struct MessageRule {
    enum class Direction { ToServer, ToApp, Both };
    enum class Type { Text, Regex, Hex };
    Direction direction = Direction::Both;
    Type type = Type::Text;
    QString match; // as written: text, a pattern, or hex digits
    QString replace; // text (with \1..\9 for a regex's groups), or hex digits
    int number = 0; // 1, 2, ...: its place in the list, for the log

    bool appliesTo(bool towardServer) const;
    // "rule 2 (to-server, regex \"a+\" → \"b\")": peer-independent text, safe to show as is.
    QString describe() const;
    static QString directionKey(Direction d); // "to-server", "to-app", "both"
    static QString typeKey(Type t); // "text", "regex", "hex"
};

class MessageRules {
public:
    // Parses a rule file's JSON; nullopt and `error` (which rule, which field, why) when it is not valid.
    static std::optional<MessageRules> fromJson(const QByteArray &json, QString *error);
    // The rules from a file; nullopt and `error` (with the file's name) when it cannot be read or parsed.
    static std::optional<MessageRules> fromFile(const QString &path, QString *error);
    bool add(MessageRule rule, QString *error);

    bool isEmpty() const { return m_rules.isEmpty(); }
    qsizetype size() const { return m_rules.size(); }
    const MessageRule &at(qsizetype i) const { return m_rules.at(i).rule; }
    bool hasRulesFor(bool towardServer) const;

    struct Result {
        QByteArray payload; // the message as it goes on
        QList<int> applied; // numbers of the rules that changed it, in order
        bool changed() const { return !applied.isEmpty(); }
    };
    // Applies the rules for this direction to one whole data message (opcode 1: text, 2: binary).
    // Text rules and regular expressions apply to text messages that are valid UTF-8, hex rules to
    // binary messages.
    Result apply(bool towardServer, quint8 opcode, const QByteArray &payload) const;

private:
    struct Compiled {
        MessageRule rule;
        QRegularExpression regex;
        QByteArray matchBytes; // text (UTF-8) or hex rules
        QByteArray replaceBytes;
    };
    QList<Compiled> m_rules;
};
