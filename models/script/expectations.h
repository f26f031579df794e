#pragma once

#include <QByteArrayView>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <optional>

// What a scripted check expects to receive (--expect REGEX, and the expect steps of a test file):
// regular expressions matched in order, each by a later data message than the one before. A
// message that matches nothing waits in "received instead", which is what a failure reports, so a
// CI log says what came rather than only what did not.
//
// A text message is matched as its text; a binary one as its bytes in hex, "01 02 ff". A match is
// found anywhere in the message unless the expression anchors it (^...$).
class Expectations {
public:
    // nullopt and the reason for the first pattern that is no regular expression.
    static std::optional<Expectations> fromPatterns(const QStringList &patterns, QString *error);

    bool isEmpty() const { return m_patterns.isEmpty(); }
    qsizetype count() const { return m_patterns.size(); }
    qsizetype metCount() const { return m_met; }
    bool allMet() const { return m_met == m_patterns.size(); }
    QString current() const; // the pattern waited for; empty when all are met

    // A data message arrived. True when it met the expectation waited for.
    bool offer(bool binary, QByteArrayView payload);

    // Why the check failed, for standard error: "expected #2 of 3, /pong/, within 5000 ms;
    // received instead (2): "ping", "hello"". `why` ends the first part: "within 5000 ms",
    // "before the server closed".
    QString failure(const QString &why) const;
    // What arrived since the last match: "received instead (2): "ping", "hello"", or "nothing else
    // was received".
    QString instead() const { return insteadText(m_instead, m_insteadCount); }
    // The same from the latest `shown` of `count` messages passed over (shown in display form).
    static QString insteadText(const QStringList &shown, qsizetype count);

    // At most this many messages are kept as received instead (the latest), each cut to 200 characters.
    static constexpr int MaxReported = 10;

private:
    QStringList m_patterns;
    QList<QRegularExpression> m_expressions;
    qsizetype m_met = 0;
    QStringList m_instead; // shown through the display rule
    qsizetype m_insteadCount = 0; // all of them, kept or not
};
