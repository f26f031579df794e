// The server's answers in a recording against a replay's, aligned as a line diff aligns lines:
// the rows for the same, different, missing and extra answers, masked parts, and binary answers.

#include "protocol/frame.h"
#include "script/messagediff.h"

#include <QTest>

namespace {
// "a b c": text messages a, b, c; "#01ff": a binary one.
QList<MessageDiff::Message> messages(const char *words)
{
    QList<MessageDiff::Message> list;
    for (const QByteArray &word : QByteArray(words).split(' '))
        if (!word.isEmpty())
            list.append(word.startsWith('#') ? MessageDiff::Message { Opcode::Binary, QByteArray::fromHex(word.mid(1)) }
                                             : MessageDiff::Message { Opcode::Text, word });
    return list;
}

// "= = ~ - +": the rows' kinds.
QString kinds(const MessageDiff &diff)
{
    QStringList out;
    for (const MessageDiff::Row &row : diff.rows())
        out << QString(QLatin1Char("=~-+"[int(row.kind)]));
    return out.join(QLatin1Char(' '));
}
} // namespace

class tst_MessageDiff : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rows_data();
    void rows();
    void indexesPointAtTheMessages();
    void ignoredPartsAreMasked();
    void binaryIsNotText();
    void summaryAndShown();
};

void tst_MessageDiff::rows_data()
{
    QTest::addColumn<QByteArray>("recorded");
    QTest::addColumn<QByteArray>("replayed");
    QTest::addColumn<QString>("expected");
    QTest::newRow("the same") << QByteArray("a b c") << QByteArray("a b c") << "= = =";
    QTest::newRow("both empty") << QByteArray("") << QByteArray("") << "";
    QTest::newRow("nothing came") << QByteArray("a b") << QByteArray("") << "- -";
    QTest::newRow("nothing was expected") << QByteArray("") << QByteArray("a") << "+";
    QTest::newRow("one missing keeps the rest the same") << QByteArray("a b c d") << QByteArray("a c d") << "= - = =";
    QTest::newRow("one extra keeps the rest the same") << QByteArray("a b c") << QByteArray("a x b c") << "= + = =";
    QTest::newRow("one changed") << QByteArray("a b c") << QByteArray("a B c") << "= ~ =";
    QTest::newRow("two changed, one missing") << QByteArray("a b c d e") << QByteArray("a B C e") << "= ~ ~ - =";
    QTest::newRow("changed at the end, then extra") << QByteArray("a b") << QByteArray("a B x") << "= ~ +";
    QTest::newRow("reordered: one moved is missing where it was and extra where it came") << QByteArray("a b c") << QByteArray("b a c") << "- = + =";
}

void tst_MessageDiff::rows()
{
    QFETCH(QByteArray, recorded);
    QFETCH(QByteArray, replayed);
    QFETCH(QString, expected);
    const MessageDiff diff = MessageDiff::compare(messages(recorded.constData()), messages(replayed.constData()));
    QCOMPARE(kinds(diff), expected);
    QVERIFY(diff.aligned());
    QCOMPARE(diff.allSame(), !expected.contains(QLatin1Char('~')) && !expected.contains(QLatin1Char('-'))
                                 && !expected.contains(QLatin1Char('+')));
}

void tst_MessageDiff::indexesPointAtTheMessages()
{
    const MessageDiff diff = MessageDiff::compare(messages("a b c d"), messages("a B d x"));
    QList<std::pair<qsizetype, qsizetype>> pairs;
    for (const MessageDiff::Row &row : diff.rows())
        pairs.append({ row.recorded, row.replayed });
    // a=a, b~B, c missing, d=d, x extra
    QCOMPARE(pairs, (QList<std::pair<qsizetype, qsizetype>> { { 0, 0 }, { 1, 1 }, { 2, -1 }, { 3, 2 }, { -1, 3 } }));
}

void tst_MessageDiff::ignoredPartsAreMasked()
{
    const QList<MessageDiff::Message> recorded { { Opcode::Text, "id=17 ok" }, { Opcode::Text, "at 09:13:35" } };
    const QList<MessageDiff::Message> replayed { { Opcode::Text, "id=912 ok" }, { Opcode::Text, "at 10:00:01" } };
    QCOMPARE(kinds(MessageDiff::compare(recorded, replayed)), QStringLiteral("~ ~"));
    const MessageDiff masked = MessageDiff::compare(recorded, replayed, { QRegularExpression(QStringLiteral("[0-9]+")) });
    QCOMPARE(kinds(masked), QStringLiteral("= ="));
    // Masking never makes different words the same.
    QCOMPARE(kinds(MessageDiff::compare(messages("id=1"), messages("ID=1"), { QRegularExpression(QStringLiteral("[0-9]+")) })),
             QStringLiteral("~"));
}

void tst_MessageDiff::binaryIsNotText()
{
    const QList<MessageDiff::Message> text { { Opcode::Text, "AB" } };
    const QList<MessageDiff::Message> binary { { Opcode::Binary, "AB" } };
    QCOMPARE(kinds(MessageDiff::compare(text, binary)), QStringLiteral("~"));
    // The masks apply to text only.
    const QList<MessageDiff::Message> b1 { { Opcode::Binary, "x1" } }, b2 { { Opcode::Binary, "x2" } };
    QCOMPARE(kinds(MessageDiff::compare(b1, b2, { QRegularExpression(QStringLiteral("[0-9]")) })), QStringLiteral("~"));
}

void tst_MessageDiff::summaryAndShown()
{
    const MessageDiff diff = MessageDiff::compare(messages("a b c d"), messages("a B d x"));
    QCOMPARE(diff.summary(), QStringLiteral("2 the same, 1 different, 1 missing, 1 extra"));
    QCOMPARE(MessageDiff::shown({ Opcode::Text, "say \"hi\"\x1b" }), QStringLiteral("\"say \\\"hi\\\"\\x1b\""));
    QCOMPARE(MessageDiff::shown({ Opcode::Binary, QByteArray::fromHex("01ff") }), QStringLiteral("binary 01 ff"));
}

QTEST_GUILESS_MAIN(tst_MessageDiff)
#include "tst_messagediff.moc"
