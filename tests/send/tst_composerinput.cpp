// What the user typed or chose, turned into message bytes: hex, base64, JSON, text and files, with
// the exact error a person sees for each bad input.

#include "send/composerinput.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using Parsed = ComposerInput::Parsed;

class tst_ComposerInput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hex_data();
    void hex();
    void base64_data();
    void base64();
    void json_data();
    void json();
    void text();
    void file();
    void fileOverTheLimitIsNotRead();
};

void tst_ComposerInput::hex_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("errorPos");

    QTest::addRow("spaced") << QStringLiteral("01 02 ff") << QByteArray("\x01\x02\xff", 3) << QString() << -1;
    QTest::addRow("packed") << QStringLiteral("0102FF") << QByteArray("\x01\x02\xff", 3) << QString() << -1;
    QTest::addRow("colons") << QStringLiteral("48:65:6c") << QByteArray("Hel") << QString() << -1;
    QTest::addRow("0x prefixes") << QStringLiteral("0x48 0X69") << QByteArray("Hi") << QString() << -1;
    QTest::addRow("tabs and lines") << QStringLiteral(" 00\t11\n22 \n") << QByteArray("\x00\x11\x22", 3) << QString()
                                    << -1;
    QTest::addRow("empty") << QString() << QByteArray() << QString() << -1;
    QTest::addRow("blank") << QStringLiteral("  \n ") << QByteArray() << QString() << -1;
    QTest::addRow("bad digit") << QStringLiteral("01 0z") << QByteArray()
                               << QStringLiteral("invalid hex digit 'z' at position 5") << 4;
    QTest::addRow("bad first") << QStringLiteral("g0") << QByteArray()
                               << QStringLiteral("invalid hex digit 'g' at position 1") << 0;
    QTest::addRow("non-ASCII") << QStringLiteral("aa é") << QByteArray()
                               << QStringLiteral("invalid hex digit 'é' at position 4") << 3;
    // Digits of other scripts are digits to QChar, never to hex.
    QTest::addRow("Arabic-Indic digits") << QStringLiteral("\u0661\u0662") << QByteArray()
                                         << QStringLiteral("invalid hex digit '\u0661' at position 1") << 0;
    QTest::addRow("fullwidth digits") << QStringLiteral("\uff10\uff11") << QByteArray()
                                      << QStringLiteral("invalid hex digit '\uff10' at position 1") << 0;
    QTest::addRow("separator") << QStringLiteral("01,02") << QByteArray()
                               << QStringLiteral("invalid hex digit ',' at position 3") << 2;
    QTest::addRow("odd group") << QStringLiteral("01 abc 02") << QByteArray()
                               << QStringLiteral("odd number of hex digits in 'abc' at position 4: each byte needs "
                                                 "two digits")
                               << 3;
    QTest::addRow("single digit") << QStringLiteral("1") << QByteArray()
                                  << QStringLiteral("odd number of hex digits in '1' at position 1: each byte needs "
                                                    "two digits")
                                  << 0;
    QTest::addRow("bare 0x") << QStringLiteral("01 0x") << QByteArray()
                             << QStringLiteral("'0x' without hex digits at position 4") << 3;
}

void tst_ComposerInput::hex()
{
    QFETCH(QString, input);
    const Parsed p = ComposerInput::fromHex(input);
    QTEST(p.error, "error");
    QTEST(p.bytes, "bytes");
    QTEST(int(p.errorPos), "errorPos");
}

void tst_ComposerInput::base64_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");

    QTest::addRow("padded") << QStringLiteral("AQL/") << QByteArray("\x01\x02\xff", 3) << QString();
    QTest::addRow("one pad") << QStringLiteral("aGk=") << QByteArray("hi") << QString();
    QTest::addRow("two pads") << QStringLiteral("aA==") << QByteArray("h") << QString();
    QTest::addRow("unpadded") << QStringLiteral("aA") << QByteArray("h") << QString();
    QTest::addRow("line breaks") << QStringLiteral("aGVs\nbG8=\n") << QByteArray("hello") << QString();
    QTest::addRow("empty") << QString() << QByteArray() << QString();
    QTest::addRow("bad character") << QStringLiteral("aG!k") << QByteArray()
                                   << QStringLiteral("invalid base64 character '!' at position 3");
    QTest::addRow("base64url") << QStringLiteral("ab-_") << QByteArray()
                               << QStringLiteral("invalid base64 character '-' at position 3 (that is base64url; "
                                                 "standard base64 uses + and /)");
    QTest::addRow("data after padding") << QStringLiteral("aA==aA==") << QByteArray()
                                        << QStringLiteral("data after the '=' padding at position 5");
    QTest::addRow("one char left") << QStringLiteral("aGVsb") << QByteArray()
                                   << QStringLiteral("incomplete base64: the last group has 1 character; it needs at "
                                                     "least 2");
    QTest::addRow("too much padding") << QStringLiteral("aGk==") << QByteArray()
                                      << QStringLiteral("wrong padding at position 4: 2 '=' after a group of 3 "
                                                        "characters");
    QTest::addRow("padding on a full group") << QStringLiteral("aGVs=") << QByteArray()
                                             << QStringLiteral("wrong padding at position 5: 1 '=' after a group of 4 "
                                                               "characters");
}

void tst_ComposerInput::base64()
{
    QFETCH(QString, input);
    const Parsed p = ComposerInput::fromBase64(input);
    QTEST(p.error, "error");
    QTEST(p.bytes, "bytes");
}

void tst_ComposerInput::json_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("errorPos");

    QTest::addRow("object") << QStringLiteral("{\"a\": 1}") << QString() << -1;
    QTest::addRow("nested") << QStringLiteral(" {\"a\": [1, -2.5e+3, true, false, null, \"x\\n\\u00e9\"], \"b\": {}} ")
                            << QString() << -1;
    QTest::addRow("scalar number") << QStringLiteral("42") << QString() << -1;
    QTest::addRow("scalar string") << QStringLiteral("\"hi\"") << QString() << -1;
    QTest::addRow("duplicate names") << QStringLiteral("{\"a\":1,\"a\":2}") << QString() << -1;
    QTest::addRow("empty") << QString()
                           << QStringLiteral("JSON error at position 1 (line 1, column 1): empty input: JSON "
                                             "needs a value")
                           << 0;
    QTest::addRow("unterminated object") << QStringLiteral("{\"a\":1")
                                         << QStringLiteral(
                                                "JSON error at position 7 (line 1, column 7): unexpected end of "
                                                "input: expected ',' or '}'")
                                         << 6;
    QTest::addRow("missing colon") << QStringLiteral("{\"a\" 1}")
                                   << QStringLiteral("JSON error at position 6 (line 1, column 6): unexpected '1': "
                                                     "expected ':' after the member name")
                                   << 5;
    QTest::addRow("trailing comma") << QStringLiteral("[1,\n  2,\n]")
                                    << QStringLiteral("JSON error at position 8 (line 2, column 4): trailing comma "
                                                      "before ']'")
                                    << 7;
    QTest::addRow("single quotes") << QStringLiteral("{'a': 1}")
                                   << QStringLiteral("JSON error at position 2 (line 1, column 2): unexpected \"'\": "
                                                     "JSON strings use double quotes")
                                   << 1;
    QTest::addRow("garbage after") << QStringLiteral("{} x")
                                   << QStringLiteral("JSON error at position 4 (line 1, column 4): unexpected 'x' "
                                                     "after the JSON value")
                                   << 3;
    QTest::addRow("two values") << QStringLiteral("1 2")
                                << QStringLiteral("JSON error at position 3 (line 1, column 3): unexpected '2' after "
                                                  "the JSON value")
                                << 2;
    QTest::addRow("leading zero") << QStringLiteral("[01]")
                                  << QStringLiteral("JSON error at position 3 (line 1, column 3): numbers cannot have "
                                                    "leading zeros")
                                  << 2;
    QTest::addRow("bad literal") << QStringLiteral("[tru]")
                                 << QStringLiteral("JSON error at position 2 (line 1, column 2): invalid literal: "
                                                   "expected true")
                                 << 1;
    QTest::addRow("raw newline in string") << QStringLiteral("\"a\nb\"")
                                           << QStringLiteral("JSON error at position 3 (line 1, column 3): control "
                                                             "character U+000A in a string must be escaped")
                                           << 2;
    QTest::addRow("bad escape") << QStringLiteral("\"\\q\"")
                                << QStringLiteral("JSON error at position 2 (line 1, column 2): invalid escape: a "
                                                  "backslash before 'q' in a string")
                                << 1;
    QTest::addRow("short unicode escape") << QStringLiteral("\"\\u12\"")
                                          << QStringLiteral("JSON error at position 2 (line 1, column 2): invalid \\u "
                                                            "escape: it needs four hex digits")
                                          << 1;
    QTest::addRow("unterminated string") << QStringLiteral("[\"abc")
                                         << QStringLiteral("JSON error at position 2 (line 1, column 2): unterminated "
                                                           "string: no closing '\"'")
                                         << 1;
    QTest::addRow("missing fraction") << QStringLiteral("1.")
                                      << QStringLiteral("JSON error at position 3 (line 1, column 3): unexpected end "
                                                        "of input: expected a digit")
                                      << 2;
    QTest::addRow("too deep") << QString(600, QLatin1Char('['))
                              << QStringLiteral("JSON error at position 513 (line 1, column 513): nested deeper than "
                                                "512 levels")
                              << 512;
}

void tst_ComposerInput::json()
{
    QFETCH(QString, input);
    QFETCH(QString, error);
    const Parsed p = ComposerInput::fromJson(input);
    QCOMPARE(p.error, error);
    QTEST(int(p.errorPos), "errorPos");
    QCOMPARE(p.bytes, error.isEmpty() ? input.toUtf8() : QByteArray());
}

void tst_ComposerInput::text()
{
    QCOMPARE(ComposerInput::fromText(QStringLiteral("h\u00e9 \U0001F600")).bytes, QByteArray("h\xc3\xa9 \xf0\x9f\x98\x80"));
    QString lone = QStringLiteral("ab");
    lone.insert(1, QChar(0xD800));
    const Parsed p = ComposerInput::fromText(lone);
    QCOMPARE(p.error, QStringLiteral("unpaired surrogate at position 2: the text has no UTF-8 form"));
    QCOMPARE(p.errorPos, qsizetype(1));
}

void tst_ComposerInput::file()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("p.bin"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray("\x00\x01\xff", 3));
    f.close();
    QCOMPARE(ComposerInput::fromFile(path, 3).bytes, QByteArray("\x00\x01\xff", 3));
    QCOMPARE(ComposerInput::fromFile(QString(), 3).error, QStringLiteral("Choose a file to send."));
    QCOMPARE(ComposerInput::fromFile(dir.filePath(QStringLiteral("none")), 3).error,
             QStringLiteral("\u201c%1\u201d does not exist.").arg(dir.filePath(QStringLiteral("none"))));
    QCOMPARE(ComposerInput::fromFile(dir.path(), 3).error, QStringLiteral("\u201c%1\u201d is not a file.").arg(dir.path()));
}

void tst_ComposerInput::fileOverTheLimitIsNotRead()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.bin"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.resize(3 << 20)); // sparse: 3 MiB without writing them
    f.close();
    const Parsed p = ComposerInput::fromFile(path, 2 << 20);
    QVERIFY(p.bytes.isEmpty());
    QCOMPARE(p.error, QStringLiteral("\u201c%1\u201d is 3 MiB; a message can be at most 2 MiB (the message size limit).").arg(path));
    QVERIFY(ComposerInput::fromFile(path, 3 << 20).ok());
}

QTEST_GUILESS_MAIN(tst_ComposerInput)
#include "tst_composerinput.moc"
