// permessage-deflate's compression (RFC 7692 §7.2): the RFC's own examples byte for byte, round
// trips with and without context takeover, frames fed in any pieces, a deflate bomb refused without
// taking the memory, and data that does not inflate.

#include "protocol/messagedeflate.h"

#include <QRandomGenerator>
#include <QtTest>

namespace {

QByteArray inflateWhole(MessageInflater &inflater, const QByteArray &compressed, MessageInflater::Result *result = nullptr)
{
    QByteArray out;
    MessageInflater::Result r = inflater.feed(compressed, out);
    if (r == MessageInflater::Result::Ok)
        r = inflater.finish(out);
    if (result)
        *result = r;
    return out;
}

QByteArray sample(qsizetype size, quint32 seed)
{
    // Text-like bytes: compressible, but not trivially.
    QRandomGenerator rng(seed);
    static const char words[][8] = { "frame ", "mask ", "ping ", "pong ", "close ", "text ", "{\"a\":", "42}, " };
    QByteArray out;
    while (out.size() < size)
        out += words[rng.bounded(8)];
    out.truncate(size);
    return out;
}

} // namespace

class tst_MessageDeflate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rfcExamples_data();
    void rfcExamples();
    void compressesAsTheRfcShows();
    void roundTrip_data();
    void roundTrip();
    void framesInAnyPieces();
    void deflateBombIsRefusedWithoutTheMemory();
    void exactlyTheLimitIsFine();
    void corruptDataIsNamed();
};

void tst_MessageDeflate::rfcExamples_data()
{
    QTest::addColumn<QByteArray>("compressed");
    QTest::addColumn<QByteArray>("message");
    // RFC 7692 §7.2.3.1: "Hello" in one frame.
    QTest::addRow("7.2.3.1") << QByteArray::fromHex("f248cdc9c90700") << QByteArray("Hello");
    // §7.2.3.3: a final block (BFINAL set) is allowed; the stream then starts again.
    QTest::addRow("7.2.3.3 BFINAL") << QByteArray::fromHex("f348cdc9c9070000") << QByteArray("Hello");
    // §7.2.3.4: a stored (uncompressed) block.
    QTest::addRow("7.2.3.4 stored") << QByteArray::fromHex("000500faff48656c6c6f00") << QByteArray("Hello");
    QTest::addRow("empty message") << QByteArray::fromHex("00") << QByteArray();
}

void tst_MessageDeflate::rfcExamples()
{
    QFETCH(QByteArray, compressed);
    QFETCH(QByteArray, message);
    MessageInflater inflater(false, 1024);
    MessageInflater::Result result;
    QCOMPARE(inflateWhole(inflater, compressed, &result), message);
    QCOMPARE(result, MessageInflater::Result::Ok);
}

void tst_MessageDeflate::compressesAsTheRfcShows()
{
    // §7.2.3.1 and §7.2.3.2: the second "Hello" with context takeover refers back to the first.
    MessageDeflater deflater(15, false);
    QCOMPARE(deflater.compress("Hello").toHex(), QByteArray("f248cdc9c90700"));
    QCOMPARE(deflater.compress("Hello").toHex(), QByteArray("f200110000"));
    MessageInflater inflater(false, 1024);
    QCOMPARE(inflateWhole(inflater, QByteArray::fromHex("f248cdc9c90700")), QByteArray("Hello"));
    QCOMPARE(inflateWhole(inflater, QByteArray::fromHex("f200110000")), QByteArray("Hello"));
    // Without context takeover every message is compressed as if it were the first.
    MessageDeflater fresh(15, true);
    QCOMPARE(fresh.compress("Hello").toHex(), QByteArray("f248cdc9c90700"));
    QCOMPARE(fresh.compress("Hello").toHex(), QByteArray("f248cdc9c90700"));
}

void tst_MessageDeflate::roundTrip_data()
{
    QTest::addColumn<int>("windowBits");
    QTest::addColumn<bool>("noContextTakeover");
    QTest::addRow("context takeover, 15") << 15 << false;
    QTest::addRow("no context takeover, 15") << 15 << true;
    QTest::addRow("context takeover, 9") << 9 << false;
    QTest::addRow("window 8 (zlib uses 9)") << 8 << false;
    QTest::addRow("no context takeover, 10") << 10 << true;
}

void tst_MessageDeflate::roundTrip()
{
    QFETCH(int, windowBits);
    QFETCH(bool, noContextTakeover);
    MessageDeflater deflater(windowBits, noContextTakeover);
    MessageInflater inflater(noContextTakeover, 2 << 20);
    const qsizetype sizes[] = { 0, 1, 5, 125, 126, 65535, 65536, 100'000, 1 << 20 };
    quint32 seed = 1;
    for (int round = 0; round < 3; ++round) {
        for (const qsizetype size : sizes) {
            const QByteArray message = sample(size, seed++);
            const QByteArray compressed = deflater.compress(message);
            QVERIFY(!compressed.endsWith(QByteArray::fromHex("0000ffff")));
            MessageInflater::Result result;
            QCOMPARE(inflateWhole(inflater, compressed, &result), message);
            QCOMPARE(result, MessageInflater::Result::Ok);
        }
    }
    // A thousand small messages in a row, the window carried over (or not) each time.
    for (int i = 0; i < 1000; ++i) {
        const QByteArray message = "message number " + QByteArray::number(i);
        QCOMPARE(inflateWhole(inflater, deflater.compress(message)), message);
    }
}

void tst_MessageDeflate::framesInAnyPieces()
{
    const QByteArray message = sample(200'000, 7);
    MessageDeflater deflater(15, false);
    const QByteArray first = deflater.compress(message);
    const QByteArray second = deflater.compress(message); // refers back into the first
    QRandomGenerator rng(42);
    for (int trial = 0; trial < 50; ++trial) {
        MessageInflater inflater(false, 1 << 20);
        for (const QByteArray &compressed : { first, second }) {
            QByteArray out;
            qsizetype at = 0;
            while (at < compressed.size()) {
                const qsizetype piece = std::min<qsizetype>(compressed.size() - at, rng.bounded(1, 3000));
                QCOMPARE(inflater.feed(QByteArrayView(compressed).sliced(at, piece), out), MessageInflater::Result::Ok);
                at += piece;
            }
            QCOMPARE(inflater.finish(out), MessageInflater::Result::Ok);
            QCOMPARE(out, message);
        }
    }
}

void tst_MessageDeflate::deflateBombIsRefusedWithoutTheMemory()
{
    // 64 MiB of zeros compress to about 64 KiB; the receiver's limit is 1 MiB.
    const QByteArray zeros(64 << 20, '\0');
    const QByteArray bomb = MessageDeflater(15, true, 9).compress(zeros);
    QVERIFY2(bomb.size() < 100 * 1024, qPrintable(QString::number(bomb.size())));
    constexpr quint64 Limit = 1 << 20;
    MessageInflater inflater(true, Limit);
    QByteArray out;
    QCOMPARE(inflater.feed(bomb, out), MessageInflater::Result::TooBig);
    QVERIFY(inflater.errorString().contains(QStringLiteral("more than 1048576 bytes")));
    // It stopped one byte past the limit, never holding more than the limit and one slice.
    QCOMPARE(quint64(out.size()), Limit + 1);
    QVERIFY2(out.capacity() <= qsizetype(Limit) + 2 * 64 * 1024 + 1, qPrintable(QString::number(out.capacity())));
}

void tst_MessageDeflate::exactlyTheLimitIsFine()
{
    const QByteArray message = sample(10'000, 3);
    const QByteArray compressed = MessageDeflater(15, true).compress(message);
    MessageInflater exact(true, 10'000);
    MessageInflater::Result result;
    QCOMPARE(inflateWhole(exact, compressed, &result), message);
    QCOMPARE(result, MessageInflater::Result::Ok);
    MessageInflater under(true, 9'999);
    inflateWhole(under, compressed, &result);
    QCOMPARE(result, MessageInflater::Result::TooBig);
}

void tst_MessageDeflate::corruptDataIsNamed()
{
    MessageInflater inflater(false, 1024);
    MessageInflater::Result result;
    // Block type 11 (reserved) in the first header bits.
    inflateWhole(inflater, QByteArray::fromHex("ff"), &result);
    QCOMPARE(result, MessageInflater::Result::Corrupt);
    QVERIFY2(inflater.errorString().startsWith(QStringLiteral("the compressed data does not inflate: ")),
             qPrintable(inflater.errorString()));
    // After reset() the stream is usable again.
    inflater.reset();
    QCOMPARE(inflateWhole(inflater, QByteArray::fromHex("f248cdc9c90700"), &result), QByteArray("Hello"));
    QCOMPARE(result, MessageInflater::Result::Ok);
}

QTEST_GUILESS_MAIN(tst_MessageDeflate)
#include "tst_messagedeflate.moc"
