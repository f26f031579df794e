// The one display rule for peer bytes: Trojan Source strings, terminal escape sequences, overlongs,
// surrogates, truncated sequences, cuts that must not split an escape, and a round trip over random
// bytes that proves nothing is lost or hidden.

#include "text/displaytext.h"

#include <QRandomGenerator>
#include <QtTest>

using DisplayText::Lines;
using DisplayText::Options;

namespace {

// Reads the rule's output back into bytes (with escapeQuotes on, a backslash always starts an escape).
QByteArray unescape(const QString &shown)
{
    const QByteArray s = shown.toUtf8();
    QByteArray out;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out += s[i];
            continue;
        }
        const char e = s[++i];
        switch (e) {
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case 'x':
            out += char(s.mid(i + 1, 2).toInt(nullptr, 16));
            i += 2;
            break;
        case 'u': {
            uint cp;
            if (s[i + 1] == '{') {
                const qsizetype close = s.indexOf('}', i);
                cp = s.mid(i + 2, close - i - 2).toUInt(nullptr, 16);
                i = close;
            } else {
                cp = s.mid(i + 1, 4).toUInt(nullptr, 16);
                i += 4;
            }
            out += QString::fromUcs4(reinterpret_cast<const char32_t *>(&cp), 1).toUtf8();
            break;
        }
        default:
            qFatal("unknown escape \\%c", e);
        }
    }
    return out;
}

} // namespace

class tst_DisplayText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oneLine_data();
    void oneLine();
    void multipleLines_data();
    void multipleLines();
    void httpLines_data();
    void httpLines();
    void cutNeverSplitsAnEscape_data();
    void cutNeverSplitsAnEscape();
    void quotes();
    void resultSaysWhatHappened();
    void hugeInputCutEarly();
    void writerMatchesString();
    void randomBytesRoundTrip();
};

void tst_DisplayText::oneLine_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");

    QTest::addRow("ascii") << QByteArray("Hello, world!") << QStringLiteral("Hello, world!");
    QTest::addRow("empty") << QByteArray() << QString();
    QTest::addRow("non-ascii kept") << QByteArray("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80")
                                    << QStringLiteral("h\u00e9llo \u20ac \U0001F600");
    // The two characters the issue measured on the terminal and in the log preview.
    QTest::addRow("right-to-left override and zero-width space")
        << QByteArray("abc\xe2\x80\xae" "def\xe2\x80\x8b") << QStringLiteral("abc\\u202edef\\u200b");
    // Trojan Source (CVE-2021-42574): a comment that reads as code once the overrides apply.
    QTest::addRow("trojan source isolates")
        << QByteArray("\"user\xe2\x80\xae \xe2\x81\xa6// Check if admin\xe2\x81\xa9 \xe2\x81\xa6\"")
        << QStringLiteral("\"user\\u202e \\u2066// Check if admin\\u2069 \\u2066\"");
    QTest::addRow("embeddings and pop") << QByteArray("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad")
                                        << QStringLiteral("\\u202a\\u202b\\u202c\\u202d");
    QTest::addRow("marks") << QByteArray("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c") << QStringLiteral("\\u200e\\u200f\\u061c");
    QTest::addRow("zero-width joiners, word joiner, BOM")
        << QByteArray("a\xe2\x80\x8c" "b\xe2\x80\x8d" "c\xe2\x81\xa0" "d\xef\xbb\xbf")
        << QStringLiteral("a\\u200cb\\u200dc\\u2060d\\ufeff");
    QTest::addRow("line separator") << QByteArray("a\xe2\x80\xa8" "b") << QStringLiteral("a\\u2028b");
    QTest::addRow("tag characters") << QByteArray("ok\xf3\xa0\x81\x81") << QStringLiteral("ok\\u{e0041}");
    QTest::addRow("soft hyphen") << QByteArray("pay\xc2\xad" "pal") << QStringLiteral("pay\\u00adpal");
    // Terminal escape sequences: colours, cursor moves, window title, CSI as a C1 control.
    QTest::addRow("ANSI colour") << QByteArray("\x1b[31mred\x1b[0m") << QStringLiteral("\\x1b[31mred\\x1b[0m");
    QTest::addRow("OSC title with BEL") << QByteArray("\x1b]0;pwned\x07") << QStringLiteral("\\x1b]0;pwned\\x07");
    QTest::addRow("C1 CSI") << QByteArray("\xc2\x9b" "2J") << QStringLiteral("\\u009b2J");
    QTest::addRow("NEL") << QByteArray("a\xc2\x85" "b") << QStringLiteral("a\\u0085b");
    QTest::addRow("NUL and DEL") << QByteArray("a\0b\x7f", 4) << QStringLiteral("a\\x00b\\x7f");
    QTest::addRow("line breaks and tab") << QByteArray("a\nb\tc\r\nd\re") << QStringLiteral("a\\nb\\tc\\r\\nd\\re");
    // Not UTF-8: every byte shown, never U+FFFD.
    QTest::addRow("overlong slash") << QByteArray("\xc0\xaf") << QStringLiteral("\\xc0\\xaf");
    QTest::addRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << QStringLiteral("\\xe0\\x80\\xaf");
    QTest::addRow("overlong 4-byte") << QByteArray("\xf0\x80\x80\xaf") << QStringLiteral("\\xf0\\x80\\x80\\xaf");
    QTest::addRow("surrogate") << QByteArray("\xed\xa0\x80") << QStringLiteral("\\xed\\xa0\\x80");
    QTest::addRow("surrogate pair as CESU-8")
        << QByteArray("\xed\xa0\xbd\xed\xb8\x80") << QStringLiteral("\\xed\\xa0\\xbd\\xed\\xb8\\x80");
    QTest::addRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << QStringLiteral("\\xf4\\x90\\x80\\x80");
    QTest::addRow("F5..FF") << QByteArray("\xf5\xfe\xff") << QStringLiteral("\\xf5\\xfe\\xff");
    QTest::addRow("lone continuation") << QByteArray("a\x80" "b") << QStringLiteral("a\\x80b");
    QTest::addRow("truncated in the middle") << QByteArray("\xe2\x82" "A") << QStringLiteral("\\xe2\\x82A");
    QTest::addRow("truncated at the end") << QByteArray("ab\xe2\x82") << QStringLiteral("ab\\xe2\\x82");
    QTest::addRow("valid after invalid") << QByteArray("\xff\xe2\x82\xac") << QStringLiteral("\\xff\u20ac");
    QTest::addRow("U+FFFD sent by the peer is kept") << QByteArray("\xef\xbf\xbd") << QStringLiteral("\ufffd");
}

void tst_DisplayText::oneLine()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    const QString shown = DisplayText::line(input);
    QCOMPARE(shown, expected);
    if (!input.contains("\xef\xbf\xbd"))
        QVERIFY(!shown.contains(QChar(0xFFFD)));
}

void tst_DisplayText::multipleLines_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");
    QTest::addRow("lf and tab kept") << QByteArray("a\nb\tc") << QStringLiteral("a\nb\tc");
    QTest::addRow("crlf shows its cr") << QByteArray("a\r\nb") << QStringLiteral("a\\r\nb");
    QTest::addRow("lone cr escaped") << QByteArray("a\rb") << QStringLiteral("a\\rb");
    QTest::addRow("override still escaped") << QByteArray("x\xe2\x80\xae\ny") << QStringLiteral("x\\u202e\ny");
    QTest::addRow("vertical tab and form feed") << QByteArray("a\vb\fc") << QStringLiteral("a\\x0bb\\x0cc");
}

void tst_DisplayText::multipleLines()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    QCOMPARE(DisplayText::lines(input), expected);
}

void tst_DisplayText::httpLines_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");
    QTest::addRow("crlf is the line end") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                                          << QStringLiteral("GET / HTTP/1.1\nHost: x\n\n");
    QTest::addRow("bare lf shown and broken") << QByteArray("a\nb") << QStringLiteral("a\\n\nb");
    QTest::addRow("bare cr") << QByteArray("a\rb\r") << QStringLiteral("a\\rb\\r");
    QTest::addRow("lf cr") << QByteArray("a\n\rb") << QStringLiteral("a\\n\n\\rb");
    QTest::addRow("tab escaped") << QByteArray("X-A:\tb") << QStringLiteral("X-A:\\tb");
    QTest::addRow("override in a header") << QByteArray("X-Name: \xe2\x80\xae" "abc\r\n")
                                          << QStringLiteral("X-Name: \\u202eabc\n");
    QTest::addRow("latin-1 byte") << QByteArray("X: caf\xe9\r\n") << QStringLiteral("X: caf\\xe9\n");
}

void tst_DisplayText::httpLines()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    QCOMPARE(DisplayText::fromPeer(input, { Lines::Http, -1, false }), expected);
    // A cut inside a CR LF never splits it.
    DisplayText::Result r;
    DisplayText::fromPeer("ab\r\ncd", { Lines::Http, 2, false }, &r);
    QCOMPARE(r.consumed, qsizetype(2));
    DisplayText::fromPeer("ab\r\ncd", { Lines::Http, 3, false }, &r);
    QCOMPARE(r.consumed, qsizetype(4));
}

void tst_DisplayText::cutNeverSplitsAnEscape_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("maxChars");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<qsizetype>("consumed");
    QTest::addRow("fits") << QByteArray("abc") << 3 << QStringLiteral("abc") << qsizetype(3);
    QTest::addRow("plain cut") << QByteArray("abcdef") << 3 << QStringLiteral("abc\u2026") << qsizetype(3);
    QTest::addRow("escape does not fit") << QByteArray("ab\x1b" "c") << 5 << QStringLiteral("ab\u2026") << qsizetype(2);
    QTest::addRow("escape fits exactly") << QByteArray("ab\x1b" "c") << 6 << QStringLiteral("ab\\x1b\u2026")
                                         << qsizetype(3);
    QTest::addRow("bidi escape does not fit")
        << QByteArray("a\xe2\x80\xae" "b") << 6 << QStringLiteral("a\u2026") << qsizetype(1);
    QTest::addRow("code point never split")
        << QByteArray("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac") << 2 << QStringLiteral("\u20ac\u20ac\u2026") << qsizetype(6);
    QTest::addRow("astral counts one")
        << QByteArray("\xf0\x9f\x98\x80" "ab") << 2 << QStringLiteral("\U0001F600a\u2026") << qsizetype(5);
    QTest::addRow("invalid bytes cut between escapes")
        << QByteArray("\xff\xfe\xfd") << 9 << QStringLiteral("\\xff\\xfe\u2026") << qsizetype(2);
    QTest::addRow("zero") << QByteArray("abc") << 0 << QStringLiteral("\u2026") << qsizetype(0);
}

void tst_DisplayText::cutNeverSplitsAnEscape()
{
    QFETCH(QByteArray, input);
    QFETCH(int, maxChars);
    QFETCH(QString, expected);
    QFETCH(qsizetype, consumed);
    DisplayText::Result result;
    QCOMPARE(DisplayText::fromPeer(input, Options { Lines::Single, maxChars, false }, &result), expected);
    QCOMPARE(result.consumed, consumed);
    QCOMPARE(result.cut, consumed < input.size());
}

void tst_DisplayText::quotes()
{
    const Options quoted { Lines::Single, -1, true };
    QCOMPARE(DisplayText::fromPeer("say \"hi\" \\ ok", quoted), QStringLiteral("say \\\"hi\\\" \\\\ ok"));
    // Without escapeQuotes a backslash is shown as sent (JSON stays readable in the log).
    QCOMPARE(DisplayText::line("{\"a\":\"\\n\"}"), QStringLiteral("{\"a\":\"\\n\"}"));
}

void tst_DisplayText::resultSaysWhatHappened()
{
    DisplayText::Result r;
    DisplayText::fromPeer("plain", {}, &r);
    QVERIFY(r.validUtf8());
    QVERIFY(!r.escaped);
    QVERIFY(!r.cut);
    QCOMPARE(r.consumed, qsizetype(5));
    DisplayText::fromPeer("a\xe2\x80\xae", {}, &r);
    QVERIFY(r.validUtf8());
    QVERIFY(r.escaped);
    DisplayText::fromPeer("a\xff", {}, &r);
    QVERIFY(!r.validUtf8());
    QCOMPARE(r.firstInvalid, qsizetype(1));
    QVERIFY(r.escaped);
}

void tst_DisplayText::hugeInputCutEarly()
{
    const QByteArray big(8 << 20, 'a');
    DisplayText::Result r;
    const QString shown = DisplayText::fromPeer(big, Options { Lines::Single, 10, false }, &r);
    QCOMPARE(shown, QStringLiteral("aaaaaaaaaa\u2026"));
    QVERIFY(r.cut);
    QCOMPARE(r.consumed, qsizetype(10));
}

void tst_DisplayText::writerMatchesString()
{
    // A cut bounds the output: a huge payload shown in 10 characters needs no huge buffer.
    QCOMPARE(DisplayText::maxOutputBytes(64 << 20, 10), qsizetype(56));
    QCOMPARE(DisplayText::maxOutputBytes(3, 10), DisplayText::maxOutputBytes(3));
    {
        const QByteArray invalid(40, '\xff'); // the worst case: every byte an escape of 4
        QByteArray out(DisplayText::maxOutputBytes(invalid.size(), 10), Qt::Uninitialized);
        const char *end = DisplayText::write(out.data(), invalid, { Lines::Single, 10, false });
        QVERIFY(end - out.constData() <= out.size());
    }
    const QByteArray input("x\x1b[1m\xe2\x80\xae\xff\n\"q\"");
    QByteArray buffer(DisplayText::maxOutputBytes(input.size()), Qt::Uninitialized);
    const Options quoted { Lines::Single, -1, true };
    char *end = DisplayText::write(buffer.data(), input, quoted);
    QCOMPARE(QString::fromUtf8(buffer.constData(), end - buffer.constData()), DisplayText::fromPeer(input, quoted));
}

void tst_DisplayText::randomBytesRoundTrip()
{
    // Random bytes biased towards the interesting ranges: whatever they are, the display shows no
    // control, bidi or invisible character and no U+FFFD, stays within maxOutputBytes, and reads
    // back to exactly the bytes that were sent.
    QRandomGenerator rng(6455);
    static const uchar interesting[] = { 0x00, 0x1b, 0x7f, 0x80, 0x9b, 0xa0, 0xad, 0xbf, 0xc0, 0xc2,
        0xd8, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf3, 0xf4, 0xf5, 0xff, '\\', '"', '\r', '\n' };
    const Options quoted { Lines::Single, -1, true };
    for (int round = 0; round < 20000; ++round) {
        QByteArray input;
        const int length = rng.bounded(1, 12);
        for (int k = 0; k < length; ++k) {
            const int pick = rng.bounded(4);
            input += char(pick == 0 ? rng.bounded(256)
                    : pick == 1     ? interesting[rng.bounded(int(sizeof interesting))]
                    : pick == 2     ? 0x80 + rng.bounded(0x40)
                                    : 'a' + rng.bounded(26));
        }
        const QString shown = DisplayText::fromPeer(input, quoted);
        QVERIFY2(shown.toUtf8().size() <= DisplayText::maxOutputBytes(input.size()), input.toHex().constData());
        for (qsizetype i = 0; i < shown.size(); ++i) {
            char32_t cp = shown[i].unicode();
            if (shown[i].isHighSurrogate()) {
                cp = QChar::surrogateToUcs4(shown[i], shown[i + 1]);
                ++i;
            }
            QVERIFY2(!DisplayText::isEscaped(cp), input.toHex().constData());
            QVERIFY2(cp != 0xFFFD || input.contains("\xef\xbf\xbd"), input.toHex().constData());
        }
        QCOMPARE(unescape(shown), input);
    }
}

QTEST_GUILESS_MAIN(tst_DisplayText)
#include "tst_displaytext.moc"
