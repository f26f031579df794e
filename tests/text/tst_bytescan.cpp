#include "text/bytescan.h"

#include <QTest>

#include <array>
#include <cstring>

namespace {

// The answers, one byte at a time.
qsizetype referenceAsciiRun(const uchar *s, qsizetype n)
{
    qsizetype i = 0;
    while (i < n && s[i] < 0x80)
        ++i;
    return i;
}

qsizetype referenceJsonPlainRun(const uchar *s, qsizetype n)
{
    qsizetype i = 0;
    while (i < n && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
        ++i;
    return i;
}

using AsciiRun = qsizetype (*)(const uchar *, qsizetype);
using CopyRun = qsizetype (*)(char *, const uchar *, qsizetype);

struct Variant {
    const char *name;
    AsciiRun asciiRun;
    CopyRun copyJsonPlainRun;
};

// Every build checks the portable versions and the one it uses; x86-64 also checks SSE2 directly.
const std::array Variants = {
    Variant { "default", ByteScan::asciiRun, ByteScan::copyJsonPlainRun },
    Variant { "portable", ByteScan::Portable::asciiRun, ByteScan::Portable::copyJsonPlainRun },
#if defined(__SSE2__)
    Variant { "sse2", ByteScan::Sse2::asciiRun, ByteScan::Sse2::copyJsonPlainRun },
#endif
};

// Lengths around every step the scans take (8, 16, 64 bytes) and their tails.
constexpr int MaxLength = 140;
// Start offsets in a buffer, so that loads are misaligned in every way.
constexpr int MaxShift = 16;

} // namespace

class tst_ByteScan : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void asciiRun_data();
    void asciiRun();
    void copyJsonPlainRun_data();
    void copyJsonPlainRun();
    void copyJsonPlainRunEveryByte();
    void isJsonPlain();
};

void tst_ByteScan::asciiRun_data()
{
    QTest::addColumn<int>("stop"); // the byte that ends the run
    for (int b : { 0x80, 0xBF, 0xC2, 0xE2, 0xF0, 0xFF })
        QTest::addRow("0x%02x", b) << b;
}

// A run of ASCII of every length up to MaxLength, ended by `stop` or by the end of the bytes, at
// every alignment: each variant finds the same end as the byte-by-byte loop.
void tst_ByteScan::asciiRun()
{
    QFETCH(int, stop);
    std::array<uchar, MaxShift + MaxLength + 8> buffer {};
    for (const Variant &variant : Variants) {
        for (int shift = 0; shift < MaxShift; ++shift) {
            for (int length = 0; length <= MaxLength; ++length) {
                for (int at = 0; at <= length; ++at) {
                    uchar *s = buffer.data() + shift;
                    for (int i = 0; i < length; ++i)
                        s[i] = uchar((i * 7) % 0x80); // controls, printable and DEL
                    if (at < length)
                        s[at] = uchar(stop);
                    s[length] = 0xFF; // beyond the end: must not be looked at
                    const qsizetype got = variant.asciiRun(s, length);
                    if (got != referenceAsciiRun(s, length))
                        QFAIL(qPrintable(QStringLiteral("%1: shift %2, length %3, stop at %4: got %5")
                                             .arg(QLatin1String(variant.name))
                                             .arg(shift)
                                             .arg(length)
                                             .arg(at)
                                             .arg(got)));
                }
            }
        }
    }
}

void tst_ByteScan::copyJsonPlainRun_data()
{
    QTest::addColumn<int>("stop");
    for (int b : { 0x00, 0x0A, 0x1F, int('"'), int('\\'), 0x80, 0xC3, 0xFF })
        QTest::addRow("0x%02x", b) << b;
}

// The run ends at the first byte that needs attention, at every position, length and alignment; the
// run is copied exactly, and nothing is written at or past out[n].
void tst_ByteScan::copyJsonPlainRun()
{
    QFETCH(int, stop);
    std::array<uchar, MaxShift + MaxLength + 8> input {};
    std::array<char, MaxShift + MaxLength + 32> output {};
    for (const Variant &variant : Variants) {
        for (int shift = 0; shift < MaxShift; ++shift) {
            for (int length = 0; length <= MaxLength; ++length) {
                for (int at = 0; at <= length; ++at) {
                    uchar *s = input.data() + shift;
                    for (int i = 0; i < length; ++i)
                        s[i] = uchar(0x20 + (i * 5) % 0x60); // printable ASCII and DEL, no quote or backslash
                    for (int i = 0; i < length; ++i) {
                        if (s[i] == '"' || s[i] == '\\')
                            s[i] = 'x';
                    }
                    if (at < length)
                        s[at] = uchar(stop);
                    s[length] = '"';
                    output.fill('#');
                    char *out = output.data() + (MaxShift - 1 - shift);
                    const qsizetype got = variant.copyJsonPlainRun(out, s, length);
                    const qsizetype expected = referenceJsonPlainRun(s, length);
                    const bool copied = std::memcmp(out, s, size_t(expected)) == 0;
                    bool inBounds = true;
                    for (char *p = out + length; p < output.data() + output.size(); ++p)
                        inBounds = inBounds && *p == '#';
                    for (char *p = output.data(); p < out; ++p)
                        inBounds = inBounds && *p == '#';
                    if (got != expected || !copied || !inBounds)
                        QFAIL(qPrintable(QStringLiteral("%1: shift %2, length %3, stop at %4: got %5, copied %6, "
                                                        "in bounds %7")
                                             .arg(QLatin1String(variant.name))
                                             .arg(shift)
                                             .arg(length)
                                             .arg(at)
                                             .arg(got)
                                             .arg(copied)
                                             .arg(inBounds)));
                }
            }
        }
    }
}

// Every byte value, at each place of a 16-byte and an 8-byte step and of the tail.
void tst_ByteScan::copyJsonPlainRunEveryByte()
{
    for (const Variant &variant : Variants) {
        for (int b = 0; b < 256; ++b) {
            for (int at : { 0, 1, 7, 8, 15, 16, 17, 31, 33, 40 }) {
                uchar s[41];
                std::memset(s, 'a', sizeof s);
                s[at] = uchar(b);
                char out[41];
                const qsizetype got = variant.copyJsonPlainRun(out, s, sizeof s);
                QCOMPARE(got, referenceJsonPlainRun(s, sizeof s));
                QCOMPARE(variant.asciiRun(s, sizeof s), referenceAsciiRun(s, sizeof s));
            }
        }
    }
}

void tst_ByteScan::isJsonPlain()
{
    int plain = 0;
    for (int b = 0; b < 256; ++b)
        plain += ByteScan::isJsonPlain(uchar(b));
    QCOMPARE(plain, 0x80 - 0x20 - 2); // printable ASCII and DEL, less '"' and '\'
    QVERIFY(ByteScan::isJsonPlain(0x7F));
    QVERIFY(!ByteScan::isJsonPlain('"'));
    QVERIFY(!ByteScan::isJsonPlain('\\'));
    QVERIFY(!ByteScan::isJsonPlain(0x1F));
    QVERIFY(!ByteScan::isJsonPlain(0x80));
}

QTEST_GUILESS_MAIN(tst_ByteScan)
#include "tst_bytescan.moc"
