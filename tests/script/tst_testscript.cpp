// The test files of --run: every step read with its argument and line, escapes undone, comments and
// blank lines skipped, Windows line ends accepted; every mistake named with its line.

#include "script/testscript.h"

#include <QTemporaryDir>
#include <QTest>

using Step = TestScript::Step;
Q_DECLARE_METATYPE(Step::Kind)

class tst_TestScript : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void steps_data();
    void steps();
    void wholeFile();
    void problems_data();
    void problems();
    void unreadableFile();
};

void tst_TestScript::steps_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<Step::Kind>("kind");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<int>("number");
    QTest::addColumn<bool>("hasBytes");

    QTest::addRow("send keeps trailing spaces") << "send hello world  " << Step::Kind::Send << QByteArray("hello world  ") << "" << -1 << true;
    QTest::addRow("send escapes") << "send a\\tb\\n\\0\\\\\\x41\\u{20AC}" << Step::Kind::Send << QByteArray("a\tb\n\0\\A\xe2\x82\xac", 10)
                                  << "" << -1 << true;
    QTest::addRow("send empty") << "send" << Step::Kind::Send << QByteArray() << "" << -1 << false;
    QTest::addRow("leading spaces") << "   send x" << Step::Kind::Send << QByteArray("x") << "" << -1 << true;
    QTest::addRow("send-binary") << "send-binary 01 02 0xff" << Step::Kind::SendBinary << QByteArray("\x01\x02\xff") << "" << -1 << false;
    QTest::addRow("ping") << "ping keepalive" << Step::Kind::Ping << QByteArray("keepalive") << "" << -1 << true;
    QTest::addRow("pong empty") << "pong" << Step::Kind::Pong << QByteArray() << "" << -1 << false;
    QTest::addRow("expect") << "expect ^\"op\":\\s*\"pong\"$" << Step::Kind::Expect << QByteArray() << "^\"op\":\\s*\"pong\"$" << -1 << false;
    QTest::addRow("expect-pong any") << "expect-pong" << Step::Kind::ExpectPong << QByteArray() << "" << -1 << false;
    QTest::addRow("expect-pong payload") << "expect-pong k\\x00" << Step::Kind::ExpectPong << QByteArray("k\0", 2) << "" << -1 << true;
    QTest::addRow("expect-close any") << "expect-close" << Step::Kind::ExpectClose << QByteArray() << "" << -1 << false;
    QTest::addRow("expect-close code") << "expect-close 4000" << Step::Kind::ExpectClose << QByteArray() << "" << 4000 << false;
    QTest::addRow("wait") << "wait 250" << Step::Kind::Wait << QByteArray() << "" << 250 << false;
    QTest::addRow("close default") << "close" << Step::Kind::Close << QByteArray() << "" << 1000 << false;
    QTest::addRow("close with reason") << "close 4001 going\\u{1F44B}" << Step::Kind::Close << QByteArray("going\xf0\x9f\x91\x8b") << "" << 4001 << true;
    QTest::addRow("close 0") << "close 0" << Step::Kind::Close << QByteArray() << "" << 0 << false;
    QTest::addRow("timeout") << "timeout 100" << Step::Kind::Timeout << QByteArray() << "" << 100 << false;
}

void tst_TestScript::steps()
{
    QFETCH(QString, line);
    QFETCH(Step::Kind, kind);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, pattern);
    QFETCH(int, number);
    QFETCH(bool, hasBytes);
    TestScript::Problem problem;
    const auto script = TestScript::parse(line, &problem);
    QVERIFY2(script, qPrintable(problem.message));
    QCOMPARE(script->steps.size(), 1);
    const Step &s = script->steps.first();
    QCOMPARE(s.kind, kind);
    QCOMPARE(s.bytes, bytes);
    QCOMPARE(s.pattern, pattern);
    QCOMPARE(s.number, number);
    QCOMPARE(s.hasBytes, hasBytes);
    QCOMPARE(s.line, 1);
    QCOMPARE(s.source, line.trimmed());
}

void tst_TestScript::wholeFile()
{
    const QString text = QStringLiteral("# a check\r\n\r\nsend hi\r\n  # indented comment\r\nexpect ^hi$\r\n\r\nclose\r\n");
    TestScript::Problem problem;
    const auto script = TestScript::parse(text, &problem);
    QVERIFY2(script, qPrintable(problem.message));
    QCOMPARE(script->steps.size(), 3);
    QCOMPARE(script->steps[0].line, 3);
    QCOMPARE(script->steps[0].bytes, QByteArray("hi")); // the CR of the line end is not part of it
    QCOMPARE(script->steps[1].line, 5);
    QCOMPARE(script->steps[1].pattern, QStringLiteral("^hi$"));
    QCOMPARE(script->steps[2].line, 7);
}

void tst_TestScript::problems_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");

    QTest::addRow("unknown step") << "send x\nexepct y"
                                  << "line 2: \"exepct\" is not a step (send, send-binary, ping, pong, expect, expect-pong, "
                                     "expect-close, wait, close, timeout)" << 2;
    QTest::addRow("tab after the name") << "send\tx" << "line 1: \"send\\tx\" is not a step (send, send-binary, ping, pong, "
                                                      "expect, expect-pong, expect-close, wait, close, timeout)" << 1;
    QTest::addRow("bad escape") << "send a\\qb" << "line 1: unknown escape \\q (\\n \\r \\t \\0 \\\\ \\xHH \\u{HEX})" << 1;
    QTest::addRow("backslash at the end") << "send a\\" << "line 1: a \\ ends the line: write \\\\ for a backslash" << 1;
    QTest::addRow("short \\x") << "send \\x4" << "line 1: \\x needs two hex digits, as in \\x00" << 1;
    QTest::addRow("bad \\u") << "ping \\u{D800}" << "line 1: \\u needs a code point in braces, as in \\u{20AC}" << 1;
    QTest::addRow("bad hex") << "send-binary 0g" << "line 1: invalid hex digit 'g' at position 2" << 1;
    QTest::addRow("long ping") << QStringLiteral("ping ") + QString(126, QLatin1Char('p'))
                               << "line 1: a control frame carries at most 125 bytes; this one 126" << 1;
    QTest::addRow("empty expect") << "expect" << "line 1: expect needs a regular expression (. for any message)" << 1;
    QTest::addRow("bad regex") << "\n\nexpect (a" << "line 3: \"(a\" is not a regular expression: missing closing parenthesis at offset 2" << 3;
    QTest::addRow("wait not a number") << "wait soon" << "line 1: wait needs a number of milliseconds (0 to 86400000), not \"soon\"" << 1;
    QTest::addRow("timeout zero") << "timeout 0" << "line 1: timeout needs a number of milliseconds (1 to 86400000), not \"0\"" << 1;
    QTest::addRow("close code") << "close abc" << "line 1: close takes a close code (0 to 65535), then a reason; not \"abc\"" << 1;
    QTest::addRow("close 0 with reason") << "close 0 why" << "line 1: close 0 sends no code, so it cannot carry a reason" << 1;
    QTest::addRow("expect-close code") << "expect-close 70000" << "line 1: expect-close takes a close code (0 to 65535), not \"70000\"" << 1;
}

void tst_TestScript::problems()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    QFETCH(int, line);
    TestScript::Problem problem;
    QVERIFY(!TestScript::parse(text, &problem));
    QCOMPARE(problem.message, message);
    QCOMPARE(problem.line, line);
}

void tst_TestScript::unreadableFile()
{
    QTemporaryDir dir;
    TestScript::Problem problem;
    const QString path = dir.filePath(QStringLiteral("missing.wst"));
    QVERIFY(!TestScript::read(path, &problem));
    QCOMPARE(problem.line, 0);
    QVERIFY2(problem.message.startsWith(QStringLiteral("cannot read %1: ").arg(path)), qPrintable(problem.message));
}

QTEST_GUILESS_MAIN(tst_TestScript)
#include "tst_testscript.moc"
