#include "text/utf8validator.h"

#include <QRandomGenerator>
#include <QStringDecoder>
#include <QtTest>

using Result = Utf8Validator::Result;

namespace {

// A plain decoder written straight from RFC 3629, independent of the DFA: decodes each sequence and
// checks its length, minimal form, surrogates and range.
bool referenceValid(const uchar *s, qsizetype n)
{
    qsizetype i = 0;
    while (i < n) {
        const uchar b = s[i];
        if (b < 0x80) {
            ++i;
            continue;
        }
        int len = 0;
        quint32 cp = 0;
        if ((b & 0xE0) == 0xC0) {
            len = 2;
            cp = b & 0x1F;
        } else if ((b & 0xF0) == 0xE0) {
            len = 3;
            cp = b & 0x0F;
        } else if ((b & 0xF8) == 0xF0) {
            len = 4;
            cp = b & 0x07;
        } else {
            return false;
        }
        if (i + len > n)
            return false;
        for (int k = 1; k < len; ++k) {
            const uchar c = s[i + k];
            if ((c & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        const quint32 minimum = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
        if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

// Whether some continuation makes `prefix` valid. The rules only tell continuation bytes apart by
// range (80-8F, 90-9F, A0-BF), so one byte of each range covers every case; a sequence needs at most
// three more bytes.
bool referenceExtendable(const QByteArray &prefix)
{
    static const uchar reps[] = { 0x80, 0x90, 0xA0 };
    const qsizetype n = prefix.size();
    QByteArray storage = prefix + QByteArray(3, '\0');
    auto *buf = reinterpret_cast<uchar *>(storage.data());
    if (referenceValid(buf, n))
        return true;
    for (uchar a : reps) {
        buf[n] = a;
        if (referenceValid(buf, n + 1))
            return true;
        for (uchar b : reps) {
            buf[n + 1] = b;
            if (referenceValid(buf, n + 2))
                return true;
            for (uchar c : reps) {
                buf[n + 2] = c;
                if (referenceValid(buf, n + 3))
                    return true;
            }
        }
    }
    return false;
}

struct Expected {
    Result result;
    qint64 offset;
};

// The DFA's contract, from the reference: Invalid at the first byte after which no continuation can
// make the bytes valid.
Expected reference(const QByteArray &bytes)
{
    for (qsizetype k = 1; k <= bytes.size(); ++k) {
        if (!referenceExtendable(bytes.first(k)))
            return { Result::Invalid, k - 1 };
    }
    return { referenceValid(reinterpret_cast<const uchar *>(bytes.constData()), bytes.size()) ? Result::Valid
                                                                                              : Result::Incomplete,
        -1 };
}

// reference() for long inputs: once a prefix cannot be made valid, no longer one can, so the first
// such prefix is found by bisection.
Expected referenceBisect(const QByteArray &bytes)
{
    qsizetype lo = 1;
    qsizetype hi = bytes.size() + 1; // the shortest prefix that cannot be extended; size() + 1: none
    while (lo < hi) {
        const qsizetype mid = (lo + hi) / 2;
        if (referenceExtendable(bytes.first(mid)))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo <= bytes.size())
        return { Result::Invalid, lo - 1 };
    return { referenceValid(reinterpret_cast<const uchar *>(bytes.constData()), bytes.size()) ? Result::Valid
                                                                                              : Result::Incomplete,
        -1 };
}

const char *resultName(Result r)
{
    switch (r) {
    case Result::Valid:
        return "Valid";
    case Result::Incomplete:
        return "Incomplete";
    case Result::Invalid:
        return "Invalid";
    }
    return "?";
}

} // namespace

namespace QTest {
template <> char *toString(const Result &r)
{
    return qstrdup(resultName(r));
}
} // namespace QTest

class tst_Utf8Validator : public QObject {
    Q_OBJECT

private slots:
    void classic_data();
    void classic();
    void byteByByte_data() { classic_data(); }
    void byteByByte();
    void everySplit_data() { classic_data(); }
    void everySplit();
    void asciiFastPathBoundaries_data();
    void asciiFastPathBoundaries();
    void afterAsciiRun_data();
    void afterAsciiRun();
    void randomMixesMatchReference();
    void stickyAndReset();
    void offsetCountsAcrossFeeds();
    void allOneAndTwoByteSequencesMatchReference();
    void allThreeByteSequencesValidity();
    void interestingSequencesMatchReference();
    void everyCodePointEncodesValid();
    void decodeAgreesWithValidator();
    void appendIsDecodesInverse();
};

// append() writes every scalar value as QString::toUtf8() does, and decode() reads it back; a
// surrogate gets the three bytes that name it, which the validator refuses.
void tst_Utf8Validator::appendIsDecodesInverse()
{
    for (char32_t cp = 0; cp <= 0x10FFFF; cp += (cp < 0x11000 ? 1 : 97)) {
        QByteArray out;
        Utf8Validator::append(out, cp);
        const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        if (surrogate) {
            QCOMPARE(out.size(), 3);
            QVERIFY(!Utf8Validator::isValid(out));
            continue;
        }
        QCOMPARE(out, QStringView(QChar::fromUcs4(cp)).toUtf8()); // fromUcs4(&cp, 1) would drop a BOM
        char32_t back = 0;
        QCOMPARE(Utf8Validator::decode(reinterpret_cast<const uchar *>(out.constData()), out.size(), back), int(out.size()));
        QCOMPARE(back, cp);
    }
}

// decode() is what the display rule and the jsonl writer use; it must accept exactly the sequences
// the validator accepts, and give their code points.
void tst_Utf8Validator::decodeAgreesWithValidator()
{
    static const uchar thirds[] = { 0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0 };
    for (int b0 = 0; b0 < 256; ++b0) {
        for (int b1 = 0; b1 < 256; ++b1) {
            for (const uchar b2 : thirds) {
                const uchar buf[4] = { uchar(b0), uchar(b1), b2, 0x80 };
                char32_t cp = 0;
                const int len = Utf8Validator::decode(buf, 4, cp);
                int expected = 0;
                for (int k = 1; k <= 4 && !expected; ++k) {
                    if (Utf8Validator::isValid(QByteArrayView(reinterpret_cast<const char *>(buf), k)))
                        expected = k;
                }
                if (len != expected)
                    QFAIL(qPrintable(QStringLiteral("%1 %2 %3 80: decode %4, validator %5")
                                         .arg(b0, 2, 16)
                                         .arg(b1, 2, 16)
                                         .arg(b2, 2, 16)
                                         .arg(len)
                                         .arg(expected)));
                if (len && b0 == 0) {
                    QCOMPARE(uint(cp), 0u);
                } else if (len) {
                    // QString::fromUtf8() would drop a leading byte order mark; this decoder keeps it.
                    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
                    const QString text = decoder(QByteArrayView(reinterpret_cast<const char *>(buf), len));
                    const QList<uint> ucs4 = text.toUcs4();
                    QCOMPARE(ucs4.size(), 1);
                    QCOMPARE(uint(cp), ucs4.first());
                }
                // Never reads past `available`.
                if (len > 1)
                    QCOMPARE(Utf8Validator::decode(buf, len - 1, cp), 0);
            }
        }
    }
}

void tst_Utf8Validator::classic_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Result>("result");
    QTest::addColumn<qint64>("offset");

    const auto valid = [](const char *tag, const char *hex) {
        QTest::addRow("%s", tag) << QByteArray::fromHex(hex) << Result::Valid << qint64(-1);
    };
    const auto incomplete = [](const char *tag, const char *hex) {
        QTest::addRow("%s", tag) << QByteArray::fromHex(hex) << Result::Incomplete << qint64(-1);
    };
    const auto invalid = [](const char *tag, const char *hex, qint64 offset) {
        QTest::addRow("%s", tag) << QByteArray::fromHex(hex) << Result::Invalid << offset;
    };

    valid("empty", "");
    valid("ascii Hello", "48656c6c6f");
    valid("kosme (Greek)", "cebae1bdb9cf83cebcceb5");
    valid("U+0000", "00");
    valid("U+007F", "7f");
    valid("U+0080 first 2-byte", "c280");
    valid("U+07FF last 2-byte", "dfbf");
    valid("U+0800 first 3-byte", "e0a080");
    valid("U+D7FF before surrogates", "ed9fbf");
    valid("U+E000 after surrogates", "ee8080");
    valid("U+FFFD replacement char", "efbfbd");
    valid("U+FFFF last 3-byte", "efbfbf");
    valid("U+10000 first 4-byte", "f0908080");
    valid("U+10FFFF last code point", "f48fbfbf");
    valid("U+1F600 emoji", "f09f9880");
    valid("mixed", "41c3a9e282acf09f9880");

    incomplete("truncated 2-byte", "c2");
    incomplete("truncated 3-byte after 1", "e1");
    incomplete("truncated 3-byte after 2", "e0a0");
    incomplete("truncated 4-byte after 3", "f09080");
    incomplete("valid then truncated", "48656c6c6fce");

    invalid("lone continuation 80", "80", 0);
    invalid("lone continuation bf", "bf", 0);
    invalid("continuation after ascii", "4180", 1);
    invalid("overlong slash C0 AF", "c0af", 0);
    invalid("overlong C1 BF", "c1bf", 0);
    invalid("overlong slash E0 80 AF", "e080af", 1);
    invalid("overlong U+07FF E0 9F BF", "e09fbf", 1);
    invalid("overlong slash F0 80 80 AF", "f08080af", 1);
    invalid("overlong U+FFFF F0 8F BF BF", "f08fbfbf", 1);
    invalid("surrogate ED A0 80", "eda080", 1);
    invalid("surrogate ED BF BF", "edbfbf", 1);
    invalid("surrogate pair ED AF BF ED B0 80", "edafbfedb080", 1);
    invalid("above U+10FFFF F4 90 80 80", "f4908080", 1);
    invalid("F5 lead", "f5808080", 0);
    invalid("F8 5-byte lead", "f888808080", 0);
    invalid("FE", "fe", 0);
    invalid("FF", "ff", 0);
    invalid("2-byte cut by ascii", "c241", 1);
    invalid("3-byte cut by ascii", "e18041", 2);
    invalid("4-byte cut by lead", "f090c280", 2);
    invalid("two leads", "c2c2", 1);
    invalid("valid then FF", "48656c6c6fff", 5);
    invalid("kosme then F4 90 80 80", "cebae1bdb9cf83cebcceb5f4908080", 12);
}

void tst_Utf8Validator::classic()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Result, result);
    QFETCH(qint64, offset);

    Utf8Validator v;
    QCOMPARE(v.result(), Result::Valid);
    QCOMPARE(v.feed(bytes), result);
    QCOMPARE(v.result(), result);
    QCOMPARE(v.invalidOffset(), offset);
    QCOMPARE(Utf8Validator::isValid(bytes), result == Result::Valid);

    // The rows themselves agree with the independent reference.
    const Expected ref = reference(bytes);
    QCOMPARE(ref.result, result);
    QCOMPARE(ref.offset, offset);
}

// Fail-fast: fed one byte at a time, the result turns Invalid exactly at `offset`, never later.
void tst_Utf8Validator::byteByByte()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Result, result);
    QFETCH(qint64, offset);

    Utf8Validator v;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const Result r = v.feed(bytes.sliced(i, 1));
        if (offset >= 0 && i >= offset) {
            QCOMPARE(r, Result::Invalid);
            QCOMPARE(v.invalidOffset(), offset);
        } else {
            QVERIFY2(r != Result::Invalid, qPrintable(QStringLiteral("invalid too early at %1").arg(i)));
            QCOMPARE(v.invalidOffset(), qint64(-1));
        }
    }
    QCOMPARE(v.result(), result);
    QCOMPARE(v.invalidOffset(), offset);
}

void tst_Utf8Validator::everySplit()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Result, result);
    QFETCH(qint64, offset);

    for (qsizetype cut = 0; cut <= bytes.size(); ++cut) {
        Utf8Validator v;
        v.feed(bytes.first(cut));
        v.feed(bytes.sliced(cut));
        QCOMPARE(v.result(), result);
        QCOMPARE(v.invalidOffset(), offset);
    }
}

void tst_Utf8Validator::asciiFastPathBoundaries_data()
{
    QTest::addColumn<int>("position");
    for (int i = 0; i < 140; ++i)
        QTest::addRow("%d", i) << i;
}

// The validator skips ASCII 64 and 16 bytes at a time (8 without SSE2): a bad byte at any position
// of a long ASCII run must still be found at its exact offset, and a sequence straddling the steps
// must still pass.
void tst_Utf8Validator::asciiFastPathBoundaries()
{
    QFETCH(int, position);
    QByteArray bytes(144, 'a');
    bytes[position] = char(0xFF);
    Utf8Validator v;
    QCOMPARE(v.feed(bytes), Result::Invalid);
    QCOMPARE(v.invalidOffset(), qint64(position));

    QByteArray good(144, 'a');
    good.replace(position, 4, QByteArray::fromHex("f09f9880"));
    QVERIFY(Utf8Validator::isValid(good));
    QByteArray cut(144, 'a');
    cut.replace(position, 3, QByteArray::fromHex("f09f98"));
    Utf8Validator w;
    QCOMPARE(w.feed(cut), Result::Invalid);
    QCOMPARE(w.invalidOffset(), qint64(position + 3));
}

void tst_Utf8Validator::afterAsciiRun_data()
{
    QTest::addColumn<QByteArray>("tail");
    QTest::addColumn<Result>("result");
    QTest::addColumn<int>("offset"); // within the tail; -1 if none

    QTest::addRow("nothing") << QByteArray() << Result::Valid << -1;
    QTest::addRow("2-byte e9") << QByteArray::fromHex("c3a9") << Result::Valid << -1;
    QTest::addRow("3-byte euro") << QByteArray::fromHex("e282ac") << Result::Valid << -1;
    QTest::addRow("4-byte emoji") << QByteArray::fromHex("f09f9880") << Result::Valid << -1;
    QTest::addRow("4-byte then ascii") << QByteArray::fromHex("f09f988041") << Result::Valid << -1;
    QTest::addRow("truncated 3-byte") << QByteArray::fromHex("e282") << Result::Incomplete << -1;
    QTest::addRow("truncated 4-byte") << QByteArray::fromHex("f09f98") << Result::Incomplete << -1;
    QTest::addRow("ff") << QByteArray::fromHex("ff") << Result::Invalid << 0;
    QTest::addRow("lone continuation") << QByteArray::fromHex("80") << Result::Invalid << 0;
    QTest::addRow("overlong c0 af") << QByteArray::fromHex("c0af") << Result::Invalid << 0;
    QTest::addRow("overlong e0 80 af") << QByteArray::fromHex("e080af") << Result::Invalid << 1;
    QTest::addRow("overlong f0 8f bf bf") << QByteArray::fromHex("f08fbfbf") << Result::Invalid << 1;
    QTest::addRow("surrogate ed a0 80") << QByteArray::fromHex("eda080") << Result::Invalid << 1;
    QTest::addRow("above U+10FFFF f4 90") << QByteArray::fromHex("f4908080") << Result::Invalid << 1;
    QTest::addRow("3-byte cut by ascii") << QByteArray::fromHex("e28241") << Result::Invalid << 2;
    QTest::addRow("valid then ff") << QByteArray::fromHex("c3a9ff") << Result::Invalid << 2;
}

// `tail` after an ASCII run of every length up to 80 (the steps are 8, 16 and 64 bytes): the verdict
// and the offset do not depend on where the run ends, fed whole or cut anywhere.
void tst_Utf8Validator::afterAsciiRun()
{
    QFETCH(QByteArray, tail);
    QFETCH(Result, result);
    QFETCH(int, offset);
    for (int run = 0; run <= 80; ++run) {
        const QByteArray bytes = QByteArray(run, 'a') + tail;
        const qint64 expectedOffset = offset < 0 ? -1 : run + offset;
        for (qsizetype cut = 0; cut <= bytes.size(); ++cut) {
            Utf8Validator v;
            v.feed(bytes.first(cut));
            v.feed(bytes.sliced(cut));
            if (v.result() != result || v.invalidOffset() != expectedOffset)
                QFAIL(qPrintable(QStringLiteral("run %1, cut %2: got %3 at %4")
                                     .arg(run)
                                     .arg(cut)
                                     .arg(QString::fromLatin1(resultName(v.result())))
                                     .arg(v.invalidOffset())));
        }
        QCOMPARE(Utf8Validator::isValid(bytes), result == Result::Valid);
    }
}

// Text as the fast path meets it: ASCII runs of any length between sequences, valid or not, at any
// alignment, fed whole and in random pieces; against the independent reference.
void tst_Utf8Validator::randomMixesMatchReference()
{
    static const char *const pieces[] = { "c3a9", "e282ac", "f09f9880", "dfbf", "efbfbf", "f48fbfbf", "ff", "80",
        "c0af", "e080af", "eda080", "f4908080", "e282", "c341" };
    QList<QByteArray> sequences;
    for (const char *hex : pieces)
        sequences << QByteArray::fromHex(hex);
    QRandomGenerator rng(20261203);
    for (int round = 0; round < 1500; ++round) {
        QByteArray bytes(int(rng.bounded(16)), 'x'); // shifts everything after it
        const int parts = int(rng.bounded(1, 5));
        for (int p = 0; p < parts; ++p) {
            const int run = int(rng.bounded(80));
            for (int i = 0; i < run; ++i)
                bytes.append(char(rng.bounded(0x80)));
            // Mostly valid sequences, so that an invalid one is not always the first thing found.
            bytes.append(sequences[int(rng.bounded(rng.bounded(4) ? 6 : sequences.size()))]);
        }
        const Expected ref = referenceBisect(bytes);

        Utf8Validator whole;
        whole.feed(bytes);
        Utf8Validator inPieces;
        for (qsizetype at = 0; at < bytes.size();) {
            const qsizetype n = qMin(bytes.size() - at, qsizetype(rng.bounded(1, 40)));
            inPieces.feed(bytes.sliced(at, n));
            at += n;
        }
        for (const Utf8Validator *v : { &whole, &inPieces }) {
            if (v->result() != ref.result || v->invalidOffset() != ref.offset)
                QFAIL(qPrintable(QStringLiteral("%1: got %2 at %3, expected %4 at %5")
                                     .arg(QString::fromLatin1(bytes.toHex(' ')))
                                     .arg(QString::fromLatin1(resultName(v->result())))
                                     .arg(v->invalidOffset())
                                     .arg(QString::fromLatin1(resultName(ref.result)))
                                     .arg(ref.offset)));
        }
    }
}

void tst_Utf8Validator::stickyAndReset()
{
    Utf8Validator v;
    QCOMPARE(v.feed(QByteArray::fromHex("41ff")), Result::Invalid);
    QCOMPARE(v.invalidOffset(), qint64(1));
    QCOMPARE(v.feed(QByteArrayLiteral("valid ascii")), Result::Invalid);
    QCOMPARE(v.invalidOffset(), qint64(1));
    v.reset();
    QCOMPARE(v.result(), Result::Valid);
    QCOMPARE(v.invalidOffset(), qint64(-1));
    QCOMPARE(v.feed(QByteArray::fromHex("e282")), Result::Incomplete);
    QCOMPARE(v.feed(QByteArray::fromHex("ac")), Result::Valid);
    v.reset();
    QCOMPARE(v.feed(QByteArray::fromHex("80")), Result::Invalid);
    QCOMPARE(v.invalidOffset(), qint64(0)); // offsets restart at reset()
}

void tst_Utf8Validator::offsetCountsAcrossFeeds()
{
    Utf8Validator v;
    QCOMPARE(v.feed(QByteArrayLiteral("0123456789")), Result::Valid);
    QCOMPARE(v.feed(QByteArray::fromHex("f4")), Result::Incomplete);
    QCOMPARE(v.feed(QByteArray()), Result::Incomplete);
    QCOMPARE(v.feed(QByteArray::fromHex("908080")), Result::Invalid);
    QCOMPARE(v.invalidOffset(), qint64(11));
}

void tst_Utf8Validator::allOneAndTwoByteSequencesMatchReference()
{
    for (int a = 0; a < 256; ++a) {
        for (int b = -1; b < 256; ++b) {
            QByteArray bytes(1, char(a));
            if (b >= 0)
                bytes.append(char(b));
            const Expected ref = reference(bytes);
            Utf8Validator v;
            const Result r = v.feed(bytes);
            if (r != ref.result || v.invalidOffset() != ref.offset)
                QFAIL(qPrintable(QStringLiteral("%1: got %2 at %3, expected %4 at %5")
                                     .arg(QString::fromLatin1(bytes.toHex(' ')))
                                     .arg(QString::fromLatin1(resultName(r)))
                                     .arg(v.invalidOffset())
                                     .arg(QString::fromLatin1(resultName(ref.result)))
                                     .arg(ref.offset)));
        }
    }
}

void tst_Utf8Validator::allThreeByteSequencesValidity()
{
    uchar bytes[3];
    int validCount = 0;
    for (int a = 0; a < 256; ++a) {
        bytes[0] = uchar(a);
        for (int b = 0; b < 256; ++b) {
            bytes[1] = uchar(b);
            for (int c = 0; c < 256; ++c) {
                bytes[2] = uchar(c);
                const QByteArrayView view(reinterpret_cast<const char *>(bytes), 3);
                const bool expected = referenceValid(bytes, 3);
                if (Utf8Validator::isValid(view) != expected)
                    QFAIL(qPrintable(QStringLiteral("%1 %2 %3 should be %4")
                                         .arg(a, 2, 16, QLatin1Char('0'))
                                         .arg(b, 2, 16, QLatin1Char('0'))
                                         .arg(c, 2, 16, QLatin1Char('0'))
                                         .arg(expected ? QStringLiteral("valid") : QStringLiteral("invalid"))));
                validCount += expected;
            }
        }
    }
    // 128^3 all-ASCII + 2 * 128 * 1920 (ASCII next to a 2-byte char) + 61440 3-byte chars
    // (U+0800..U+FFFF minus 2048 surrogates).
    QCOMPARE(validCount, 128 * 128 * 128 + 2 * 128 * 1920 + 61440);
}

// Fail-fast offsets against the reference for every lead byte followed by bytes from each class
// boundary, for sequences of up to four bytes.
void tst_Utf8Validator::interestingSequencesMatchReference()
{
    static const uchar reps[] = { 0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
        0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF };
    int checked = 0;
    for (int lead = 0xC0; lead <= 0xFF; ++lead) {
        for (uchar b : reps) {
            for (uchar c : reps) {
                for (uchar d : reps) {
                    const char raw[4] = { char(lead), char(b), char(c), char(d) };
                    const QByteArray bytes(raw, 4);
                    const Expected ref = reference(bytes);
                    Utf8Validator v;
                    for (char ch : bytes)
                        v.feed(QByteArrayView(&ch, 1));
                    if (v.result() != ref.result || v.invalidOffset() != ref.offset)
                        QFAIL(qPrintable(QStringLiteral("%1: got %2 at %3, expected %4 at %5")
                                             .arg(QString::fromLatin1(bytes.toHex(' ')))
                                             .arg(QString::fromLatin1(resultName(v.result())))
                                             .arg(v.invalidOffset())
                                             .arg(QString::fromLatin1(resultName(ref.result)))
                                             .arg(ref.offset)));
                    ++checked;
                }
            }
        }
    }
    QCOMPARE(checked, 64 * 24 * 24 * 24);
}

void tst_Utf8Validator::everyCodePointEncodesValid()
{
    QByteArray all;
    all.reserve(4 * 0x110000);
    for (quint32 cp = 0; cp <= 0x10FFFF; ++cp) {
        char buf[4];
        int n = 0;
        if (cp < 0x80) {
            buf[n++] = char(cp);
        } else if (cp < 0x800) {
            buf[n++] = char(0xC0 | (cp >> 6));
            buf[n++] = char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            buf[n++] = char(0xE0 | (cp >> 12));
            buf[n++] = char(0x80 | ((cp >> 6) & 0x3F));
            buf[n++] = char(0x80 | (cp & 0x3F));
        } else {
            buf[n++] = char(0xF0 | (cp >> 18));
            buf[n++] = char(0x80 | ((cp >> 12) & 0x3F));
            buf[n++] = char(0x80 | ((cp >> 6) & 0x3F));
            buf[n++] = char(0x80 | (cp & 0x3F));
        }
        const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        const QByteArrayView one(buf, n);
        if (Utf8Validator::isValid(one) == surrogate)
            QFAIL(qPrintable(QStringLiteral("U+%1").arg(cp, 4, 16, QLatin1Char('0'))));
        if (!surrogate)
            all.append(buf, n);
    }
    QVERIFY(Utf8Validator::isValid(all));
    // QString's own decoder agrees on the whole range.
    QCOMPARE(QString::fromUtf8(all).toUtf8(), all);
}

QTEST_GUILESS_MAIN(tst_Utf8Validator)
#include "tst_utf8validator.moc"
