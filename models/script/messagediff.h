#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QRegularExpression>
#include <QString>

// The messages a server sent in a recording against those it sent when the conversation was
// replayed (wsinspector-cli --replay), message by message: the same, different, missing from the
// replay, or extra in it. The two lists are aligned on their longest common subsequence, as a line
// diff aligns lines, so one missing answer does not make every later one "different"; between two
// messages that are the same, the first unmatched ones of each side pair up as different and the
// rest are missing or extra. Over MaxAlignedCells pairs the lists are compared position by
// position instead, which is then said.
//
// `ignore`: parts of text messages that may differ (a timestamp, an id), replaced by "…" on both
// sides before comparing; the rows keep the messages as they were.
class MessageDiff {
    Q_DECLARE_TR_FUNCTIONS(MessageDiff)
public:
    struct Message {
        quint8 opcode = 0; // text or binary
        QByteArray payload;
    };
    enum class Kind : quint8 { Same, Different, Missing, Extra };
    struct Row {
        Kind kind = Kind::Same;
        qsizetype recorded = -1; // index in the recording; -1 for Extra
        qsizetype replayed = -1; // index in the replay; -1 for Missing
    };
    static constexpr qsizetype MaxAlignedCells = 25'000'000;

    static MessageDiff compare(const QList<Message> &recorded, const QList<Message> &replayed,
                               const QList<QRegularExpression> &ignore = {});

    const QList<Row> &rows() const { return m_rows; }
    qsizetype count(Kind kind) const;
    bool allSame() const { return count(Kind::Same) == m_rows.size(); }
    bool aligned() const { return m_aligned; } // false: compared by position (too many to align)
    // "12 the same, 1 different, 1 missing, 0 extra"
    QString summary() const;
    static QString kindKey(Kind kind); // "same", "different", "missing", "extra"
    // How a message is shown in a row: text quoted through the display rule, binary as hex.
    static QString shown(const Message &message, qsizetype maxChars = 200);

private:
    QList<Row> m_rows;
    bool m_aligned = true;
};
