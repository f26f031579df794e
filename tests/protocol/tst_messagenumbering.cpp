// Which data message each frame belongs to, for every way frames can follow each other.

#include "protocol/messagenumbering.h"

#include <QtTest>

class tst_MessageNumbering : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sequences_data();
    void sequences();
};

void tst_MessageNumbering::sequences_data()
{
    // Frames as "opcode[.]" where '.' means FIN is clear: t text, b binary, c continuation, p ping,
    // x close, r reserved opcode 3; expected ids in order.
    QTest::addColumn<QString>("frames");
    QTest::addColumn<QList<quint32>>("ids");
    QTest::addRow("single frames") << QStringLiteral("t b t") << QList<quint32> { 1, 2, 3 };
    QTest::addRow("fragmented") << QStringLiteral("t. c. c t") << QList<quint32> { 1, 1, 1, 2 };
    QTest::addRow("ping between fragments") << QStringLiteral("b. p c") << QList<quint32> { 1, 0, 1 };
    QTest::addRow("orphan continuation") << QStringLiteral("c t c") << QList<quint32> { 0, 1, 0 };
    QTest::addRow("continuation after the end") << QStringLiteral("t. c c") << QList<quint32> { 1, 1, 0 };
    QTest::addRow("new message abandons the open one") << QStringLiteral("t. t c") << QList<quint32> { 1, 2, 0 };
    QTest::addRow("reserved and close") << QStringLiteral("r x t") << QList<quint32> { 0, 0, 1 };
}

void tst_MessageNumbering::sequences()
{
    QFETCH(QString, frames);
    QFETCH(QList<quint32>, ids);
    MessageNumbering numbering;
    QList<quint32> got;
    for (const QString &f : frames.split(QLatin1Char(' '))) {
        FrameHeader h;
        h.fin = !f.endsWith(QLatin1Char('.'));
        const QChar kind = f.at(0);
        h.opcode = kind == u't' ? quint8(Opcode::Text)
            : kind == u'b'      ? quint8(Opcode::Binary)
            : kind == u'c'      ? quint8(Opcode::Continuation)
            : kind == u'p'      ? quint8(Opcode::Ping)
            : kind == u'x'      ? quint8(Opcode::Close)
                                : quint8(3);
        got << numbering.next(h);
    }
    QCOMPARE(got, ids);
}

QTEST_GUILESS_MAIN(tst_MessageNumbering)
#include "tst_messagenumbering.moc"
